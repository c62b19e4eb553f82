/**
 * @autofill save and update prompts: each submission style yields exactly one bar (in a closed
 * shadow root) and nothing is saved until the user clicks Save or Update in it; Update keeps the
 * old password in the item's history; Never silences the site; a rejected login shows no bar;
 * while locked a Save goes to the inbox and is merged at unlock (an Update too: merge updates the
 * item). Attack pages: a synthetic click, a click too soon, a page dialog/popover over the bar, a
 * page restyling our host — nothing is saved.
 */
import { expect, test, type Page } from '@playwright/test';
import { MASTER_PASSWORD, addItem, createVault, openPopup, readStore, sendFromPage, unlock, useExtension } from './extension';
import { ACCOUNTS, startFixtureServer, type FixtureServer } from './fixture-server';
import { clickControl, closedUi, controlPoint } from './in-page-ui';

const suite = useExtension();
let server: FixtureServer;

/** The content script's security log lines (reason codes only) seen on a page. */
const logs = new WeakMap<Page, string[]>();
function watchLog(page: Page): Page {
  const lines: string[] = [];
  logs.set(page, lines);
  page.on('console', (m) => {
    if (m.text().startsWith('[securevault:content]')) lines.push(m.text());
  });
  return page;
}
async function expectRefused(page: Page, reason: RegExp) {
  await expect.poll(() => (logs.get(page) ?? []).join('\n')).toMatch(reason);
}

test.beforeAll(async () => {
  server = await startFixtureServer();
});
test.afterAll(async () => server?.close());

interface Item {
  id: string;
  title: string;
  url: string;
  username: string;
}

async function items(): Promise<Item[]> {
  const popup = await openPopup(suite);
  const res = (await sendFromPage(popup, 'items.list')) as { ok: boolean; value?: { items: Item[] } };
  await popup.close();
  return res.value?.items ?? [];
}

/** An item's details, revealed the way the popup does (sealed to a one-time key, opened here). */
async function details(id: string): Promise<{ password: string; history: { password: string }[] }> {
  const popup = await openPopup(suite);
  const out = await popup.evaluate(async (itemId) => {
    const EC = { name: 'ECDH', namedCurve: 'P-256' };
    const pair = (await crypto.subtle.generateKey(EC, false, ['deriveBits'])) as CryptoKeyPair;
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    const b64u = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const fromB = (t: string) => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((t.length + 3) % 4)), (c) => c.charCodeAt(0));
    const res = (await chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.details', payload: { id: itemId, replyKey: b64u(raw) } })) as {
      value: { sealed: { epk: string; iv: string; ct: string } };
    };
    const env = res.value.sealed;
    const label = new TextEncoder().encode(`reveal:${itemId}`);
    const epk = await crypto.subtle.importKey('raw', fromB(env.epk), EC, false, []);
    const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, pair.privateKey, 256);
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: label }, ikm, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB(env.iv), additionalData: label }, key, fromB(env.ct));
    return JSON.parse(new TextDecoder().decode(pt)) as { password: string; history: { password: string }[] };
  }, id);
  await popup.close();
  return out;
}

async function expectOneBar(page: Page, action: 'Save' | 'Update' = 'Save') {
  await expect.poll(async () => (await closedUi(page)).count, { timeout: 15_000 }).toBe(1);
  // Still exactly one a moment later (no second offer from submit + click + Enter).
  await page.waitForTimeout(400);
  const ui = await closedUi(page);
  expect(ui.count).toBe(1);
  expect(ui.controls.find((c) => c.sv === 'save')?.label).toBe(action);
  return ui;
}

async function expectNoBar(page: Page, waitMs = 2500) {
  await page.waitForTimeout(waitMs);
  expect((await closedUi(page)).count).toBe(0);
}

async function fillLogin(page: Page, username: string, password: string) {
  await page.locator('#user').pressSequentially(username);
  await page.locator('#pass').pressSequentially(password);
}

async function openPage(path: string, base = server.A): Promise<Page> {
  const page = watchLog(await suite.context.newPage());
  await page.goto(`${base}/${path}`);
  await page.waitForTimeout(300); // the content script and its engine are loaded
  return page;
}

test('@autofill save-prompt setup: a vault with one login for origin A', async () => {
  const popup = await openPopup(suite);
  await createVault(popup);
  await addItem(popup, { title: 'Fixture A', url: server.A, ...ACCOUNTS.A });
  await popup.close();
});

