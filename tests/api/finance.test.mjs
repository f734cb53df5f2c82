// The financing loop through the API: product → demand → application → decisions → disbursement with loan flags;
// illegal transitions and concurrent decisions (409); Idempotency-Key; consent and its access log; data scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client } from '../support/server.mjs';

let server, bank, icbc, ent, officer;
before(async () => {
  server = await startServer({ seed: true });
  bank = await login(server.base, 'bank_admin', server.logins.bank_admin);
  icbc = await login(server.base, 'icbc_admin', server.logins.icbc_admin);
  ent = await login(server.base, 'enterprise', server.logins.enterprise);
  officer = await login(server.base, 'officer_gxj', server.logins.officer_gxj);
});
after(async () => { await server?.stop(); });

const PRODUCT = {
  name: '鹭岛科创贷', kind: 'tech_credit', description: '面向科技型企业的信用贷款',
  amount_min_fen: 100_000_000, amount_max_fen: 1_000_000_000, term_min_months: 6, term_max_months: 36,
  rate_mode: 'lpr_spread', rate_min_bp: 0, rate_max_bp: 80, monthly_capacity: 50,
  eligibility: { classes446: ['P1', 'S1'], sizes: ['medium', 'small', 'micro'], collateral_required: false },
  policy_links: [{ title: '供应链协同发展资金（年化2%贴息）', url: 'https://example.invalid/policy' }],
};

async function publishedProduct(session, overrides = {}) {
  const created = await session.call('POST', '/api/v1/products', { ...PRODUCT, ...overrides });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const published = await session.call('POST', `/api/v1/products/${created.body.id}/publish`);
  assert.equal(published.body.status, 'published');
  return published.body;
}

async function newApplication(product) {
  const demand = await ent.call('POST', '/api/v1/demands', { amount_fen: 500_000_000, term_months: 24, purpose: 'rd', max_rate_bp: 450 });
  assert.equal(demand.status, 201, JSON.stringify(demand.body));
  const app = await ent.call('POST', '/api/v1/applications', { product_id: product.id, demand_id: demand.body.id, amount_fen: 500_000_000, term_months: 24 });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  return app.body;
}

test('a product is drafted, published at LPR plus a spread, and validated', async () => {
  const product = await publishedProduct(bank);
  assert.equal(product.lpr_bp, 300, 'the one-year LPR in force (2025-05-20: 3.00%)');
  assert.equal(product.effective_rate_max_bp, 380);
  const bad = await bank.call('POST', '/api/v1/products', { ...PRODUCT, amount_min_fen: 10, amount_max_fen: 5, eligibility: { sizes: 'small', colour: 1 } });
  assert.equal(bad.status, 400);
  const fields = bad.body.error.fields.map((f) => f.field).sort();
  assert.deepEqual(fields, ['amount_max_fen', 'eligibility.colour', 'eligibility.sizes']);
  assert.equal((await ent.call('POST', '/api/v1/products', PRODUCT)).status, 403);
  const visible = await ent.call('GET', '/api/v1/products');
  assert.ok(visible.body.items.every((p) => p.status === 'published'));
});

