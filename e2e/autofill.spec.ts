/**
 * @autofill, data-driven: one test per fixture page in e2e/fixtures/ and per trigger its sidecar
 * lists (popup Fill, keyboard command, context menu). Each asserts the sidecar's filled and
 * not-filled fields, that the page's own login check succeeds where it has one, and — on attack
 * pages — that no secret reached any field, event or message the page can see. One-time-code
 * sidecars (`"fill": "code"`) expect item A's RFC 6238 code for its seed, computed here.
 */
import { expect, test, type Page } from '@playwright/test';
import { addItem, createVault, openPopup, sendFromPage, useExtension, type Suite } from './extension';
import {
  ACCOUNTS,
  TOTP_SEED_A,
  activeTabId,
  expectedValue,
  field,
  framesOfTab,
  leakedSecrets,
  loadSidecars,
  pageUrl,
  startFixtureServer,
  waitAnnounced,
  totpAt,
  type FieldSpec,
  type FixtureServer,
  type ItemKey,
  type Sidecar,
} from './fixture-server';

const HOSTS = ['*.example.test', '*.github.io', '*.co.uk'];
const suite: Suite = useExtension({ args: [`--host-resolver-rules=${HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`] });
let server: FixtureServer;
let portB = 0;
const itemIds = new Map<ItemKey, string>();
const TITLES: Record<ItemKey, string> = { A: 'Fixture A', B: 'Fixture B', 'https-login': 'HTTPS login', alice: 'Alice pages', acouk: 'A co uk', www: 'WWW example' };
const SECRETS = [ACCOUNTS.A.username, ACCOUNTS.A.password, ACCOUNTS.B.username, ACCOUNTS.B.password];

test.beforeAll(async () => {
  server = await startFixtureServer();
  portB = Number(new URL(server.B).port);
});
test.afterAll(async () => server?.close());

test('@autofill setup: vault with one exact item per fixture origin, and the trick items', async () => {
  const popup = await openPopup(suite);
  await createVault(popup);
  const add = async (key: ItemKey, url: string, account: { username: string; password: string }, match: 'exact' | 'site' = 'exact') => {
    await addItem(popup, { title: TITLES[key], url, ...account });
    if (match === 'exact') return;
    // addItem's own "Fill on" label lookup is not exact (another label now contains the words).
    await popup.getByRole('button', { name: `Open ${TITLES[key]}` }).click();
    await popup.getByLabel('Fill on', { exact: true }).selectOption(match);
    await popup.getByRole('button', { name: 'Save' }).click();
    await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  };
  await add('A', server.A, ACCOUNTS.A);
  await add('B', server.B, ACCOUNTS.B);
  await add('https-login', `https://login.example.test:${server.portA}`, ACCOUNTS.A, 'site');
  await add('alice', server.at('alice.github.io'), ACCOUNTS.A, 'site');
  await add('acouk', server.at('a.co.uk'), ACCOUNTS.A, 'site');
  await add('www', server.at('www.example.test'), ACCOUNTS.A);
  // Item A gets a TOTP seed (the one-time-code fixtures); a login fill never carries it.
  await popup.getByRole('button', { name: `Open ${TITLES.A}` }).click();
  await expect(popup.getByLabel('Password', { exact: true })).toHaveValue(ACCOUNTS.A.password);
  await popup.getByLabel('One-time code secret (TOTP)').fill(TOTP_SEED_A);
  await expect(popup.getByTestId('totp-code')).toBeVisible();
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  const list = (await sendFromPage(popup, 'items.list')) as { value: { items: { id: string; title: string }[] } };
  for (const [key, title] of Object.entries(TITLES)) {
    const found = list.value.items.find((i) => i.title === title);
    expect(found).toBeTruthy();
    itemIds.set(key as ItemKey, found?.id ?? '');
  }
  await popup.close();
});

