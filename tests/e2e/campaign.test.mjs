// Browser end-to-end test of a 需求征集 (demand-collection campaign) and of the 机构服务评价 scorecards:
// an officer opens a campaign on 重点企业白名单, the enterprise answers it with a need, the officer follows the
// completion, reminds the rest and pushes the needs to the institutions, and the bank finds the need in its leads
// inbox tagged as coming from the campaign. Then the scorecard page lists 厦门银行 with its applications.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=sysadmin E2E_ADMIN_PASSWORD='…' \
//   E2E_LOGINS='{"officer_gxj":"Cr-…","enterprise":"Cr-…","bank_admin":"Cr-…"}' node --test campaign.test.mjs
//
// Needs a server seeded with the demo city (run.mjs passes its logins as E2E_LOGINS): 'officer_gxj' is a government
// officer with campaign:write, 'enterprise' a user of 厦门鹭芯显示科技有限公司 (a member of 重点企业白名单),
// 'bank_admin' the administrator of 厦门银行. Titles and texts are fresh on every run, so it can be repeated.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { TEST_TIMEOUT, withPage, waitUntil, byTestId, login, pick, fillNumber, isPost, text } from './browser.mjs'

const LOGINS = (() => {
  try {
    return JSON.parse(process.env.E2E_LOGINS || '{}')
  } catch {
    return {}
  }
})()

const BANK_NAME = '厦门银行股份有限公司'

const pad = n => String(n).padStart(2, '0')
const ymd = d => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
/** The same day next month (or the month's last day), as YYYY-MM-DD. */
function nextMonth() {
  const d = new Date()
  const day = d.getDate()
  d.setDate(1)
  d.setMonth(d.getMonth() + 1)
  d.setDate(Math.min(day, new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate()))
  return ymd(d)
}