test('the full loop: apply, accept, review, documents, approve, disburse; the enterprise sees every step', async () => {
  const product = await publishedProduct(bank);
  const app = await newApplication(product);
  assert.equal(app.status, 'submitted');
  assert.ok(app.promise.accept_due);
  for (const [who, event, body] of [
    [bank, 'accept'], [bank, 'review'], [bank, 'request-docs', { note: '请补充近三年财务报表' }], [ent, 'submit-docs'],
    [bank, 'approve', { approved_amount_fen: 400_000_000, rate_bp: 345 }],
    [bank, 'disburse', { loan_ref: 'XMB-2026-0001', disbursed_on: '2026-11-20', has_collateral: false, has_guarantee: false }],
  ]) {
    const res = await who.call('POST', `/api/v1/applications/${app.id}/${event}`, body);
    assert.equal(res.status, 200, `${event}: ${JSON.stringify(res.body)}`);
  }
  const seen = await ent.call('GET', `/api/v1/applications/${app.id}`);
  assert.equal(seen.body.status, 'disbursed');
  assert.deepEqual(seen.body.timeline.map((e) => e.to), ['submitted', 'accepted', 'under_review', 'more_docs', 'under_review', 'approved', 'disbursed']);
  assert.equal(seen.body.timeline[3].note, '请补充近三年财务报表');
  const loans = await ent.call('GET', '/api/v1/loans');
  const loan = loans.body.items.find((l) => l.loan_ref === 'XMB-2026-0001');
  assert.equal(loan.amount_fen, 400_000_000);
  assert.equal(loan.flags.credit, true, 'no collateral, no guarantee');
  assert.equal(loan.flags.mid_long_term, true, '24 months');
  assert.equal(loan.flags.technology, true, 'tech_credit product');
  assert.equal(loan.flags.manufacturing_by_borrower, true, 'C3974 borrower');
  assert.equal(loan.outstanding_fen, 400_000_000);
  const repaid = await bank.call('POST', `/api/v1/loans/${loan.id}/repayments`, { paid_on: '2026-11-21', principal_fen: 100_000_000 });
  assert.equal(repaid.body.outstanding_fen, 300_000_000);
  const asOfBefore = await bank.call('GET', '/api/v1/loans?as_of=2026-11-20');
  assert.equal(asOfBefore.body.items.find((l) => l.id === loan.id).outstanding_fen, 400_000_000, 'balances as of a date');
});

test('a product outside its validity window cannot be applied to (422)', async () => {
  const expired = await publishedProduct(bank, { valid_from: '2024-01-01', valid_to: '2024-12-31' });
  const res = await ent.call('POST', '/api/v1/applications', { product_id: expired.id, amount_fen: 200_000_000, term_months: 12 });
  assert.equal(res.status, 422);
  assert.match(res.body.error.message, /有效期/);
});

test('illegal transitions give 409; a party cannot fire the other side’s events', async () => {
  const app = await newApplication(await publishedProduct(bank));
  const early = await bank.call('POST', `/api/v1/applications/${app.id}/approve`, {});
  assert.equal(early.status, 409);
  assert.equal((await ent.call('POST', `/api/v1/applications/${app.id}/accept`)).status, 403);
  assert.equal((await icbc.call('POST', `/api/v1/applications/${app.id}/accept`)).status, 404, 'another bank cannot see it');
  const reject = await bank.call('POST', `/api/v1/applications/${app.id}/reject`, { reason_code: 'nope' });
  assert.equal(reject.body.error.fields[0].field, 'reason_code');
});

test('two concurrent decisions: exactly one wins, the other gets 409', async () => {
  const app = await newApplication(await publishedProduct(bank));
  await bank.call('POST', `/api/v1/applications/${app.id}/accept`);
  await bank.call('POST', `/api/v1/applications/${app.id}/review`);
  const [a, b] = await Promise.all([
    bank.call('POST', `/api/v1/applications/${app.id}/approve`, {}),
    bank.call('POST', `/api/v1/applications/${app.id}/reject`, { reason_code: 'high_leverage' }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409]);
  const final = await ent.call('GET', `/api/v1/applications/${app.id}`);
  assert.ok(['approved', 'rejected'].includes(final.body.status));
  if (final.body.status === 'rejected') {
    assert.match(final.body.advice, /担保|负债/);
    assert.ok(Array.isArray(final.body.alternatives));
  }
});

test('the same Idempotency-Key fifty times creates one application', async () => {
  const product = await publishedProduct(bank);
  const body = { product_id: product.id, amount_fen: 200_000_000, term_months: 12 };
  const answers = await Promise.all(Array.from({ length: 50 }, () =>
    ent.call('POST', '/api/v1/applications', body, { 'idempotency-key': 'apply-once' })));
  assert.ok(answers.every((a) => a.status === 201), answers.map((a) => a.status).join(','));
  assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
  const mine = await ent.call('GET', '/api/v1/applications?limit=200');
  assert.equal(mine.body.items.filter((a) => a.product_id === product.id).length, 1);
});

test('consent: the bank sees the credit profile only while consent is valid, and every view is logged', async () => {
  const app = await newApplication(await publishedProduct(bank));
  const denied = await bank.call('GET', `/api/v1/applications/${app.id}/credit-profile`);
  assert.equal(denied.status, 403);
  const consent = await ent.call('POST', `/api/v1/applications/${app.id}/consent`, { days: 30 });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));
  const profile = await bank.call('GET', `/api/v1/applications/${app.id}/credit-profile`);
  assert.equal(profile.status, 200);
  assert.equal(profile.body.consent_id, consent.body.id);
  assert.equal((await icbc.call('GET', `/api/v1/applications/${app.id}/credit-profile`)).status, 404);
  const log = await ent.call('GET', '/api/v1/consents');
  const view = log.body.views.find((v) => v.application_id === app.id);
  assert.equal(view.institution_name, '厦门银行股份有限公司');
  assert.equal(view.user, 'bank_admin');
  assert.equal((await ent.call('POST', `/api/v1/consents/${consent.body.id}/revoke`)).status, 204);
  assert.equal((await bank.call('GET', `/api/v1/applications/${app.id}/credit-profile`)).status, 403, 'revoked');
  const tooLong = await ent.call('POST', `/api/v1/applications/${app.id}/consent`, { days: 999 });
  assert.equal(tooLong.body.error.fields[0].field, 'days');
});

