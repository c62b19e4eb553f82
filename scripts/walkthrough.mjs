// The scripted walkthrough (`npm start -- --headless`): the main job on real input, in real
// Chromium. Create a vault → add the demo credential in the popup → open the login page → Fill →
// submit → the demo server says the login succeeded. Prints each step with its time, saves
// screenshots, and rejects if any step fails.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_ACCOUNT } from '../demo/server.mjs';
import { ROOT, findTabIdByOrigin, launchWithExtension, serviceWorkerOf } from './launch.mjs';

const MASTER = 'walkthrough master password 2026';

/** Screenshots the README shows, refreshed from each successful walkthrough: [saved as, docs/ name]. */
const README_SHOTS = [
  ['3-popup-list.png', 'popup-list.png'],
  ['2-popup-editor.png', 'popup-editor.png'],
  ['2b-popup-generator.png', 'popup-generator.png'],
];

/**
 * @param {{ demo: { url: string, logins: { username: string, ok: boolean, via: string }[] }, outDir: string }} options
 */
export async function runWalkthrough({ demo, outDir }) {
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  /** @type {import('@playwright/test').BrowserContext | undefined} */
  let context;
  let n = 0;
  const step = async (name, fn) => {
    const t0 = performance.now();
    try {
      const result = await fn();
      console.log(`  ✓ ${String(++n).padStart(2)}. ${name} (${Math.round(performance.now() - t0)} ms)`);
      return result;
    } catch (e) {
      console.log(`  ✗ ${String(++n).padStart(2)}. ${name} (${Math.round(performance.now() - t0)} ms)`);
      throw e;
    }
  };
  const shot = (page, file) => page.screenshot({ path: path.join(outDir, file) });

  console.log(`Walkthrough on ${demo.url} — screenshots in ${outDir}`);
  try {
    const launched = await step('Launch Chromium with SecureVault loaded (fresh profile)', () => launchWithExtension({ headless: true }));
    context = launched.context;
    const popupUrl = (tabId) => `chrome-extension://${launched.extensionId}/src/popup/index.html?tab=${tabId}`;

    const login = await step('Open the demo login page', async () => {
      const page = await context.newPage();
      await page.goto(`${demo.url}/login`);
      return page;
    });
    const tabId = await step('Content script finds the login form', async () =>
      findTabIdByOrigin(await serviceWorkerOf(context), demo.url),
    );

    const popup = await step('Open the popup: first run', async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width: 360, height: 600 });
      await page.goto(popupUrl(tabId));
      await page.locator('main[data-view="create"]').waitFor();
      return page;
    });
    await step('Create the vault (Argon2id 64 MiB, t=3, p=4)', async () => {
      await popup.getByLabel('Master password', { exact: true }).fill(MASTER);
      await popup.getByLabel('Confirm master password').fill(MASTER);
      await popup.getByTestId('strength').waitFor();
      await shot(popup, '1-popup-create.png');
      await popup.getByRole('button', { name: 'Create vault' }).click();
      await popup.locator('main[data-view="list"]').waitFor({ timeout: 30_000 });
    });
    await step('Add the demo credential in the popup', async () => {
      await popup.getByRole('button', { name: 'Add' }).click();
      await popup.getByLabel('Title', { exact: true }).fill('Demo site');
      await popup.getByLabel('Website address', { exact: true }).fill(demo.url);
      await popup.getByLabel('Username', { exact: true }).fill(DEMO_ACCOUNT.username);
      await popup.getByLabel('Password', { exact: true }).fill(DEMO_ACCOUNT.password);
      await shot(popup, '2-popup-editor.png');
      await popup.getByRole('button', { name: 'Generate a password' }).click();
      await popup.getByTestId('generated').filter({ hasText: /\S/ }).waitFor();
      await popup.getByRole('region', { name: 'Password generator' }).scrollIntoViewIfNeeded();
      await shot(popup, '2b-popup-generator.png');
      await popup.getByRole('button', { name: 'Hide generator' }).click();
      await popup.getByRole('button', { name: 'Save' }).click();
      await popup.locator('main[data-view="list"]').waitFor();
      await popup.reload();
      await popup.getByTestId('candidates').getByText('Demo site').waitFor();
      await shot(popup, '3-popup-list.png');
    });
    await step('Fill from the popup', async () => {
      await popup.getByRole('button', { name: 'Fill Demo site' }).click();
      await popup.getByRole('status').getByText('Filled 2 fields.').waitFor();
      const filled = await login.locator('#password').inputValue();
      if (filled !== DEMO_ACCOUNT.password) throw new Error('the password field was not filled');
      await login.bringToFront();
      await shot(login, '4-login-filled.png');
    });
    await step('Submit: the demo server checks the credentials', async () => {
      await login.locator('#submit').click();
      await login.locator('#result[data-result="success"]').waitFor();
      await shot(login, '5-login-succeeded.png');
      const last = demo.logins.at(-1);
      if (!last?.ok || last.username !== DEMO_ACCOUNT.username) throw new Error('the server did not confirm the login');
    });
    mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
    for (const [from, to] of README_SHOTS) copyFileSync(path.join(outDir, from), path.join(ROOT, 'docs', to));
    console.log(`Walkthrough passed in ${((Date.now() - started) / 1000).toFixed(1)} s: the demo server confirmed a login whose credentials came from the vault.`);
  } finally {
    await context?.close();
  }
}