async function openFixture(fx: Sidecar): Promise<{ page: Page; tabId: number }> {
  const page = await suite.context.newPage();
  await page.goto(pageUrl(server, fx, portB));
  const worker = await suite.worker();
  const tabId = await activeTabId(worker);
  for (const step of fx.setup ?? []) {
    if ('click' in step) await page.locator(step.click).click();
    else if ('type' in step) await page.locator(step.type[0]).pressSequentially(expectedValue({ sel: '', value: step.type[1] }, ACCOUNTS.A));
    else await page.locator(step.waitFor).first().waitFor({ state: step.state ?? 'visible' });
  }
  if (fx.waitFrame) {
    const origin = fx.waitFrame === 'A' ? server.A : server.B;
    // The child frame's content script has run when its frame shows in the registry (if it announces).
    if (fx.expect !== 'refused' || fx.waitFrame === 'B') await waitAnnounced(worker, tabId, origin).catch(() => undefined);
  }
  return { page, tabId };
}

type TriggerKind = NonNullable<Sidecar['triggers']>[number];

async function trigger(kind: TriggerKind, page: Page, tabId: number, fx: Sidecar): Promise<void> {
  const worker = await suite.worker();
  if (kind === 'popup' || kind === 'popup-code') {
    const popup = await openPopup(suite, tabId);
    const title = TITLES[fx.item ?? 'A'];
    const name = kind === 'popup' ? `Fill ${title}` : `Fill the one-time code of ${title}`;
    await popup.getByRole('button', { name, exact: true }).click();
    await expect(popup.getByRole('status')).toHaveText(/^Filled \d fields?\.$/);
    await popup.close();
    return;
  }
  await waitAnnounced(worker, tabId);
  if (kind === 'command') {
    await worker.evaluate(async (t) => {
      const tab = await chrome.tabs.get(t);
      (chrome.commands.onCommand as unknown as { dispatch(c: string, tab: chrome.tabs.Tab): void }).dispatch('fill-login', tab);
    }, tabId);
    return;
  }
  // Context menu on the first field to fill: its frame is the one the user picked.
  const target = fx.filled?.[0];
  const frames = await framesOfTab(worker, tabId);
  const frameId = target?.frame ? (frames.find((f) => f.frameId !== 0 && f.loginFields > 0)?.frameId ?? -1) : 0;
  await worker.evaluate(
    async ([t, f, url]) => {
      const tab = await chrome.tabs.get(t);
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: object, tab: chrome.tabs.Tab): void }).dispatch(
        { menuItemId: 'securevault-fill', editable: true, frameId: f, pageUrl: url },
        tab,
      );
    },
    [tabId, frameId, page.url()] as const,
  );
}

const isCodeSpec = (spec: FieldSpec) => spec.value === 'totp' || spec.value?.startsWith('totp:') === true;

/**
 * The code fields hold item A's RFC 6238 code: the whole code ('totp') or its digit N ('totp:N'),
 * all from one code — the one of the time step when the fill was triggered (`since`) or of now
 * (a fill may straddle a 30 s boundary; it never mixes two codes).
 */
async function assertCode(page: Page, specs: FieldSpec[], since: number): Promise<void> {
  await expect(field(page, specs[specs.length - 1] as FieldSpec)).not.toHaveValue('');
  const got = await Promise.all(specs.map((s) => field(page, s).inputValue()));
  const wanted = (code: string) => specs.map((s) => (s.value === 'totp' ? code : (code[Number(s.value?.slice(5))] ?? '')));
  const codes = [...new Set([totpAt(TOTP_SEED_A, since), totpAt(TOTP_SEED_A, Date.now())])];
  expect(codes.map(wanted)).toContainEqual(got);
}

async function assertFields(page: Page, fx: Sidecar, account: { username: string; password: string }, since = Date.now()): Promise<void> {
  const filled = fx.filled ?? [];
  const codeSpecs = filled.filter(isCodeSpec);
  if (codeSpecs.length > 0) await assertCode(page, codeSpecs, since);
  for (const spec of filled.filter((s) => !isCodeSpec(s))) await expect(field(page, spec)).toHaveValue(expectedValue(spec, account));
  for (const spec of fx.empty ?? []) await expect(field(page, spec)).toHaveValue('');
}

