// `npm start`: build the extension, start the demo site on 127.0.0.1, and open Chromium with
// SecureVault loaded in a fresh profile on the demo site. With `--headless` (or with no display)
// it runs the scripted walkthrough instead and exits non-zero if a step fails.
//
//   npm start                    interactive: a browser window, you click the toolbar icon
//   npm start -- --headless      scripted walkthrough with screenshots
//   npm start -- --no-build      skip the build (use the existing dist/)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startDemoServer, DEMO_ACCOUNT } from '../demo/server.mjs';
import { findChrome, INSTALL_HINT } from './chrome-path.mjs';
import { DIST, ROOT, launchWithExtension } from './launch.mjs';
import { runWalkthrough } from './walkthrough.mjs';

const args = new Set(process.argv.slice(2));
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const headless = args.has('--headless') || noDisplay;

const chrome = findChrome();
if (!chrome) {
  console.error(INSTALL_HINT);
  process.exit(1);
}

if (!args.has('--no-build')) {
  console.log('Building the extension (vite build)…');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

const demo = await startDemoServer({ log: true });
console.log(`Demo site: ${demo.url}  (demo account ${DEMO_ACCOUNT.username} / ${DEMO_ACCOUNT.password})`);
console.log(`Browser:   ${chrome.path}${chrome.branded ? ' (branded Chrome: extension loaded over CDP)' : ''}`);

if (headless) {
  if (noDisplay && !args.has('--headless')) console.log('No display found: running the headless walkthrough.');
  let code = 0;
  try {
    await runWalkthrough({ demo, outDir: path.join(ROOT, 'walkthrough-screenshots') });
  } catch (e) {
    console.error(`Walkthrough failed: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  }
  await demo.close();
  process.exit(code);
}

const { context } = await launchWithExtension({ headless: false });
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${demo.url}/login`);
console.log(`
SecureVault is loaded (unpacked from ${DIST}).
  1. Click the puzzle-piece icon in the toolbar and pin SecureVault, then click its icon.
  2. Create a vault, then Add: website ${demo.url}, username ${DEMO_ACCOUNT.username}, password ${DEMO_ACCOUNT.password}.
  3. On the login page, open the popup again and press Fill, then Log in.
Close the browser window (or press Ctrl+C) to stop.`);
const stop = async () => {
  await context.close().catch(() => undefined);
  await demo.close();
  process.exit(0);
};
context.on('close', () => void stop());
process.on('SIGINT', () => void stop());
