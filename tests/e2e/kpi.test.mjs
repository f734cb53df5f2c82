// Browser end-to-end tests of the pilot-monitoring (KPI) module: a reported figure goes through maker–checker — the
// filing officer may not confirm it, a second officer does — and then shows in the cockpit; the annual report
// downloads as an XLSX holding every target of the plan (P24-01 … P26-07), and its printable page lists them too.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=sysadmin E2E_ADMIN_PASSWORD='…' \
//   E2E_LOGINS='{"officer_fgw":"Cr-…","officer_gxj":"Cr-…"}' node --test kpi.test.mjs
//
// Needs a server seeded with the demo city (run.mjs passes its logins as E2E_LOGINS): 'officer_fgw' and
// 'officer_gxj' are government officers with kpi:read, kpi:report and kpi:confirm. The figure is fund_count
// (各类产业投资基金、创业投资基金等基金数量, a "reported" indicator) for last month with a fresh value; when that month
// already has a confirmed value (a repeated run) the dialog's 提交更正 files it as a correction, so the file can be
// repeated against one server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inflateRawSync } from 'node:zlib'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { TEST_TIMEOUT, withPage, waitUntil, byTestId, login, isPost, isGet, text } from './browser.mjs'

const LOGINS = (() => {
  try {
    return JSON.parse(process.env.E2E_LOGINS || '{}')
  } catch {
    return {}
  }
})()

/** Every target of the plan: P24-01…P24-12, P25-01…P25-07, P26-01…P26-07. */
const PLAN_TARGETS = [
  ...Array.from({ length: 12 }, (_, i) => `P24-${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 7 }, (_, i) => `P25-${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 7 }, (_, i) => `P26-${String(i + 1).padStart(2, '0')}`)
]
const targetIdsIn = s => [...new Set(s.match(/P2[4-6]-\d{2}/g) ?? [])].sort()

/** The month before the current one, YYYY-MM. */
function lastMonth() {
  const d = new Date()
  const m = new Date(d.getFullYear(), d.getMonth() - 1, 1)
  return `${m.getFullYear()}-${String(m.getMonth() + 1).padStart(2, '0')}`
}

