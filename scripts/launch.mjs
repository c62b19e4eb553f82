// Launches Chrome/Chromium with the built extension loaded in a fresh (or given) profile, through
// Playwright. Shared by `npm start`, the headless walkthrough, the e2e tests and the benchmarks.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { INSTALL_HINT, findChrome } from './chrome-path.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The built extension; SECUREVAULT_DIST points elsewhere (e.g. a second build tree used in parallel). */
export const DIST = process.env.SECUREVAULT_DIST ? path.resolve(process.env.SECUREVAULT_DIST) : path.join(ROOT, 'dist');

export function freshProfileDir() {
  return mkdtempSync(path.join(os.tmpdir(), 'securevault-profile-'));
}

/**
 * @param {{ userDataDir?: string, headless?: boolean, extensionPath?: string, args?: string[] }} [options]
 * @returns {Promise<{ context: import('@playwright/test').BrowserContext, extensionId: string, userDataDir: string, browserPath: string }>}
 */
export async function launchWithExtension(options = {}) {
  const chrome = findChrome();
  if (!chrome) throw new Error(INSTALL_HINT);
  const extensionPath = options.extensionPath ?? DIST;
  const userDataDir = options.userDataDir ?? freshProfileDir();
  const args = [
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-quic',
    ...(options.args ?? []),
  ];
  // Branded Chrome 137+ ignores --load-extension; it loads an unpacked extension over CDP
  // (Extensions.loadUnpacked) when started with this flag and a debugging pipe (Playwright's).
  if (chrome.branded) args.push('--enable-unsafe-extension-debugging');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chrome.path,
    headless: options.headless ?? true,
    args,
    viewport: { width: 1100, height: 760 },
  });
  if (chrome.branded) {
    const browser = context.browser();
    if (!browser) throw new Error('Cannot reach the browser over CDP to load the extension.');
    const cdp = await browser.newBrowserCDPSession();
    await cdp.send(/** @type {any} */ ('Extensions.loadUnpacked'), /** @type {any} */ ({ path: extensionPath }));
  }
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: 15_000 });
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId, userDataDir, browserPath: chrome.path };
}

/**
 * The tab id of the tab whose top frame has `origin`, as the extension's service worker knows it
 * (from the frame its content script announced). Polls until `timeoutMs`.
 * @param {import('@playwright/test').Worker} worker
 * @param {string} origin
 */
export async function findTabIdByOrigin(worker, origin, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const id = await worker.evaluate(async (o) => {
      const all = await chrome.storage.session.get(null);
      for (const [k, v] of Object.entries(all)) {
        if (k.startsWith('frames:') && Array.isArray(v) && v.some((f) => f.origin === o && f.frameId === 0)) {
          return Number(k.slice('frames:'.length));
        }
      }
      return null;
    }, origin);
    if (id !== null) return id;
    if (Date.now() > deadline) throw new Error(`No tab with a login form on ${origin} was announced to the extension.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** @param {import('@playwright/test').BrowserContext} context */
export async function serviceWorkerOf(context) {
  const [w] = context.serviceWorkers();
  return w ?? context.waitForEvent('serviceworker');
}