test('@autofill save-prompt classic form submit → next page shows one Save bar; nothing saved until Save', async () => {
  const page = await openPage('save-form-post.html');
  await fillLogin(page, 'new1@example.test', 'Brand-New-Pa55-1');
  await page.locator('#go').click();
  await page.waitForURL(/save-done/);
  const ui = await expectOneBar(page);
  // The bar shows the host and a masked username; never the password, never the full username.
  expect(ui.text).toContain('127.0.0.1');
  expect(ui.text).toContain('n•••1@example.test');
  expect(ui.text).not.toContain('new1@example.test');
  expect(ui.text).not.toContain('Brand-New-Pa55-1');
  expect((await items()).some((i) => i.username === 'new1@example.test')).toBe(false);
  await clickControl(page, 'save');
  await expect.poll(async () => (await items()).filter((i) => i.username === 'new1@example.test').length).toBe(1);
  expect((await closedUi(page)).count).toBe(0);
  await page.close();
});

test('@autofill save-prompt Enter in the password field → one bar; Not now saves nothing', async () => {
  const page = await openPage('save-form-post.html');
  await fillLogin(page, 'enter@example.test', 'Enter-Pa55-word-2');
  await page.locator('#pass').press('Enter');
  await page.waitForURL(/save-done/);
  await expectOneBar(page);
  await clickControl(page, 'dismiss');
  await expectNoBar(page, 500);
  expect((await items()).some((i) => i.username === 'enter@example.test')).toBe(false);
  await page.close();
});

test('@autofill save-prompt click on a submit-like button outside the form (fields removed) → one bar → Save', async () => {
  const page = await openPage('save-outside-button.html');
  await fillLogin(page, 'outside@example.test', 'Outside-Pa55-3');
  await page.locator('#go').click();
  await expectOneBar(page);
  await clickControl(page, 'save');
  await expect.poll(async () => (await items()).filter((i) => i.username === 'outside@example.test').length).toBe(1);
  await page.close();
});

test('@autofill save-prompt SPA login by fetch, form replaced → one bar (Enter and click and submit count once)', async () => {
  const page = await openPage('save-spa-fetch.html');
  await fillLogin(page, 'spa@example.test', 'Spa-Fetch-Pa55-4');
  await page.locator('#pass').press('Enter');
  await expectOneBar(page);
  await clickControl(page, 'save');
  await expect.poll(async () => (await items()).filter((i) => i.username === 'spa@example.test').length).toBe(1);
  await page.close();
});

test('@autofill save-prompt SPA route change by XHR + pushState (form still in the DOM) → one bar', async () => {
  const page = await openPage('save-spa-route.html');
  await fillLogin(page, 'route-user', 'Route-Pa55-5');
  await page.locator('#go').click();
  await page.waitForURL(/route=home/);
  await expectOneBar(page);
  await clickControl(page, 'save');
  await expect.poll(async () => (await items()).filter((i) => i.username === 'route-user').length).toBe(1);
  await page.close();
});

test('@autofill save-prompt username-first: the remembered username is paired with the password', async () => {
  const page = await openPage('save-username-first.html');
  await page.locator('#user').pressSequentially('twostep@example.test');
  await page.locator('#next').click();
  await page.locator('#pass').pressSequentially('Two-Step-Pa55-6');
  await page.locator('#pass').press('Enter');
  const ui = await expectOneBar(page);
  expect(ui.text).toContain('t•••p@example.test');
  await clickControl(page, 'save');
  await expect.poll(async () => (await items()).filter((i) => i.username === 'twostep@example.test').length).toBe(1);
  await page.close();
});

test('@autofill save-prompt a saved login with the same password → no bar; a different one → Update, old password in history', async () => {
  let page = await openPage('save-spa-fetch.html');
  await fillLogin(page, ACCOUNTS.A.username, ACCOUNTS.A.password);
  await page.locator('#go').click();
  await page.locator('#done').waitFor();
  await expectNoBar(page);
  await page.close();

  page = await openPage('save-spa-fetch.html');
  await fillLogin(page, ACCOUNTS.A.username, 'Changed-Pa55-7');
  await page.locator('#go').click();
  const ui = await expectOneBar(page, 'Update');
  expect(ui.text).toContain('Update the saved password');
  const item = (await items()).find((i) => i.title === 'Fixture A');
  expect(item).toBeTruthy();
  expect((await details(item!.id)).password).toBe(ACCOUNTS.A.password);
  await clickControl(page, 'save');
  await expect.poll(async () => (await details(item!.id)).password).toBe('Changed-Pa55-7');
  const d = await details(item!.id);
  expect(d.history[0]?.password).toBe(ACCOUNTS.A.password);
  expect((await items()).filter((i) => i.username === ACCOUNTS.A.username).length).toBe(1);
  await page.close();
});

