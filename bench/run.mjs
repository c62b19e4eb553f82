// `npm run bench [-- --quick]`: build the extension, then run bench/bench.spec.ts in real Chromium.
// Prints a table and writes bench/results/latest.json.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'scripts/ensure-chromium.mjs')], { cwd: root, stdio: 'inherit' });
const res = spawnSync(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'bench/playwright.config.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BENCH_QUICK: quick ? '1' : '' },
});
process.exit(res.status ?? 1);
