// The registry through the API: imports with bad rows, strict mode and idempotent re-import; the enterprise
// profile, size class and maker–checker; directories answering "as of" and comparisons; data scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login } from '../support/server.mjs';
import { uscc } from '../support/uscc.mjs';

let server, officer, bank, ent;
before(async () => {
  server = await startServer({ seed: true });
  officer = await login(server.base, 'officer_gxj', server.logins.officer_gxj);
  bank = await login(server.base, 'bank_admin', server.logins.bank_admin);
  ent = await login(server.base, 'enterprise', server.logins.enterprise);
});
after(async () => { await server?.stop(); });

function post(session, kind, csv, query) {
  return fetch(`${server.base}/api/v1/imports/${kind}?${query}`, {
    method: 'POST', headers: { authorization: 'Bearer ' + session.token, 'content-type': 'text/csv' }, body: csv,
  });
}

/** Uploads a file (queued: 202) and follows its run to the end; { status: 200, body: the finished run, seen }. */
async function upload(session, kind, csv, query) {
  const res = await post(session, kind, csv, query);
  const queued = await res.json();
  if (res.status !== 202) return { status: res.status, body: queued };
  assert.equal(queued.phase, 'queued', JSON.stringify(queued));
  assert.equal(res.headers.get('location'), `/api/v1/imports/${queued.id}`);
  const seen = [queued];
  let run = queued;
  while (run.phase !== 'done' && run.phase !== 'failed') {
    await new Promise((r) => setTimeout(r, 20));
    const answer = await session.call('GET', `/api/v1/imports/${queued.id}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    run = answer.body;
    seen.push(run);
  }
  return { status: 200, body: run, seen };
}

/** The lines of a CSV download (byte-order mark dropped). */
async function csvOf(session, path) {
  const res = await fetch(server.base + path, { headers: { authorization: 'Bearer ' + session.token } });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  return (await res.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
}

const HEADER = '统一社会信用代码,企业名称,所属区,国民经济行业代码,注册资本(万元),成立日期\n';
const GOOD = '91350200776049653A,厦门导入甲有限公司,思明区,C3974,1000,2015-06-01\n';
const BAD = '91350500798359476R,厦门导入乙有限公司,鼓浪屿区,C3974,abc,2015-06-01\n';
const FLAGGED = '91350100M000100Y4Z,厦门导入丙有限公司,湖里区,I6513,,\n';

test('an import reports bad rows by row and column; strict applies none, lenient applies the good ones', async () => {
  const csv = HEADER + GOOD + BAD + FLAGGED;
  const dry = await upload(officer, 'enterprises', csv, 'dry_run=true');
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.equal(dry.body.applied, false);
  assert.equal(dry.body.rejected_rows, 1);
  assert.equal(dry.body.flagged_rows, 1);
  const errors = dry.body.problems.filter((p) => p.severity === 'error').map((p) => `${p.row}/${p.column}/${p.value}`);
  assert.deepEqual(errors.sort(), ['3/所属区/鼓浪屿区', '3/注册资本(万元)/abc']);
  const warning = dry.body.problems.find((p) => p.severity === 'warning');
  assert.equal(warning.row, 4);
  assert.equal(warning.column, '统一社会信用代码');

  const strict = await upload(officer, 'enterprises', csv, 'dry_run=false&strict=true');
  assert.equal(strict.body.applied, false);
  const none = await officer.call('GET', '/api/v1/enterprises?q=' + encodeURIComponent('导入'));
  assert.equal(none.body.total, 0);

  const lenient = await upload(officer, 'enterprises', csv, 'dry_run=false&strict=false');
  assert.equal(lenient.body.applied, true);
  assert.equal(lenient.body.created, 2);
  const two = await officer.call('GET', '/api/v1/enterprises?q=' + encodeURIComponent('导入'));
  assert.equal(two.body.total, 2);
  assert.ok(two.body.items.some((e) => e.uscc_valid === false), 'the bad code is kept and flagged for review');

  const again = await upload(officer, 'enterprises', csv, 'dry_run=false');
  assert.equal(again.body.created, 0);
  assert.equal(again.body.unchanged, 2);

  const report = await fetch(`${server.base}/api/v1/imports/${dry.body.import_id}/report?format=csv`, {
    headers: { authorization: 'Bearer ' + officer.token } });
  const text = await report.text();
  assert.match(text, /鼓浪屿区/);
  const reportXlsx = await fetch(`${server.base}/api/v1/imports/${dry.body.import_id}/report?format=xlsx`, {
    headers: { authorization: 'Bearer ' + officer.token } });
  assert.equal(reportXlsx.status, 200);
  assert.match(reportXlsx.headers.get('content-type'), /spreadsheetml/);
  assert.equal(Buffer.from(await reportXlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  const exported = await fetch(`${server.base}/api/v1/enterprises/export?format=csv&q=${encodeURIComponent('导入')}`, {
    headers: { authorization: 'Bearer ' + officer.token } });
  assert.equal(exported.headers.get('transfer-encoding'), 'chunked', 'exports are streamed');
  const rows = (await exported.text()).trim().split('\r\n');
  assert.equal(rows.length, 3, 'header and the two imported enterprises');
  const xlsx = await fetch(`${server.base}/api/v1/directories/1/members/export?format=xlsx`, {
    headers: { authorization: 'Bearer ' + officer.token } });
  assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  const history = await officer.call('GET', '/api/v1/imports');
  assert.ok(history.body.total >= 4);
  const template = await fetch(`${server.base}/api/v1/imports/templates/enterprises?format=csv`, {
    headers: { authorization: 'Bearer ' + officer.token } });
  const bytes = Buffer.from(await template.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM so Excel reads Chinese headers');
  assert.match(bytes.toString('utf8', 3), /^统一社会信用代码,企业名称,所属区,国民经济行业代码/);
});

test('an upload is queued (202) and its run shows phase and progress until done with every row counted', async () => {
  const lines = [];
  for (let n = 77_000_000; lines.length < 3000; n++) {
    const code = uscc(n);
    if (code) lines.push(`${code},厦门后台导入${n}有限公司,湖里区,I6513,10,2020-01-01\n`);
  }
  const run = await upload(officer, 'enterprises', HEADER + lines.join(''), 'dry_run=false&file_name=bulk.csv');
  assert.equal(run.body.phase, 'done', JSON.stringify({ ...run.body, problems: run.body.problems?.slice(0, 3) }));
  assert.equal(run.body.rows_total, 3000);
  assert.equal(run.body.rows_done, 3000);
  assert.equal(run.body.total_rows, 3000);
  assert.equal(run.body.created, 3000);
  assert.equal(run.body.applied, true);
  assert.equal(run.body.file_name, 'bulk.csv');
  assert.ok(run.body.started_at && run.body.finished_at);
  const phases = ['queued', 'validating', 'applying', 'done'];
  const order = run.seen.map((r) => phases.indexOf(r.phase));
  assert.ok(order.every((p, i) => p >= 0 && (i === 0 || p >= order[i - 1])), `phases move forward: ${run.seen.map((r) => r.phase)}`);
  for (const r of run.seen) assert.ok(r.rows_done <= r.rows_total || r.phase === 'queued', JSON.stringify(r));
  const listed = (await officer.call('GET', '/api/v1/imports?limit=1')).body.items[0];
  assert.equal(listed.id, run.body.id);
  assert.equal(listed.phase, 'done');
  assert.equal(listed.rows_total, 3000);
  const search = await officer.call('GET', '/api/v1/enterprises?q=' + encodeURIComponent('后台导入'));
  assert.equal(search.body.total, 3000);
  const runs = await csvOf(officer, '/api/v1/imports/export?format=csv');
  assert.equal(runs[0], '编号,类型,文件,操作人,试运行,严格模式,已写入,总行数,新增,更新,未变,拒绝,待核查,阶段,时间');
  assert.ok(runs.length >= 2 && /^\d+,enterprises,/.test(runs[1]), runs.slice(0, 3).join('\n'));
});

test('the CLI import shows each phase with its rows, then the outcome', () => {
  let csv = HEADER;
  for (let n = 60_000_000, made = 0; made < 12_000; n++) {
    const code = uscc(n);
    if (!code) continue;
    csv += `${code},厦门命令行导入${made}号有限公司,集美区,C3974,100,2015-06-01\n`;
    made++;
  }
  const file = join(server.dir, 'cli-import.csv');
  writeFileSync(file, csv);
  const out = server.cli('import', 'enterprises', file);
  assert.equal(out.status, 0, out.stderr);
  const shown = out.stderr.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean);
  for (const line of ['· 校验 validating 0 / 12000 rows', '· 校验 validating 10000 / 12000 rows',
    '· 校验 validating 12000 / 12000 rows', '· 写入 applying 0 / 12000 rows', '· 写入 applying 12000 / 12000 rows'])
    assert.ok(shown.includes(line), `"${line}" not in ${JSON.stringify(shown)}`);
  // On SQLite a load as large as the table builds the indexes after the rows, and says so.
  const indexing = shown.includes('· 建立索引 indexing 1 / 1');
  assert.equal(indexing, (process.env.CHANRONG_API_BACKEND || 'sqlite') === 'sqlite', JSON.stringify(shown));
  assert.match(out.stdout, /共 12000 行，新增 12000/);
});

test('key projects: registered with investment, financing need and stage, refused naming the field, listed newest first, entered in the key projects directory', async () => {
  const enterprise = (await officer.call('GET', '/api/v1/enterprises?limit=1')).body.items[0];
  const bad = await officer.call('POST', '/api/v1/projects', { name: '厦门测试项目', enterprise_id: 999999999, district: '鼓浪屿区' });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.deepEqual(bad.body.error.fields.map((f) => f.field).sort(), ['district', 'enterprise_id']);
  const stage = await officer.call('POST', '/api/v1/projects', { name: '厦门测试项目', stage: 'dreaming' });
  assert.equal(stage.status, 400);
  assert.equal(stage.body.error.fields[0].field, 'stage');
  const made = await officer.call('POST', '/api/v1/projects', {
    name: '厦门测试智造产业园项目', enterprise_id: enterprise.id, investment_fen: 1_250_000_000_00, financing_need_fen: 300_000_000_00,
    stage: 'construction', district: '集美区',
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const listed = await officer.call('GET', '/api/v1/projects?limit=5');
  assert.equal(listed.status, 200);
  const first = listed.body.items[0];
  assert.equal(first.id, made.body.id, 'newest first');
  assert.equal(first.enterprise_name, enterprise.name);
  assert.equal(first.investment_fen, 1_250_000_000_00);
  assert.equal(first.stage, 'construction');
  const dirs = (await officer.call('GET', '/api/v1/directories')).body.items;
  const keyProjects = dirs.find((d) => d.code === 'key_projects');
  assert.equal(keyProjects.member_kind, 'project');
  const entered = await officer.call('POST', `/api/v1/directories/${keyProjects.id}/entries`, {
    project_id: made.body.id, effective_from: '2026-01-01', reason: '2026年度重点项目',
  });
  assert.equal(entered.status, 201, JSON.stringify(entered.body));
  const members = await officer.call('GET', `/api/v1/directories/${keyProjects.id}/members?as_of=2026-06-30`);
  assert.ok(members.body.items.some((m) => m.project_id === made.body.id && m.name === '厦门测试智造产业园项目'));

  // Both lists download as CSV (and XLSX), amounts in 万元.
  const csv = await fetch(`${server.base}/api/v1/projects/export?format=csv`, { headers: { authorization: 'Bearer ' + officer.token } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = (await csv.text()).replace(/^\uFEFF/, '').split(/\r?\n/);
  assert.equal(lines[0], '项目名称,建设主体,阶段,总投资(万元),融资需求(万元),所属区,4+4+6产业,绿色项目类别');
  assert.ok(lines.includes(`厦门测试智造产业园项目,${enterprise.name},建设,125000.00,30000.00,集美区,,`), lines.slice(0, 3).join('\n'));
  const history = await fetch(`${server.base}/api/v1/directories/${keyProjects.id}/history/export?format=csv`, {
    headers: { authorization: 'Bearer ' + officer.token },
  });
  assert.equal(history.status, 200);
  const historyText = await history.text();
  assert.match(historyText, /纳入日期,移出日期,纳入理由/);
  assert.match(historyText, /厦门测试智造产业园项目,,,2026-01-01,,2026年度重点项目/);
  const xlsx = await fetch(`${server.base}/api/v1/projects/export`, { headers: { authorization: 'Bearer ' + officer.token } });
  assert.equal(xlsx.status, 200);
  assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  const badFormat = await officer.call('GET', '/api/v1/projects/export?format=pdf');
  assert.equal(badFormat.status, 400);
  assert.equal(badFormat.body.error.fields[0].field, 'format');
});

test('a run that cannot be read ends failed with the reason; wait=true answers synchronously; unknown runs are 404', async () => {
  const failed = await upload(officer, 'enterprises', '企业名称\n甲\n', 'dry_run=true');
  assert.equal(failed.body.phase, 'failed');
  assert.match(failed.body.error, /缺少必填列/);
  const inline = await post(officer, 'enterprises', HEADER + GOOD, 'dry_run=true&wait=true');
  assert.equal(inline.status, 200);
  const report = await inline.json();
  assert.equal(report.total_rows, 1);
  const stored = await officer.call('GET', `/api/v1/imports/${report.import_id}`);
  assert.equal(stored.body.phase, 'done');
  assert.equal(stored.body.rows_total, 1);
  const bad = await post(officer, 'enterprises', '企业名称\n甲\n', 'wait=true');
  assert.equal(bad.status, 400, 'the synchronous form still refuses a bad file with 400');
  assert.equal((await officer.call('GET', '/api/v1/imports/999999')).status, 404);
  assert.equal((await officer.call('GET', '/api/v1/imports/abc')).status, 400);
  assert.equal((await ent.call('GET', `/api/v1/imports/${report.import_id}`)).status, 403);
  assert.equal((await post(officer, 'enterprises', HEADER, 'wait=maybe')).status, 400);
});

test('a form refuses a bad credit code with the exact reason', async () => {
  const res = await officer.call('POST', '/api/v1/enterprises', { uscc: '91350200776049653B', name: '甲', district: '思明区', industry_code: 'C3974' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.fields[0].field, 'uscc');
  assert.match(res.body.error.fields[0].message, /第 18 位校验码应为 'A'/);
  const unknown = await officer.call('POST', '/api/v1/enterprises', { uscc: '91350503MA31DKY80A', name: '乙', district: '思明区', industry_code: 'C9999' });
  assert.equal(unknown.body.error.fields[0].field, 'industry_code');
});

test('figures set the size class with its rule; the enterprise edits its own profile and an officer approves its industry change', async () => {
  const id = ent.me.enterprise_id;
  const profile = (await ent.call('GET', `/api/v1/enterprises/${id}`)).body;
  const put = await officer.call('PUT', `/api/v1/enterprises/${id}/figures/2026`, { employees: 350, revenue_fen: 3_000_000_000, assets_fen: 5_000_000_000 });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.size_class, 'medium');
  assert.match(put.body.size_rule, /中型/);
  const edit = await ent.call('PATCH', `/api/v1/enterprises/${id}`, { address: '翔安区新地址1号', industry_code: 'C3972', version: profile.version });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  assert.equal(edit.body.address, '翔安区新地址1号');
  assert.equal(edit.body.industry_code, profile.industry_code);
  assert.equal(edit.body.pending_changes.length, 1);
  assert.equal(edit.body.pending_change_id, edit.body.pending_changes[0].id);
  const other = await ent.call('PATCH', `/api/v1/enterprises/${id + 1}`, { address: 'x', version: 1 });
  assert.equal(other.status, 403);
  const pending = await officer.call('GET', '/api/v1/pending-changes');
  const change = pending.body.items.find((c) => c.enterprise_id === id);
  assert.ok(change);
  assert.equal((await ent.call('POST', `/api/v1/pending-changes/${change.id}/approve`, {})).status, 403);
  assert.equal((await officer.call('POST', `/api/v1/pending-changes/${change.id}/approve`, { note: '核实无误' })).status, 200);
  const after = (await officer.call('GET', `/api/v1/enterprises/${id}`)).body;
  assert.equal(after.industry_code, 'C3972');
  assert.equal(after.legal_rep.includes('*'), true, 'the legal representative is shown masked');
  const approved = await csvOf(officer, '/api/v1/pending-changes/export?status=approved&format=csv');
  assert.equal(approved[0], '企业,类型,变更内容,申请人,申请时间,状态');
  const line = approved.find((l) => l.startsWith(`${after.name},行业,`));
  assert.ok(line && line.includes('C3972') && line.endsWith(',已通过'), approved.join('\n'));
});

test('directory membership answers "as of" a date and compares two dates', async () => {
  const dirs = (await officer.call('GET', '/api/v1/directories')).body.items;
  const white = dirs.find((d) => d.code === 'white_list');
  const before = await officer.call('GET', `/api/v1/directories/${white.id}/members?as_of=2024-06-01`);
  const names2024 = before.body.items.map((m) => m.name);
  assert.ok(names2024.includes('厦门同禾精密机械有限公司'), 'left in 2025 but a member in mid-2024');
  const now = await officer.call('GET', `/api/v1/directories/${white.id}/members`);
  assert.ok(!now.body.items.some((m) => m.name === '厦门同禾精密机械有限公司'));
  const diff = await officer.call('GET', `/api/v1/directories/${white.id}/diff?from=2024-06-01&to=2025-06-01`);
  assert.deepEqual(diff.body.removed.map((m) => m.name), ['厦门同禾精密机械有限公司']);
  assert.ok(diff.body.added.length >= 1);
  const diffCsv = await csvOf(officer, `/api/v1/directories/${white.id}/diff/export?from=2024-06-01&to=2025-06-01&format=csv`);
  assert.equal(diffCsv[0], '变化,名称,统一社会信用代码,层级,纳入日期,移出日期,理由');
  assert.equal(diffCsv.filter((l) => l.startsWith('移出,厦门同禾精密机械有限公司,')).length, 1, diffCsv.join('\n'));
  assert.equal(diffCsv.filter((l) => l.startsWith('新增,')).length, diff.body.added.length);
  const badDates = await officer.call('GET', `/api/v1/directories/${white.id}/diff/export?from=2025-13-01&to=2025-06-01`);
  assert.equal(badDates.status, 400, 'dates are checked before the download starts');

  const target = (await officer.call('GET', '/api/v1/enterprises?q=' + encodeURIComponent('导入甲'))).body.items[0];
  await bank.call('POST', `/api/v1/directories/${white.id}/subscribe`);
  await bank.call('POST', `/api/v1/directories/${white.id}/changes`);
  const added = await officer.call('POST', `/api/v1/directories/${white.id}/entries`, {
    enterprise_id: target.id, effective_from: '2026-01-01', reason: '2026年度增补', evidence: '厦发改〔2026〕1号' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const dup = await officer.call('POST', `/api/v1/directories/${white.id}/entries`, { enterprise_id: target.id, effective_from: '2026-02-01', reason: 'x' });
  assert.equal(dup.status, 409);
  const unseen = (await bank.call('GET', '/api/v1/directories')).body.items.find((d) => d.id === white.id);
  assert.equal(unseen.unseen_changes, 1, 'the subscriber sees one change waiting');
  assert.equal((await officer.call('GET', '/api/v1/directories')).body.items.find((d) => d.id === white.id).unseen_changes, 0,
    'not subscribed: nothing counted');
  const changes = await bank.call('POST', `/api/v1/directories/${white.id}/changes`);
  assert.deepEqual(changes.body.entered.map((e) => e.enterprise_id), [target.id]);
  assert.equal((await bank.call('GET', '/api/v1/directories')).body.items.find((d) => d.id === white.id).unseen_changes, 0);
  const history = await officer.call('GET', `/api/v1/directories/${white.id}/history?enterprise_id=${target.id}`);
  assert.equal(history.body.items[0].entry_reason, '2026年度增补');
  assert.equal(history.body.items[0].entry_approved_by, 'officer_gxj');
});

test('institution and enterprise users cannot write the registry; an enterprise user sees only its own entries', async () => {
  assert.equal((await bank.call('POST', '/api/v1/enterprises', {})).status, 403);
  assert.equal((await upload(bank, 'enterprises', HEADER + GOOD, 'dry_run=true')).status, 403);
  assert.equal((await bank.call('POST', '/api/v1/directories/1/entries', {})).status, 403);
  const list = await ent.call('GET', '/api/v1/enterprises');
  assert.deepEqual(list.body.items.map((e) => e.id), [ent.me.enterprise_id]);
  const members = await ent.call('GET', '/api/v1/directories/1/members');
  assert.ok(members.body.items.every((m) => m.enterprise_id === ent.me.enterprise_id));
});

test('officers register institution branches under their head office', async () => {
  const admin = await login(server.base, 'admin', server.logins.admin);
  const head = bank.me.institution_id;
  const branch = await admin.call('POST', '/api/v1/institutions', { name: '厦门银行集美支行', kind: 'bank', district: '集美区', parent_id: head });
  assert.equal(branch.status, 200, JSON.stringify(branch.body));
  assert.equal(branch.body.parent_id, head);
  const mine = await bank.call('GET', '/api/v1/institutions?limit=50');
  assert.ok(mine.body.items.some((i) => i.id === branch.body.id), 'the head office sees its new branch');
  const icbc = await login(server.base, 'icbc_admin', server.logins.icbc_admin);
  assert.equal((await icbc.call('GET', `/api/v1/institutions/${branch.body.id}`)).status, 404);
  const bad = await admin.call('POST', '/api/v1/institutions', { name: 'x', kind: 'casino' });
  assert.equal(bad.body.error.fields[0].field, 'kind');
  // The bank's download holds its own tree only.
  const csv = await fetch(`${server.base}/api/v1/institutions/export?format=csv`, { headers: { authorization: 'Bearer ' + bank.token } });
  assert.equal(csv.status, 200);
  const rows = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(rows[0], '名称,类型,统一社会信用代码,所属区,上级机构ID');
  assert.ok(rows.includes(`厦门银行集美支行,bank,,集美区,${head}`), rows.join('\n'));
  assert.equal(rows.length - 1, mine.body.total + 0, 'one line per institution the bank may see');
});
