// Matching through the API: ranked products with explanations; matches change when a product is suspended or the
// enterprise's credit grade changes (also on a second instance sharing the database); why-not; leads; a batch
// respects capacity and the institution cap; stored recommendations replay to the same result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startServer, login, client, BIN } from '../support/server.mjs';

let server, bank, icbc, ent, fgw, demand, open, limited, firstShown;
const product = (overrides) => ({
  name: '普惠信用贷', kind: 'credit_loan', amount_min_fen: 10_000_000, amount_max_fen: 5_000_000_000, term_min_months: 3,
  term_max_months: 60, rate_mode: 'fixed', rate_min_bp: 350, rate_max_bp: 450, monthly_capacity: 0, eligibility: {}, ...overrides,
});
async function published(session, body) {
  const created = await session.call('POST', '/api/v1/products', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await session.call('POST', `/api/v1/products/${created.body.id}/publish`)).status, 200);
  return created.body;
}
const matches = async (session = ent) => {
  const res = await session.call('GET', `/api/v1/demands/${demand.id}/matches`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const ids = (m) => m.recommendations.map((r) => r.product_id);

before(async () => {
  server = await startServer({ seed: true });
  bank = await login(server.base, 'bank_admin', server.logins.bank_admin);
  icbc = await login(server.base, 'icbc_admin', server.logins.icbc_admin);
  ent = await login(server.base, 'enterprise', server.logins.enterprise);
  fgw = await login(server.base, 'officer_fgw', server.logins.officer_fgw);
  open = await published(bank, product({ name: '普惠信用贷（全客群）' }));
  limited = await published(icbc, product({ name: '优质客户专享贷', rate_min_bp: 300, monthly_capacity: 1, eligibility: { min_credit_grade: 'A' } }));
  const created = await ent.call('POST', '/api/v1/demands', { amount_fen: 300_000_000, term_months: 12, purpose: 'working_capital', max_rate_bp: 500 });
  assert.equal(created.status, 201);
  demand = created.body;
});
after(async () => { await server?.stop(); });

test('a demand gets ranked products with their contributing factors, and each shown list replays', async () => {
  const m = await matches();
  assert.ok(ids(m).includes(open.id) && ids(m).includes(limited.id), JSON.stringify(m));
  const scores = m.recommendations.map((r) => r.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'ranked by score');
  const top = m.recommendations[0];
  assert.ok(top.product_name && top.institution_name);
  assert.equal(top.factors.length, 8);
  assert.ok(top.factors.every((f) => f.label && f.value >= 0 && f.value <= 1));
  assert.ok(m.recommendation_id > 0);
  const replay = await fgw.call('GET', `/api/v1/matching/recommendations/${m.recommendation_id}/replay`);
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.matches, true);
  assert.deepEqual(replay.body.replayed.recommendations.map((r) => r.product_id), ids(m));
  firstShown = m;
  const seedProduct = 1;  // 鹭岛科创贷 is for medium, small and micro firms; this enterprise is large
  const whyNot = await ent.call('GET', `/api/v1/demands/${demand.id}/why-not/${seedProduct}`);
  assert.equal(whyNot.body.eligible, false);
  assert.ok(whyNot.body.rules.some((r) => r.rule === 'sizes' && !r.passed && r.detail));
  assert.equal((await icbc.call('GET', `/api/v1/demands/${demand.id}/matches`)).status, 404, 'not an institution’s to ask');
});

test('matches change when a product is suspended, on this instance and on a second one sharing the database', async () => {
  const port = await new Promise((resolve) => { const s = createServer().listen(0, () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  const second = spawn(BIN, ['serve'], { cwd: server.dir, env: { ...server.env, CHANRONG_SERVER_PORT: String(port) }, stdio: 'ignore' });
  try {
    const base2 = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) { try { if ((await fetch(base2 + '/healthz')).ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
    const ent2 = { call: client(base2, ent.token) };
    assert.ok(ids(await matches(ent2)).includes(open.id), 'the second instance built its index');
    assert.equal((await bank.call('POST', `/api/v1/products/${open.id}/suspend`)).status, 200);
    const suspended = await matches();
    assert.ok(!ids(suspended).includes(open.id), 'gone on the instance that wrote');
    // Each list replays from the catalogue it was answered from: the one before (with the product) and after.
    for (const [shown, has] of [[firstShown, true], [suspended, false]]) {
      const replay = await fgw.call('GET', `/api/v1/matching/recommendations/${shown.recommendation_id}/replay`);
      assert.equal(replay.body.matches, true, JSON.stringify(replay.body));
      assert.equal(replay.body.replayed.recommendations.some((r) => r.product_id === open.id), has);
    }
    assert.ok(!ids(await matches(ent2)).includes(open.id), 'gone on the other instance too');
    assert.equal((await bank.call('POST', `/api/v1/products/${open.id}/resume`)).status, 200);
    assert.ok(ids(await matches(ent2)).includes(open.id), 'back after resuming');
  } finally {
    second.kill('SIGTERM');
  }
});

test('matches change when the credit grade changes, and the enterprise is told what would open products again', async () => {
  assert.ok(ids(await matches()).includes(limited.id));
  const load = await fgw.call('POST', '/api/v1/credit/loads', { source: 'xm-court', records: [
    { uscc: (await ent.call('GET', '/api/v1/credit/me')).body.enterprise.uscc, type: 'dishonest_debtor', occurred_on: '2026-10-01', external_ref: 'DD-MATCH-1' }] });
  assert.equal(load.status, 200, JSON.stringify(load.body));
  const m = await matches();
  assert.ok(!ids(m).includes(limited.id), 'grade capped at C: below the product’s minimum A');
  const miss = m.near_misses.find((n) => n.product_id === limited.id);
  assert.deepEqual(miss.failed.map((f) => f.rule), ['min_credit_grade']);
  assert.ok(m.counterfactuals.some((c) => c.change === 'credit_grade' && c.product_ids.includes(limited.id)), JSON.stringify(m.counterfactuals));
  const repaired = await fgw.call('POST', '/api/v1/credit/loads', { source: 'xm-court', records: [
    { uscc: (await ent.call('GET', '/api/v1/credit/me')).body.enterprise.uscc, type: 'dishonest_debtor', occurred_on: '2026-10-01', external_ref: 'DD-MATCH-1', status: 'removed' }] });
  assert.equal(repaired.body.updated, 1);
  assert.ok(ids(await matches()).includes(limited.id), 'credit repaired: the product is back');
});

test('equity: an equity need is matched to funds by industry and stage, not to loans', async () => {
  const need = await ent.call('POST', '/api/v1/demands', { amount_fen: 2_000_000_000, term_months: 60, purpose: 'equity' });
  assert.equal(need.status, 201, JSON.stringify(need.body));
  const res = await ent.call('GET', `/api/v1/demands/${need.body.id}/matches`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.recommendations.every((r) => r.kind === 'equity'), 'no loans for an equity need');
  const fund = res.body.near_misses.find((m) => m.product_name === '产业基金直投（路演）');
  assert.deepEqual(fund?.failed.map((f) => f.rule), ['classes446'], 'the fund invests in emerging and future industries only');
  const why = await ent.call('GET', `/api/v1/demands/${need.body.id}/why-not/${open.id}`);
  assert.ok(why.body.rules.some((r) => r.rule === 'instrument' && !r.passed));
  assert.equal((await ent.call('POST', `/api/v1/demands/${need.body.id}/close`)).status, 200);
});

test('leads: an institution sees ranked demands for its own product only', async () => {
  const leads = await bank.call('GET', `/api/v1/products/${open.id}/leads`);
  assert.equal(leads.status, 200, JSON.stringify(leads.body));
  assert.ok(leads.body.items.some((l) => l.demand_id === demand.id && l.enterprise_name));
  assert.equal((await icbc.call('GET', `/api/v1/products/${open.id}/leads`)).status, 404);
  assert.equal((await ent.call('GET', `/api/v1/products/${open.id}/leads`)).status, 403);
});

test('a batch over every open demand respects each product’s capacity and the institution cap', async () => {
  for (const amount of [200_000_000, 400_000_000]) {
    assert.equal((await ent.call('POST', '/api/v1/demands', { amount_fen: amount, term_months: 12, purpose: 'equipment' })).status, 201);
  }
  const run = await fgw.call('POST', '/api/v1/matching/batches', { institution_share_cap_percent: 60 });
  assert.equal(run.status, 201, JSON.stringify(run.body));
  assert.equal(run.body.capacity_respected, true);
  assert.equal(run.body.share_cap_respected, true);
  const detail = (await fgw.call('GET', `/api/v1/matching/batches/${run.body.id}`)).body;
  assert.ok(detail.assignments.length > 0);
  assert.ok(detail.assignments.filter((a) => a.product_id === limited.id).length <= 1, 'monthly capacity 1');
  const perInstitution = {};
  for (const a of detail.assignments) perInstitution[a.institution_id] = (perInstitution[a.institution_id] ?? 0) + 1;
  assert.ok(Object.values(perInstitution).every((n) => n <= run.body.institution_cap));
  assert.equal(new Set(detail.assignments.map((a) => a.demand_id)).size, detail.assignments.length, 'one product per demand');
  assert.equal((await ent.call('POST', '/api/v1/matching/batches', {})).status, 403);
  assert.equal((await fgw.call('POST', '/api/v1/matching/batches', { institution_share_cap_percent: 0 })).body.error.fields[0].field, 'institution_share_cap_percent');
});
