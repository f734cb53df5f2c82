// Browser end-to-end tests of the matching engine's web UI (智能匹配, 推荐线索, 批量撮合): the enterprise opens a
// demand's matches (ranked products with their factors, a near miss and why it does not match, what would open more)
// and applies to the top product; 厦门银行 sees the ranked leads of one of its products; an officer runs a batch over
// every open demand, sees the capacity and share checks pass and the assignments, and replays a stored recommendation.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=sysadmin E2E_ADMIN_PASSWORD='…' \
//   E2E_LOGINS='{"enterprise":"Cr-…","bank_admin":"Cr-…","officer_fgw":"Cr-…"}' node --test matching.test.mjs
//
// Needs a server seeded with the demo city (run.mjs passes its logins as E2E_LOGINS): 'enterprise' is a user of
// 厦门鹭芯显示科技有限公司, a large firm, so 鹭岛科创贷 (medium, small and micro firms only) fails it on 规模 alone — a near
// miss — while the broad 普惠信用贷 and 链上e贷 match; 'bank_admin' is the administrator of 厦门银行, whose demo products
// both exclude large firms (the only demo enterprise with open demands), so the test publishes a broad product of its
// own first; 'officer_fgw' holds matching:batch. Needs, products and applications are fresh on every run, so the file
// can be repeated against one server.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { BASE_URL, TEST_TIMEOUT, withPage, waitUntil, byTestId, login, pick, fillNumber, isPost, isGet, text } from './browser.mjs'

const LOGINS = (() => {
  try {
    return JSON.parse(process.env.E2E_LOGINS || '{}')
  } catch {
    return {}
  }
})()

const ENTERPRISE_NAME = '厦门鹭芯显示科技有限公司'
const NEAR_MISS_PRODUCT = '鹭岛科创贷'