test('an officer collects needs from 重点企业白名单 and pushes them to the institutions', { timeout: TEST_TIMEOUT }, async () => {
  for (const who of ['officer_gxj', 'enterprise', 'bank_admin'])
    assert.ok(LOGINS[who], `E2E_LOGINS must hold the demo login '${who}' (got ${Object.keys(LOGINS)})`)
  const n = `${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`
  const title = `E2E重点企业融资需求征集${n}`
  const demandText = `E2E响应征集：补充流动资金${n}`
  const deadline = nextMonth()
  let campaign
  let demand

  await withPage('campaign-officer', async off => {
    // 1. The officer opens a campaign on 重点企业白名单 with a deadline next month.
    const officer = await login(off, 'officer_gxj', LOGINS.officer_gxj)
    assert.equal(officer.kind, 'government')
    await byTestId(off, 'menu-supervision-campaigns').click()
    await byTestId(off, 'page-campaigns').waitFor()
    await byTestId(off, 'campaign-create').click()
    const dialog = off.locator('.el-dialog', { has: byTestId(off, 'campaign-form-submit') })
    await dialog.waitFor()
    await byTestId(off, 'campaign-form-title').fill(title)
    await pick(off, 'campaign-form-directory', 'campaign-directory-white_list')
    const dateInput = dialog.locator('.el-date-editor input')
    await dateInput.fill(deadline)
    await dateInput.press('Enter')
    await dialog.locator('.el-dialog__header').click()
    const opened = off.waitForResponse(r => isPost(r, /\/api\/v1\/campaigns$/))
    await byTestId(off, 'campaign-form-submit').click()
    const openResp = await opened
    campaign = await openResp.json()
    assert.equal(openResp.status(), 201, `POST /campaigns answered ${openResp.status()}: ${JSON.stringify(campaign)}`)
    const sent = JSON.parse(openResp.request().postData() || '{}')
    assert.equal(sent.title, title)
    assert.equal(sent.deadline, deadline)
    assert.equal(campaign.directory_name, '重点企业白名单')
    assert.equal(campaign.status, 'open')
    const targets = campaign.targets
    assert.ok(targets >= 2, `重点企业白名单 has several members (got ${targets})`)
    await dialog.waitFor({ state: 'hidden' })
    await byTestId(off, `campaign-row-${campaign.id}`).waitFor()
    assert.match(await text(byTestId(off, `campaign-progress-${campaign.id}`)), new RegExp(`0 / ${targets} 家已填报`))
    assert.equal(await text(byTestId(off, `campaign-status-${campaign.id}`)), '征集中')

    // 2. The enterprise sees the campaign on 我的融资需求 and answers it with a need.
    let enterpriseId
    await withPage('campaign-enterprise', async ent => {
      const entUser = await login(ent, 'enterprise', LOGINS.enterprise)
      enterpriseId = entUser.enterprise_id
      await byTestId(ent, 'menu-finance-demands').click()
      await byTestId(ent, 'page-demands').waitFor()
      const notice = byTestId(ent, `campaign-notice-${campaign.id}`)
      await notice.waitFor()
      assert.match(await notice.innerText(), new RegExp(title))
      assert.match(await notice.innerText(), new RegExp(deadline))
      await byTestId(ent, `campaign-answer-${campaign.id}`).click()
      const demandDialog = ent.locator('.el-dialog', { has: byTestId(ent, 'demand-form-submit') })
      await demandDialog.waitFor()
      assert.match(await byTestId(ent, 'demand-form-campaign').innerText(), new RegExp(title))
      await byTestId(ent, 'demand-form-amount').fill('500')
      await fillNumber(ent, 'demand-form-term', 24)
      await pick(ent, 'demand-form-purpose', 'demand-purpose-working_capital')
      await byTestId(ent, 'demand-form-description').fill(demandText)
      const posted = ent.waitForResponse(r => isPost(r, /\/api\/v1\/demands$/))
      await byTestId(ent, 'demand-form-submit').click()
      const demandResp = await posted
      demand = await demandResp.json()
      assert.equal(demandResp.status(), 201, `POST /demands answered ${demandResp.status()}: ${JSON.stringify(demand)}`)
      assert.equal(JSON.parse(demandResp.request().postData() || '{}').campaign_id, campaign.id, 'the need is sent with the campaign')
      assert.equal(demand.campaign_id, campaign.id)
      assert.equal(demand.amount_fen, 500_000_000)
      await demandDialog.waitFor({ state: 'hidden' })
      await byTestId(ent, `campaign-answered-${campaign.id}`).waitFor()
      assert.equal(await text(byTestId(ent, `campaign-answered-${campaign.id}`)), '已填报')
      await byTestId(ent, `demand-campaign-${demand.id}`).waitFor()
    })

    // 3. The officer sees 1 of N answered, reminds the others and pushes the needs to the institutions.
    await off.reload()
    await byTestId(off, 'page-campaigns').waitFor()
    await waitUntil(
      async () => (await text(byTestId(off, `campaign-progress-${campaign.id}`))).includes(`1 / ${targets} 家已填报`),
      'the list does not show 1 answered'
    )
    await byTestId(off, `campaign-row-${campaign.id}`).click()
    await off.waitForURL(url => new URL(url).pathname === `/supervision/campaigns/${campaign.id}`)
    await byTestId(off, 'page-campaign-detail').waitFor()
    await waitUntil(async () => (await text(byTestId(off, 'campaign-completion'))) === `1 / ${targets} 家已填报`, 'the detail does not show 1 answered')
    assert.equal(await text(byTestId(off, `campaign-target-state-${enterpriseId}`)), '已填报')
    assert.equal(await text(byTestId(off, `campaign-target-demands-${enterpriseId}`)), '1')
    const pendingStates = off.locator('[data-testid^="campaign-target-state-"]', { hasText: '未填报' })
    assert.equal(await pendingStates.count(), targets - 1)

    const reminded = off.waitForResponse(r => isPost(r, new RegExp(`/api/v1/campaigns/${campaign.id}/remind$`)))
    await byTestId(off, 'campaign-remind').click()
    const remindResp = await reminded
    assert.equal(remindResp.status(), 200, `remind answered ${remindResp.status()}: ${await remindResp.text()}`)
    assert.equal((await remindResp.json()).reminded, targets - 1, 'everyone who has not answered is reminded')
    await waitUntil(
      async () => (await off.locator('[data-testid^="campaign-target-reminders-"]', { hasText: /^1$/ }).count()) === targets - 1,
      'the reminder counts are not shown'
    )
    assert.equal(await text(byTestId(off, `campaign-target-reminders-${enterpriseId}`)), '0')

    await byTestId(off, 'campaign-push').click()
    const box = off.locator('.el-message-box')
    await box.waitFor()
    assert.match(await box.innerText(), new RegExp(`还有 ${targets - 1} 家企业未填报`))
    const pushed = off.waitForResponse(r => isPost(r, new RegExp(`/api/v1/campaigns/${campaign.id}/push$`)))
    await box.locator('.el-button--primary').click()
    const pushResp = await pushed
    assert.equal(pushResp.status(), 200, `push answered ${pushResp.status()}: ${await pushResp.text()}`)
    assert.equal((await pushResp.json()).status, 'closed')
    await byTestId(off, 'campaign-pushed-alert').waitFor()
    await waitUntil(async () => (await text(byTestId(off, 'campaign-status'))) === '已推送', 'the campaign is not shown as 已推送')
    assert.ok(await byTestId(off, 'campaign-push').isDisabled(), 'a campaign is pushed once')
    assert.ok(await byTestId(off, 'campaign-remind').isDisabled(), 'no reminders after the push')
  })

  // 4. The bank finds the need in its leads inbox, tagged as coming from the campaign.
  await withPage('campaign-bank', async bank => {
    await login(bank, 'bank_admin', LOGINS.bank_admin)
    await byTestId(bank, 'menu-workbench-leads').click()
    await byTestId(bank, 'page-leads').waitFor()
    await byTestId(bank, `lead-row-${demand.id}`).waitFor()
    assert.equal(await text(byTestId(bank, `lead-campaign-${demand.id}`)), '来自征集')
    await waitUntil(async () => (await text(byTestId(bank, `lead-campaign-title-${demand.id}`))) === title, 'the lead does not name its campaign')
    const row = bank.locator('[data-testid="leads-table"] .el-table__body tr', { has: byTestId(bank, `lead-row-${demand.id}`) })
    assert.match(await row.innerText(), /500\.00 万元/)
  })
})

