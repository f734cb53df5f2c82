// Permissions for every role and data scope: each protected endpoint refuses (403) every role without its
// permission; institution users see only their own institution's records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, login } from '../support/server.mjs';

let server;
const sessions = {};
before(async () => {
  server = await startServer({ seed: true });
  for (const [username, password] of Object.entries(server.logins)) sessions[username] = await login(server.base, username, password);
});
after(async () => { await server?.stop(); });

// Every permission-guarded endpoint, with a request that would otherwise be valid enough to pass routing.
const ENDPOINTS = [
  ['GET', '/api/v1/users', 'user:read'],
  ['POST', '/api/v1/users', 'user:create', {}],
  ['PATCH', '/api/v1/users/1', 'user:update', {}],
  ['POST', '/api/v1/users/1/disable', 'user:update'],
  ['POST', '/api/v1/users/1/reset-password', 'user:update', {}],
  ['GET', '/api/v1/departments', 'department:read'],
  ['POST', '/api/v1/departments', 'department:write', {}],
  ['DELETE', '/api/v1/departments/1', 'department:write'],
  ['GET', '/api/v1/roles', 'role:read'],
  ['POST', '/api/v1/roles', 'role:write', {}],
  ['GET', '/api/v1/sessions', 'session:read'],
  ['POST', '/api/v1/sessions/1/revoke', 'session:revoke'],
  ['GET', '/api/v1/login-logs', 'loginlog:read'],
  ['GET', '/api/v1/audit-logs', 'audit:read'],
  ['GET', '/api/v1/audit-logs/export', 'audit:export'],
  ['GET', '/api/v1/audit-logs/verify', 'audit:verify'],
  ['GET', '/api/v1/api-keys', 'apikey:read'],
  ['POST', '/api/v1/api-keys', 'apikey:write', {}],
  ['GET', '/api/v1/institutions', 'institution:read'],
  ['GET', '/api/v1/enterprises', 'enterprise:read'],
  ['POST', '/api/v1/enterprises', 'enterprise:write', {}],
  ['POST', '/api/v1/enterprises/1/industry-446', 'enterprise:write', {}],
  ['POST', '/api/v1/enterprise-tags/1/revoke', 'enterprise:write', {}],
  ['GET', '/api/v1/pending-changes', 'enterprise:approve'],
  ['POST', '/api/v1/pending-changes/1/approve', 'enterprise:approve', {}],
  ['GET', '/api/v1/directories', 'directory:read'],
  ['POST', '/api/v1/directories/1/entries', 'directory:write', {}],
  ['POST', '/api/v1/directory-entries/1/exit', 'directory:write', {}],
  ['POST', '/api/v1/projects', 'directory:write', {}],
  ['GET', '/api/v1/imports', 'import:run'],
  ['GET', '/api/v1/imports/1', 'import:run'],
  ['POST', '/api/v1/imports/enterprises', 'import:run', 'x'],
  ['POST', '/api/v1/institutions', 'institution:write', {}],
  ['PUT', '/api/v1/taxonomy-446/2025/P1', 'reference:write', {}],
  ['PUT', '/api/v1/taxonomy-446-mapping/2025/C39', 'reference:write', {}],
];

test('every role lacking a permission gets 403 at every endpoint guarded by it, and no audit row', async () => {
  const auditCount = async () => (await sessions.admin.call('GET', '/api/v1/audit-logs?limit=1')).body.total;
  const before = await auditCount();
  let checked = 0;
  for (const [username, s] of Object.entries(sessions)) {
    for (const [method, path, permission, body] of ENDPOINTS) {
      if (s.me.permissions.includes(permission)) continue;
      const res = await s.call(method, path, body);
      assert.equal(res.status, 403, `${username} ${method} ${path} → ${res.status}`);
      assert.equal(res.body.error.code, 'permission_denied');
      checked++;
    }
  }
  assert.ok(checked > 50, `checked ${checked} denials`);
  assert.equal(await auditCount(), before, 'a refused write leaves no audit row');
});

test('roles grant what they say: the auditor reads the audit log but cannot manage users', async () => {
  assert.equal((await sessions.auditor.call('GET', '/api/v1/audit-logs')).status, 200);
  assert.equal((await sessions.auditor.call('GET', '/api/v1/users')).status, 403);
  assert.equal((await sessions.officer_fgw.call('GET', '/api/v1/enterprises')).status, 200);
});

