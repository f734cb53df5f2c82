// The command log: one row per write with before/after, secrets removed, a verifiable hash chain that detects
// an edit made directly in the database, search and export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, login, ADMIN } from '../support/server.mjs';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await login(server.base, ADMIN.username, ADMIN.password);
});
after(async () => { await server?.stop(); });

// The administrator's entries only: the server's own scheduled jobs (e.g. the monthly KPI snapshot taken at
// start-up) write audit rows of the system at moments of their own.
const mine = () => `/api/v1/audit-logs?limit=1&actor=${ADMIN.username}`;
async function newestEntry() {
  return (await admin.call('GET', mine())).body.items[0];
}

test('every write adds exactly one audit row naming the action, with before and after', async () => {
  const writes = [];
  const expect = async (action, method, path, body, status) => {
    const before = (await admin.call('GET', mine())).body.total;
    const res = await admin.call(method, path, body);
    assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
    const entry = await newestEntry();
    assert.equal((await admin.call('GET', mine())).body.total, before + 1, action);
    assert.equal(entry.action, action);
    assert.equal(entry.actor_name, ADMIN.username);
    assert.equal(entry.result, 'ok');
    writes.push(entry);
    return res.body;
  };
  const dept = await expect('department.create', 'POST', '/api/v1/departments', { name: '审计测试处', code: 'AUD' }, 201);
  await expect('department.update', 'PATCH', `/api/v1/departments/${dept.id}`, { name: '审计测试二处', version: dept.version }, 200);
  const updated = writes.at(-1);
  assert.equal(updated.before.name, '审计测试处');
  assert.equal(updated.after.name, '审计测试二处');
  const user = await expect('user.create', 'POST', '/api/v1/users',
    { username: 'audited', display_name: 'A', password: 'Secret-Value-99', role_ids: [2], department_id: dept.id }, 201);
  assert.equal(writes.at(-1).payload.password, '***', 'secrets are removed from the payload');
  assert.ok(!JSON.stringify(writes.at(-1)).includes('Secret-Value-99'));
  await expect('user.update', 'PATCH', `/api/v1/users/${user.id}`, { display_name: 'B', version: user.version }, 200);
  await expect('user.disable', 'POST', `/api/v1/users/${user.id}/disable`, undefined, 200);
  await expect('user.enable', 'POST', `/api/v1/users/${user.id}/enable`, undefined, 200);
  await expect('user.reset_password', 'POST', `/api/v1/users/${user.id}/reset-password`, { password: 'Fresh-Value-77' }, 204);
  const role = await expect('role.create', 'POST', '/api/v1/roles',
    { code: 'viewer', name: '查看者', kind: 'government', data_scope: 'all', permissions: ['enterprise:read'] }, 201);
  await expect('role.update', 'PATCH', `/api/v1/roles/${role.id}`, { permissions: ['enterprise:read', 'institution:read'], version: role.version }, 200);
  const other = await expect('department.create', 'POST', '/api/v1/departments', { name: '临时', code: 'TMP' }, 201);
  await expect('department.delete', 'DELETE', `/api/v1/departments/${other.id}`, undefined, 204);
  const verify = await admin.call('GET', '/api/v1/audit-logs/verify');
  assert.equal(verify.body.ok, true, verify.body.message);
});

test('a stale version is refused with 409 and logged as a conflict', async () => {
  const dept = (await admin.call('POST', '/api/v1/departments', { name: '版本', code: 'VER' })).body;
  assert.equal((await admin.call('PATCH', `/api/v1/departments/${dept.id}`, { name: 'v2', version: dept.version })).status, 200);
  const stale = await admin.call('PATCH', `/api/v1/departments/${dept.id}`, { name: 'v3', version: dept.version });
  assert.equal(stale.status, 409);
  const entry = await newestEntry();
  assert.equal(entry.result, 'conflict');
  assert.equal(entry.after, null);
});

test('search filters by action, entity, actor and date; export gives XLSX and CSV', async () => {
  const byAction = await admin.call('GET', '/api/v1/audit-logs?action=department.create');
  assert.ok(byAction.body.total >= 2);
  assert.ok(byAction.body.items.every((e) => e.action === 'department.create'));
  const byEntity = await admin.call('GET', '/api/v1/audit-logs?entity=user&actor=sysad');
  assert.ok(byEntity.body.items.every((e) => e.entity === 'user'));
  const future = await admin.call('GET', '/api/v1/audit-logs?from=2999-01-01');
  assert.equal(future.body.total, 0);
  assert.equal((await admin.call('GET', '/api/v1/audit-logs?from=yesterday')).body.error.fields[0].field, 'from');
  const xlsx = await fetch(server.base + '/api/v1/audit-logs/export?format=xlsx', { headers: { authorization: 'Bearer ' + admin.token } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const csv = await fetch(server.base + '/api/v1/audit-logs/export?format=csv&action=role.', { headers: { authorization: 'Bearer ' + admin.token } });
  const text = await csv.text();
  assert.match(text, /role\.create/);
  assert.doesNotMatch(text, /department\.create/);
});

test('an edit made directly in the database breaks the chain at that row', async () => {
  const target = (await admin.call('GET', '/api/v1/audit-logs?action=user.create&limit=1')).body.items[0];
  const url = server.env.CHANRONG_DATABASE_URL;
  const sql = url.startsWith('sqlite:')
    ? ['DROP TRIGGER audit_log_no_update;', `UPDATE audit_log SET actor_name = 'mallory' WHERE id = ${target.id};`]
    : ['DROP TRIGGER audit_log_no_change ON audit_log;', `UPDATE audit_log SET actor_name = 'mallory' WHERE id = ${target.id};`];
  if (url.startsWith('sqlite:')) execFileSync('sqlite3', [url.slice(7), sql.join(' ')]);
  else execFileSync('psql', [url, '-qc', sql.join(' ')]);
  const verify = await admin.call('GET', '/api/v1/audit-logs/verify');
  assert.equal(verify.body.ok, false);
  assert.equal(verify.body.first_broken_id, target.id);
  const cli = server.cli('verify-audit');
  assert.equal(cli.status, 3);
  assert.match(cli.stdout, new RegExp(`第 ${target.id} 行`));
});
