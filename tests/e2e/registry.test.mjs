// Browser end-to-end tests of the registry features: bulk import (dry run, fix, import — each a background run
// whose phase and progress the page shows) and directory membership.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=admin E2E_ADMIN_PASSWORD='…' E2E_LOGINS='{"officer_gxj":"Cr-…"}' \
//     node --test registry.test.mjs
//
// Needs a server seeded with the demo city (重点企业白名单 etc.). Same launch options and helpers as admin.test.mjs;
// on failure a screenshot, the page's HTML and its console/network errors go to tests/e2e/artifacts/.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { BASE_URL, STEP_TIMEOUT, TEST_TIMEOUT, withPage, waitUntil, byTestId, login, pick, isPost } from './browser.mjs'

// The demo city's logins (run.mjs passes them): officer_gxj is a government officer (政府部门工作人员).
const LOGINS = JSON.parse(process.env.E2E_LOGINS || '{}')

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** A valid code: registration prefix + 8 random digits + organisation check + overall check. */
function makeUscc(prefix = '91350203') {
  let body = ''
  for (let i = 0; i < 8; i++) body += String(Math.floor(Math.random() * 10))
  const orgSum = [...body].reduce((s, c, i) => s + Number(c) * ORG_WEIGHTS[i], 0)
  const org = 11 - (orgSum % 11)
  const code17 = prefix + body + (org === 10 ? 'X' : org === 11 ? '0' : String(org))
  const sum = [...code17].reduce((s, c, i) => s + CHARSET.indexOf(c) * WEIGHTS[i], 0)
  return code17 + CHARSET[(31 - (sum % 31)) % 31]
}

