// Makes sure a Chromium is available for the e2e tests. On Debian/Ubuntu as root it installs
// Debian's `chromium` package; anywhere else it says exactly what to install. It never downloads
// a browser any other way (`npx playwright install` is not used).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { INSTALL_HINT, findChrome } from './chrome-path.mjs';

const found = findChrome();
if (found) {
  console.log(`Browser: ${found.path} (${found.source})`);
  process.exit(0);
}
const isDebian = existsSync('/etc/debian_version');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.platform === 'linux' && isDebian && isRoot) {
  console.log("No Chromium found: installing Debian's chromium package (apt-get)…");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const now = findChrome();
  if (now) {
    console.log(`Browser: ${now.path}`);
    process.exit(0);
  }
}
console.error(INSTALL_HINT);
process.exit(1);
