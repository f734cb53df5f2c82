// Crash safety: while applications and decisions are being written, the server is killed with SIGKILL and
// restarted. Every write that got a 2xx is present, nothing is half-written, and the audit chain verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from '../support/server.mjs';

let server;
before(async () => { server = await startServer({ seed: true }); });
after(async () => { await server?.stop(); });

test('SIGKILL under load loses no acknowledged write and leaves a verifiable audit chain', async () => {
  const bank = await login(server.base, 'bank_admin', server.logins.bank_admin);
  const ent = await login(server.base, 'enterprise', server.logins.enterprise);
  const product = (await bank.call('POST', '/api/v1/products', {
    name: '压测贷', kind: 'credit_loan', amount_min_fen: 1, amount_max_fen: 1_000_000_000, term_min_months: 1,
    term_max_months: 36, rate_mode: 'fixed', rate_min_bp: 300, rate_max_bp: 500 })).body;
  await bank.call('POST', `/api/v1/products/${product.id}/publish`);

  const acknowledged = new Map();  // application id → last status acknowledged with a 2xx
  let running = true;
  const worker = async (n) => {
    for (let i = 0; running; i++) {
      try {
        const app = await ent.call('POST', '/api/v1/applications', { product_id: product.id, amount_fen: 1000 + n, term_months: 12 },
          { 'idempotency-key': `crash-${n}-${i}` });
        if (app.status !== 201) continue;
        acknowledged.set(app.body.id, 'submitted');
        const accepted = await bank.call('POST', `/api/v1/applications/${app.body.id}/accept`);
        if (accepted.status === 200) acknowledged.set(app.body.id, 'accepted');
      } catch {
        return;  // the server went away mid-request: that write was never acknowledged
      }
    }
  };
  const workers = Array.from({ length: 8 }, (_, n) => worker(n));
  await new Promise((r) => setTimeout(r, 1500));
  await server.restart('SIGKILL');
  running = false;
  await Promise.all(workers);
  assert.ok(acknowledged.size > 20, `only ${acknowledged.size} writes before the kill`);

  const bank2 = await login(server.base, 'bank_admin', server.logins.bank_admin);
  const listed = await bank2.call('GET', '/api/v1/applications?limit=200');
  const stored = new Map();
  for (let offset = 0; offset < listed.body.total; offset += 200) {
    const page = offset === 0 ? listed : await bank2.call('GET', `/api/v1/applications?limit=200&offset=${offset}`);
    for (const a of page.body.items) stored.set(a.id, a.status);
  }
  for (const [id, status] of acknowledged) {
    assert.ok(stored.has(id), `acknowledged application ${id} is missing`);
    if (status === 'accepted') assert.equal(stored.get(id), 'accepted', `application ${id} lost its acknowledged acceptance`);
  }
  for (const id of [...stored.keys()].slice(0, 30)) {
    const detail = await bank2.call('GET', `/api/v1/applications/${id}`);
    assert.equal(detail.body.timeline[0].to, 'submitted', `application ${id} has no submission event (half-written)`);
    assert.equal(detail.body.timeline.at(-1).to, detail.body.status, `application ${id}: timeline and status disagree`);
  }
  const verify = server.cli('verify-audit');
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});