test('@autofill save-prompt rejected login: error shown and form kept (SPA) → no bar, and nothing held for later', async () => {
  const page = await openPage('save-spa-fetch.html');
  await fillLogin(page, 'rejected@example.test', 'wrong-password');
  await page.locator('#go').click();
  await expect(page.locator('#error')).toHaveText('Wrong username or password');
  await expectNoBar(page, 11_000);
  // The offer was dropped: navigating on afterwards shows nothing either.
  await page.goto(`${server.A}/save-done.html`);
  await expectNoBar(page, 1500);
  await page.close();
});

test('@autofill save-prompt rejected login: the next page shows the login form again → no bar', async () => {
  const page = await openPage('save-form-reject.html');
  await fillLogin(page, 'rejected2@example.test', 'Rejected-Pa55-8');
  await page.locator('#go').click();
  await page.waitForURL(/save-login-again/);
  await expectNoBar(page, 3000);
  expect((await items()).some((i) => i.username === 'rejected2@example.test')).toBe(false);
  await page.close();
});

test('@autofill save-prompt Never for this site: no bar for that origin afterwards', async () => {
  let page = await openPage('save-spa-fetch.html', server.B);
  await fillLogin(page, 'never@example.test', 'Never-Pa55-9');
  await page.locator('#go').click();
  await expectOneBar(page);
  await clickControl(page, 'never');
  await page.close();
  page = await openPage('save-spa-fetch.html', server.B);
  await fillLogin(page, 'never2@example.test', 'Never-Pa55-10');
  await page.locator('#go').click();
  await page.locator('#done').waitFor();
  await expectNoBar(page, 3000);
  expect((await items()).some((i) => i.username.startsWith('never'))).toBe(false);
  // Stored as salted hashes: no plaintext origin at rest.
  const worker = await suite.worker();
  const stored = JSON.stringify(await worker.evaluate(async () => chrome.storage.local.get(null)));
  expect(stored).not.toContain('localhost');
  await page.close();
});

// ── attacks on the bar ──────────────────────────────────────────────────────────────────────
async function barUp(username: string): Promise<Page> {
  const page = await openPage('save-spa-fetch.html');
  await fillLogin(page, username, 'Attack-Pa55-11');
  await page.locator('#go').click();
  await expectOneBar(page);
  return page;
}

async function expectNotSaved(username: string) {
  await new Promise((r) => setTimeout(r, 800));
  expect((await items()).some((i) => i.username === username)).toBe(false);
}

test('@autofill save-prompt attack: the page cannot see into the bar or click it (synthetic events)', async () => {
  const page = await barUp('synthetic@example.test');
  await page.waitForTimeout(700);
  const seen = await page.evaluate(() => {
    const host = [...document.documentElement.children].find((e) => e.hasAttribute('popover')) as HTMLElement | undefined;
    const r = host?.getBoundingClientRect();
    // What a page script can try: click the host, dispatch events at the button's position.
    host?.click();
    const at = r ? document.elementFromPoint(r.right - 20, r.bottom - 20) : null;
    at?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: (r?.left ?? 0) + 40, clientY: (r?.bottom ?? 0) - 20 }));
    return {
      shadow: host?.shadowRoot ?? null,
      text: host?.textContent ?? '',
      buttons: document.querySelectorAll('button[data-sv]').length,
      html: document.documentElement.outerHTML.includes('s•••c'),
    };
  });
  expect(seen).toEqual({ shadow: null, text: '', buttons: 0, html: false });
  await expectNotSaved('synthetic@example.test');
  await page.close();
});

test('@autofill save-prompt attack: a click too soon after the bar appears is ignored; a later one works', async () => {
  const page = await openPage('save-spa-fetch.html');
  await fillLogin(page, 'soon@example.test', 'Attack-Pa55-12');
  await page.locator('#go').click();
  await expect.poll(async () => (await closedUi(page)).count, { timeout: 15_000 }).toBe(1);
  const q = await controlPoint(page, 'save');
  await page.mouse.click(q.x, q.y); // within the bar's first 500 ms
  await expectNotSaved('soon@example.test');
  await expectRefused(page, /bar\.refused\.too-soon/);
  expect((await closedUi(page)).count).toBe(1);
  await clickControl(page, 'save', 600);
  await expect.poll(async () => (await items()).filter((i) => i.username === 'soon@example.test').length).toBe(1);
  await page.close();
});

