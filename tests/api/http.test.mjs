// Protocol behaviour: malformed input, size limit, unknown routes, idempotency, request ids, health, metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, login, ADMIN } from '../support/server.mjs';

let server, admin;
before(async () => {
  server = await startServer({ env: { CHANRONG_SERVER_MAX_BODY_BYTES: '65536' } });
  admin = await login(server.base, ADMIN.username, ADMIN.password);
});
after(async () => { await server?.stop(); });

test('malformed JSON, wrong types and unknown fields give 400 naming the field', async () => {
  const malformed = await admin.call('POST', '/api/v1/departments', '{"name": "x",');
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.fields[0].field, 'body');
  assert.ok(malformed.body.request_id);
  const wrongType = await admin.call('POST', '/api/v1/users', { username: 'x1', display_name: 'x', password: 'Xyz-Passw0rd1', role_ids: 'admin' });
  assert.equal(wrongType.status, 400);
  assert.deepEqual(wrongType.body.error.fields.map((f) => f.field), ['role_ids']);
  const unknown = await admin.call('POST', '/api/v1/departments', { name: 'x', code: 'y', colour: 'red' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.fields[0].field, 'colour');
  assert.equal(unknown.body.error.fields[0].code, 'unknown_field');
  const missingRole = await admin.call('POST', '/api/v1/users', { username: 'x2', display_name: 'x', password: 'Xyz-Passw0rd1', role_ids: [999] });
  assert.equal(missingRole.status, 400);
  assert.equal(missingRole.body.error.fields[0].field, 'role_ids[0]');
  assert.equal((await admin.call('GET', '/api/v1/users?limit=500')).body.error.fields[0].field, 'limit');
  assert.equal((await admin.call('GET', '/api/v1/users/0')).status, 400);
  assert.equal((await admin.call('GET', '/api/v1/users/99999')).status, 404);
});

test('oversized bodies get 413 and nothing is stored', async () => {
  const before = (await admin.call('GET', '/api/v1/departments')).body.total;
  const big = await admin.call('POST', '/api/v1/departments', { name: 'x'.repeat(70000), code: 'big' });
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'payload_too_large');
  assert.equal((await admin.call('GET', '/api/v1/departments')).body.total, before);
});

test('the same Idempotency-Key fifty times creates one record', async () => {
  const body = { name: '幂等测试', code: 'IDEM' };
  const answers = await Promise.all(Array.from({ length: 50 }, () =>
    admin.call('POST', '/api/v1/departments', body, { 'idempotency-key': 'idem-1' })));
  assert.ok(answers.every((a) => a.status === 201), answers.map((a) => a.status).join(','));
  assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
  const all = (await admin.call('GET', '/api/v1/departments')).body.items.filter((d) => d.code === 'IDEM');
  assert.equal(all.length, 1);
  const reused = await admin.call('POST', '/api/v1/departments', { name: 'other', code: 'IDEM2' }, { 'idempotency-key': 'idem-1' });
  assert.equal(reused.status, 422);
});

test('unknown API routes are JSON 404s; client-side routes fall back to the web app', async () => {
  const missing = await admin.call('GET', '/api/v1/no-such-thing');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'not_found');
  const page = await fetch(server.base + '/system/users');
  assert.ok([200, 404].includes(page.status));
  if (process.env.CHANRONG_WEB_ROOT || server.env.CHANRONG_SERVER_WEB_ROOT.endsWith('dist')) {
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="app">/);
  }
});

test('request ids, health, readiness and Prometheus metrics', async () => {
  const res = await fetch(server.base + '/healthz', { headers: { 'x-request-id': 'trace-123' } });
  assert.equal(res.headers.get('x-request-id'), 'trace-123');
  assert.equal((await fetch(server.base + '/readyz')).status, 200);
  const metrics = await (await fetch(server.base + '/metrics')).text();
  assert.match(metrics, /chanrong_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  assert.match(metrics, /chanrong_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v1\/departments",status="201",le="\+Inf"\}/);
  assert.match(metrics, /process_resident_memory_bytes \d+/);
});

test('the OpenAPI document and its browsable UI are served', async () => {
  const doc = await client(server.base)('GET', '/api/v1/openapi.json');
  assert.equal(doc.status, 200);
  assert.ok(doc.body.paths['/api/v1/users']);
  const ui = await fetch(server.base + '/api/docs');
  assert.match(await ui.text(), /swagger-ui/);
});

test('SIGTERM stops the server gracefully', async () => {
  const own = await (await import('../support/server.mjs')).startServer();
  own.child.kill('SIGTERM');
  const code = await new Promise((r) => own.child.once('exit', (c) => r(c)));
  assert.equal(code, 0);
  await own.stop();
});
