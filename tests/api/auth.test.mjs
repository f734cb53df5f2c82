// Login, lock-out, sessions, cookies, password policy, the login log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, login, ADMIN } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('login succeeds, sets an HttpOnly SameSite=Strict cookie, and /me answers', async () => {
  const { res, token } = await login(server.base, ADMIN.username, ADMIN.password);
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^chanrong_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
  assert.equal(res.body.user.kind, 'administrator');
  assert.ok(res.body.user.permissions.includes('user:create'));
  const viaCookie = await fetch(server.base + '/api/v1/auth/me', { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(viaCookie.status, 200);
  const me = await client(server.base, token)('GET', '/api/v1/auth/me');
  assert.equal(me.body.username, ADMIN.username);
});

test('wrong password and unknown user give the same 401', async () => {
  const call = client(server.base);
  const wrong = await call('POST', '/api/v1/auth/login', { username: ADMIN.username, password: 'nope' });
  const unknown = await call('POST', '/api/v1/auth/login', { username: 'ghost', password: 'nope' });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.body.error.message, unknown.body.error.message);
  assert.equal(wrong.body.error.code, 'unauthenticated');
});

test('five failures lock the account for ten minutes, even against the right password', async () => {
  const admin = await login(server.base, ADMIN.username, ADMIN.password);
  const created = await admin.call('POST', '/api/v1/users', {
    username: 'locky', display_name: 'Locky', password: 'Locked-Pass-123', role_ids: [2],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const call = client(server.base);
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await call('POST', '/api/v1/auth/login', { username: 'locky', password: 'bad' })).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
  const right = await call('POST', '/api/v1/auth/login', { username: 'locky', password: 'Locked-Pass-123' });
  assert.equal(right.status, 429);
  assert.match(right.body.error.message, /锁定/);
  const user = await admin.call('GET', `/api/v1/users/${created.body.id}`);
  assert.ok(user.body.locked_until, 'the user list shows the lock');
  assert.equal((await admin.call('POST', `/api/v1/users/${created.body.id}/unlock`)).status, 200);
  assert.equal((await call('POST', '/api/v1/auth/login', { username: 'locky', password: 'Locked-Pass-123' })).status, 200);
});

test('the login log records success and failure with address and user agent', async () => {
  const admin = await login(server.base, ADMIN.username, ADMIN.password);
  await fetch(server.base + '/api/v1/auth/login', {
    method: 'POST', headers: { 'user-agent': 'api-test-agent' }, body: JSON.stringify({ username: 'ghost2', password: 'x' }),
  });
  const failures = await admin.call('GET', '/api/v1/login-logs?success=false&username=ghost2');
  assert.equal(failures.body.total, 1);
  assert.equal(failures.body.items[0].user_agent, 'api-test-agent');
  assert.equal(failures.body.items[0].ip, '127.0.0.1');
  assert.equal(failures.body.items[0].reason, 'unknown_user');
  const successes = await admin.call('GET', `/api/v1/login-logs?success=true&username=${ADMIN.username}`);
  assert.ok(successes.body.total >= 1);
});

test('logout ends the session; an administrator can list and revoke sessions', async () => {
  const a = await login(server.base, ADMIN.username, ADMIN.password);
  const b = await login(server.base, ADMIN.username, ADMIN.password);
  assert.equal((await a.call('POST', '/api/v1/auth/logout')).status, 204);
  assert.equal((await a.call('GET', '/api/v1/auth/me')).status, 401);
  const c = await login(server.base, ADMIN.username, ADMIN.password);
  const sessions = await b.call('GET', '/api/v1/sessions?limit=200');
  assert.equal(sessions.status, 200);
  const current = sessions.body.items.find((s) => s.current);
  assert.ok(current, 'the caller’s own session is marked current');
  const other = sessions.body.items.find((s) => !s.current && s.username === ADMIN.username);
  assert.ok(other);
  assert.equal((await b.call('POST', `/api/v1/sessions/${other.id}/revoke`)).status, 204);
  const again = await b.call('POST', `/api/v1/sessions/${other.id}/revoke`);
  assert.equal(again.status, 409);
  const meC = await c.call('GET', '/api/v1/auth/me');
  assert.ok([200, 401].includes(meC.status));
  const stillB = await b.call('GET', '/api/v1/auth/me');
  assert.equal(stillB.status, 200);
});

test('password changes follow the policy and need the old password', async () => {
  const admin = await login(server.base, ADMIN.username, ADMIN.password);
  const created = await admin.call('POST', '/api/v1/users', {
    username: 'changer', display_name: 'C', password: 'Rotate-Pass-1x', role_ids: [2],
  });
  assert.equal(created.status, 201);
  const weak = await admin.call('POST', '/api/v1/users', { username: 'weak', display_name: 'W', password: 'short', role_ids: [2] });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.fields[0].field, 'password');
  const u = await login(server.base, 'changer', 'Rotate-Pass-1x');
  const wrongOld = await u.call('POST', '/api/v1/auth/password', { old_password: 'x', new_password: 'Another-Pass-22' });
  assert.equal(wrongOld.status, 400);
  assert.equal(wrongOld.body.error.fields[0].field, 'old_password');
  const tooWeak = await u.call('POST', '/api/v1/auth/password', { old_password: 'Rotate-Pass-1x', new_password: 'aaaaaaaaaaaa' });
  assert.equal(tooWeak.body.error.fields[0].field, 'new_password');
  assert.equal((await u.call('POST', '/api/v1/auth/password', { old_password: 'Rotate-Pass-1x', new_password: 'Another-Pass-22' })).status, 204);
  await login(server.base, 'changer', 'Another-Pass-22');
});

test('a disabled user cannot log in and loses its sessions', async () => {
  const admin = await login(server.base, ADMIN.username, ADMIN.password);
  const created = await admin.call('POST', '/api/v1/users', { username: 'temp', display_name: 'T', password: 'Short-Lived-Pass1', role_ids: [2] });
  const u = await login(server.base, 'temp', 'Short-Lived-Pass1');
  assert.equal((await admin.call('POST', `/api/v1/users/${created.body.id}/disable`)).body.status, 'disabled');
  assert.equal((await u.call('GET', '/api/v1/auth/me')).status, 401);
  const again = await client(server.base)('POST', '/api/v1/auth/login', { username: 'temp', password: 'Short-Lived-Pass1' });
  assert.equal(again.status, 401);
});