test('institutions take up demands from the leads inbox; a taken demand keeps its versions', async () => {
  const demand = (await ent.call('POST', '/api/v1/demands', { amount_fen: 300_000_000, term_months: 12, purpose: 'working_capital' })).body;
  const inbox = await icbc.call('GET', '/api/v1/demands?status=open&limit=200');
  assert.ok(inbox.body.items.some((d) => d.id === demand.id));
  const taken = await icbc.call('POST', `/api/v1/demands/${demand.id}/take-up`, {});
  assert.equal(taken.status, 201, JSON.stringify(taken.body));
  assert.equal(taken.body.status, 'accepted');
  assert.equal((await icbc.call('POST', `/api/v1/demands/${demand.id}/take-up`, {})).status, 409);
  const edited = await ent.call('PATCH', `/api/v1/demands/${demand.id}`, { amount_fen: 350_000_000, version: demand.version });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  const detail = await ent.call('GET', `/api/v1/demands/${demand.id}`);
  assert.equal(detail.body.history.length, 1);
  assert.equal(detail.body.history[0].snapshot.amount_fen, 300_000_000);
  assert.equal((await bank.call('GET', `/api/v1/applications/${taken.body.id}`)).status, 404, 'another bank cannot see it');
  const all = await officer.call('GET', '/api/v1/applications?limit=200');
  assert.ok(all.body.items.some((a) => a.id === taken.body.id), 'officers see every application');
  assert.deepEqual((await officer.call('GET', `/api/v1/applications/${taken.body.id}`)).body.allowed_events, [], 'officers watch, they do not act');
  assert.deepEqual((await icbc.call('GET', `/api/v1/applications/${taken.body.id}`)).body.allowed_events, ['review', 'reject']);
});

test('institutions report loans made outside the platform, idempotently by reference', async () => {
  const body = { uscc: '91350213MA3A10007E', loan_ref: 'OUT-001', product_kind: 'green_loan', amount_fen: 1_000_000_000,
    rate_bp: 320, term_months: 12, disbursed_on: '2026-10-01', has_collateral: true };
  const first = await bank.call('POST', '/api/v1/loans', body);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.flags.green, true);
  assert.equal(first.body.flags.mid_long_term, false, 'exactly 12 months is short term');
  assert.equal(first.body.flags.credit, false);
  const again = await bank.call('POST', '/api/v1/loans', body);
  assert.equal(again.status, 200);
  assert.equal(again.body.id, first.body.id);
  const unknown = await bank.call('POST', '/api/v1/loans', { ...body, loan_ref: 'OUT-002', uscc: '91350200776049653A' });
  assert.equal(unknown.body.error.fields[0].field, 'uscc');
});

test('the transparency scorecard shows each institution’s record, publicly', async () => {
  const cards = await client(server.base)('GET', '/api/v1/institution-scorecards');
  assert.equal(cards.status, 200);
  const xmb = cards.body.institutions.find((c) => c.name === '厦门银行股份有限公司');
  assert.ok(xmb.leads >= 5);
  assert.ok(xmb.disbursed >= 1);
  assert.ok(xmb.disbursed_fen >= 400_000_000);
  assert.ok(xmb.to_accept.count >= 1 && xmb.to_accept.median_hours !== null);
  assert.ok(cards.body.products.some((p) => p.name.startsWith('鹭岛科创贷')));
  assert.equal((await ent.call('GET', '/api/v1/institution-scorecards?from=bad')).body.error.fields[0].field, 'from');
});

