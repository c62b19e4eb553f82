/**
 * @autofill triggers and policy: the keyboard command and the context menu go through the same
 * decision as the popup's Fill (src/background/fill-triggers.ts). Headless Chromium cannot press
 * browser shortcuts or open context menus, so the tests dispatch the real listeners' events from
 * the worker (ENVIRONMENT.md, "Testing what headless cannot click"). Also: the content script's
 * main-thread cost on a 5 000-element page without a login form (recorded, not asserted).
 */
import { expect, test, type Page } from '@playwright/test';
import { addItem, createVault, openPopup, sendFromPage, useExtension } from './extension';
import { ACCOUNTS, activeTabId, framesOfTab, leakedSecrets, startFixtureServer, waitAnnounced, type FixtureServer } from './fixture-server';

const suite = useExtension();
let server: FixtureServer;
let other = ''; // http://localhost:<portA>: an origin with two saved logins
const SECRETS = [ACCOUNTS.A.username, ACCOUNTS.A.password, ACCOUNTS.B.username, ACCOUNTS.B.password];

test.beforeAll(async () => {
  server = await startFixtureServer();
  other = `http://localhost:${server.portA}`;
});
test.afterAll(async () => server?.close());

async function dispatchCommand(tabId: number): Promise<void> {
  const worker = await suite.worker();
  await worker.evaluate(async (t) => {
    const tab = await chrome.tabs.get(t);
    (chrome.commands.onCommand as unknown as { dispatch(c: string, tab: chrome.tabs.Tab): void }).dispatch('fill-login', tab);
  }, tabId);
}

async function dispatchMenu(tabId: number, frameId: number, pageUrl: string): Promise<void> {
  const worker = await suite.worker();
  await worker.evaluate(
    async ([t, f, url]) => {
      const tab = await chrome.tabs.get(t);
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: object, tab: chrome.tabs.Tab): void }).dispatch(
        { menuItemId: 'securevault-fill', editable: true, frameId: f, pageUrl: url },
        tab,
      );
    },
    [tabId, frameId, pageUrl] as const,
  );
}

/** The real popup (chrome.action.openPopup) is open: wait for it, then close it. */
async function expectPopupOpened(): Promise<void> {
  const worker = await suite.worker();
  await expect
    .poll(async () => worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['POPUP' as chrome.runtime.ContextType] })).length))
    .toBeGreaterThan(0);
  // The real popup is not a Playwright page: close its CDP target.
  const cdp = await suite.context.browser()!.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  for (const t of targetInfos) if (t.url.endsWith('/src/popup/index.html')) await cdp.send('Target.closeTarget', { targetId: t.targetId });
  await cdp.detach();
  await expect
    .poll(async () => worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['POPUP' as chrome.runtime.ContextType] })).length))
    .toBe(0);
}

async function open(url: string): Promise<{ page: Page; tabId: number }> {
  const page = await suite.context.newPage();
  await page.goto(url);
  return { page, tabId: await activeTabId(await suite.worker()) };
}

test('@autofill the fill-login command really has a key (Alt+Shift+L) and the context menu item exists', async () => {
  const worker = await suite.worker();
  const commands = await worker.evaluate(async () => chrome.commands.getAll());
  expect(commands.find((c) => c.name === 'fill-login')?.shortcut).toBe('Alt+Shift+L');
  // The description comes from _locales (__MSG_command_fill_login__), resolved by the browser.
  expect(commands.find((c) => c.name === 'fill-login')?.description).toBe('Fill the login of this site (asks when several match)');
  // contextMenus has no getter; update() fails for an id that does not exist and creates nothing.
  // It is installed from onInstalled, which may still be running right after launch: poll.
  const menuItemState = () =>
    worker.evaluate(
      () =>
        new Promise<string>((resolve) =>
          chrome.contextMenus.update('securevault-fill', {}, () => resolve(chrome.runtime.lastError?.message ?? 'exists')),
        ),
    );
  await expect.poll(menuItemState).toBe('exists');
  const missing = await worker.evaluate(
    () => new Promise<string>((resolve) => chrome.contextMenus.update('no-such-item', {}, () => resolve(chrome.runtime.lastError?.message ?? 'exists'))),
  );
  expect(missing).not.toBe('exists'); // the probe can tell a missing item from a present one
});