/** 0..1 → "82.6%", as the UI shows scores and approval probabilities. */
const percent = v => `${(v * 100).toFixed(1)}%`
/** Fen → "1,234.00 万元" (hundredths of a 万元 rounded half up, as the UI does). */
function wan(fen) {
  const hundredths = Math.round(fen / 10_000)
  const whole = String(Math.trunc(hundredths / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${whole}.${String(hundredths % 100).padStart(2, '0')} 万元`
}
const testIdsOf = async (page, prefix) =>
  page.locator(`[data-testid^="${prefix}"]`).evaluateAll(els => els.map(e => e.getAttribute('data-testid')))

/** A small API client for test set-up (Bearer token of a fresh session). */
async function api(username, password) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password })
  })
  assert.equal(res.status, 200, `API login as ${username} answered ${res.status}`)
  const { token } = await res.json()
  return async (method, path, body) => {
    const r = await fetch(`${BASE_URL}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const raw = await r.text()
    return { status: r.status, body: raw ? JSON.parse(raw) : undefined }
  }
}

/** The recommendation the enterprise was shown, replayed by the officer in the last test. */
let shownRecommendation

test('the enterprise opens a demand’s matches, asks why a product does not match and applies to the top one', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.enterprise, `E2E_LOGINS must hold the demo login 'enterprise' (got ${Object.keys(LOGINS)})`)
  const n = `${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`

  await withPage('matching-enterprise', async page => {
    await login(page, 'enterprise', LOGINS.enterprise)
    await byTestId(page, 'menu-finance-demands').click()
    await byTestId(page, 'page-demands').waitFor()

    // A fresh need of 300 万元 over 12 months for working capital.
    await byTestId(page, 'demand-create').click()
    const demandDialog = page.locator('.el-dialog', { has: byTestId(page, 'demand-form-submit') })
    await demandDialog.waitFor()
    await byTestId(page, 'demand-form-amount').fill('300')
    await fillNumber(page, 'demand-form-term', 12)
    await pick(page, 'demand-form-purpose', 'demand-purpose-working_capital')
    await byTestId(page, 'demand-form-description').fill(`E2E智能匹配流动资金${n}`)
    const posted = page.waitForResponse(r => isPost(r, /\/api\/v1\/demands$/))
    await byTestId(page, 'demand-form-submit').click()
    const demandResp = await posted
    const demand = await demandResp.json()
    assert.equal(demandResp.status(), 201, `POST /demands answered ${demandResp.status()}: ${JSON.stringify(demand)}`)
    await demandDialog.waitFor({ state: 'hidden' })
    await byTestId(page, `demand-row-${demand.id}`).waitFor()

    // 智能匹配 from the row.
    const answered = page.waitForResponse(r => isGet(r, new RegExp(`/api/v1/demands/${demand.id}/matches$`)))
    await byTestId(page, `demand-matches-${demand.id}`).click()
    const resp = await answered
    const matches = await resp.json()
    assert.equal(resp.status(), 200, `GET /demands/${demand.id}/matches answered ${resp.status()}: ${JSON.stringify(matches)}`)
    await page.waitForURL(url => new URL(url).pathname === `/finance/demands/${demand.id}/matches`)
    await byTestId(page, 'page-demand-matches').waitFor()
    shownRecommendation = matches.recommendation_id
    assert.ok(matches.recommendation_id > 0, 'the list is stored for replay')
    assert.equal(await text(byTestId(page, 'match-recommendation-id')), `推荐编号 #${matches.recommendation_id}`)
    assert.match(await text(byTestId(page, 'matches-demand')), /300\.00 万元 · 12 个月 · 流动资金/)

    // Ranked products: the cards in the engine's order, each with its score, approval probability and factors.
    const recs = matches.recommendations
    assert.ok(recs.length >= 2, `the broad demo products match a large firm: ${JSON.stringify(recs.map(r => r.product_name))}`)
    for (let i = 1; i < recs.length; i++) assert.ok(recs[i - 1].score >= recs[i].score, 'ranked by score')
    await byTestId(page, `match-card-${recs[0].product_id}`).waitFor()
    assert.deepEqual(await testIdsOf(page, 'match-card-'), recs.map(r => `match-card-${r.product_id}`))
    const top = recs[0]
    assert.equal(await text(byTestId(page, `match-rank-${top.product_id}`)), '1')
    assert.equal(await text(byTestId(page, `match-name-${top.product_id}`)), top.product_name)
    assert.match(await text(byTestId(page, `match-card-${top.product_id}`)), new RegExp(top.institution_name))
    assert.equal(await text(byTestId(page, `match-score-${top.product_id}`)), percent(top.score))
    assert.equal(await text(byTestId(page, `match-approval-${top.product_id}`)), percent(top.approval))
    const factor = top.factors[0]
    assert.equal(factor.label, '获批可能性', 'the learned approval probability weighs most')
    const factorRow = byTestId(page, `match-factor-${top.product_id}-${factor.factor}`)
    assert.match(await text(factorRow), new RegExp(`^${factor.label}`))
    assert.match(await text(factorRow), new RegExp(`\\+${(factor.contribution * 100).toFixed(1)}$`))
    // The top five contributing factors, largest first, by their labels.
    const shownFactors = top.factors.filter(f => f.contribution > 0).slice(0, 5)
    assert.ok(shownFactors.length >= 3, `several factors contribute: ${JSON.stringify(top.factors)}`)
    assert.deepEqual(await testIdsOf(page, `match-factor-${top.product_id}-`), shownFactors.map(f => `match-factor-${top.product_id}-${f.factor}`))
    for (const f of shownFactors) assert.match(await text(byTestId(page, `match-factor-${top.product_id}-${f.factor}`)), new RegExp(`^${f.label}\\s`))

    // 未匹配的产品: 鹭岛科创贷 fails on 规模 only.
    const miss = matches.near_misses.find(m => m.product_name === NEAR_MISS_PRODUCT)
    assert.ok(miss, `${NEAR_MISS_PRODUCT} is a near miss: ${JSON.stringify(matches.near_misses)}`)
    assert.deepEqual(miss.failed, [{ rule: 'sizes', label: '规模' }])
    await byTestId(page, `near-miss-${miss.product_id}`).waitFor()
    assert.equal(await text(byTestId(page, `near-miss-rule-${miss.product_id}-sizes`)), '规模')

    // 为何不匹配: every rule with pass/fail and its detail.
    const whyAnswer = page.waitForResponse(r => isGet(r, new RegExp(`/api/v1/demands/${demand.id}/why-not/${miss.product_id}$`)))
    await byTestId(page, `near-miss-why-${miss.product_id}`).click()
    const whyResp = await whyAnswer
    const why = await whyResp.json()
    assert.equal(whyResp.status(), 200, `why-not answered ${whyResp.status()}: ${JSON.stringify(why)}`)
    assert.equal(why.eligible, false)
    const dialog = page.locator('.el-dialog', { has: byTestId(page, 'why-not-table') })
    await byTestId(page, 'why-not-state-sizes').waitFor()
    assert.match(await text(page.locator('.el-dialog__title', { hasText: '为何不匹配' })), new RegExp(NEAR_MISS_PRODUCT))
    assert.equal(await dialog.locator('.el-table__body tr').count(), why.rules.length, 'every rule is listed')
    for (const rule of why.rules) {
      assert.equal(await text(byTestId(page, `why-not-rule-${rule.rule}`)), rule.label)
      assert.equal(await text(byTestId(page, `why-not-state-${rule.rule}`)), rule.passed ? '通过' : '未通过')
      assert.equal(await text(byTestId(page, `why-not-detail-${rule.rule}`)), rule.detail)
    }
    assert.equal(await text(byTestId(page, 'why-not-state-sizes')), '未通过')
    assert.equal(await text(byTestId(page, 'why-not-state-amount')), '通过')
    assert.match(await text(byTestId(page, 'why-not-detail-sizes')), /large/)
    assert.match(await text(byTestId(page, 'why-not-summary')), new RegExp(`${why.rules.length} 项准入条件中有 1 项未满足`))
    await dialog.locator('.el-dialog__footer .el-button').click()
    await byTestId(page, 'why-not-table').waitFor({ state: 'hidden' })

    // 如何获得更多产品: the counterfactual texts as the engine wrote them.
    await byTestId(page, 'counterfactuals').waitFor()
    for (const [i, c] of matches.counterfactuals.entries()) assert.equal(await text(byTestId(page, `match-counterfactual-text-${i}`)), c.text)

    // 申请 on the top product: the usual application dialog, for this demand.
    await byTestId(page, `match-apply-${top.product_id}`).click()
    const applyDialog = page.locator('.el-dialog', { has: byTestId(page, 'apply-submit') })
    await applyDialog.waitFor()
    assert.match(await text(applyDialog.locator('.el-dialog__title')), new RegExp(top.product_name))
    await waitUntil(async () => (await byTestId(page, 'apply-amount').inputValue()) === '300', 'the amount does not come from the demand')
    assert.match(await text(byTestId(page, 'apply-demand')), new RegExp(`#${demand.id}`))
    const applied = page.waitForResponse(r => isPost(r, /\/api\/v1\/applications$/))
    await byTestId(page, 'apply-submit').click()
    const applyResp = await applied
    const application = await applyResp.json()
    assert.equal(applyResp.status(), 201, `POST /applications answered ${applyResp.status()}: ${JSON.stringify(application)}`)
    assert.deepEqual(JSON.parse(applyResp.request().postData() || '{}'), {
      product_id: top.product_id,
      demand_id: demand.id,
      amount_fen: 300_000_000,
      term_months: 12
    })
    await page.waitForURL(url => new URL(url).pathname === `/finance/applications/${application.id}`)
    await byTestId(page, 'page-application-detail').waitFor()

    // … and it is in 我的申请.
    await byTestId(page, 'menu-finance-applications').click()
    await byTestId(page, 'page-applications-mine').waitFor()
    await byTestId(page, `application-row-${application.id}`).waitFor()
    assert.equal(await text(byTestId(page, `application-status-${application.id}`)), '已提交')
    const row = page.locator('[data-testid="applications-table"] .el-table__body tr', { has: byTestId(page, `application-row-${application.id}`) })
    assert.match(await row.innerText(), new RegExp(top.product_name))
  })
})