test('a campaign asks a directory for its needs, tracks completion, reminds, exports and pushes to institutions', async () => {
  const dirs = (await officer.call('GET', '/api/v1/directories')).body.items;
  const white = dirs.find((d) => d.code === 'white_list');
  const opened = await officer.call('POST', '/api/v1/campaigns', { title: '2026年第四季度重点企业融资需求征集', directory_id: white.id, deadline: '2099-12-31' });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  assert.ok(opened.body.targets >= 2);
  assert.equal(opened.body.answered, 0);
  assert.equal((await officer.call('POST', '/api/v1/campaigns', { title: 'x', directory_id: white.id, deadline: '2000-01-01' })).body.error.fields[0].field, 'deadline');
  const mine = await ent.call('GET', '/api/v1/campaigns');
  const campaign = mine.body.items.find((c) => c.id === opened.body.id);
  assert.ok(campaign, 'the white-listed enterprise is asked');
  assert.equal(campaign.answered_by_me, false);
  const demand = await ent.call('POST', '/api/v1/demands', { amount_fen: 800_000_000, term_months: 36, purpose: 'equipment', campaign_id: campaign.id });
  assert.equal(demand.status, 201, JSON.stringify(demand.body));
  const hidden = await icbc.call('GET', '/api/v1/demands?status=open&limit=200');
  assert.ok(!hidden.body.items.some((d) => d.id === demand.body.id), 'not visible to institutions before the push');
  const detail = await officer.call('GET', `/api/v1/campaigns/${campaign.id}`);
  assert.equal(detail.body.answered, 1);
  const reminded = await officer.call('POST', `/api/v1/campaigns/${campaign.id}/remind`);
  assert.equal(reminded.body.reminded, detail.body.targets - 1, 'only those who have not answered');
  const csv = await fetch(`${server.base}/api/v1/campaigns/${campaign.id}/demands/export?format=csv`, { headers: { authorization: 'Bearer ' + officer.token } });
  assert.match(await csv.text(), /8000000\.00/);
  assert.equal((await officer.call('POST', `/api/v1/campaigns/${campaign.id}/push`)).status, 200);
  const shown = await icbc.call('GET', '/api/v1/demands?status=open&limit=200');
  assert.ok(shown.body.items.some((d) => d.id === demand.body.id && d.campaign_id === campaign.id), 'pushed to institutions');
  assert.equal((await ent.call('POST', '/api/v1/demands', { amount_fen: 1, term_months: 1, purpose: 'rd', campaign_id: campaign.id })).body.error.fields[0].field, 'campaign_id');
});

test('institutions bulk-report loans with a per-row report, idempotently by reference', async () => {
  const header = '统一社会信用代码,贷款编号,产品类型,金额(元),年利率(%),期限(月),放款日期,有抵押,有担保,贷款投向行业代码,绿色用途\n';
  const csv = header +
    '91350213MA3A10007E,BULK-001,credit_loan,5000000.00,3.45,24,2026-10-15,否,否,C3974,否\n' +
    '91350200776049653A,BULK-002,credit_loan,100,3.45,12,2026-10-15,否,否,,否\n' +
    '91350213MA3A10007E,BULK-003,green_loan,abc,3.2,12,2026-13-01,是,否,,是\n';
  const upload = async (query) => {
    const res = await fetch(`${server.base}/api/v1/loans/import?${query}`, {
      method: 'POST', headers: { authorization: 'Bearer ' + bank.token, 'content-type': 'text/csv' }, body: csv });
    return { status: res.status, body: await res.json() };
  };
  const dry = await upload('dry_run=true');
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.equal(dry.body.rejected_rows, 2);
  const bad = dry.body.problems.map((p) => `${p.row}/${p.column}`).sort();
  assert.deepEqual(bad, ['3/统一社会信用代码', '4/放款日期', '4/金额(元)']);
  assert.equal((await upload('dry_run=false&strict=true')).body.applied, false);
  const applied = await upload('dry_run=false');
  assert.equal(applied.body.created, 1);
  assert.equal((await upload('dry_run=false')).body.unchanged, 1, 're-import is idempotent');
  const loans = await bank.call('GET', '/api/v1/loans?limit=200');
  const bulk = loans.body.items.find((l) => l.loan_ref === 'BULK-001');
  assert.equal(bulk.amount_fen, 500_000_000);
  assert.equal(bulk.rate_bp, 345);
  assert.equal(bulk.source, 'reported');
  assert.equal((await ent.call('POST', '/api/v1/loans/import?dry_run=true', 'x')).status, 403);
});