const today = () => {
  const d = new Date()
  const p = n => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

const HEADER = '统一社会信用代码,企业名称,所属区,国民经济行业代码,法定代表人,注册资本(万元),成立日期,联系人,联系电话,地址'
const csvOf = rows => Buffer.from(`${[HEADER, ...rows.map(r => r.join(','))].join('\r\n')}\r\n`, 'utf8')
const enterpriseRow = (uscc, name, district, industry) => [uscc, name, district, industry, '张三', '1000', '2015-06-01', '李四', '13800000000', '厦门市示例路1号']

const isRunPoll = r => r.request().method() === 'GET' && /^\/api\/v1\/imports\/\d+$/.test(new URL(r.url()).pathname)

/**
 * Clicks `button` (dry run or import) and follows the background run the way the page does: the upload answers 202
 * with the run queued; the page's first poll of GET /imports/{id} is held back until the progress bar shows 排队中,
 * then the run goes on to its end. Returns { queued, run } (the POST's answer and the finished run).
 */
async function runAndFollow(page, button, dryRun) {
  let release
  const held = new Promise(r => (release = r))
  const hold = async route => {
    await held
    await route.continue()
  }
  await page.route(/\/api\/v1\/imports\/\d+$/, hold)
  const posted = page.waitForResponse(r => /\/api\/v1\/imports\/enterprises\?/.test(r.url()) && r.request().method() === 'POST')
  const finished = page.waitForResponse(async r => {
    if (!isRunPoll(r)) return false
    const body = await r.json().catch(() => null)
    return body?.phase === 'done' || body?.phase === 'failed'
  })
  await byTestId(page, button).click()
  const resp = await posted
  const text = await resp.text()
  assert.equal(resp.status(), 202, `the upload answered ${resp.status()}: ${text}`)
  const url = new URL(resp.url())
  assert.equal(url.searchParams.get('dry_run'), String(dryRun), `dry_run in ${resp.url()}`)
  assert.match(resp.request().headers()['content-type'] ?? '', /^text\/csv/, 'the file must go up as the raw text/csv body')
  const queued = JSON.parse(text)
  assert.equal(queued.phase, 'queued')
  // The progress bar takes over from the upload bar with the run's phase.
  await byTestId(page, 'import-job').waitFor()
  assert.equal((await byTestId(page, 'import-job-phase').textContent())?.trim(), '排队中')
  release()
  const done = await finished
  await page.unroute(/\/api\/v1\/imports\/\d+$/, hold)
  const run = await done.json()
  assert.equal(run.id, queued.id)
  assert.equal(run.phase, 'done', `the run ended ${run.phase}: ${run.error}`)
  assert.equal(run.rows_done, run.rows_total, 'a finished run has handled every row')
  return { queued, run }
}

/** Upload `buffer` as `name` in the import wizard and run the dry run; returns the finished run. */
async function dryRun(page, name, buffer) {
  await page.locator('[data-testid="import-upload"] input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer })
  await waitUntil(async () => (await byTestId(page, 'import-file-name').textContent())?.trim() === name, `${name} was not taken by the upload box`)
  const { run } = await runAndFollow(page, 'import-dry-run', true)
  await byTestId(page, 'import-step-dry-run').waitFor()
  return run
}

// ---- scenarios -------------------------------------------------------------------------

test('officer imports enterprises (dry run finds a bad credit code and a bad district, fixed file imports) and adds one to the white list', { timeout: TEST_TIMEOUT }, async () => {
  const n = `${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`
  const names = [`E2E导入企业甲${n}有限公司`, `E2E导入企业乙${n}有限公司`, `E2E导入企业丙${n}有限公司`, `E2E导入企业丁${n}有限公司`]
  const codes = [makeUscc('91350203'), makeUscc('91350206'), makeUscc('91350211'), makeUscc('91350205')]
  const BAD = '91350200776049653B' // check character wrong (should be A)

  await withPage('registry-import-directory', async page => {
    // 1. Log in as a government officer of the demo city.
    assert.ok(LOGINS.officer_gxj, `E2E_LOGINS must hold officer_gxj (got ${Object.keys(LOGINS)})`)
    const me = await login(page, 'officer_gxj', LOGINS.officer_gxj)
    for (const p of ['import:run', 'directory:read', 'directory:write', 'enterprise:read', 'enterprise:write'])
      assert.ok(me.permissions.includes(p), `the officer lacks ${p}: ${me.permissions}`)

    // 2. 批量导入 → 企业 → next.
    const importMenu = byTestId(page, 'menu-imports')
    assert.equal((await importMenu.textContent())?.trim(), '批量导入')
    await importMenu.click()
    await page.waitForURL(url => new URL(url).pathname === '/imports')
    await byTestId(page, 'page-imports').waitFor()
    await byTestId(page, 'import-kind-enterprises').click()
    await byTestId(page, 'import-next').click()
    await byTestId(page, 'import-step-upload').waitFor()

    // 3. A file with a bad credit code in its second data row (file row 3) and a district that is not one of Xiamen's
    //    six in its fourth (file row 5): the dry run names row and column of each, and refuses the second.
    const bad = await dryRun(
      page,
      'enterprises-bad.csv',
      csvOf([
        enterpriseRow(codes[0], names[0], '思明区', 'C3974'),
        enterpriseRow(BAD, names[1], '湖里区', 'I6513'),
        enterpriseRow(codes[2], names[2], '集美区', 'C3411'),
        enterpriseRow(codes[3], names[3], '鼓浪屿区', 'C3974')
      ])
    )
    assert.equal(bad.dry_run, true)
    assert.equal(bad.applied, false, 'a dry run must not write')
    assert.equal(bad.total_rows, 4)
    const district = bad.problems.find(p => p.column === '所属区' && p.value === '鼓浪屿区')
    assert.ok(district, `no district problem in ${JSON.stringify(bad.problems)}`)
    assert.equal(district.row, 5)
    assert.equal(district.severity, 'error', 'an unknown district refuses the row')
    assert.ok(bad.rejected_rows >= 1, `rejected ${bad.rejected_rows}`)
    // The server may refuse the row (error) or take it flagged 待核查 (warning); either way it is named.
    const problem = bad.problems.find(p => p.column === '统一社会信用代码' && p.value === BAD)
    assert.ok(problem, `no credit-code problem in ${JSON.stringify(bad.problems)}`)
    assert.equal(problem.row, 3, `the bad code is on file row 3 (header = row 1), the server said ${problem.row}`)
    assert.equal(problem.value, BAD)
    await byTestId(page, 'import-dry-run-alert').waitFor()
    const problemRow = page.locator('[data-testid="import-problems"] .el-table__body tr', { hasText: BAD })
    await problemRow.waitFor()
    const cells = (await problemRow.locator('td').allInnerTexts()).map(s => s.trim())
    assert.equal(cells[0], '3', `row column shows ${cells[0]}`)
    assert.equal(cells[1], '统一社会信用代码', `column shows ${cells[1]}`)
    assert.equal(cells[2], BAD)
    assert.ok(cells[3] && cells[3] === problem.reason, `reason shows ${cells[3]}, the server said ${problem.reason}`)
    assert.equal((await byTestId(page, 'import-summary-rejected').locator('.el-statistic__content').innerText()).trim(), String(bad.rejected_rows))
    const districtRow = page.locator('[data-testid="import-problems"] .el-table__body tr', { hasText: '鼓浪屿区' })
    assert.deepEqual((await districtRow.locator('td').allInnerTexts()).slice(0, 3).map(s => s.trim()), ['5', '所属区', '鼓浪屿区'])

    // 4. Fix the file and upload it again: the dry run is clean, then import for real.
    await byTestId(page, 'import-reupload').click()
    await byTestId(page, 'import-step-upload').waitFor()
    const fixed = await dryRun(
      page,
      'enterprises-fixed.csv',
      csvOf([
        enterpriseRow(codes[0], names[0], '思明区', 'C3974'),
        enterpriseRow(codes[1], names[1], '湖里区', 'I6513'),
        enterpriseRow(codes[2], names[2], '集美区', 'C3411'),
        enterpriseRow(codes[3], names[3], '思明区', 'C3974')
      ])
    )
    assert.equal(fixed.problems.length, 0, `problems left: ${JSON.stringify(fixed.problems)}`)
    assert.equal(fixed.valid_rows, 4)
    const { run: result } = await runAndFollow(page, 'import-commit', false)
    assert.equal(result.applied, true, `not applied: ${JSON.stringify(result)}`)
    assert.equal(result.created, 4, `created ${result.created}: ${JSON.stringify(result)}`)
    assert.equal(result.rows_total, 4)
    await byTestId(page, 'import-step-result').waitFor()
    await byTestId(page, 'import-result').waitFor()
    assert.equal((await byTestId(page, 'import-summary-created').locator('.el-statistic__content').innerText()).trim(), '4')
    // The finished run's progress stays on the result: 已完成, every row.
    assert.equal((await byTestId(page, 'import-job-phase').textContent())?.trim(), '已完成')
    assert.equal((await byTestId(page, 'import-job-rows').textContent())?.trim(), '4 / 4 行')
    assert.equal(await byTestId(page, 'import-job').getAttribute('data-phase'), 'done')
    // The run is in the history table.
    await waitUntil(
      async () => (await page.locator('[data-testid="import-history"] .el-table__body tr', { hasText: 'enterprises-fixed.csv' }).count()) > 0,
      'the import is not in the history table'
    )

    // 5. 名录与库 → 重点企业白名单 → 纳入 the second imported enterprise today.
    await byTestId(page, 'menu-directories').click()
    await page.waitForURL(url => new URL(url).pathname === '/directories')
    await byTestId(page, 'page-directories').waitFor()
    const card = byTestId(page, 'directory-card-white_list')
    assert.equal((await byTestId(page, 'directory-name-white_list').textContent())?.trim(), '重点企业白名单')
    await card.click()
    await byTestId(page, 'page-directory-detail').waitFor()
    // The heading fills in when the directory list arrives.
    await waitUntil(async () => (await byTestId(page, 'directory-detail-name').textContent())?.trim() === '重点企业白名单',
      'the directory page shows 重点企业白名单')
    await byTestId(page, 'members-table').waitFor()

    const target = names[1]
    await byTestId(page, 'directory-add').click()
    const dialog = page.locator('.el-dialog', { has: byTestId(page, 'entry-form-enterprise') })
    await dialog.waitFor()
    await byTestId(page, 'entry-form-enterprise').locator('.el-select__wrapper').click()
    const searched = page.waitForResponse(r => r.url().includes('/api/v1/enterprises?') && decodeURIComponent(r.url()).includes(target))
    await byTestId(page, 'entry-form-enterprise').locator('input').pressSequentially(target, { delay: 10 })
    assert.equal((await searched).status(), 200)
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: target })
    await option.first().waitFor()
    await option.first().click()
    const fromInput = dialog.locator('.el-date-editor input')
    assert.equal(await fromInput.inputValue(), today(), 'the entry date defaults to today')
    await byTestId(page, 'entry-form-reason').fill('E2E：重点企业白名单增补')
    await byTestId(page, 'entry-form-evidence').fill(`厦发改〔E2E〕${n}号`)
    const added = page.waitForResponse(r => /\/api\/v1\/directories\/\d+\/entries$/.test(r.url()) && r.request().method() === 'POST')
    await byTestId(page, 'entry-form-submit').click()
    const addResp = await added
    assert.equal(addResp.status(), 201, `POST entries answered ${addResp.status()}: ${await addResp.text()}`)
    const body = JSON.parse(addResp.request().postData() ?? '{}')
    assert.equal(body.effective_from, today())
    await dialog.waitFor({ state: 'hidden' })

    // 6. The enterprise is a member as of today…
    const memberRow = page.locator('[data-testid="members-table"] .el-table__body tr', { hasText: target })
    await memberRow.waitFor()
    assert.match(await memberRow.innerText(), new RegExp(today()))
    assert.match(await memberRow.innerText(), new RegExp(codes[1]))

    // 7. …and its stay is in the 历史 tab.
    const history = page.waitForResponse(r => /\/api\/v1\/directories\/\d+\/history/.test(r.url()))
    await byTestId(page, 'directory-tab-history').click()
    assert.equal((await history).status(), 200)
    const historyRow = page.locator('[data-testid="history-table"] .el-table__body tr', { hasText: target })
    await historyRow.waitFor()
    const historyText = await historyRow.innerText()
    assert.match(historyText, new RegExp(today()))
    assert.match(historyText, /E2E：重点企业白名单增补/)
  })
})

