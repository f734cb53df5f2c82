// Browser end-to-end test of the financing loop: an institution publishes a product, an enterprise posts a need and
// applies, the institution takes the application through accept → review → documents → approve → disbursement, and
// the enterprise follows every step in its timeline. A second test has the bank bulk-report loans (批量报送) from a CSV:
// a dry run lists the bad row's problems, the import creates the good one.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=sysadmin E2E_ADMIN_PASSWORD='…' \
//   E2E_LOGINS='{"enterprise":"Cr-…","bank_admin":"Cr-…"}' node --test finance.test.mjs
//
// Needs a server seeded with the demo city (seed-demo prints the demo logins; run.mjs passes them as E2E_LOGINS):
// 'enterprise' is a user of 厦门鹭芯显示科技有限公司, 'bank_admin' the administrator of 厦门银行.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { TEST_TIMEOUT, withPage, waitUntil, byTestId, login, pick, fillNumber, isPost } from './browser.mjs'

const LOGINS = (() => {
  try {
    return JSON.parse(process.env.E2E_LOGINS || '{}')
  } catch {
    return {}
  }
})()

const ENTERPRISE_NAME = '厦门鹭芯显示科技有限公司'

async function statusIs(page, expected) {
  await waitUntil(
    async () => (await byTestId(page, 'application-status').innerText()).trim() === expected,
    `the application status never became ${expected}`
  )
}

/** Click the action button of `event` on the application page, fill the dialog with `fill`, submit; wait for the answer. */
async function act(page, appId, event, fill) {
  await byTestId(page, `app-action-${event}`).click()
  const dialog = page.locator('.el-dialog', { has: byTestId(page, 'app-event-submit') })
  await dialog.waitFor()
  if (fill) await fill(dialog)
  const path = new RegExp(`/api/v1/applications/${appId}/${event.replace(/_/g, '-')}$`)
  const answered = page.waitForResponse(r => isPost(r, path))
  await byTestId(page, 'app-event-submit').click()
  const resp = await answered
  assert.equal(resp.status(), 200, `${event} answered ${resp.status()}: ${await resp.text()}`)
  await dialog.waitFor({ state: 'hidden' })
  return JSON.parse(resp.request().postData() || '{}')
}

/** Reload the open application page and wait until it shows `status`. */
async function reloadApplication(page, status) {
  await page.reload()
  await byTestId(page, 'page-application-detail').waitFor()
  await statusIs(page, status)
}