test('@autofill setup: vault with one item for origin A, one for B, two for another origin', async () => {
  const popup = await openPopup(suite);
  await createVault(popup);
  await addItem(popup, { title: 'Fixture A', url: server.A, ...ACCOUNTS.A });
  await addItem(popup, { title: 'Fixture B', url: server.B, ...ACCOUNTS.B });
  await addItem(popup, { title: 'Two one', url: other, ...ACCOUNTS.A });
  await addItem(popup, { title: 'Two two', url: other, username: 'someone-else@example.test', password: 'Other-Pa55-word!' });
  await popup.close();
});

test('@autofill command with several exact items opens the popup and fills nothing', async () => {
  const { page, tabId } = await open(`${other}/basic-login.html`);
  await waitAnnounced(await suite.worker(), tabId);
  await dispatchCommand(tabId);
  await expectPopupOpened();
  await expect(page.locator('#user')).toHaveValue('');
  await expect(page.locator('#pass')).toHaveValue('');
  await page.close();
});

test('@autofill username-first: the username typed in step 1 picks the item among several for the command in step 2', async () => {
  const { page, tabId } = await open(`${other}/username-first-spa.html`);
  await page.locator('#user').pressSequentially(ACCOUNTS.A.username);
  await page.locator('#next').click(); // the field loses focus: a trusted change event commits it
  await page.locator('#pass').waitFor();
  const worker = await suite.worker();
  await expect.poll(async () => worker.evaluate(async (t) => ((await chrome.storage.session.get(`step:${t}`))[`step:${t}`] as { username?: string } | undefined)?.username ?? null, tabId)).toBe(ACCOUNTS.A.username);
  await waitAnnounced(worker, tabId);
  await dispatchCommand(tabId);
  await expect(page.locator('#pass')).toHaveValue(ACCOUNTS.A.password);
  await page.locator('#go').click();
  await expect(page.locator('#result')).toHaveAttribute('data-result', 'success');
  await page.close();
});

test('@autofill context menu on a field in a cross-origin frame fills only that frame, with that origin\'s item', async () => {
  const { page, tabId } = await open(`${server.A}/attack-cross-origin-iframe.html`);
  const worker = await suite.worker();
  await waitAnnounced(worker, tabId, server.B);
  const frame = (await framesOfTab(worker, tabId)).find((f) => f.origin === server.B);
  expect(frame).toBeTruthy();
  await dispatchMenu(tabId, frame?.frameId ?? -1, page.url());
  const inner = page.frameLocator('#f');
  await expect(inner.locator('#user')).toHaveValue(ACCOUNTS.B.username);
  await expect(inner.locator('#pass')).toHaveValue(ACCOUNTS.B.password);
  // Nothing of origin A's item went anywhere.
  expect(await leakedSecrets(page, [ACCOUNTS.A.password], [])).toEqual([]);
  await page.close();
});

test('@autofill command on a page whose top frame is cross-origin to the login frame fills nothing', async () => {
  const { page, tabId } = await open(`${server.A}/attack-cross-origin-iframe.html`);
  await waitAnnounced(await suite.worker(), tabId, server.B);
  await dispatchCommand(tabId);
  // The command is decided on the top frame (probed: it has no fields of its own, so it announces
  // with none); origin A's one item has no fillable frame of origin A, so nothing is filled.
  const worker = await suite.worker();
  await expect.poll(async () => (await framesOfTab(worker, tabId)).some((f) => f.frameId === 0 && f.loginFields === 0)).toBe(true);
  await expect(page.frameLocator('#f').locator('#pass')).toHaveValue('');
  expect(await leakedSecrets(page, SECRETS, [])).toEqual([]);
  await page.close();
});

