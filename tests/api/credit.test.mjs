// Credit profiles through the API: consent enforced and every institution read logged; loads from the data
// exchange with an API key (quality rules, strict mode, idempotent re-import); a new record changes the score
// while history keeps the old one and replays it; scorecard versions; monitoring; the white-list maker–checker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client } from '../support/server.mjs';

let server, admin, exchange, bank, ent, fgw, gxj, me;
before(async () => {
  server = await startServer({ seed: true });
  admin = await login(server.base, 'admin', server.logins.admin);
  bank = await login(server.base, 'bank_admin', server.logins.bank_admin);
  ent = await login(server.base, 'enterprise', server.logins.enterprise);
  fgw = await login(server.base, 'officer_fgw', server.logins.officer_fgw);
  gxj = await login(server.base, 'officer_gxj', server.logins.officer_gxj);
  const key = await admin.call('POST', '/api/v1/api-keys', { name: '公共信用数据交换', user_id: fgw.me.id });
  assert.equal(key.status, 201, JSON.stringify(key.body));
  exchange = client(server.base, key.body.key);
  me = (await ent.call('GET', '/api/v1/credit/me')).body;
});
after(async () => { await server?.stop(); });

const record = (overrides) => ({ uscc: me.enterprise.uscc, type: 'court_judgment', occurred_on: '2026-10-08',
  amount_fen: 12_000_000, external_ref: 'COURT-2026-T1', detail: '借款合同纠纷（被告）', ...overrides });

test('the enterprise sees its score with reasons and advice, and the records behind it', async () => {
  assert.ok(me.score, 'the demo load scored every enterprise');
  assert.ok(me.score.score >= 0 && me.score.score <= 1000);
  assert.match(me.score.grade, /^(AAA|AA|A|BBB|BB|B|CCC|CC|C)$/);
  assert.ok(me.score.reasons.every((r) => r.advice && r.points_lost > 0));
  const lost = me.score.reasons.map((r) => r.points_lost);
  assert.deepEqual(lost, [...lost].sort((a, b) => b - a), 'reasons ranked by points lost');
  assert.ok(me.records.some((r) => r.type === 'tax_grade' && r.counts));
  assert.equal((await ent.call('GET', `/api/v1/enterprises/${me.enterprise.id}/credit`)).status, 403, 'officers only');
  assert.equal((await bank.call('GET', '/api/v1/credit/me')).status, 403);
});

test('an institution sees the profile only under consent, and the enterprise sees who read it', async () => {
  const apps = (await ent.call('GET', '/api/v1/applications')).body.items;
  const app = apps.find((a) => a.institution_id === bank.me.institution_id) ?? apps[0];
  assert.equal((await bank.call('GET', `/api/v1/applications/${app.id}/credit-profile`)).status, 403, 'no consent yet');
  assert.equal((await ent.call('POST', `/api/v1/applications/${app.id}/consent`, { days: 30 })).status, 201);
  const profile = await bank.call('GET', `/api/v1/applications/${app.id}/credit-profile`);
  assert.equal(profile.status, 200, JSON.stringify(profile.body));
  assert.equal(profile.body.credit.score, me.score.score);
  assert.ok(profile.body.credit.reasons.length > 0, 'why, for the institution');
  assert.ok(profile.body.credit_records.length > 0);
  const viewers = (await ent.call('GET', '/api/v1/credit/me')).body.viewers;
  assert.ok(viewers.some((v) => v.user === 'bank_admin' && v.application_id === app.id));
});

test('loads check every row against the quality rules; a strict load with a bad row stores nothing', async () => {
  const bad = [
    record({ uscc: '91350100M000100Y4Z', external_ref: 'Q1' }),
    record({ type: 'weather', external_ref: 'Q2' }),
    record({ occurred_on: '2099-01-01', external_ref: 'Q3' }),
    record({ type: 'tax_grade', value: 'Z', amount_fen: undefined, external_ref: 'Q4' }),
    record({ amount_fen: -5, external_ref: 'Q5' }),
    record({ external_ref: 'Q6' }), record({ external_ref: 'Q6' }),
  ];
  const strict = await exchange('POST', '/api/v1/credit/loads', { source: 'xm-court', strict: true, records: bad });
  assert.equal(strict.status, 200, JSON.stringify(strict.body));
  assert.equal(strict.body.applied, false);
  assert.equal(strict.body.created, 0);
  assert.equal(strict.body.rejected_rows, 6);
  const rules = Object.fromEntries(strict.body.quality.rules.map((r) => [r.code, r.rows]));
  assert.deepEqual([rules.code_invalid, rules.type_unknown, rules.date_range, rules.value_invalid, rules.impossible_value, rules.duplicate],
    [1, 1, 1, 1, 1, 1]);
  assert.ok(strict.body.problems.some((p) => p.row === 2 && p.column === '统一社会信用代码'));
  const after = (await ent.call('GET', '/api/v1/credit/me')).body;
  assert.equal(after.records.length, me.records.length, 'nothing stored');
  const malformed = await exchange('POST', '/api/v1/credit/loads', { source: 'x', records: [{ uscc: 1, colour: 'red' }] });
  assert.equal(malformed.status, 400);
  assert.deepEqual(malformed.body.error.fields.map((f) => f.field).sort(), ['records[0].colour', 'records[0].uscc']);
  const sources = (await fgw.call('GET', '/api/v1/credit/sources')).body.items;
  assert.equal(sources.find((s) => s.source === 'xm-court').rows_checked, 7);
});

