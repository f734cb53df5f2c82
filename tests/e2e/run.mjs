// Starts the real server (fresh SQLite, first administrator, the built web app) and runs the browser suite
// against it. Used by scripts/test-all.sh; prints node's test summary.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, ADMIN } from '../support/server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const server = await startServer({ backend: 'sqlite', seed: true });
let status = 1;
try {
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', 'admin.test.mjs', 'registry.test.mjs'], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, BASE_URL: server.base, E2E_ADMIN_USER: ADMIN.username, E2E_ADMIN_PASSWORD: ADMIN.password },
  });
  status = result.status ?? 1;
} finally {
  await server.stop();
}
process.exit(status);
