/**
 * The one extension fixture for e2e specs: a real Chromium with the built extension (dist/), a
 * fresh profile and the demo site, launched once per spec file. Helpers drive the popup page and
 * read what only the browser knows (tab ids, frames) from the service worker.
 */
import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { DEMO_ACCOUNT, startDemoServer } from '../demo/server.mjs';
import { freshProfileDir, launchWithExtension } from '../scripts/launch.mjs';

export { DEMO_ACCOUNT };
export const MASTER_PASSWORD = 'canary-master-Pässwörd-7431';

export interface Suite {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  demo: Awaited<ReturnType<typeof startDemoServer>>;
  worker(): Promise<Worker>;
  popupUrl(tabId?: number): string;
  /** Launch Chromium again on the same profile (after closing the previous one). */
  restart(): Promise<void>;
}

/** Register beforeAll/afterAll for a spec file; tests in it run in order against one browser. */
export function useExtension(options: { args?: string[] } = {}): Suite {
  test.describe.configure({ mode: 'serial' });
  const suite = {} as Suite;
  test.beforeAll(async () => {
    suite.demo = await startDemoServer();
    suite.userDataDir = freshProfileDir();
    Object.assign(suite, await launchWithExtension({ userDataDir: suite.userDataDir, args: options.args }));
    suite.worker = async () => {
      const [w] = suite.context.serviceWorkers();
      return w ?? suite.context.waitForEvent('serviceworker');
    };
    suite.popupUrl = (tabId?: number) =>
      `chrome-extension://${suite.extensionId}/src/popup/index.html${tabId === undefined ? '' : `?tab=${tabId}`}`;
    suite.restart = async () => {
      await suite.context.close().catch(() => undefined); // already gone after a crash test's SIGKILL
      Object.assign(suite, await launchWithExtension({ userDataDir: suite.userDataDir, args: options.args }));
    };
  });
  test.afterAll(async () => {
    await suite.context?.close();
    await suite.demo?.close();
  });
  return suite;
}

/** The tab id of a page, found through the frame its content script announced to the worker. */
export async function tabIdOf(suite: Suite, page: Page): Promise<number> {
  const origin = new URL(page.url()).origin;
  const worker = await suite.worker();
  let found: number | null = null;
  await expect
    .poll(async () => {
      found = await worker.evaluate(async (o) => {
        const all = await chrome.storage.session.get(null);
        for (const [k, v] of Object.entries(all)) {
          if (k.startsWith('frames:') && (v as { origin: string; frameId: number }[]).some((f) => f.origin === o && f.frameId === 0)) {
            return Number(k.slice('frames:'.length));
          }
        }
        return null;
      }, origin);
      return found;
    })
    .not.toBeNull();
  return found as unknown as number;
}

export async function openPopup(suite: Suite, tabId?: number): Promise<Page> {
  const popup = await suite.context.newPage();
  await popup.goto(suite.popupUrl(tabId));
  await expect(popup.locator('main[data-view]:not([data-view="loading"])')).toBeVisible();
  return popup;
}

export async function createVault(popup: Page, password = MASTER_PASSWORD): Promise<void> {
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'create');
  await popup.getByLabel('Master password', { exact: true }).fill(password);
  await popup.getByLabel('Confirm master password').fill(password);
  await popup.getByRole('button', { name: 'Create vault' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list', { timeout: 20_000 });
}

export async function unlock(popup: Page, password = MASTER_PASSWORD): Promise<void> {
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  await popup.getByLabel('Master password').fill(password);
  await popup.getByRole('button', { name: 'Unlock' }).click();
}

export async function addItem(
  popup: Page,
  item: { title: string; url: string; username: string; password: string; notes?: string; match?: 'exact' | 'site' | 'host' | 'startsWith' | 'regex' | 'never' },
): Promise<void> {
  await popup.getByRole('button', { name: 'Add' }).click();
  await popup.getByLabel('Title', { exact: true }).fill(item.title);
  await popup.getByLabel('Website address', { exact: true }).fill(item.url);
  if (item.match) await popup.getByLabel('Fill on', { exact: true }).selectOption(item.match);
  await popup.getByLabel('Username', { exact: true }).fill(item.username);
  await popup.getByLabel('Password', { exact: true }).fill(item.password);
  if (item.notes) await popup.getByLabel('Notes').fill(item.notes);
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  // The list is virtualised (only the rows in view exist): search for the new item to see it.
  await popup.getByLabel('Search').fill(item.title);
  await expect(popup.getByTestId('all-items')).toContainText(item.title);
  await popup.getByLabel('Search').fill('');
}

/** Stop the service worker the way Chromium does when it idles (CDP ServiceWorker.stopAllWorkers). */
export async function stopServiceWorker(suite: Suite, anyPage: Page): Promise<void> {
  const cdp = await suite.context.newCDPSession(anyPage);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/** Send a raw message to the worker from an extension page (the popup), as the popup would. */
export async function sendFromPage(page: Page, type: string, payload: unknown = {}): Promise<unknown> {
  return page.evaluate(
    async ([t, p]) => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: t, payload: p }),
    [type, payload] as const,
  );
}

type StoreName = 'vault' | 'items' | 'inbox' | 'overviewIndex';

/**
 * Read or patch the vault's IndexedDB directly from an extension page (same origin as the
 * offscreen document): what an attacker with the profile on disk sees, and how tests tamper.
 * Binary fields come back as arrays of numbers.
 */
export async function readStore(page: Page, store: StoreName): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('securevault');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const req = db.transaction(name).objectStore(name).getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    const plain = (x: unknown): unknown => {
      if (x instanceof Uint8Array || x instanceof ArrayBuffer) return Array.from(new Uint8Array(x as ArrayBuffer));
      if (Array.isArray(x)) return x.map(plain);
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
      return x;
    };
    return rows.map(plain) as Record<string, unknown>[];
  }, store);
}

/** Apply `patch` (a function source run in the page) to every record of a store. */
export async function patchStore(page: Page, store: StoreName, patch: string): Promise<void> {
  await page.evaluate(
    async ([name, source]) => {
      const fn = new Function('records', source) as (records: Record<string, unknown>[]) => Record<string, unknown>[];
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('securevault');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const tx = db.transaction(name, 'readwrite');
      const os = tx.objectStore(name);
      const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const req = os.getAll();
        req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
        req.onerror = () => reject(req.error);
      });
      for (const row of fn(rows)) os.put(row);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    [store, patch] as const,
  );
}

/** Number of offscreen documents (0 after lock: the realm that held keys is gone). */
export async function offscreenCount(suite: Suite): Promise<number> {
  const worker = await suite.worker();
  return worker.evaluate(
    async () => (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType] })).length,
  );
}