test('when officers require review, a product waits for an officer before it is published', async () => {
  const reviewed = await startServer({ seed: true, env: { CHANRONG_FINANCE_REQUIRE_PRODUCT_REVIEW: 'true' } });
  try {
    const bank3 = await login(reviewed.base, 'bank_admin', reviewed.logins.bank_admin);
    const officer3 = await login(reviewed.base, 'officer_gxj', reviewed.logins.officer_gxj);
    const ent3 = await login(reviewed.base, 'enterprise', reviewed.logins.enterprise);
    const product = (await bank3.call('POST', '/api/v1/products', PRODUCT)).body;
    const waiting = await bank3.call('POST', `/api/v1/products/${product.id}/publish`);
    assert.equal(waiting.body.status, 'pending_review');
    assert.equal((await ent3.call('GET', `/api/v1/products/${product.id}`)).status, 404, 'not public yet');
    assert.equal((await bank3.call('POST', `/api/v1/products/${product.id}/approve`)).status, 403);
    const approved = await officer3.call('POST', `/api/v1/products/${product.id}/approve`);
    assert.equal(approved.body.status, 'published');
    assert.equal((await ent3.call('GET', `/api/v1/products/${product.id}`)).status, 200);
  } finally {
    await reviewed.stop();
  }
});

test('after a rejection the enterprise is shown other products whose rules it meets', async () => {
  const fits = await publishedProduct(icbc, { name: '工行电子信息贷', eligibility: { classes446: ['P1'] } });
  const misfit = await publishedProduct(icbc, { name: '工行微企贷', eligibility: { sizes: ['micro'] } });
  const app = await newApplication(await publishedProduct(bank));
  await bank.call('POST', `/api/v1/applications/${app.id}/reject`, { reason_code: 'insufficient_revenue' });
  const seen = await ent.call('GET', `/api/v1/applications/${app.id}`);
  assert.equal(seen.body.status, 'rejected');
  assert.match(seen.body.advice, /经营数据/);
  const names = seen.body.alternatives.map((p) => p.name);
  assert.ok(names.includes(fits.name), names.join(','));
  assert.ok(!names.includes(misfit.name), 'a large enterprise is not offered a micro-only product');
});

// Last: it moves the server's clock, which ends every earlier session.
test('two weeks later: an untouched application is overdue and escalated; a one-day consent has expired', async () => {
  const app = await newApplication(await publishedProduct(bank));
  const fresh = await officer.call('GET', `/api/v1/applications/${app.id}`);
  assert.equal(fresh.body.overdue, false);
  await ent.call('POST', `/api/v1/applications/${app.id}/consent`, { days: 1 });
  assert.equal((await bank.call('GET', `/api/v1/applications/${app.id}/credit-profile`)).status, 200);
  await server.restart('SIGTERM', { CHANRONG_CLOCK_OFFSET_DAYS: '14' });
  const bank2 = await login(server.base, 'bank_admin', server.logins.bank_admin);
  assert.equal((await bank2.call('GET', `/api/v1/applications/${app.id}/credit-profile`)).status, 403, 'consent expired');
  const officer2 = await login(server.base, 'officer_gxj', server.logins.officer_gxj);
  const overdue = await officer2.call('GET', '/api/v1/applications?overdue=true&limit=200');
  const late = overdue.body.items.find((a) => a.id === app.id);
  assert.ok(late, 'listed as overdue');
  assert.equal(late.promise.accept_overdue, true);
  assert.equal(late.escalated, true);
  assert.ok(late.promise.overdue_working_days >= 5);
  const disbursed = overdue.body.items.filter((a) => a.status === 'disbursed');
  assert.equal(disbursed.length, 0, 'finished applications are never overdue');
});