test('the scorecard page lists 厦门银行 with its applications', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.officer_gxj && LOGINS.enterprise, 'E2E_LOGINS must hold officer_gxj and enterprise')
  await withPage('scorecards-officer', async page => {
    await login(page, 'officer_gxj', LOGINS.officer_gxj)
    await byTestId(page, 'menu-supervision-scorecards').click()
    await byTestId(page, 'page-scorecards').waitFor()
    const row = page.locator('[data-testid="scorecards-institutions"] .el-table__body tr', { hasText: BANK_NAME })
    await row.first().waitFor()
    const leads = Number(await text(row.first().locator('[data-testid^="scorecard-institution-leads-"]')))
    assert.ok(leads >= 1, `${BANK_NAME} has at least one lead (got ${leads})`)
    await byTestId(page, 'scorecards-chart').locator('canvas').first().waitFor()
  })
  // Enterprises find the same page in their own menu.
  await withPage('scorecards-enterprise', async page => {
    await login(page, 'enterprise', LOGINS.enterprise)
    await byTestId(page, 'menu-finance-scorecards').click()
    await byTestId(page, 'page-scorecards').waitFor()
    await page.locator('[data-testid="scorecards-institutions"] .el-table__body tr', { hasText: BANK_NAME }).first().waitFor()
  })
})