test('厦门银行 sees the ranked leads of its product', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.bank_admin, `E2E_LOGINS must hold the demo login 'bank_admin' (got ${Object.keys(LOGINS)})`)
  const n = `${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`
  const productName = `E2E匹配线索贷${n}`

  // A broad product of the bank, on the market (10–2,000 万元, 1–36 months, 3.50%–4.20%, no eligibility limits).
  const call = await api('bank_admin', LOGINS.bank_admin)
  const created = await call('POST', '/products', {
    name: productName,
    kind: 'credit_loan',
    description: 'E2E 智能匹配测试产品，面向各类企业的信用贷款。',
    amount_min_fen: 10_000_000,
    amount_max_fen: 2_000_000_000,
    term_min_months: 1,
    term_max_months: 36,
    rate_mode: 'fixed',
    rate_min_bp: 350,
    rate_max_bp: 420
  })
  assert.equal(created.status, 201, `POST /products answered ${created.status}: ${JSON.stringify(created.body)}`)
  const product = created.body
  const published = await call('POST', `/products/${product.id}/publish`)
  assert.equal(published.status, 200, `publish answered ${published.status}: ${JSON.stringify(published.body)}`)
  assert.equal(published.body.status, 'published')

  await withPage('matching-bank-leads', async page => {
    await login(page, 'bank_admin', LOGINS.bank_admin)
    await byTestId(page, 'menu-workbench-products').click()
    await byTestId(page, 'page-my-products').waitFor()
    await byTestId(page, 'my-products-search').fill(productName)
    await byTestId(page, 'my-products-search').press('Enter')
    await byTestId(page, `my-product-${product.id}`).waitFor()

    const answered = page.waitForResponse(r => isGet(r, new RegExp(`/api/v1/products/${product.id}/leads$`)))
    await byTestId(page, `my-product-leads-${product.id}`).click()
    const resp = await answered
    const leads = await resp.json()
    assert.equal(resp.status(), 200, `GET /products/${product.id}/leads answered ${resp.status()}: ${JSON.stringify(leads)}`)
    assert.equal(new URL(resp.url()).searchParams.get('limit'), '20')
    await page.waitForURL(url => new URL(url).pathname === `/workbench/products/${product.id}/leads`)
    await byTestId(page, 'page-product-leads').waitFor()
    await waitUntil(async () => (await text(byTestId(page, 'product-leads-title'))).includes(productName), 'the title does not name the product')

    // The demo enterprise's open demands, ranked by score.
    const items = leads.items
    assert.ok(items.length >= 1, `the product has leads: ${JSON.stringify(leads)}`)
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].score >= items[i].score, 'ranked by score')
    await byTestId(page, `product-lead-row-${items[0].demand_id}`).waitFor()
    assert.deepEqual(await testIdsOf(page, 'product-lead-row-'), items.map(l => `product-lead-row-${l.demand_id}`))
    assert.equal(await text(byTestId(page, 'product-leads-count')), `共 ${items.length} 条`)
    for (const l of items.slice(0, 5)) {
      assert.equal(await text(byTestId(page, `product-lead-row-${l.demand_id}`)), l.enterprise_name)
      assert.equal(await text(byTestId(page, `product-lead-amount-${l.demand_id}`)), wan(l.amount_fen))
      assert.equal(await text(byTestId(page, `product-lead-score-${l.demand_id}`)), percent(l.score))
      assert.equal(await text(byTestId(page, `product-lead-approval-${l.demand_id}`)), percent(l.approval))
    }
    assert.ok(items.some(l => l.enterprise_name === ENTERPRISE_NAME), `${ENTERPRISE_NAME}'s demands are among the leads`)
    const first = page.locator('[data-testid="product-leads-table"] .el-table__body tr').first()
    assert.match(await first.innerText(), new RegExp(`${items[0].term_months} 个月`))
    await byTestId(page, `product-lead-take-${items[0].demand_id}`).waitFor()
  })
})

