// Browser end-to-end tests of the public-credit module: the enterprise's 我的信用 (score, grade, advice), the
// 白名单候选 maker–checker (the proposing officer may not approve, a second officer does) and a dry-run 信用数据 load
// whose quality report names the row with a bad credit code.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=sysadmin E2E_ADMIN_PASSWORD='…' \
//   E2E_LOGINS='{"enterprise":"Cr-…","officer_fgw":"Cr-…","officer_gxj":"Cr-…"}' node --test credit.test.mjs
//
// Needs a server seeded with the demo city (run.mjs passes its logins as E2E_LOGINS): the demo loads public-credit
// records for every enterprise, so each has a score; 'officer_fgw' and 'officer_gxj' are government officers with
// credit:read, credit:load and whitelist:manage; 'enterprise' is a user of 厦门鹭芯显示科技有限公司. The load is a dry
// run with a fresh source name and a white-list run only proposes enterprises not yet proposed, so the file can be
// repeated against one server.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { TEST_TIMEOUT, withPage, waitUntil, byTestId, login, isPost, isGet, text } from './browser.mjs'

const LOGINS = (() => {
  try {
    return JSON.parse(process.env.E2E_LOGINS || '{}')
  } catch {
    return {}
  }
})()

const GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C']
/** 厦门鹭芯显示科技有限公司 in the demo city. */
const DEMO_USCC = '91350213MA3A10007E'
/** The same shape with a wrong check character (should be A). */
const BAD_USCC = '91350200776049653B'
const CSV_HEADER = '统一社会信用代码,记录类型,发生日期,有效期至,状态,等级或程度,金额(元),数量,外部编号,说明'

/** Confirm the open ElMessageBox with its primary button. */
async function confirmBox(page) {
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.locator('.el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

test('the enterprise sees its credit score, grade and advice on 我的信用', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.enterprise, `E2E_LOGINS must hold the demo login 'enterprise' (got ${Object.keys(LOGINS)})`)
  await withPage('credit-enterprise', async page => {
    await login(page, 'enterprise', LOGINS.enterprise)
    const menu = byTestId(page, 'menu-finance-credit')
    assert.equal(await text(menu), '我的信用')
    const answered = page.waitForResponse(r => isGet(r, /\/api\/v1\/credit\/me$/))
    await menu.click()
    const resp = await answered
    assert.equal(resp.status(), 200, `GET /credit/me answered ${resp.status()}`)
    const profile = await resp.json()
    assert.ok(profile.score, `the demo enterprise has a score: ${JSON.stringify(profile).slice(0, 300)}`)
    await byTestId(page, 'page-my-credit').waitFor()

    // The score and its grade.
    await waitUntil(async () => (await text(byTestId(page, 'credit-score'))) === String(profile.score.score), 'the score is not shown')
    const score = Number(await text(byTestId(page, 'credit-score')))
    assert.ok(score >= 0 && score <= 1000, `score ${score} is within 0–1000`)
    const grade = await text(byTestId(page, 'credit-grade'))
    assert.ok(GRADES.includes(grade), `grade ${grade} is one of ${GRADES}`)
    assert.equal(grade, profile.score.grade)
    await byTestId(page, 'credit-gauge').locator('canvas').first().waitFor()
    assert.match(await text(byTestId(page, 'credit-pd')), /%$/)

    // At least one reason with advice on what to do.
    assert.ok(profile.score.reasons.length >= 1, 'the demo enterprise lost points somewhere')
    const advice = page.locator('[data-testid^="credit-advice-"]')
    await advice.first().waitFor()
    assert.ok((await advice.count()) >= 1)
    assert.equal(await text(advice.first()), profile.score.reasons[0].advice)
    assert.ok((await text(advice.first())).length > 4, 'the advice says something')

    // The records behind it.
    await byTestId(page, 'credit-tab-records').click()
    const rows = page.locator('[data-testid="credit-records"] .el-table__body tr')
    await rows.first().waitFor()
    assert.equal(await rows.count(), profile.records.length)
  })
})