test('officer registers a key project (investment, financing need, stage) and enters it in the key projects directory', { timeout: TEST_TIMEOUT }, async () => {
  const name = `E2E重点项目${Date.now().toString(36).toUpperCase()}`
  await withPage('registry-key-project', async page => {
    assert.ok(LOGINS.officer_gxj, `E2E_LOGINS must hold officer_gxj (got ${Object.keys(LOGINS)})`)
    await login(page, 'officer_gxj', LOGINS.officer_gxj)

    // 1. 主体名录 → 重点项目 → 登记项目, with the building enterprise picked by search.
    await byTestId(page, 'menu-registry').click()
    await byTestId(page, 'menu-registry-projects').click()
    await page.waitForURL(url => new URL(url).pathname === '/registry/projects')
    await byTestId(page, 'page-projects').waitFor()
    await byTestId(page, 'project-create').click()
    await byTestId(page, 'project-form-name').waitFor()
    await byTestId(page, 'project-form-name').fill(name)
    await byTestId(page, 'project-form-enterprise').locator('.el-select__wrapper').click()
    await byTestId(page, 'project-form-enterprise').locator('input').pressSequentially('厦门', { delay: 10 })
    const enterprise = page.locator('.el-select-dropdown__item:visible').first()
    await enterprise.waitFor()
    const enterpriseName = (await enterprise.innerText()).trim().split('\n')[0]
    await enterprise.click()
    await pick(page, 'project-form-stage', 'project-stage-construction')
    await byTestId(page, 'project-form-investment').fill('12.5')
    await byTestId(page, 'project-form-need').fill('3')
    await pick(page, 'project-form-district', { text: '集美区' })
    const created = page.waitForResponse(r => isPost(r, /^\/api\/v1\/projects$/))
    await byTestId(page, 'project-form-submit').click()
    const resp = await created
    assert.equal(resp.status(), 201, await resp.text())
    const sent = JSON.parse(resp.request().postData() ?? '{}')
    assert.equal(sent.investment_fen, 12_500_000, '12.5 万元 goes up as integer fen')
    assert.equal(sent.financing_need_fen, 3_000_000)
    assert.equal(sent.stage, 'construction')

    // 2. The list shows it first, in 万元, with its enterprise and stage.
    const row = page.locator('[data-testid="projects-table"] .el-table__body tr', { hasText: name })
    await row.waitFor()
    const cells = (await row.locator('td').allInnerTexts()).map(c => c.trim())
    assert.equal(cells[0], name)
    assert.ok(enterpriseName.startsWith(cells[1]) || cells[1].startsWith(enterpriseName.slice(0, 6)), `enterprise ${cells[1]} / ${enterpriseName}`)
    assert.deepEqual(cells.slice(2, 6), ['建设', '12.50', '3.00', '集美区'])

    // 3. 名录与库 → 重点项目: 纳入 the project.
    await byTestId(page, 'menu-directories').click()
    await byTestId(page, 'directory-card-key_projects').click()
    await byTestId(page, 'page-directory-detail').waitFor()
    await byTestId(page, 'members-table').waitFor()
    await byTestId(page, 'directory-add').click()
    await pick(page, 'entry-form-project', { text: name })
    await byTestId(page, 'entry-form-reason').fill('E2E：年度重点项目')
    const entered = page.waitForResponse(r => isPost(r, /^\/api\/v1\/directories\/\d+\/entries$/))
    await byTestId(page, 'entry-form-submit').click()
    assert.equal((await entered).status(), 201)
    await page.locator('[data-testid="members-table"] .el-table__body tr', { hasText: name }).waitFor()
  })
})