/** Confirm the open ElMessageBox with its primary button. */
async function confirmBox(page) {
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.locator('.el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

/**
 * The files of a zip archive (an XLSX) by name, read from its central directory; deflated entries are inflated with
 * node:zlib. Enough for the files a spreadsheet writer produces (no zip64, no encryption).
 */
function unzip(buf) {
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  assert.ok(eocd >= 0, 'the zip has an end-of-central-directory record')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const files = new Map()
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, `central directory entry ${n}`)
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    assert.equal(buf.readUInt32LE(local), 0x04034b50, `local header of ${name}`)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(start, start + size)
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`)
    files.set(name, method === 8 ? inflateRawSync(data) : data)
    p += 46 + nameLen + extraLen + commentLen
  }
  return files
}

test('a reported figure: the filer may not confirm it, a second officer does, and the cockpit shows it', { timeout: TEST_TIMEOUT }, async () => {
  for (const who of ['officer_fgw', 'officer_gxj'])
    assert.ok(LOGINS[who], `E2E_LOGINS must hold the demo login '${who}' (got ${Object.keys(LOGINS)})`)
  const period = lastMonth()
  // A value unlikely to be the current one (the demo has 84 funds).
  const value = 100 + Math.floor(Math.random() * 900)
  const note = `E2E ${Date.now().toString(36)}`
  let filed

  await withPage('kpi-report-maker', async page => {
    // 1. officer_fgw files fund_count for last month.
    await login(page, 'officer_fgw', LOGINS.officer_fgw)
    const menu = byTestId(page, 'menu-kpi-reported')
    assert.equal(await text(menu), '指标填报')
    const indicators = page.waitForResponse(r => isGet(r, /\/api\/v1\/kpi\/indicators$/))
    await menu.click()
    await byTestId(page, 'page-kpi-reported').waitFor()
    await indicators
    await byTestId(page, 'kpi-reported-new').click()
    const dialog = byTestId(page, 'kpi-report-dialog')
    await dialog.waitFor()
    await byTestId(page, 'kpi-report-indicator').click()
    const option = byTestId(page, 'kpi-report-indicator-fund_count')
    await option.waitFor()
    assert.match(await text(option), /各类产业投资基金、创业投资基金等基金数量/)
    await option.click()
    const month = byTestId(page, 'kpi-report-period').locator('input')
    await month.fill(period)
    await month.press('Enter')
    await waitUntil(async () => (await month.inputValue()) === period, `the month picker did not take ${period}`)
    await byTestId(page, 'kpi-report-value').fill(String(value))
    await waitUntil(async () => /将填报：/.test(await text(byTestId(page, 'kpi-report-value-preview'))), 'the value preview is not shown')
    assert.match(await text(byTestId(page, 'kpi-report-value-preview')), new RegExp(`将填报：${value} 只`))
    await byTestId(page, 'kpi-report-note').fill(note)
    await byTestId(page, 'kpi-report-evidence').fill('E2E 统计表')

    const answered = page.waitForResponse(r => isPost(r, /\/api\/v1\/kpi\/reported$/))
    await byTestId(page, 'kpi-report-submit').click()
    let resp = await answered
    let body = await resp.json()
    if (resp.status() === 409) {
      // The month is already confirmed (a repeated run): the dialog offers 提交更正.
      await byTestId(page, 'kpi-report-conflict').waitFor()
      assert.ok((await text(byTestId(page, 'kpi-report-conflict'))).includes(body.error.message), 'the conflict shows the server message')
      const corrected = page.waitForResponse(r => isPost(r, /\/api\/v1\/kpi\/reported$/))
      await byTestId(page, 'kpi-report-correct').click()
      resp = await corrected
      body = await resp.json()
      assert.ok(body.corrects_id, `the correction names the confirmed figure: ${JSON.stringify(body)}`)
    }
    assert.equal(resp.status(), 201, `filing answered ${resp.status()}: ${JSON.stringify(body)}`)
    assert.equal(body.indicator_id, 'fund_count')
    assert.equal(body.period, period)
    assert.equal(body.value, value)
    assert.equal(body.status, 'pending')
    filed = body
    await dialog.waitFor({ state: 'hidden' })

    await byTestId(page, `kpi-reported-row-${filed.id}`).waitFor()
    assert.equal(await text(byTestId(page, `kpi-reported-status-${filed.id}`)), '待确认')
    assert.equal(await text(byTestId(page, `kpi-reported-value-${filed.id}`)), `${value} 只`)
    assert.equal(await text(byTestId(page, `kpi-reported-period-${filed.id}`)), period)
    assert.equal(await text(byTestId(page, `kpi-reported-filer-${filed.id}`)), 'officer_fgw')

    // 2. The filer tries to confirm it: maker–checker refuses with the server's message.
    await byTestId(page, `kpi-reported-confirm-${filed.id}`).click()
    const refused = page.waitForResponse(r => isPost(r, new RegExp(`/api/v1/kpi/reported/${filed.id}/confirm$`)))
    await confirmBox(page)
    const refusedResp = await refused
    assert.equal(refusedResp.status(), 403, `confirming one's own figure answered ${refusedResp.status()}`)
    const message = (await refusedResp.json()).error.message
    assert.ok(message, 'the refusal has a message')
    await byTestId(page, 'kpi-reported-action-error').waitFor()
    const shown = await text(byTestId(page, 'kpi-reported-action-error'))
    assert.ok(shown.includes(message), `the alert shows the server's message (${message}); it says: ${shown}`)
    assert.match(shown, /无法确认/)
    assert.equal(await text(byTestId(page, `kpi-reported-status-${filed.id}`)), '待确认', 'still pending after the refusal')
  })

  await withPage('kpi-report-checker', async page => {
    // 3. officer_gxj confirms it.
    await login(page, 'officer_gxj', LOGINS.officer_gxj)
    await byTestId(page, 'menu-kpi-reported').click()
    await byTestId(page, 'page-kpi-reported').waitFor()
    await byTestId(page, `kpi-reported-confirm-${filed.id}`).click()
    const confirmed = page.waitForResponse(r => isPost(r, new RegExp(`/api/v1/kpi/reported/${filed.id}/confirm$`)))
    await confirmBox(page)
    const confirmedResp = await confirmed
    const body = await confirmedResp.json()
    assert.equal(confirmedResp.status(), 200, `the second officer's confirmation answered ${confirmedResp.status()}: ${JSON.stringify(body)}`)
    assert.equal(body.status, 'confirmed')
    await waitUntil(async () => (await text(byTestId(page, `kpi-reported-status-${filed.id}`))) === '已确认', 'the figure is not shown as confirmed')
    assert.equal(await text(byTestId(page, `kpi-reported-decider-${filed.id}`)), 'officer_gxj')
    assert.equal(await byTestId(page, 'kpi-reported-action-error').count(), 0, 'no refusal for the second officer')
    assert.equal(await byTestId(page, `kpi-reported-confirm-${filed.id}`).count(), 0, 'no confirm action on a confirmed figure')
    if (filed.corrects_id) {
      // A confirmed correction supersedes the figure it corrects, which stays listed.
      await waitUntil(
        async () => (await text(byTestId(page, `kpi-reported-status-${filed.corrects_id}`))) === '已更正',
        `#${filed.corrects_id} is not shown as superseded`
      )
    }

    // 4. The cockpit shows the new value for fund_count.
    const cockpit = page.waitForResponse(r => isGet(r, /\/api\/v1\/kpi\/cockpit$/))
    await byTestId(page, 'menu-kpi-cockpit').click()
    await byTestId(page, 'page-kpi-cockpit').waitFor()
    const cockpitResp = await cockpit
    assert.equal(cockpitResp.status(), 200)
    const data = await cockpitResp.json()
    const figure = data.figures.find(f => f.id === 'fund_count')
    assert.ok(figure, 'the cockpit has fund_count')
    assert.equal(figure.value, value, `the cockpit's fund_count is the confirmed value: ${JSON.stringify(figure.trend)}`)
    const shown = byTestId(page, 'kpi-figure-value-fund_count')
    await shown.waitFor()
    assert.equal(await text(shown), `${value} 只`)
    // The target cards, grouped by year.
    for (const year of [2024, 2025, 2026]) await byTestId(page, `kpi-targets-${year}`).waitFor()
    for (const id of PLAN_TARGETS) assert.equal(await byTestId(page, `kpi-target-${id}`).count(), 1, `the card of ${id}`)
  })
})