test('white list: the proposing officer may not approve, a second officer does', { timeout: TEST_TIMEOUT }, async () => {
  for (const who of ['officer_fgw', 'officer_gxj'])
    assert.ok(LOGINS[who], `E2E_LOGINS must hold the demo login '${who}' (got ${Object.keys(LOGINS)})`)
  let candidate

  await withPage('credit-whitelist-maker', async page => {
    // 1. officer_fgw runs the rules: candidates are proposed in its name.
    await login(page, 'officer_fgw', LOGINS.officer_fgw)
    const proposedList = r => isGet(r, /\/api\/v1\/credit\/whitelist\/candidates$/) && new URL(r.url()).searchParams.get('status') === 'proposed'
    const initial = page.waitForResponse(proposedList)
    await byTestId(page, 'menu-supervision-whitelist').click()
    await byTestId(page, 'page-whitelist').waitFor()
    await byTestId(page, 'whitelist-rules-version').waitFor()
    await initial
    const ran = page.waitForResponse(r => isPost(r, /\/api\/v1\/credit\/whitelist\/runs$/))
    const listed = page.waitForResponse(proposedList)
    await byTestId(page, 'whitelist-run').click()
    const runResp = await ran
    const run = await runResp.json()
    assert.ok(runResp.status() < 300, `the run answered ${runResp.status()}: ${JSON.stringify(run)}`)
    assert.ok(run.checked >= 1, `the run checked enterprises: ${JSON.stringify(run)}`)
    await byTestId(page, 'whitelist-run-result').waitFor()
    assert.match(await text(byTestId(page, 'whitelist-run-result')), new RegExp(`已检查 ${run.checked} 家企业，新增 ${run.proposed} 个候选`))

    const page1 = await (await listed).json()
    candidate = page1.items.find(c => c.status === 'proposed' && c.proposed_by === 'officer_fgw')
    assert.ok(candidate, `a candidate proposed by officer_fgw is listed: ${JSON.stringify(page1.items.map(c => [c.id, c.proposed_by]))}`)
    await byTestId(page, `whitelist-row-${candidate.id}`).waitFor()
    assert.equal(await text(byTestId(page, `whitelist-row-${candidate.id}`)), candidate.enterprise_name)
    assert.equal(await text(byTestId(page, `whitelist-proposer-${candidate.id}`)), 'officer_fgw')
    assert.equal(await text(byTestId(page, `whitelist-row-status-${candidate.id}`)), '待审核')
    const row = page.locator('[data-testid="whitelist-table"] .el-table__body tr', { has: byTestId(page, `whitelist-row-${candidate.id}`) })
    assert.ok((await row.locator('.el-tag', { hasText: '信用等级不低于 A' }).count()) >= 1, 'the checks are shown as tags')

    // 2. The same officer tries to approve: maker–checker refuses with the server's message.
    await byTestId(page, `whitelist-approve-${candidate.id}`).click()
    const refused = page.waitForResponse(r => isPost(r, new RegExp(`/api/v1/credit/whitelist/candidates/${candidate.id}/approve$`)))
    await confirmBox(page)
    const refusedResp = await refused
    assert.equal(refusedResp.status(), 403, `approving one's own candidate answered ${refusedResp.status()}`)
    const message = (await refusedResp.json()).error.message
    assert.ok(message, 'the refusal has a message')
    await byTestId(page, 'whitelist-action-error').waitFor()
    const shown = await text(byTestId(page, 'whitelist-action-error'))
    assert.ok(shown.includes(message), `the alert shows the server's message (${message}); it says: ${shown}`)
    assert.match(shown, /无法审核/)
    assert.equal(await text(byTestId(page, `whitelist-row-status-${candidate.id}`)), '待审核', 'still pending after the refusal')
  })

  await withPage('credit-whitelist-checker', async page => {
    // 3. officer_gxj approves it; it shows as approved, decided by officer_gxj.
    await login(page, 'officer_gxj', LOGINS.officer_gxj)
    await byTestId(page, 'menu-supervision-whitelist').click()
    await byTestId(page, 'page-whitelist').waitFor()
    await byTestId(page, `whitelist-approve-${candidate.id}`).click()
    const approved = page.waitForResponse(r => isPost(r, new RegExp(`/api/v1/credit/whitelist/candidates/${candidate.id}/approve$`)))
    await confirmBox(page)
    const approvedResp = await approved
    const body = await approvedResp.json()
    assert.equal(approvedResp.status(), 200, `the second officer's approval answered ${approvedResp.status()}: ${JSON.stringify(body)}`)
    assert.equal(body.status, 'approved')
    await waitUntil(async () => (await byTestId(page, `whitelist-row-${candidate.id}`).count()) === 0, 'the candidate left the pending list')
    assert.equal(await byTestId(page, 'whitelist-action-error').count(), 0, 'no refusal for the second officer')

    await byTestId(page, 'whitelist-status-approved').click()
    await byTestId(page, `whitelist-row-${candidate.id}`).waitFor()
    assert.equal(await text(byTestId(page, `whitelist-row-status-${candidate.id}`)), '已通过')
    assert.equal(await text(byTestId(page, `whitelist-decider-${candidate.id}`)), 'officer_gxj')
    assert.equal(await byTestId(page, `whitelist-approve-${candidate.id}`).count(), 0, 'no actions on a decided candidate')
  })
})

