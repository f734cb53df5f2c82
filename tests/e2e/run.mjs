// Starts the real server (fresh SQLite, first administrator, the demo city, the built web app) and runs every
// browser suite (*.test.mjs) against it. Used by scripts/test-all.sh; prints node's test summary.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, ADMIN } from '../support/server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const server = await startServer({ backend: 'sqlite', seed: true });
let status = 1;
try {
  const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    cwd: here,
    stdio: 'inherit',
    env: {
      ...process.env,
      BASE_URL: server.base,
      E2E_ADMIN_USER: ADMIN.username,
      E2E_ADMIN_PASSWORD: ADMIN.password,
      // The demo city's logins by username (seed-demo prints them), for suites that act as a demo user.
      E2E_LOGINS: JSON.stringify(server.logins),
    },
  });
  status = result.status ?? 1;
} finally {
  await server.stop();
}
process.exit(status);