test('@autofill save-prompt attack: a page <dialog> (modal) or popover above the bar → click refused', async () => {
  let page = await barUp('dialog@example.test');
  const p = await controlPoint(page, 'save');
  await page.evaluate(() => {
    const d = document.createElement('dialog');
    d.innerHTML = '<p>Click the button to continue</p>';
    d.style.cssText = 'width:100vw;height:100vh;max-width:none;max-height:none;opacity:0.01';
    document.body.append(d);
    d.showModal();
  });
  await page.waitForTimeout(700);
  await page.mouse.click(p.x, p.y);
  await expectNotSaved('dialog@example.test');
  await page.close();

  page = await barUp('popover@example.test');
  const q = await controlPoint(page, 'save');
  await page.evaluate(() => {
    const o = document.createElement('div');
    o.setAttribute('popover', 'manual');
    o.textContent = 'Win a prize: click here';
    o.style.cssText = 'inset:0;width:100vw;height:100vh;margin:0;pointer-events:none;background:rgba(255,255,255,.97)';
    document.body.append(o);
    o.showPopover();
  });
  await page.waitForTimeout(700);
  await page.mouse.click(q.x, q.y);
  await expectNotSaved('popover@example.test');
  await expectRefused(page, /bar\.refused\.(covered|top-layer)/);
  await page.close();
});

for (const [name, css] of [
  ['opacity', 'opacity: 0.05 !important'],
  ['visibility', 'visibility: hidden !important'],
  ['size', 'width: 2px !important; height: 2px !important; overflow: hidden !important'],
  ['transform', 'transform: scale(0.05) !important'],
] as const) {
  test(`@autofill save-prompt attack: the page restyles our host (${name}) → the bar refuses and closes`, async () => {
    const username = `style-${name}@example.test`;
    const page = await barUp(username);
    const p = await controlPoint(page, 'save');
    await page.evaluate((style) => {
      const host = [...document.documentElement.children].find((e) => e.hasAttribute('popover')) as HTMLElement;
      host.setAttribute('style', style);
    }, css);
    await page.waitForTimeout(700);
    await page.mouse.click(p.x, p.y);
    await expectNotSaved(username);
    await expectRefused(page, /bar\.tampered/);
    await page.close();
  });
}

test('@autofill save-prompt attack: page stylesheets cannot restyle our host; a faded page (html opacity) → click refused', async () => {
  let page = await barUp('sheet@example.test');
  // A stylesheet rule (no attribute change on our host): the shadow root's `all: initial !important`
  // on :host wins over the page's !important, so the bar stays as drawn.
  const opacity = await page.evaluate(() => {
    const st = document.createElement('style');
    st.textContent = 'html > div[popover] { opacity: 0.05 !important; transform: scale(0.1) !important; visibility: hidden !important }';
    document.head.append(st);
    const host = [...document.documentElement.children].find((e) => e.hasAttribute('popover')) as HTMLElement;
    const cs = getComputedStyle(host);
    return [cs.opacity, cs.transform, cs.visibility];
  });
  expect(opacity).toEqual(['1', 'none', 'visible']);
  await page.close();

  page = await barUp('faded@example.test');
  const p = await controlPoint(page, 'save');
  await page.evaluate(() => {
    document.documentElement.style.opacity = '0.3';
  });
  await page.waitForTimeout(700);
  await page.mouse.click(p.x, p.y);
  await expectNotSaved('faded@example.test');
  await expectRefused(page, /bar\.refused\.(hidden|transparent)/);
  await page.close();
});

test('@autofill save-prompt locked: Save goes to the inbox (unreadable) and is merged at unlock; a locked Update updates the item', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');

  let page = await openPage('save-form-post.html');
  await fillLogin(page, 'locked@example.test', 'Locked-Pa55-13');
  await page.locator('#go').click();
  await page.waitForURL(/save-done/);
  const ui = await expectOneBar(page);
  expect(ui.text).toContain('locked');
  await clickControl(page, 'save');
  await expect.poll(async () => (await readStore(popup, 'inbox')).length).toBe(1);
  await page.close();

  // An Update while locked is queued the same way (the bar cannot know it is one: it says Save).
  page = await openPage('save-form-post.html');
  await fillLogin(page, ACCOUNTS.A.username, 'Locked-Update-14');
  await page.locator('#go').click();
  await page.waitForURL(/save-done/);
  await expectOneBar(page);
  await clickControl(page, 'save');
  await expect.poll(async () => (await readStore(popup, 'inbox')).length).toBe(2);
  expect(JSON.stringify(await readStore(popup, 'inbox'))).not.toContain('locked@example.test');
  await page.close();

  await unlock(popup, MASTER_PASSWORD);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expect(popup.getByTestId('all-items')).toContainText('locked@example.test');
  expect((await readStore(popup, 'inbox')).length).toBe(0);
  await popup.close();
  const item = (await items()).find((i) => i.title === 'Fixture A');
  const d = await details(item!.id);
  expect(d.password).toBe('Locked-Update-14');
  expect(d.history[0]?.password).toBe('Changed-Pa55-7');
});