test('an enterprise applies for a bank product and follows it to 已放款', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.enterprise && LOGINS.bank_admin, `E2E_LOGINS must hold the demo logins 'enterprise' and 'bank_admin' (got ${Object.keys(LOGINS)})`)
  const n = `${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`
  const productName = `E2E科创信用贷${n}`
  const demandText = `E2E采购产线设备${n}`
  const docsNote = `请补充近两年财务报表（${n}）`
  const loanRef = `E2E-LOAN-${n}`

  await withPage('finance-bank', async bank => {
    // 1. The bank's administrator creates a fixed-rate product (10–1,000 万元, 1–36 months, 3.50%–4.20%) and publishes it.
    const bankUser = await login(bank, 'bank_admin', LOGINS.bank_admin)
    assert.equal(bankUser.kind, 'institution')
    await byTestId(bank, 'menu-workbench-products').click()
    await byTestId(bank, 'page-my-products').waitFor()
    await byTestId(bank, 'product-create').click()
    const productDialog = bank.locator('.el-dialog', { has: byTestId(bank, 'product-form-submit') })
    await productDialog.waitFor()
    await byTestId(bank, 'product-form-name').fill(productName)
    await pick(bank, 'product-form-kind', { optionTestId: 'product-kind-credit_loan' })
    await byTestId(bank, 'product-form-amount-min').fill('10')
    await byTestId(bank, 'product-form-amount-max').fill('1000')
    await fillNumber(bank, 'product-form-term-min', 1)
    await fillNumber(bank, 'product-form-term-max', 36)
    await byTestId(bank, 'product-rate-mode-fixed').click()
    await byTestId(bank, 'product-form-rate-min').fill('3.5')
    await byTestId(bank, 'product-form-rate-max').fill('4.2')
    await byTestId(bank, 'product-form-description').fill('面向科技型制造企业的信用贷款，E2E 测试产品。')
    const created = bank.waitForResponse(r => isPost(r, /\/api\/v1\/products$/))
    await byTestId(bank, 'product-form-submit').click()
    const createResp = await created
    const product = await createResp.json()
    assert.equal(createResp.status(), 201, `POST /products answered ${createResp.status()}: ${JSON.stringify(product)}`)
    const sent = JSON.parse(createResp.request().postData() || '{}')
    assert.deepEqual(
      [sent.amount_min_fen, sent.amount_max_fen, sent.term_min_months, sent.term_max_months, sent.rate_mode, sent.rate_min_bp, sent.rate_max_bp],
      [10_000_000, 1_000_000_000, 1, 36, 'fixed', 350, 420],
      `money goes up in fen and rates in basis points: ${JSON.stringify(sent)}`
    )
    assert.equal(product.status, 'draft')
    await productDialog.waitFor({ state: 'hidden' })
    await byTestId(bank, `my-product-${product.id}`).waitFor()
    assert.equal((await byTestId(bank, `my-product-status-${product.id}`).innerText()).trim(), '草稿')

    const published = bank.waitForResponse(r => isPost(r, new RegExp(`/api/v1/products/${product.id}/publish$`)))
    await byTestId(bank, `my-product-publish-${product.id}`).click()
    const publishResp = await published
    assert.equal(publishResp.status(), 200, `publish answered ${publishResp.status()}: ${await publishResp.text()}`)
    assert.equal((await publishResp.json()).status, 'published', 'product review is off in the test server: publish puts it on the market')
    await waitUntil(async () => (await byTestId(bank, `my-product-status-${product.id}`).innerText()).trim() === '已上架', 'the product is not shown as 已上架')

    await withPage('finance-enterprise', async ent => {
      // 2. The enterprise posts a financing need of 300 万元 over 12 months …
      const entUser = await login(ent, 'enterprise', LOGINS.enterprise)
      assert.equal(entUser.kind, 'enterprise')
      await byTestId(ent, 'menu-finance-demands').click()
      await byTestId(ent, 'page-demands').waitFor()
      await byTestId(ent, 'demand-create').click()
      const demandDialog = ent.locator('.el-dialog', { has: byTestId(ent, 'demand-form-submit') })
      await demandDialog.waitFor()
      await byTestId(ent, 'demand-form-amount').fill('300')
      await fillNumber(ent, 'demand-form-term', 12)
      await pick(ent, 'demand-form-purpose', { optionTestId: 'demand-purpose-equipment' })
      await byTestId(ent, 'demand-form-description').fill(demandText)
      const posted = ent.waitForResponse(r => isPost(r, /\/api\/v1\/demands$/))
      await byTestId(ent, 'demand-form-submit').click()
      const demandResp = await posted
      const demand = await demandResp.json()
      assert.equal(demandResp.status(), 201, `POST /demands answered ${demandResp.status()}: ${JSON.stringify(demand)}`)
      assert.equal(demand.amount_fen, 300_000_000)
      assert.equal(demand.purpose, 'equipment')
      await demandDialog.waitFor({ state: 'hidden' })
      await byTestId(ent, `demand-row-${demand.id}`).waitFor()
      assert.equal((await byTestId(ent, `demand-status-${demand.id}`).innerText()).trim(), '对接中')

      // … finds the bank's product on the market and applies to it for that need.
      await byTestId(ent, 'menu-finance-products').click()
      await byTestId(ent, 'page-products').waitFor()
      await byTestId(ent, 'products-search-input').fill(productName)
      await byTestId(ent, 'products-search-input').press('Enter')
      const card = byTestId(ent, `product-card-${product.id}`)
      await card.waitFor()
      assert.match(await card.innerText(), /厦门银行/)
      assert.equal((await byTestId(ent, `product-rate-${product.id}`).innerText()).trim(), '3.50%–4.20%')
      await byTestId(ent, `product-apply-${product.id}`).click()
      const applyDialog = ent.locator('.el-dialog', { has: byTestId(ent, 'apply-submit') })
      await applyDialog.waitFor()
      await pick(ent, 'apply-demand', { optionTestId: `apply-demand-option-${demand.id}` })
      assert.equal(await byTestId(ent, 'apply-amount').inputValue(), '300', 'the amount comes from the chosen need')
      const applied = ent.waitForResponse(r => isPost(r, /\/api\/v1\/applications$/))
      await byTestId(ent, 'apply-submit').click()
      const applyResp = await applied
      const application = await applyResp.json()
      assert.equal(applyResp.status(), 201, `POST /applications answered ${applyResp.status()}: ${JSON.stringify(application)}`)
      assert.deepEqual(JSON.parse(applyResp.request().postData() || '{}'), {
        product_id: product.id,
        demand_id: demand.id,
        amount_fen: 300_000_000,
        term_months: 12
      })
      const appId = application.id
      await ent.waitForURL(url => new URL(url).pathname === `/finance/applications/${appId}`)
      await byTestId(ent, 'page-application-detail').waitFor()
      await statusIs(ent, '已提交')
      await byTestId(ent, 'timeline-submit').waitFor()

      // 3. The bank finds it on its pipeline board, accepts it, starts the review and asks for more documents.
      await byTestId(bank, 'menu-workbench-board').click()
      await byTestId(bank, 'page-board').waitFor()
      const boardCard = bank.locator(`[data-testid="board-column-submitted"] [data-testid="board-card-${appId}"]`)
      await boardCard.waitFor()
      assert.match(await boardCard.innerText(), new RegExp(ENTERPRISE_NAME))
      await boardCard.click()
      await bank.waitForURL(url => new URL(url).pathname === `/workbench/applications/${appId}`)
      await byTestId(bank, 'page-application-detail').waitFor()
      await statusIs(bank, '已提交')
      await act(bank, appId, 'accept')
      await statusIs(bank, '已受理')
      await act(bank, appId, 'review')
      await statusIs(bank, '审核中')
      const requested = await act(bank, appId, 'request_docs', async () => {
        await byTestId(bank, 'app-event-note').fill(docsNote)
      })
      assert.equal(requested.note, docsNote)
      await statusIs(bank, '待补充材料')

      // 4. The enterprise sees the request with its note and submits the documents.
      await reloadApplication(ent, '待补充材料')
      await byTestId(ent, 'application-more-docs').waitFor()
      assert.match(await byTestId(ent, 'timeline-request_docs').innerText(), new RegExp(docsNote.replace(/[()（）]/g, '.')))
      await act(ent, appId, 'submit_docs', async () => {
        await byTestId(ent, 'app-event-note').fill('已上传 2024、2025 年度财务报表')
      })
      await statusIs(ent, '审核中')

      // 5. The bank approves 300 万元 at 3.85% and records the disbursement.
      await reloadApplication(bank, '审核中')
      const approved = await act(bank, appId, 'approve', async () => {
        assert.equal(await byTestId(bank, 'app-event-amount').inputValue(), '300', 'the approved amount defaults to the amount applied for')
        await byTestId(bank, 'app-event-rate').fill('3.85')
      })
      assert.equal(approved.approved_amount_fen, 300_000_000)
      assert.equal(approved.rate_bp, 385)
      await statusIs(bank, '已批准')
      const disbursed = await act(bank, appId, 'disburse', async () => {
        await byTestId(bank, 'app-event-loan-ref').fill(loanRef)
      })
      assert.equal(disbursed.loan_ref, loanRef)
      await statusIs(bank, '已放款')

      // The loan is on the bank's register.
      await byTestId(bank, 'menu-workbench-loans').click()
      await byTestId(bank, 'page-loans').waitFor()
      const loanRow = bank.locator('[data-testid="loans-table"] .el-table__body tr', { hasText: loanRef })
      await loanRow.waitFor()
      assert.match(await loanRow.innerText(), /300\.00 万元/)
      assert.match(await loanRow.innerText(), /3\.85%/)

      // 6. The enterprise sees every step in its timeline and the final status 已放款.
      await reloadApplication(ent, '已放款')
      for (const event of ['submit', 'accept', 'review', 'request_docs', 'submit_docs', 'approve', 'disburse'])
        await byTestId(ent, `timeline-${event}`).waitFor()
      const expectations = {
        submit: '已提交',
        accept: '已受理',
        review: '审核中',
        request_docs: '待补充材料',
        submit_docs: '审核中',
        approve: '已批准',
        disburse: '已放款'
      }
      for (const [event, status] of Object.entries(expectations))
        assert.match(await byTestId(ent, `timeline-${event}`).first().innerText(), new RegExp(status), `timeline ${event} should show ${status}`)
      assert.equal((await byTestId(ent, 'application-approved-amount').innerText()).trim(), '300.00 万元')
      assert.equal((await byTestId(ent, 'application-rate').innerText()).trim(), '3.85%')
      assert.equal(await byTestId(ent, 'application-steps').locator('.el-step__head.is-success').count(), 5, 'every step is done')

      // … and in 我的申请.
      await byTestId(ent, 'menu-finance-applications').click()
      await byTestId(ent, 'page-applications-mine').waitFor()
      await waitUntil(
        async () => (await byTestId(ent, `application-status-${appId}`).innerText()).trim() === '已放款',
        'the list does not show 已放款'
      )
    })
  })
})