test('an officer dry-runs a CSV credit load and sees the quality report with the bad credit code', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.officer_gxj, `E2E_LOGINS must hold the demo login 'officer_gxj' (got ${Object.keys(LOGINS)})`)
  const n = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
  const source = `e2e-${n}`
  const fileName = `credit-${n}.csv`
  const csv = Buffer.from(
    [
      CSV_HEADER,
      `${DEMO_USCC},tax_grade,2025-12-31,,active,A,,,E2E-${n}-1,E2E 纳税信用评价`,
      `${BAD_USCC},tax_grade,2025-12-31,,active,A,,,E2E-${n}-2,E2E 校验码错误`
    ].join('\r\n') + '\r\n',
    'utf8'
  )

  await withPage('credit-load-dry-run', async page => {
    await login(page, 'officer_gxj', LOGINS.officer_gxj)
    await byTestId(page, 'menu-supervision-credit-data').click()
    await byTestId(page, 'page-credit-data').waitFor()
    await byTestId(page, 'credit-data-tab-upload').click()
    await byTestId(page, 'credit-load-box').waitFor()

    // Source, file, dry run on (the default), strict off.
    const sourceInput = byTestId(page, 'credit-load-source')
    await sourceInput.fill(source)
    await sourceInput.press('Escape')
    await page.locator('[data-testid="credit-load-upload"] input[type="file"]').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: csv })
    await waitUntil(async () => (await text(byTestId(page, 'credit-load-file-name'))) === fileName, `${fileName} was not taken by the upload box`)
    assert.ok(await byTestId(page, 'credit-load-dry-run').locator('input').isChecked(), 'dry run is on by default')
    assert.equal(await text(byTestId(page, 'credit-load-run')), '试运行')

    const answer = page.waitForResponse(r => isPost(r, /\/api\/v1\/credit\/loads\/file$/))
    await byTestId(page, 'credit-load-run').click()
    const resp = await answer
    const raw = await resp.text()
    assert.equal(resp.status(), 200, `the dry run answered ${resp.status()}: ${raw}`)
    const url = new URL(resp.url())
    assert.equal(url.searchParams.get('dry_run'), 'true', `not a dry run: ${resp.url()}`)
    assert.equal(url.searchParams.get('source'), source)
    assert.equal(url.searchParams.get('file_name'), fileName)
    assert.match(resp.request().headers()['content-type'] ?? '', /^text\/csv/, 'the file goes up as the raw text/csv body')
    const result = JSON.parse(raw)
    assert.equal(result.dry_run, true)
    assert.equal(result.applied, false, 'a dry run writes nothing')
    assert.equal(result.total_rows, 2)
    assert.equal(result.quality.rows_checked, 2)
    assert.equal(result.quality.rows_passed, 1)
    const problem = result.problems.find(p => p.value === BAD_USCC)
    assert.ok(problem, `no problem names ${BAD_USCC}: ${JSON.stringify(result.problems)}`)
    assert.equal(problem.row, 3, 'the bad code is on file row 3 (header = row 1)')
    assert.equal(problem.column, '统一社会信用代码')

    // The quality report: alert, counts, pass rate, the broken rule, and the problem row.
    await byTestId(page, 'credit-load-result').waitFor()
    assert.match(await text(byTestId(page, 'credit-load-alert')), /试运行发现问题：1 行不能导入/)
    assert.equal(await text(byTestId(page, 'credit-load-summary-total').locator('.el-statistic__content')), '2')
    assert.equal(await text(byTestId(page, 'credit-load-summary-passed').locator('.el-statistic__content')), '1')
    assert.equal(await text(byTestId(page, 'credit-load-summary-rejected').locator('.el-statistic__content')), String(result.rejected_rows))
    assert.equal(await text(byTestId(page, 'credit-load-pass-rate')), '50.0%')
    const rule = result.quality.rules.find(r => r.rows > 0)
    assert.ok(rule, `a quality rule was broken: ${JSON.stringify(result.quality.rules)}`)
    assert.equal(await text(byTestId(page, `credit-load-rule-${rule.code}`)), `${rule.name} · ${rule.rows}`)
    const problemRow = page.locator('[data-testid="credit-load-problems"] .el-table__body tr', { hasText: BAD_USCC })
    await problemRow.waitFor()
    const cells = (await problemRow.locator('td').allInnerTexts()).map(s => s.trim())
    assert.equal(cells[0], '3')
    assert.equal(cells[1], '统一社会信用代码')
    assert.equal(cells[2], BAD_USCC)
    assert.equal(cells[3], problem.reason)
    assert.equal(cells[4], '错误')

    // The dry run is in the loads list, marked 试运行.
    // (The list was reloaded when the dry run came back.)
    await byTestId(page, 'credit-data-tab-loads').click()
    await byTestId(page, `credit-load-row-${result.import_id}`).waitFor()
    const loadRow = page.locator('[data-testid="credit-loads"] .el-table__body tr', { has: byTestId(page, `credit-load-row-${result.import_id}`) })
    const loadText = await loadRow.innerText()
    assert.match(loadText, new RegExp(source))
    assert.match(loadText, /试运行/)
    assert.match(loadText, /50\.0%/)
  })
})