test('an officer runs a batch over every open demand: capacity and share checks pass, assignments listed', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.officer_fgw, `E2E_LOGINS must hold the demo login 'officer_fgw' (got ${Object.keys(LOGINS)})`)

  await withPage('matching-officer-batch', async page => {
    await login(page, 'officer_fgw', LOGINS.officer_fgw)
    const menu = byTestId(page, 'menu-supervision-matching')
    assert.equal(await text(menu), '批量撮合')
    await menu.click()
    await byTestId(page, 'page-matching-batches').waitFor()
    await byTestId(page, 'batch-form').waitFor()
    assert.ok(await byTestId(page, 'batch-scope-all').locator('input').isChecked(), 'every open demand by default')
    assert.equal(await byTestId(page, 'batch-share-cap').locator('input').inputValue(), '20')

    const ran = page.waitForResponse(r => isPost(r, /\/api\/v1\/matching\/batches$/))
    await byTestId(page, 'batch-run').click()
    const runResp = await ran
    const run = await runResp.json()
    assert.equal(runResp.status(), 201, `POST /matching/batches answered ${runResp.status()}: ${JSON.stringify(run)}`)
    assert.deepEqual(JSON.parse(runResp.request().postData() || '{}'), { institution_share_cap_percent: 20 })
    assert.equal(run.scope, 'all_open')
    assert.ok(run.demands >= 1 && run.assigned >= 1, `the demo's open demands get products: ${JSON.stringify(run)}`)
    assert.equal(run.capacity_respected, true)
    assert.equal(run.share_cap_respected, true)

    // The summary of the new run.
    await waitUntil(async () => (await text(byTestId(page, 'batch-result-id'))) === `批次 #${run.id}`, 'the new run is not shown')
    assert.equal(await text(byTestId(page, 'batch-stat-demands')), String(run.demands))
    assert.equal(await text(byTestId(page, 'batch-stat-assigned')), String(run.assigned))
    assert.equal(await text(byTestId(page, 'batch-stat-expected')), wan(run.expected_funded_fen))
    assert.equal(await text(byTestId(page, 'batch-stat-upper')), wan(run.upper_bound_fen))
    assert.equal(await text(byTestId(page, 'batch-method')), run.method === 'min_cost_flow' ? '最小费用流（精确最优）' : '贪心 + 交换（大规模）')
    const capacity = byTestId(page, 'batch-check-capacity')
    const share = byTestId(page, 'batch-check-share')
    assert.equal(await text(capacity), '产品容量：已满足')
    assert.equal(await text(share), '机构份额：已满足')
    assert.match((await capacity.getAttribute('class')) ?? '', /el-tag--success/, 'the capacity check is green')
    assert.match((await share.getAttribute('class')) ?? '', /el-tag--success/, 'the share check is green')
    assert.match(await text(byTestId(page, 'batch-time-candidates')), /\d (ms|s)$/)
    assert.match(await text(byTestId(page, 'batch-time-allocation')), /\d (ms|s)$/)

    // Every assignment in the table, and the run in the list of runs.
    const rows = page.locator('[data-testid="batch-assignments"] .el-table__body tr')
    await waitUntil(async () => (await rows.count()) === run.assigned, `the assignments table does not list ${run.assigned} rows`)
    const detail = await (await page.request.get(`/api/v1/matching/batches/${run.id}`)).json()
    assert.equal(detail.assignments.length, run.assigned)
    for (const a of detail.assignments) {
      await byTestId(page, `batch-assignment-${a.demand_id}`).waitFor()
      const row = rows.filter({ has: byTestId(page, `batch-assignment-${a.demand_id}`) })
      const cells = (await row.locator('td').allInnerTexts()).map(s => s.trim())
      assert.deepEqual(cells, [`#${a.demand_id}`, a.enterprise_name, a.product_name, a.institution_name, wan(a.expected_fen)])
    }
    await byTestId(page, `batch-row-${run.id}`).waitFor()

    // 推荐复现: the list the enterprise was shown replays identically.
    if (shownRecommendation) {
      await byTestId(page, 'matching-tab-replay').click()
      await byTestId(page, 'replay-id').locator('input').fill(String(shownRecommendation))
      const replayed = page.waitForResponse(r => isGet(r, new RegExp(`/api/v1/matching/recommendations/${shownRecommendation}/replay$`)))
      await byTestId(page, 'replay-run').click()
      const replayResp = await replayed
      const replay = await replayResp.json()
      assert.equal(replayResp.status(), 200, `replay answered ${replayResp.status()}: ${JSON.stringify(replay)}`)
      assert.equal(replay.matches, true)
      assert.equal(await text(byTestId(page, 'replay-matches')), 'matches = true')
      assert.match(await text(byTestId(page, 'replay-result')), new RegExp(`推荐 #${shownRecommendation} 复现一致`))
    }

    // The models: one active version, no activation for an officer (matching:model is the administrators').
    await byTestId(page, 'matching-tab-models').click()
    await byTestId(page, 'matching-models-table').waitFor()
    await waitUntil(async () => (await page.locator('[data-testid^="matching-model-active-"]').count()) === 1, 'one model version is active')
    assert.equal(await page.locator('[data-testid^="matching-model-activate-"]').count(), 0)
  })
})