test('a bank bulk-reports loans from a CSV: dry run with the problems, then import', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(LOGINS.bank_admin, `E2E_LOGINS must hold the demo login 'bank_admin' (got ${Object.keys(LOGINS)})`)
  const n = `${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`
  const goodRef = `E2E-BULK-${n}-1`
  const past = new Date(Date.now() - 30 * 86_400_000)
  const disbursedOn = `${past.getFullYear()}-${String(past.getMonth() + 1).padStart(2, '0')}-${String(past.getDate()).padStart(2, '0')}`
  const csv = [
    '统一社会信用代码,贷款编号,产品类型,金额(元),年利率(%),期限(月),放款日期,有抵押,有担保,贷款投向行业代码,绿色用途',
    `91350213MA3A10007E,${goodRef},credit_loan,1500000.00,3.45,24,${disbursedOn},否,否,C3974,否`,
    `91350200MA0000000X,E2E-BULK-${n}-2,credit_loan,abc,3.45,24,${disbursedOn},否,否,C3974,否`
  ].join('\n')

  await withPage('finance-loan-import', async bank => {
    await login(bank, 'bank_admin', LOGINS.bank_admin)
    await byTestId(bank, 'menu-workbench-loans').click()
    await byTestId(bank, 'page-loans').waitFor()
    await byTestId(bank, 'loan-import').click()
    await byTestId(bank, 'loan-import-step-upload').waitFor()
    await bank
      .locator('[data-testid="loan-import-upload"] input[type="file"]')
      .setInputFiles({ name: `loans-${n}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    assert.equal((await byTestId(bank, 'loan-import-file-name').innerText()).trim(), `loans-${n}.csv`)

    // 试运行: nothing is written; the bad row is listed with its problems.
    const dry = bank.waitForResponse(r => isPost(r, /\/api\/v1\/loans\/import$/))
    await byTestId(bank, 'loan-import-dry-run').click()
    const dryResp = await dry
    assert.equal(dryResp.status(), 200, `dry run answered ${dryResp.status()}: ${await dryResp.text()}`)
    const dryQuery = new URL(dryResp.url()).searchParams
    assert.equal(dryQuery.get('dry_run'), 'true')
    assert.equal(dryQuery.get('file_name'), `loans-${n}.csv`)
    await byTestId(bank, 'loan-import-step-dry-run').waitFor()
    const stat = async id => (await byTestId(bank, id).locator('.el-statistic__number').innerText()).trim()
    assert.equal(await stat('loan-import-summary-total'), '2')
    assert.equal(await stat('loan-import-summary-valid'), '1')
    assert.equal(await stat('loan-import-summary-rejected'), '1')
    assert.equal((await byTestId(bank, 'loan-import-problem-row-0').innerText()).trim(), '3')

    // 正式导入 (not strict): the valid row becomes a loan.
    const real = bank.waitForResponse(r => isPost(r, /\/api\/v1\/loans\/import$/))
    await byTestId(bank, 'loan-import-commit').click()
    const realResp = await real
    assert.equal(realResp.status(), 200, `import answered ${realResp.status()}: ${await realResp.text()}`)
    assert.equal(new URL(realResp.url()).searchParams.get('dry_run'), 'false')
    const result = await realResp.json()
    assert.equal(result.applied, true)
    assert.equal(result.created, 1)
    await byTestId(bank, 'loan-import-result').waitFor()
    assert.equal(await stat('loan-import-summary-created'), '1')
    await byTestId(bank, 'loan-import-close').click()
    await byTestId(bank, 'loan-import-dialog').waitFor({ state: 'hidden' })

    const loanRow = bank.locator('[data-testid="loans-table"] .el-table__body tr', { hasText: goodRef })
    await loanRow.waitFor()
    assert.match(await loanRow.innerText(), /150\.00 万元/)
    assert.match(await loanRow.innerText(), /3\.45%/)
  })
})
