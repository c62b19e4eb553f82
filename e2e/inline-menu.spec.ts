/**
 * @autofill inline menu: focusing a login field opens a menu (closed shadow root, top layer) with
 * titles and masked usernames only; a real click on an entry fills through the worker's policy.
 * The page's DOM and window cannot read a full username before the pick. Locked → the menu says to
 * unlock in the toolbar button. New-password fields get "Use a strong password" (new + confirm).
 * Attack pages: a synthetic click, a click too soon, the field moved under the pointer, a page
 * dialog/popover above the menu, a page restyling our host → nothing filled.
 */
import { expect, test, type Page } from '@playwright/test';
import { MASTER_PASSWORD, addItem, createVault, openPopup, sendFromPage, unlock, useExtension } from './extension';
import { ACCOUNTS, leakedSecrets, startFixtureServer, type FixtureServer } from './fixture-server';
import { clickControl, closedUi, controlPoint } from './in-page-ui';

const suite = useExtension();
let server: FixtureServer;
const SECRETS = [ACCOUNTS.A.username, ACCOUNTS.A.password];

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

async function openLogin(path = 'basic-login.html'): Promise<Page> {
  const page = watchLog(await suite.context.newPage());
  await page.goto(`${server.A}/${path}`);
  await page.waitForTimeout(400); // content script and engine loaded
  return page;
}

async function menuFor(page: Page, selector: string) {
  await page.locator(selector).click();
  await expect.poll(async () => (await closedUi(page)).count, { timeout: 10_000 }).toBe(1);
  return closedUi(page);
}

async function expectNothingFilled(page: Page) {
  await page.waitForTimeout(800);
  await expect(page.locator('#user')).toHaveValue('');
  await expect(page.locator('#pass')).toHaveValue('');
  expect(await leakedSecrets(page, SECRETS, [])).toEqual([]);
}

test('@autofill inline-menu setup: a vault with one login for origin A', async () => {
  const popup = await openPopup(suite);
  await createVault(popup);
  await addItem(popup, { title: 'Fixture A', url: server.A, ...ACCOUNTS.A });
  await popup.close();
});

test('@autofill inline-menu lists titles and masked usernames only; a pick fills; the page cannot read the menu', async () => {
  const page = await openLogin();
  const ui = await menuFor(page, '#user');
  expect(ui.text).toContain('Fixture A');
  expect(ui.text).toContain('a•••e@example.test');
  expect(ui.text).not.toContain(ACCOUNTS.A.username);
  // The page's own view: no shadow root, no text on the host, nothing found by selectors, no secret anywhere.
  const seen = await page.evaluate((full) => {
    const host = [...document.documentElement.children].find((e) => e.hasAttribute('popover')) as HTMLElement | undefined;
    return {
      host: Boolean(host),
      shadow: host?.shadowRoot ?? null,
      text: host?.textContent ?? '',
      found: document.querySelectorAll('[data-sv], [role="option"]').length,
      inHtml: document.documentElement.outerHTML.includes(full) || document.documentElement.outerHTML.includes('•••'),
      inBody: document.body.innerText.includes('Fixture A'),
    };
  }, ACCOUNTS.A.username);
  expect(seen).toEqual({ host: true, shadow: null, text: '', found: 0, inHtml: false, inBody: false });
  expect(await leakedSecrets(page, SECRETS, [])).toEqual([]);
  await clickControl(page, 'item-0');
  await expect(page.locator('#user')).toHaveValue(ACCOUNTS.A.username);
  await expect(page.locator('#pass')).toHaveValue(ACCOUNTS.A.password);
  await page.locator('#go').click();
  await expect(page.locator('#result')).toHaveAttribute('data-result', 'success');
  await page.close();
});

test('@autofill inline-menu attack: synthetic clicks from the page fill nothing', async () => {
  const page = await openLogin();
  await menuFor(page, '#user');
  await page.waitForTimeout(700);
  await page.evaluate(() => {
    const host = [...document.documentElement.children].find((e) => e.hasAttribute('popover')) as HTMLElement;
    const r = host.getBoundingClientRect();
    host.click();
    for (const y of [r.top + 30, r.top + 45, r.top + 60]) {
      const at = document.elementFromPoint(r.left + 40, y);
      at?.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true, clientX: r.left + 40, clientY: y }));
      at?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.left + 40, clientY: y }));
    }
  });
  await expectNothingFilled(page);
  await page.close();
});

test('@autofill inline-menu attack: a click too soon after the menu appears fills nothing', async () => {
  const page = await openLogin();
  await page.locator('#user').click();
  await expect.poll(async () => (await closedUi(page)).count, { timeout: 10_000 }).toBe(1);
  const p = await controlPoint(page, 'item-0');
  await page.mouse.click(p.x, p.y);
  await expectNothingFilled(page);
  await expectRefused(page, /menu\.refused\.too-soon/);
  await page.close();
});

test('@autofill inline-menu attack: the page moves the field after the menu is shown → refused', async () => {
  const page = await openLogin();
  await menuFor(page, '#user');
  const p = await controlPoint(page, 'item-0');
  await page.evaluate(() => {
    (document.getElementById('login') as HTMLElement).style.marginTop = '40px';
  });
  await page.waitForTimeout(700);
  await page.mouse.click(p.x, p.y);
  await expectNothingFilled(page);
  await expectRefused(page, /menu\.refused\.field-moved/);
  await page.close();
});