test('the annual report downloads as XLSX with every target of the plan, and prints as HTML', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.officer_fgw, `E2E_LOGINS must hold the demo login 'officer_fgw' (got ${Object.keys(LOGINS)})`)
  await withPage('kpi-annual-report', async page => {
    await login(page, 'officer_fgw', LOGINS.officer_fgw)
    const targetsResp = await page.request.get('/api/v1/kpi/targets')
    assert.equal(targetsResp.status(), 200)
    const planIds = (await targetsResp.json()).items.map(x => x.id).sort()
    assert.deepEqual(planIds, PLAN_TARGETS, 'the plan has the 26 targets P24-01 … P26-07')

    await byTestId(page, 'menu-kpi-reports').click()
    await byTestId(page, 'page-kpi-reports').waitFor()
    const year = await byTestId(page, 'kpi-report-annual-year').locator('input').inputValue()
    assert.equal(year, String(new Date().getFullYear()), 'the annual report defaults to this year')

    // XLSX: downloaded through the page.
    const downloaded = page.waitForEvent('download')
    const answered = page.waitForResponse(r => isGet(r, /\/api\/v1\/kpi\/reports\/annual$/))
    await byTestId(page, 'kpi-report-annual-xlsx').click()
    const resp = await answered
    assert.equal(resp.status(), 200, `the annual report answered ${resp.status()}`)
    assert.equal(new URL(resp.url()).searchParams.get('format'), 'xlsx')
    assert.equal(new URL(resp.url()).searchParams.get('year'), year)
    const download = await downloaded
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    const file = join(tmpdir(), `kpi-annual-${Date.now()}.xlsx`)
    await download.saveAs(file)
    const buf = await readFile(file)
    await rm(file, { force: true })
    assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip')
    const files = unzip(buf)
    const xml = [...files.entries()]
      .filter(([name]) => name === 'xl/sharedStrings.xml' || /^xl\/worksheets\/[^/]+\.xml$/.test(name))
      .map(([, data]) => data.toString('utf8'))
      .join('\n')
    assert.ok(xml.length > 0, `the XLSX has sheets: ${[...files.keys()]}`)
    assert.deepEqual(targetIdsIn(xml), PLAN_TARGETS, 'the XLSX holds every target of the plan')

    // The printable page opens in a new tab.
    const opened = page.context().waitForEvent('page')
    await byTestId(page, 'kpi-report-annual-html').click()
    const tab = await opened
    await tab.waitForLoadState('domcontentloaded')
    assert.match(new URL(tab.url()).pathname, /\/api\/v1\/kpi\/reports\/annual$/)
    assert.equal(new URL(tab.url()).searchParams.get('format'), 'html')
    const html = await tab.content()
    assert.match(html, /年度报告/)
    assert.deepEqual(targetIdsIn(html), PLAN_TARGETS, 'the printable report lists every target of the plan')
    await tab.close()
  })
})