for (const fx of loadSidecars()) {
  const expectation = fx.expect ?? 'filled';
  const triggers = expectation === 'filled' ? (fx.triggers ?? ['popup']) : ['direct'];
  for (const kind of triggers) {
    const title = `@autofill ${fx.kind} ${fx.name} [${kind}]: ${fx.description}`;
    test(title, async () => {
      const { page, tabId } = await openFixture(fx);
      const account = fx.item === 'B' ? ACCOUNTS.B : ACCOUNTS.A;
      if (expectation === 'filled') {
        const since = Date.now();
        await trigger(kind as TriggerKind, page, tabId, fx);
        await assertFields(page, fx, account, since);
        if (fx.submit) {
          await page.locator('#go').click();
          await expect(page.locator('#result')).toHaveAttribute('data-result', 'success');
        }
      } else if (expectation === 'refused') {
        // Asked directly with the item's id (what a UI would never offer), the worker still refuses.
        const popup = await openPopup(suite, tabId);
        const type = fx.fill === 'code' ? 'fill.code' : 'fill.item';
        const res = (await sendFromPage(popup, type, { tabId, itemId: itemIds.get(fx.item ?? 'A') })) as { ok: boolean; error?: string };
        expect(res.ok).toBe(false);
        if (fx.expectError) expect(res.error).toBe(fx.expectError);
        await popup.close();
        await assertFields(page, fx, account);
      } else {
        // No user action: a page's own messages and events never cause a fill. The frame has
        // announced (its content script ran and saw the posted messages) and stays empty.
        await waitAnnounced(await suite.worker(), tabId);
        await assertFields(page, fx, account);
      }
      if (fx.kind === 'attack') expect(await leakedSecrets(page, SECRETS, fx.filled ?? [])).toEqual([]);
      await page.close();
    });
  }
}

// ── one-time codes beyond the fixture table ──────────────────────────────────────────────────

async function setFillOnLoad(on: boolean): Promise<void> {
  const popup = await openPopup(suite);
  const list = (await sendFromPage(popup, 'items.list')) as { value: { items: Record<string, unknown>[] } };
  const item = list.value.items.find((i) => i.title === TITLES.A)!;
  const { title, url, username, matchMode, allowInsecureFill } = item;
  const overview = { title, url, username, matchMode, allowInsecureFill, fillOnPageLoad: on };
  expect(await sendFromPage(popup, 'items.update', { id: item.id, overview })).toEqual({ ok: true, value: null });
  await popup.close();
}

test('@autofill a one-time code is never filled on page load, even for an item that fills its login on load', async () => {
  await setFillOnLoad(true);
  try {
    const page = await suite.context.newPage();
    await page.goto(`${server.A}/otp-after-login.html`);
    // The login fills itself (the opt-in works on this page)…
    await expect(page.locator('#pass')).toHaveValue(ACCOUNTS.A.password);
    await expect(page.locator('#user')).toHaveValue(ACCOUNTS.A.username);
    // …the code field beside it stays empty, though the item has a seed (Fill code fills it).
    await expect(page.locator('#otp')).toHaveValue('');
    await page.close();
  } finally {
    await setFillOnLoad(false);
  }
});

test('@autofill Alt+O in the popup copies the current code, computed in the vault; Fill code shows only where a code field is', async () => {
  const worker = await suite.worker();
  const login = await suite.context.newPage();
  await login.goto(`${server.A}/basic-login.html`);
  let popup = await openPopup(suite, await activeTabId(worker));
  await expect(popup.getByRole('button', { name: `Fill ${TITLES.A}`, exact: true })).toBeVisible();
  await expect(popup.getByRole('button', { name: `Fill the one-time code of ${TITLES.A}` })).toHaveCount(0);
  await popup.close();
  await login.close();

  const page = await suite.context.newPage();
  await page.goto(`${server.A}/otp-single.html`);
  popup = await openPopup(suite, await activeTabId(worker));
  await expect(popup.getByRole('button', { name: `Fill the one-time code of ${TITLES.A}` })).toBeVisible();
  const since = Date.now();
  await popup.getByRole('searchbox').press('Alt+KeyO'); // the first row (this site's item A) is active
  await expect(popup.getByRole('status')).toHaveText('One-time code copied.');
  const copied = await popup.evaluate(() => navigator.clipboard.readText());
  expect([totpAt(TOTP_SEED_A, since), totpAt(TOTP_SEED_A, Date.now())]).toContain(copied);
  await expect(page.locator('#otp')).toHaveValue(''); // copying fills nothing
  expect(await sendFromPage(popup, 'debug.pendingRequests')).toEqual({ ok: true, value: { count: 0 } });
  await popup.close();
  await page.close();
});