test('@autofill inline-menu attack: a page modal <dialog> or popover above the menu → refused', async () => {
  let page = await openLogin();
  await menuFor(page, '#user');
  let p = await controlPoint(page, 'item-0');
  await page.evaluate(() => {
    const d = document.createElement('dialog');
    d.textContent = 'Continue';
    d.style.cssText = 'width:100vw;height:100vh;max-width:none;max-height:none;opacity:0.01';
    document.body.append(d);
    d.showModal();
  });
  await page.waitForTimeout(700);
  await page.mouse.click(p.x, p.y);
  await expectNothingFilled(page);
  await page.close();

  page = await openLogin();
  await menuFor(page, '#user');
  p = await controlPoint(page, 'item-0');
  await page.evaluate(() => {
    const o = document.createElement('div');
    o.setAttribute('popover', 'manual');
    o.textContent = 'Click to play';
    o.style.cssText = 'inset:0;width:100vw;height:100vh;margin:0;pointer-events:none;background:rgba(255,255,255,.97)';
    document.body.append(o);
    o.showPopover();
  });
  await page.waitForTimeout(700);
  await page.mouse.click(p.x, p.y);
  await expectNothingFilled(page);
  await expectRefused(page, /menu\.refused\.(covered|top-layer)/);
  await page.close();
});

for (const [name, css] of [
  ['opacity', 'opacity: 0.05 !important'],
  ['visibility', 'visibility: hidden !important'],
  ['size', 'width: 2px !important; height: 2px !important; overflow: hidden !important'],
] as const) {
  test(`@autofill inline-menu attack: the page restyles our host (${name}) → nothing filled`, async () => {
    const page = await openLogin();
    await menuFor(page, '#user');
    const p = await controlPoint(page, 'item-0');
    await page.evaluate((style) => {
      const host = [...document.documentElement.children].find((e) => e.hasAttribute('popover')) as HTMLElement;
      host.setAttribute('style', style);
    }, css);
    await page.waitForTimeout(700);
    await page.mouse.click(p.x, p.y);
    await expectNothingFilled(page);
    await expectRefused(page, /menu\.tampered/);
    await page.close();
  });
}

test('@autofill inline-menu attack: a field made transparent by an ancestor → nothing filled', async () => {
  const page = await openLogin();
  await menuFor(page, '#user');
  const p = await controlPoint(page, 'item-0');
  await page.evaluate(() => {
    (document.getElementById('login') as HTMLElement).style.opacity = '0.05';
  });
  await page.waitForTimeout(700);
  await page.mouse.click(p.x, p.y);
  await expectNothingFilled(page);
  await expectRefused(page, /menu\.refused\.field-hidden/);
  await page.close();
});

test('@autofill inline-menu on a signup form offers a generated password that fills new + confirm', async () => {
  const page = await openLogin('signup.html');
  const ui = await menuFor(page, '#pass');
  expect(ui.controls.map((c) => c.sv)).toContain('generate');
  await clickControl(page, 'generate');
  const value = await page.locator('#pass').inputValue();
  expect(value.length).toBe(20);
  await expect(page.locator('#confirm')).toHaveValue(value);
  await expect(page.locator('#user')).toHaveValue('');
  await page.close();
});

async function setFillOnLoad(on: boolean) {
  const popup = await openPopup(suite);
  const list = (await sendFromPage(popup, 'items.list')) as { value: { items: Record<string, unknown>[] } };
  const item = list.value.items.find((i) => i.title === 'Fixture A')!;
  const { title, url, username, matchMode, allowInsecureFill } = item;
  const res = (await sendFromPage(popup, 'items.update', {
    id: item.id,
    overview: { title, url, username, matchMode, allowInsecureFill, fillOnPageLoad: on },
  })) as { ok: boolean };
  expect(res.ok).toBe(true);
  await popup.close();
}

test('@autofill fill on page load: only an opted-in item, exact origin, top frame, visible fields', async () => {
  // Default off: a page load fills nothing (every test above relied on it too).
  let page = await openLogin();
  await page.waitForTimeout(800);
  await expect(page.locator('#pass')).toHaveValue('');
  await page.close();

  await setFillOnLoad(true);
  page = await openLogin();
  await expect(page.locator('#user')).toHaveValue(ACCOUNTS.A.username);
  await expect(page.locator('#pass')).toHaveValue(ACCOUNTS.A.password);
  await page.close();

  // Another origin (localhost on port B), an invisible login form, a login in a same-origin
  // child frame: nothing.
  for (const [url, sel] of [
    [`${server.B}/basic-login.html`, '#pass'],
    [`http://localhost:${server.portA}/basic-login.html`, '#pass'],
    [`${server.A}/attack-opacity-wrapper.html`, 'input[type="password"]'],
  ] as const) {
    page = watchLog(await suite.context.newPage());
    await page.goto(url);
    await page.waitForTimeout(1200);
    await expect(page.locator(sel).first()).toHaveValue('');
    expect(await leakedSecrets(page, SECRETS, [])).toEqual([]);
    await page.close();
  }
  page = await openLogin('same-origin-iframe.html');
  await page.waitForTimeout(1200);
  await expect(page.frameLocator('iframe').first().locator('input[type="password"]').first()).toHaveValue('');
  await page.close();
  await setFillOnLoad(false);
});

test('@autofill inline-menu locked: the menu says to unlock in the toolbar button and lists nothing', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  const page = await openLogin();
  const ui = await menuFor(page, '#user');
  expect(ui.text).toContain('Unlock in the SecureVault toolbar button');
  expect(ui.text).not.toContain('Fixture A');
  expect(ui.controls.filter((c) => c.sv.startsWith('item-'))).toEqual([]);
  await expectNothingFilled(page);
  await unlock(popup, MASTER_PASSWORD);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await popup.close();
  await page.close();
});