test('an institution user cannot read another institution’s records', async () => {
  const bank = sessions.bank_admin;
  const icbc = sessions.icbc_admin;
  const myInstitution = bank.me.institution_id;
  const users = await bank.call('GET', '/api/v1/users?limit=200');
  assert.equal(users.status, 200);
  assert.ok(users.body.items.length >= 2);
  assert.ok(users.body.items.every((u) => u.institution_id === myInstitution), 'only own institution’s users');
  assert.equal((await bank.call('GET', `/api/v1/users/${icbc.me.id}`)).status, 404);
  assert.equal((await bank.call('GET', `/api/v1/institutions/${icbc.me.institution_id}`)).status, 404);
  assert.equal((await bank.call('GET', `/api/v1/institutions/${myInstitution}`)).status, 200);
  const institutions = await bank.call('GET', '/api/v1/institutions');
  assert.ok(institutions.body.items.length >= 3, 'head office and its Xiamen branches');
  assert.ok(institutions.body.items.every((i) => i.id === myInstitution || i.parent_id === myInstitution));

  const key = await bank.call('POST', '/api/v1/api-keys', { name: 'core banking' });
  assert.equal(key.status, 201, JSON.stringify(key.body));
  assert.match(key.body.key, /^crk_/);
  const icbcKeys = await icbc.call('GET', '/api/v1/api-keys');
  assert.ok(icbcKeys.body.items.every((k) => k.id !== key.body.id));
  assert.equal((await icbc.call('POST', `/api/v1/api-keys/${key.body.id}/revoke`)).status, 404);
  const forOtherBank = await bank.call('POST', '/api/v1/api-keys', { name: 'x', user_id: icbc.me.id });
  assert.equal(forOtherBank.status, 400);
});

test('an API key acts as its institution user and stops working when revoked', async () => {
  const bank = sessions.bank_admin;
  const key = (await bank.call('POST', '/api/v1/api-keys', { name: 'loan reporting', expires_in_days: 30 })).body;
  const viaKey = client(server.base, key.key);
  const me = await viaKey('GET', '/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.institution_id, bank.me.institution_id);
  const listed = await viaKey('GET', '/api/v1/institutions');
  assert.ok(listed.body.items.every((i) => i.id === bank.me.institution_id || i.parent_id === bank.me.institution_id));
  assert.equal((await bank.call('POST', `/api/v1/api-keys/${key.id}/revoke`)).status, 204);
  assert.equal((await viaKey('GET', '/api/v1/auth/me')).status, 401);
});

test('an enterprise user sees only its own enterprise', async () => {
  const ent = sessions.enterprise;
  const list = await ent.call('GET', '/api/v1/enterprises');
  assert.deepEqual(list.body.items.map((e) => e.id), [ent.me.enterprise_id]);
  const all = await sessions.officer_gxj.call('GET', '/api/v1/enterprises?limit=100');
  assert.ok(all.body.total >= 20);
  const other = all.body.items.find((e) => e.id !== ent.me.enterprise_id);
  assert.equal((await ent.call('GET', `/api/v1/enterprises/${other.id}`)).status, 404);
});

test('custom data scope limits a government role to chosen departments', async () => {
  const admin = sessions.admin;
  const depts = (await admin.call('GET', '/api/v1/departments')).body.items;
  const gxj = depts.find((d) => d.code === 'GXJ');
  const fgw = depts.find((d) => d.code === 'FGW');
  const role = await admin.call('POST', '/api/v1/roles', {
    code: 'gxj_reader', name: '工信局用户查看', kind: 'government', data_scope: 'custom',
    custom_department_ids: [gxj.id], permissions: ['user:read'],
  });
  assert.equal(role.status, 201, JSON.stringify(role.body));
  await admin.call('POST', '/api/v1/users', {
    username: 'scoped', display_name: 'S', password: 'Narrow-View-Pass1', department_id: fgw.id, role_ids: [role.body.id],
  });
  const scoped = await login(server.base, 'scoped', 'Narrow-View-Pass1');
  const users = await scoped.call('GET', '/api/v1/users?limit=200');
  const depIds = new Set(users.body.items.map((u) => u.department_id));
  assert.ok(users.body.items.some((u) => u.username === 'officer_gxj'));
  assert.ok(users.body.items.some((u) => u.username === 'scoped'), 'own record is always visible');
  assert.ok(!users.body.items.some((u) => u.username === 'officer_fgw'));
  assert.ok([...depIds].every((d) => d === gxj.id || d === fgw.id));
});