test('a new record changes the score, history keeps the old one, re-import is idempotent and old scores replay', async () => {
  const before = (await ent.call('GET', '/api/v1/credit/me')).body;
  const first = await exchange('POST', '/api/v1/credit/loads', { source: 'xm-court', records: [record()] });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual([first.body.created, first.body.unchanged, first.body.rescored], [1, 0, 1]);
  const changed = (await ent.call('GET', '/api/v1/credit/me')).body;
  assert.ok(changed.score.score < before.score.score, 'an open judgment as defendant costs points');
  assert.ok(changed.score.reasons.some((r) => r.code === 'JUDGMENTS'));
  assert.equal(changed.history.length, before.history.length + 1);
  const old = changed.history.find((h) => h.id === before.score.id);
  assert.equal(old.current, false);
  assert.equal(old.score, before.score.score);
  const again = await exchange('POST', '/api/v1/credit/loads', { source: 'xm-court', records: [record()] });
  assert.deepEqual([again.body.created, again.body.updated, again.body.unchanged, again.body.rescored], [0, 0, 1, 0]);
  assert.equal((await ent.call('GET', '/api/v1/credit/me')).body.history.length, changed.history.length);
  const closed = await exchange('POST', '/api/v1/credit/loads', { source: 'xm-court', records: [record({ status: 'closed' })] });
  assert.equal(closed.body.updated, 1);
  assert.equal((await ent.call('GET', '/api/v1/credit/me')).body.score.score, before.score.score, 'settled: counts no more');
  const replay = await fgw.call('GET', `/api/v1/credit/scores/${before.score.id}/replay`);
  assert.equal(replay.body.matches, true);
  assert.equal(replay.body.replayed.score, before.score.score);
});

test('a new scorecard version is added without a rebuild, activated, and the old scores still replay', async () => {
  const current = (await fgw.call('GET', '/api/v1/credit/models')).body.items.find((m) => m.active);
  const model = (await fgw.call('GET', `/api/v1/credit/models/${current.version}`)).body.model;
  const broken = { ...model, version: 'broken', characteristics: [{ ...model.characteristics[0], bins: model.characteristics[0].bins.filter((b) => !b.missing) }] };
  const refused = await admin.call('POST', '/api/v1/credit/models', broken);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.fields[0].field, '$.characteristics[0].bins');
  assert.equal((await fgw.call('POST', '/api/v1/credit/models', { ...model, version: 'x' })).status, 403);
  const v2 = { ...model, version: 'api-test-2', intercept_points: model.intercept_points - 50 };
  assert.equal((await admin.call('POST', '/api/v1/credit/models', v2)).status, 201);
  assert.equal((await admin.call('POST', '/api/v1/credit/models', v2)).status, 409, 'a version never changes');
  const before = (await ent.call('GET', '/api/v1/credit/me')).body.score;
  const activated = await admin.call('POST', '/api/v1/credit/models/api-test-2/activate');
  assert.equal(activated.status, 200, JSON.stringify(activated.body));
  assert.ok(activated.body.rescored >= 20);
  const now = (await ent.call('GET', '/api/v1/credit/me')).body.score;
  assert.equal(now.model_version, 'api-test-2');
  assert.equal(now.score, Math.max(0, before.score - 50));
  const replay = await fgw.call('GET', `/api/v1/credit/scores/${before.id}/replay`);
  assert.equal(replay.body.model_version, current.version);
  assert.equal(replay.body.matches, true);
  assert.equal((await admin.call('POST', `/api/v1/credit/models/${current.version}/activate`)).status, 200);
});