test('@autofill page navigated between the request and the fill: the answer is bound to the old document', async () => {
  const { page, tabId } = await open(`${server.A}/basic-login.html`);
  const worker = await suite.worker();
  await waitAnnounced(worker, tabId, server.A);
  // Same tab, now another origin whose page shows its login form only later: the registry still
  // names the old document of origin A until the new page announces.
  await page.goto(`${server.B}/late-timer.html`);
  const popup = await openPopup(suite, tabId);
  const list = (await sendFromPage(popup, 'items.list')) as { value: { items: { id: string; title: string }[] } };
  const itemId = list.value.items.find((i) => i.title === 'Fixture A')?.id;
  const res = (await sendFromPage(popup, 'fill.item', { tabId, itemId })) as { ok: boolean; error?: string };
  expect(res.ok).toBe(false);
  await popup.close();
  await page.locator('#pass').waitFor();
  // Once the new document announces itself, a fill is decided on *its* origin: B's item, not A's.
  await waitAnnounced(worker, tabId, server.B);
  await dispatchCommand(tabId);
  await expect(page.locator('#pass')).toHaveValue(ACCOUNTS.B.password);
  expect(await leakedSecrets(page, [ACCOUNTS.A.username, ACCOUNTS.A.password], [])).toEqual([]);
  expect(await sendFromPage(await openPopup(suite), 'debug.pendingRequests')).toEqual({ ok: true, value: { count: 0 } });
  for (const p of suite.context.pages()) if (p.url().includes('/src/popup/index.html')) await p.close();
  await page.close();
});

test('@autofill locked: the command and the context menu open the popup to unlock and fill nothing', async () => {
  const { page, tabId } = await open(`${server.A}/basic-login.html`);
  await waitAnnounced(await suite.worker(), tabId);
  const popup = await openPopup(suite, tabId);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  await popup.close();
  await dispatchCommand(tabId);
  await expectPopupOpened();
  await dispatchMenu(tabId, 0, page.url());
  await expectPopupOpened();
  await expect(page.locator('#user')).toHaveValue('');
  await expect(page.locator('#pass')).toHaveValue('');
  await page.close();
});

test('@autofill cost: content script main-thread time on a 5 000-element page without a login form (recorded)', async () => {
  // Same page with the content script (http) and without (data: URL, not matched). Chromium's
  // per-renderer ScriptDuration includes the page's own script (equal in both) and ours.
  const html = await (await fetch(`${server.A}/big-page.html`)).text();
  const measure = async (url: string) => {
    const page = await suite.context.newPage();
    const cdp = await suite.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url);
    await page.waitForFunction(() => Number(document.body.dataset.count) > 5000);
    await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(null), { timeout: 1000 })));
    const before = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    // A burst of 5 000 more elements after load (what an SPA render does) goes through our observer.
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.innerHTML = '<p><span>x</span><a href="#">y</a></p>'.repeat(1700);
      document.body.append(box);
    });
    await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(null), { timeout: 1000 })));
    const after = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    await page.close();
    return { load: (before.ScriptDuration ?? 0) * 1000, burst: ((after.ScriptDuration ?? 0) - (before.ScriptDuration ?? 0)) * 1000, nodes: before.Nodes ?? 0 };
  };
  const runs = { with: [] as { load: number; burst: number }[], without: [] as { load: number; burst: number }[] };
  for (let i = 0; i < 5; i++) {
    runs.with.push(await measure(`${server.A}/big-page.html`));
    runs.without.push(await measure(`data:text/html,${encodeURIComponent(html.replace('<script src="/harness.js"></script>', ''))}`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const report = {
    loadScriptMsWith: median(runs.with.map((r) => r.load)),
    loadScriptMsWithout: median(runs.without.map((r) => r.load)),
    burstScriptMsWith: median(runs.with.map((r) => r.burst)),
    burstScriptMsWithout: median(runs.without.map((r) => r.burst)),
  };
  test.info().annotations.push({ type: 'content-script-cost', description: JSON.stringify(report) });
  console.info(`[autofill cost] ${JSON.stringify(report)}`);
});
