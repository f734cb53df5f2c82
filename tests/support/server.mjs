// Starts the real chanrong binary for black-box tests: a fresh SQLite file or PostgreSQL database, a first
// administrator, optionally the demo city, and a free port. Nothing is mocked.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const BIN = process.env.CHANRONG_BIN || new URL('../../build/chanrong', import.meta.url).pathname;
export const ADMIN = { username: 'sysadmin', password: 'Chief-Pass-' + randomBytes(4).toString('hex') + '9!' };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The test's database: a file in `dir`, or a new PostgreSQL database; `drop()` removes the latter. */
function testDatabase(backend, dir) {
  if (backend !== 'postgres') return { url: 'sqlite:' + join(dir, 'chanrong.db'), drop() {} };
  const base = process.env.CHANRONG_TEST_PG_URL;
  if (!base) throw new Error('CHANRONG_TEST_PG_URL is not set (scripts/test-all.sh starts PostgreSQL)');
  const name = 'api_' + randomBytes(6).toString('hex');
  execFileSync('psql', [base, '-qc', `CREATE DATABASE ${name}`]);
  return {
    url: base.replace(/\/[^/?]*(\?.*)?$/, `/${name}`),
    drop: () => execFileSync('psql', [base, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

/** Starts a server; `seed` loads the demo city and returns its logins by username. */
export async function startServer({ backend = process.env.CHANRONG_API_BACKEND || 'sqlite', seed = false, env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chanrong-api-'));
  const port = await freePort();
  const database = testDatabase(backend, dir);
  const fullEnv = {
    ...process.env,
    CHANRONG_DATABASE_URL: database.url,
    CHANRONG_SERVER_PORT: String(port),
    CHANRONG_SERVER_HOST: '127.0.0.1',
    CHANRONG_LOG_ACCESS_LOG: 'false',
    CHANRONG_LOG_FILE: join(dir, 'server.log'),
    CHANRONG_SERVER_WEB_ROOT: process.env.CHANRONG_WEB_ROOT || join(dir, 'no-web'),
    ...env,
  };
  for (const k of ['CHANRONG_API_BACKEND', 'CHANRONG_TEST_PG_URL', 'CHANRONG_BIN', 'CHANRONG_WEB_ROOT']) delete fullEnv[k];
  const run = (...args) => execFileSync(BIN, args, { cwd: dir, env: fullEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run('init-admin', '--username', ADMIN.username, '--password', ADMIN.password);
  const logins = {};
  if (seed) {
    for (const line of run('seed-demo').split('\n')) {
      const m = line.match(/^\s{2}(\S+)\s+(Cr-\S+)\s/);
      if (m) logins[m[1]] = m[2];
    }
  }
  const base = `http://127.0.0.1:${port}`;
  const launch = async () => {
    const child = spawn(BIN, ['serve'], { cwd: dir, env: fullEnv, stdio: 'ignore' });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(base + '/healthz')).ok) return child;
      } catch {}
      if (i > 100 || child.exitCode !== null) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const server = {
    base, dir, env: fullEnv, logins, child: await launch(),
    /** Kills the server with `signal` (SIGKILL for a crash) and starts it again on the same database, with
     *  `env` added to its environment (e.g. CHANRONG_CLOCK_OFFSET_DAYS to move the business date). */
    async restart(signal = 'SIGKILL', env = {}) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill(signal);
      await exited;
      Object.assign(fullEnv, env);
      server.child = await launch();
    },
    /** Runs a CLI subcommand against the same database; returns { status, stdout, stderr }. */
    cli(...args) {
      const out = spawnSync(BIN, args, { cwd: dir, env: fullEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: out.status, stdout: out.stdout ?? '', stderr: out.stderr ?? '' };
    },
    async stop() {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await new Promise((r) => server.child.once('exit', r));
      }
      if (process.env.KEEP_TEST_DIRS) return;  // keep the directory and database to read server.log
      rmSync(dir, { recursive: true, force: true });
      database.drop();
    },
  };
  return server;
}

/** A small client: JSON in and out, token or cookie auth. Returns { status, body, headers }. */
export function client(base, token) {
  return async function call(method, path, body, headers = {}) {
    const h = { ...headers };
    if (token) h.authorization = 'Bearer ' + token;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const res = await fetch(base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
    return { status: res.status, body: json, headers: res.headers, text };
  };
}

/** Logs in and returns a client bound to the session token, plus the login answer. */
export async function login(base, username, password) {
  const res = await client(base)('POST', '/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { call: client(base, res.body.token), token: res.body.token, me: res.body.user, res };
}