test('monitoring: score bands and PSI by month; KS and AUC once loans have outcomes', async () => {
  const today = new Date().toISOString().slice(0, 7);
  const monitoring = async () => {
    const res = await fgw.call('GET', `/api/v1/credit/monitoring?from=2026-01&to=${today}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const before = await monitoring();
  const last = before.months.at(-1);
  assert.ok(last.scored >= 20);
  assert.equal(last.bands.reduce((a, b) => a + b, 0), last.scored);
  assert.match(before.reproduce, /chanrong credit monitor --from 2026-01/);
  assert.ok(before.separation.loans_unscored > 0, 'loans disbursed before any score are left out');
  // The platform loan of the demo was disbursed today, after the enterprise was scored.
  const loans = (await bank.call('GET', '/api/v1/loans?limit=200')).body.items;
  const platform = loans.find((l) => l.loan_ref === 'XMB-DEMO-1');
  const outcome = await bank.call('POST', `/api/v1/loans/${platform.id}/outcome`, { outcome: 'default', as_of: new Date().toISOString().slice(0, 10) });
  assert.equal(outcome.status, 200, JSON.stringify(outcome.body));
  assert.equal((await bank.call('POST', `/api/v1/loans/${platform.id}/outcome`, { outcome: 'gone', as_of: '2026-11-21' })).status, 400);
  const other = (await fgw.call('GET', '/api/v1/enterprises?limit=50')).body.items.find((e) => e.id !== platform.enterprise_id);
  const reported = await bank.call('POST', '/api/v1/loans', { uscc: other.uscc, loan_ref: 'API-GOOD-1', amount_fen: 100_000_000,
    rate_bp: 350, term_months: 12, disbursed_on: new Date().toISOString().slice(0, 10) });
  assert.equal(reported.status, 201, JSON.stringify(reported.body));
  const after = (await monitoring()).separation;
  // The platform loan moves from good to bad; the new loan is good.
  assert.deepEqual([after.bads, after.goods], [before.separation.bads + 1, before.separation.goods]);
  const scoreOf = async (id) => (await fgw.call('GET', `/api/v1/enterprises/${id}/credit`)).body.score.score;
  const [good, bad] = [await scoreOf(other.id), await scoreOf(platform.enterprise_id)];
  if (before.separation.bads === 0 && before.separation.goods === 1) {
    assert.equal(after.auc, good > bad ? 1 : good === bad ? 0.5 : 0);
    assert.equal(after.ks, good === bad ? 0 : 1);
  }
  assert.equal((await fgw.call('GET', '/api/v1/credit/monitoring?from=2026-13&to=2026-01')).body.error.fields[0].field, 'from');
});

test('white list: rules propose candidates; a second officer publishes them into the directory', async () => {
  const rules = (await fgw.call('GET', '/api/v1/credit/whitelist/rules')).body;
  assert.deepEqual(rules.rules.map((r) => r.code), ['min_grade', 'no_red_flags', 'in_446', 'max_size']);
  const run = await fgw.call('POST', '/api/v1/credit/whitelist/runs');
  assert.equal(run.status, 201, JSON.stringify(run.body));
  assert.ok(run.body.proposed > 0);
  const candidates = (await fgw.call('GET', '/api/v1/credit/whitelist/candidates?status=proposed&limit=100')).body.items;
  assert.ok(candidates.every((c) => c.checks.every((k) => k.passed)));
  assert.ok(candidates.every((c) => ['AAA', 'AA', 'A'].includes(c.grade)));
  const pick = candidates[0];
  const self = await fgw.call('POST', `/api/v1/credit/whitelist/candidates/${pick.id}/approve`);
  assert.equal(self.status, 403, 'the proposer cannot check their own proposal');
  const approved = await gxj.call('POST', `/api/v1/credit/whitelist/candidates/${pick.id}/approve`);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal((await gxj.call('POST', `/api/v1/credit/whitelist/candidates/${pick.id}/approve`)).status, 409);
  const dirs = (await gxj.call('GET', '/api/v1/directories')).body.items;
  const white = dirs.find((d) => d.code === 'white_list');
  const members = (await gxj.call('GET', `/api/v1/directories/${white.id}/members?limit=200`)).body.items;
  assert.ok(members.some((m) => m.enterprise_id === pick.enterprise_id && /白名单准入规则/.test(m.entry_reason)));
  const rerun = await fgw.call('POST', '/api/v1/credit/whitelist/runs');
  assert.equal(rerun.body.proposed, 0, 'members and pending candidates are not proposed again');
  const rejected = await gxj.call('POST', `/api/v1/credit/whitelist/candidates/${candidates[1].id}/reject`, { note: '经营范围不符' });
  assert.equal(rejected.body.status, 'rejected');
});
