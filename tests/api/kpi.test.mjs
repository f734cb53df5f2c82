// Pilot targets and the cockpit through the API: a reported figure needs a second officer; a correction keeps
// the old value; snapshots are reproducible; targets change with history; reports export every target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../support/server.mjs';

let server, admin, fgw, gxj, bank, ent;
before(async () => {
  server = await startServer({ seed: true });
  admin = await login(server.base, 'admin', server.logins.admin);
  fgw = await login(server.base, 'officer_fgw', server.logins.officer_fgw);
  gxj = await login(server.base, 'officer_gxj', server.logins.officer_gxj);
  bank = await login(server.base, 'bank_admin', server.logins.bank_admin);
  ent = await login(server.base, 'enterprise', server.logins.enterprise);
});
after(async () => { await server?.stop(); });

const today = new Date().toISOString().slice(0, 10);
const lastMonth = (() => { const d = new Date(); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() - 1); return d.toISOString().slice(0, 7); })();
const figure = (cockpit, id) => cockpit.figures.find((f) => f.id === id);
const cockpit = async (query = '') => {
  const res = await fgw.call('GET', `/api/v1/kpi/cockpit${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

test('the cockpit shows every indicator and every target of the plan with a status and, when lagging, who answers', async () => {
  const c = await cockpit();
  assert.equal(c.as_of, today);
  assert.equal(c.targets.length, 26);
  for (const t of c.targets) {
    assert.match(t.status, /^(met|on_track|at_risk|behind|missed|no_data)$/);
    if (['at_risk', 'behind', 'missed', 'no_data'].includes(t.status)) assert.ok(t.accountable_units.length > 0, t.id);
  }
  assert.equal(figure(c, 'enterprises_enrolled').value, 20);
  const byClass = figure(c, 'financings_amount').breakdowns.find((b) => b.dimension === 'class446');
  assert.equal(byClass.cells.reduce((a, cell) => a + (cell.value ?? 0), 0), figure(c, 'financings_amount').value, 'a breakdown adds up');
  const trend = figure(c, 'financings_amount').trend;
  assert.equal(trend.length, 12);
  assert.equal(trend.at(-1).day, today, 'month-ends, then the as-of day');
  assert.ok(c.ranking.length > 0 && c.ranking[0].name);
  assert.equal((await ent.call('GET', '/api/v1/kpi/cockpit')).status, 403);
  assert.equal((await fgw.call('GET', '/api/v1/kpi/cockpit?as_of=2026-13-01')).body.error.fields[0].field, 'as_of');
  assert.equal((await fgw.call('GET', '/api/v1/kpi/cockpit?ranking=vibes')).body.error.fields[0].field, 'ranking');
});

test('a reported value counts only once a second officer confirms it; a correction keeps the old value', async () => {
  const before = figure(await cockpit(), 'fund_count').value;
  const filed = await fgw.call('POST', '/api/v1/kpi/reported', { indicator_id: 'fund_count', period: lastMonth, value: 95, note: '月报', evidence: '统计表' });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  assert.equal(filed.body.status, 'pending');
  assert.equal(figure(await cockpit(), 'fund_count').value, before, 'pending figures do not count');
  assert.equal((await fgw.call('POST', `/api/v1/kpi/reported/${filed.body.id}/confirm`)).status, 403, 'maker cannot check');
  assert.equal((await gxj.call('POST', `/api/v1/kpi/reported/${filed.body.id}/confirm`)).status, 200);
  assert.equal(figure(await cockpit(), 'fund_count').value, 95);
  const again = await fgw.call('POST', '/api/v1/kpi/reported', { indicator_id: 'fund_count', period: lastMonth, value: 97 });
  assert.equal(again.status, 409, 'a confirmed month changes only by correction');
  const correction = await fgw.call('POST', '/api/v1/kpi/reported', { indicator_id: 'fund_count', period: lastMonth, value: 97, corrects_id: filed.body.id, note: '补报两只基金' });
  assert.equal(correction.status, 201);
  assert.equal((await gxj.call('POST', `/api/v1/kpi/reported/${correction.body.id}/confirm`)).status, 200);
  assert.equal(figure(await cockpit(), 'fund_count').value, 97);
  const history = (await fgw.call('GET', '/api/v1/kpi/reported?indicator_id=fund_count&limit=50')).body.items;
  assert.equal(history.find((r) => r.id === filed.body.id).status, 'superseded');
  assert.equal(history.find((r) => r.id === filed.body.id).value, 95, 'the old value stays');
  const platform = await fgw.call('POST', '/api/v1/kpi/reported', { indicator_id: 'financings_count', period: lastMonth, value: 1 });
  assert.equal(platform.status, 400);
  assert.equal(platform.body.error.fields[0].field, 'indicator_id');
  assert.equal((await bank.call('POST', '/api/v1/kpi/reported', { indicator_id: 'fund_count', period: lastMonth, value: 1 })).status, 403);
  const rejected = await fgw.call('POST', '/api/v1/kpi/reported', { indicator_id: 'fund_size', period: lastMonth, value: 5 });
  assert.equal((await gxj.call('POST', `/api/v1/kpi/reported/${rejected.body.id}/reject`, { note: '数值有误' })).body.status, 'rejected');
});

test('snapshots of an ended month are reproducible; new activity changes the cockpit, not the old month', async () => {
  const first = await fgw.call('POST', '/api/v1/kpi/snapshots', { period: lastMonth });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const count = figure(await cockpit(), 'financings_count').value;
  const other = (await fgw.call('GET', '/api/v1/enterprises?limit=5')).body.items[1];
  const loan = await bank.call('POST', '/api/v1/loans', { uscc: other.uscc, loan_ref: 'KPI-TODAY-1', amount_fen: 50_000_000, rate_bp: 330, term_months: 12, disbursed_on: today });
  assert.equal(loan.status, 201, JSON.stringify(loan.body));
  assert.equal(figure(await cockpit(), 'financings_count').value, count + 1, 'caught up with the new loan');
  const second = await fgw.call('POST', '/api/v1/kpi/snapshots', { period: lastMonth });
  assert.equal(second.body.hash, first.body.hash);
  const stored = (await fgw.call('GET', `/api/v1/kpi/snapshots/${second.body.id}`)).body;
  assert.equal(stored.rows.length, second.body.rows);
  const monthEnd = stored.as_of;
  const then = figure(await cockpit(`?as_of=${monthEnd}`), 'financings_count').value;
  assert.ok(stored.rows.some((r) => r.indicator_id === 'financings_count' && r.dimension === 'total' && r.value === then));
  assert.equal((await fgw.call('POST', '/api/v1/kpi/snapshots', { period: today.slice(0, 7) })).body.error.fields[0].field, 'period');
  assert.equal((await ent.call('POST', '/api/v1/kpi/snapshots', { period: lastMonth })).status, 403);
});

test('targets change only by an administrator, with a reason and history; officers write commentary', async () => {
  assert.equal((await admin.call('PATCH', '/api/v1/kpi/targets/P26-01', { target_value: 14 })).body.error.fields[0].field, 'reason');
  const changed = await admin.call('PATCH', '/api/v1/kpi/targets/P26-01', { target_value: 14, reason: '市政府常务会议调整' });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal(changed.body.target_value, 14);
  const history = (await fgw.call('GET', '/api/v1/kpi/targets/P26-01/history')).body.items;
  assert.deepEqual([history[0].target_value, history[0].reason], [12, '市政府常务会议调整']);
  assert.equal((await fgw.call('PATCH', '/api/v1/kpi/targets/P26-01', { target_value: 1, reason: 'x' })).status, 403);
  assert.equal((await cockpit()).targets.find((t) => t.id === 'P26-01').target, 14);
  const note = await fgw.call('PUT', '/api/v1/kpi/targets/P26-01/commentary', { commentary: '全年计划举办 14 场' });
  assert.equal(note.status, 200);
  const events = figure(await cockpit(), 'events_held').value ?? 0;
  const event = await fgw.call('POST', '/api/v1/kpi/events', { title: '湖里区银企对接会', held_on: today, organiser: '市发改委', financing_fen: 100_000_000 });
  assert.equal(event.status, 201, JSON.stringify(event.body));
  assert.equal(figure(await cockpit(), 'events_held').value, events + 1);
  assert.equal((await fgw.call('POST', '/api/v1/kpi/events', { title: 'x', held_on: '2999-01-01', organiser: 'y' })).body.error.fields[0].field, 'held_on');
});

test('the annual report (XLSX and HTML) has every target of the plan; the monthly tracking table by industry', async () => {
  const year = today.slice(0, 4);
  const html = await fgw.call('GET', `/api/v1/kpi/reports/annual?year=${year}&format=html`);
  assert.equal(html.status, 200);
  const ids = [...html.text.matchAll(/<td>(P2[4-6]-\d\d)<\/td>/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, 26);
  assert.match(html.text, /全年计划举办 14 场/);
  const xlsx = await fetch(`${server.base}/api/v1/kpi/reports/annual?year=${year}`, { headers: { authorization: 'Bearer ' + fgw.token } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  const monthly = await fgw.call('GET', `/api/v1/kpi/reports/monthly?month=${lastMonth}&format=html`);
  assert.equal(monthly.status, 200);
  assert.match(monthly.text, /合计/);
  assert.equal((await fgw.call('GET', '/api/v1/kpi/reports/monthly?month=2026-13')).status, 400);
});
