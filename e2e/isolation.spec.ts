/**
 * @isolation: the worker relays but never holds secrets; lock means gone; auto-lock, throttling,
 * change of master password, the locked-save inbox and tampering behave as SECURITY.md says.
 */
import { expect, test } from '@playwright/test';
import {
  DEMO_ACCOUNT,
  MASTER_PASSWORD,
  addItem,
  createVault,
  offscreenCount,
  openPopup,
  patchStore,
  readStore,
  sendFromPage,
  stopServiceWorker,
  tabIdOf,
  unlock,
  useExtension,
} from './extension';
import { clickControl, closedUi } from './in-page-ui';

const suite = useExtension();
const NEW_MASTER = 'a different master passphrase 9913';

test('@isolation setup: vault with two items; nothing readable at rest', async () => {
  const popup = await openPopup(suite);
  await createVault(popup);
  await addItem(popup, { title: 'Demo site', url: suite.demo.url, username: DEMO_ACCOUNT.username, password: DEMO_ACCOUNT.password, notes: 'canary-notes-5521' });
  await addItem(popup, { title: 'Second account', url: 'https://second.example', username: 'second-user', password: 'canary-second-pw-8812' });
  const raw = JSON.stringify([await readStore(popup, 'vault'), await readStore(popup, 'items')]);
  const bytes = JSON.stringify(await readStore(popup, 'items'));
  for (const needle of ['Demo site', 'Second account', 'second.example', '127.0.0.1', 'second-user', DEMO_ACCOUNT.username, 'canary-notes-5521', 'canary-second-pw-8812']) {
    expect(raw).not.toContain(needle);
    // Also as UTF-8 bytes inside the stored byte arrays.
    const asBytes = Array.from(new TextEncoder().encode(needle)).join(',');
    expect(bytes).not.toContain(asBytes);
  }
  await popup.close();
});

test('@isolation the offscreen document answers the service worker only', async () => {
  const popup = await openPopup(suite);
  // Addressed straight to the offscreen document from the popup: refused there (the worker ignores it).
  const res = await popup.evaluate(async () => chrome.runtime.sendMessage({ v: 1, target: 'offscreen', type: 'cm.list', payload: {} }));
  expect(res).toEqual({ ok: false, error: 'bad_sender' });
  // Worker-only or offscreen-only message types sent to the worker by the popup: not allowed.
  expect(await sendFromPage(popup, 'cm.list')).toEqual({ ok: false, error: 'unknown_type' });
  expect(await sendFromPage(popup, 'fill.fetch', { requestId: 'AAAAAAAAAAAAAAAAAAAAAA', replyKey: 'AAAA' })).toEqual({ ok: false, error: 'not_allowed' });
  await popup.close();
});

test('@isolation buffer-tracking table: empty at idle, after a fill, after a tab closes mid-request', async () => {
  const popup = await openPopup(suite);
  expect(await sendFromPage(popup, 'debug.pendingRequests')).toEqual({ ok: true, value: { count: 0 } });

  const login = await suite.context.newPage();
  await login.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, login);
  const list = (await sendFromPage(popup, 'items.list')) as { value: { items: { id: string; title: string }[] } };
  const demoItem = list.value.items.find((i) => i.title === 'Demo site');
  expect(demoItem).toBeDefined();
  expect(await sendFromPage(popup, 'fill.item', { tabId, itemId: demoItem!.id })).toEqual({ ok: true, value: { filled: 2 } });
  expect(await sendFromPage(popup, 'debug.pendingRequests')).toEqual({ ok: true, value: { count: 0 } });

  // Close the tab while a fill is in flight.
  const inFlight = sendFromPage(popup, 'fill.item', { tabId, itemId: demoItem!.id });
  await login.close();
  const outcome = (await inFlight) as { ok: boolean };
  expect(typeof outcome.ok).toBe('boolean');
  await expect.poll(async () => sendFromPage(popup, 'debug.pendingRequests')).toEqual({ ok: true, value: { count: 0 } });
  await popup.close();
});

test('@isolation lock tears the offscreen realm down and the worker answers "locked"', async () => {
  const popup = await openPopup(suite);
  expect(await offscreenCount(suite)).toBe(1);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  expect(await offscreenCount(suite)).toBe(0);
  expect(await sendFromPage(popup, 'items.list')).toEqual({ ok: false, error: 'locked' });
  expect(await sendFromPage(popup, 'debug.pendingRequests')).toEqual({ ok: true, value: { count: 0 } });
  // The master password is normalised (NFKC): the decomposed spelling of the same password unlocks.
  await unlock(popup, MASTER_PASSWORD.normalize('NFD'));
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await popup.close();
});

test('@isolation auto-lock fires while the service worker is stopped', async () => {
  const popup = await openPopup(suite);
  const worker = await suite.worker();
  await worker.evaluate(async () => chrome.storage.local.set({ autoLockTestMs: 1000 }));
  const browser = suite.context.browser()!;
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const offscreen = targetInfos.find((t) => t.url.endsWith('/src/offscreen/offscreen.html'));
  expect(offscreen).toBeDefined();
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  const offscreenGone = new Promise<void>((resolve) => {
    cdp.on('Target.targetDestroyed', (e) => {
      if (e.targetId === offscreen!.targetId) resolve();
    });
  });
  // Watch the worker's running status: it must be stopped, then woken (by the alarm).
  const page = await suite.context.newCDPSession(popup);
  const statuses: string[] = [];
  page.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.scriptURL.endsWith('/service-worker-loader.js')) statuses.push(v.runningStatus);
  });
  await page.send('ServiceWorker.enable');
  // Activity arms the alarm, then the worker is stopped; only chrome.alarms can wake it.
  expect((await sendFromPage(popup, 'items.list')) as { ok: boolean }).toMatchObject({ ok: true });
  await page.send('ServiceWorker.stopAllWorkers');
  await offscreenGone;
  await cdp.detach();
  await page.detach();
  // Stopped, then running again without any message from us: the alarm woke it and it locked.
  const stoppedAt = statuses.indexOf('stopped');
  expect(stoppedAt).toBeGreaterThanOrEqual(0);
  expect(statuses.slice(stoppedAt)).toContain('running');
  expect(await sendFromPage(popup, 'vault.status')).toEqual({ ok: true, value: { hasVault: true, unlocked: false } });
  const w = await suite.worker();
  await w.evaluate(async () => chrome.storage.local.remove('autoLockTestMs'));
  await popup.reload();
  await unlock(popup);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await popup.close();
});

test('@isolation unlock throttling survives a service-worker restart', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  let throttledAt = -1;
  for (let attempt = 1; attempt <= 6 && throttledAt < 0; attempt++) {
    await popup.getByLabel('Master password').fill(`wrong password #${attempt}`);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    const alert = popup.getByRole('alert');
    await expect(alert).toBeVisible();
    if ((await alert.textContent())?.startsWith('Too many wrong attempts')) throttledAt = attempt;
    await expect(popup.getByRole('button', { name: 'Unlock' })).toBeEnabled();
  }
  expect(throttledAt).toBeGreaterThan(3); // three free attempts first
  // The real waits are seconds long; stretch this one so a slow machine cannot outlast it, then
  // check that a restarted worker still honours it (the state lives in storage, not in globals).
  const w0 = await suite.worker();
  await w0.evaluate(async () => {
    const { unlockThrottle } = await chrome.storage.local.get('unlockThrottle');
    await chrome.storage.local.set({ unlockThrottle: { ...(unlockThrottle as object), notBefore: Date.now() + 60_000 } });
  });
  await stopServiceWorker(suite, popup);
  await popup.getByLabel('Master password').fill(MASTER_PASSWORD);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.getByRole('alert')).toHaveText(/^Too many wrong attempts/);
  // Once the wait is over, the right password works and resets the counter.
  const worker = await suite.worker();
  await worker.evaluate(async () => {
    const { unlockThrottle } = await chrome.storage.local.get('unlockThrottle');
    await chrome.storage.local.set({ unlockThrottle: { ...(unlockThrottle as object), notBefore: 0 } });
  });
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  expect(await worker.evaluate(async () => (await chrome.storage.local.get('unlockThrottle')).unlockThrottle ?? null)).toBeNull();
  await popup.close();
});

test('@isolation change master password re-wraps the key only: old refused, new works, items untouched', async () => {
  const popup = await openPopup(suite);
  const itemsBefore = await readStore(popup, 'items');
  const vaultBefore = (await readStore(popup, 'vault'))[0]!;
  await popup.getByRole('button', { name: 'Settings' }).click();
  await popup.getByLabel('Current master password').fill('not the current one');
  await popup.getByLabel('New master password', { exact: true }).fill(NEW_MASTER);
  await popup.getByLabel('Confirm new master password').fill(NEW_MASTER);
  await popup.getByRole('button', { name: 'Change master password' }).click();
  await expect(popup.getByRole('alert')).toHaveText('The current master password is wrong.');
  await popup.getByLabel('Current master password').fill(MASTER_PASSWORD);
  await popup.getByRole('button', { name: 'Change master password' }).click();
  await expect(popup.getByRole('status')).toHaveText('Master password changed. Use the new one from now on.');

  // No item record was rewritten; the key record was (new salt, new wrapped private key).
  expect(await readStore(popup, 'items')).toEqual(itemsBefore);
  const vaultAfter = (await readStore(popup, 'vault'))[0]!;
  expect(vaultAfter.salt).not.toEqual(vaultBefore.salt);
  expect(vaultAfter.wrappedPrivateKey).not.toEqual(vaultBefore.wrappedPrivateKey);
  expect(vaultAfter.wrappedVaultKey).toEqual(vaultBefore.wrappedVaultKey);

  await popup.getByRole('button', { name: 'Back' }).click();
  await popup.getByRole('button', { name: 'Lock' }).click();
  await unlock(popup, MASTER_PASSWORD);
  await expect(popup.getByRole('alert')).toHaveText('Wrong master password. Check it and try again.');
  await popup.getByLabel('Master password').fill(NEW_MASTER);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expect(popup.getByTestId('all-items')).toContainText('Demo site');
  await expect(popup.getByTestId('all-items')).toContainText('Second account');
  await popup.close();
});

test('@isolation a login submitted while locked waits in the inbox, unreadable, and is merged on unlock', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');

  const signup = await suite.context.newPage();
  await signup.goto(`${suite.demo.url}/signup`);
  await tabIdOf(suite, signup);
  await signup.locator('#su-email').fill('inbox-user@securevault.test');
  await signup.locator('#su-pass').fill('canary-inbox-pw-3321');
  await signup.locator('#su-confirm').fill('canary-inbox-pw-3321');
  await signup.getByRole('button', { name: 'Create account' }).click();
  await expect(signup.getByText('Account created. Log in now.')).toBeVisible();
  // Nothing is kept until the user clicks Save in the save bar (closed shadow root: e2e/in-page-ui.ts).
  await expect.poll(async () => (await closedUi(signup)).count, { timeout: 15_000 }).toBe(1);
  expect((await readStore(popup, 'inbox')).length).toBe(0);
  await clickControl(signup, 'save');

  await expect.poll(async () => (await readStore(popup, 'inbox')).length).toBe(1);
  const inbox = JSON.stringify(await readStore(popup, 'inbox'));
  for (const needle of ['inbox-user', 'canary-inbox-pw-3321', '127.0.0.1']) {
    expect(inbox).not.toContain(needle);
    expect(inbox).not.toContain(Array.from(new TextEncoder().encode(needle)).join(','));
  }
  // A wrong password opens nothing and merges nothing.
  await unlock(popup, 'wrong password for the inbox');
  await expect(popup.getByRole('alert')).toHaveText('Wrong master password. Check it and try again.');
  expect((await readStore(popup, 'inbox')).length).toBe(1);

  await popup.getByLabel('Master password').fill(NEW_MASTER);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expect(popup.getByTestId('all-items')).toContainText('inbox-user@securevault.test');
  expect((await readStore(popup, 'inbox')).length).toBe(0);
  await signup.close();
  await popup.close();
});

test('@isolation tampering: KDF parameters below the floor are refused; a moved ciphertext isolates one item', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');

  await patchStore(popup, 'vault', 'return records.map(r => ({ ...r, kdf: { ...r.kdf, memoryKiB: 1024, iterations: 1 } }))');
  await unlock(popup, NEW_MASTER);
  await expect(popup.getByRole('alert')).toContainText('weaker than SecureVault allows');
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  await patchStore(popup, 'vault', 'return records.map(r => ({ ...r, kdf: { ...r.kdf, memoryKiB: 65536, iterations: 3 } }))');

  // Move one item's overview ciphertext onto another item, and replace the overview-index chunk
  // that lists it with another bucket's chunk (or, when all items share one bucket, a damaged
  // copy): AAD (vault, bucket) rejects the chunk, the bucket is rebuilt from its item records,
  // and AAD (vault, item, part, revision) rejects the moved overview.
  const [a, b] = (await readStore(popup, 'items')) as { id: string }[];
  await patchStore(popup, 'items', 'const [a, b] = records; return [{ ...b, overview: a.overview }];');
  await patchStore(
    popup,
    'overviewIndex',
    `const mine = records.find((r) => r.bucket === ${JSON.stringify(b!.id.slice(0, 1))});
     const other = records.find((r) => r !== mine);
     if (other) return [{ ...mine, sealed: other.sealed }];
     const ct = new Uint8Array(mine.sealed.ct); ct[0] ^= 1; return [{ ...mine, sealed: { ...mine.sealed, ct } }];`,
  );
  expect(a).toBeDefined();
  await popup.getByLabel('Master password').fill(NEW_MASTER);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expect(popup.getByTestId('unreadable')).toContainText('1 item could not be decrypted');
  const list = (await sendFromPage(popup, 'items.list')) as { value: { items: unknown[]; unreadable: number } };
  expect(list.value.unreadable).toBe(1);
  expect(list.value.items.length).toBe(2); // the other two items still work
  expect((await readStore(popup, 'items')).length).toBe(3); // the damaged one is kept, not dropped
  await popup.close();
});

test('@isolation tampering: a swapped public key is detected and undone at unlock', async () => {
  const popup = await openPopup(suite);
  const genuine = (await readStore(popup, 'vault'))[0]!.publicKeySpki;
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  // An attacker with write access to the profile swaps in a public key of their own.
  await popup.evaluate(async () => {
    const pair = await crypto.subtle.generateKey(
      { name: 'RSA-OAEP', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['wrapKey', 'unwrapKey'],
    );
    (globalThis as unknown as { attackerSpki: Uint8Array }).attackerSpki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  });
  await patchStore(popup, 'vault', 'return records.map(r => ({ ...r, publicKeySpki: globalThis.attackerSpki }))');
  expect((await readStore(popup, 'vault'))[0]!.publicKeySpki).not.toEqual(genuine);

  const signup = await suite.context.newPage();
  await signup.goto(`${suite.demo.url}/signup`);
  await tabIdOf(suite, signup);
  await signup.locator('#su-email').fill('swapped-key-user@securevault.test');
  await signup.locator('#su-pass').fill('canary-swapped-pw-1177');
  await signup.locator('#su-confirm').fill('canary-swapped-pw-1177');
  await signup.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(async () => (await closedUi(signup)).count, { timeout: 15_000 }).toBe(1);
  await clickControl(signup, 'save');
  await expect.poll(async () => (await readStore(popup, 'inbox')).length).toBe(1);

  await unlock(popup, NEW_MASTER);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expect(popup.getByTestId('tampered')).toBeVisible();
  expect((await readStore(popup, 'vault'))[0]!.publicKeySpki).toEqual(genuine);
  // The offer sealed to the attacker's key cannot be opened by the vault: it is not imported.
  await expect(popup.getByTestId('all-items')).not.toContainText('swapped-key-user');
  await signup.close();
  await popup.close();
});

test('@isolation lock on the keyboard command and on system screen lock', async () => {
  const popup = await openPopup(suite);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  const worker = await suite.worker();
  // The suggested key is really assigned in this Chromium (a suggestion can be silently dropped).
  const commands = await worker.evaluate(async () => chrome.commands.getAll());
  expect(commands.find((c) => c.name === 'lock-vault')?.shortcut).toBe('Alt+Shift+K');

  // Headless cannot press browser shortcuts: dispatch the real listener.
  await worker.evaluate(() => (chrome.commands.onCommand as unknown as { dispatch(c: string): void }).dispatch('lock-vault'));
  await expect.poll(() => offscreenCount(suite)).toBe(0);
  expect(await sendFromPage(popup, 'items.list')).toEqual({ ok: false, error: 'locked' });

  await popup.reload();
  await unlock(popup, NEW_MASTER);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await worker.evaluate(() => (chrome.idle.onStateChanged as unknown as { dispatch(s: string): void }).dispatch('locked'));
  await expect.poll(() => offscreenCount(suite)).toBe(0);
  expect(await sendFromPage(popup, 'vault.status')).toEqual({ ok: true, value: { hasVault: true, unlocked: false } });
  await popup.close();
});

test('@isolation stronger Argon2id from Settings: its time on this computer shown, applied after the master password, only the key record rewritten', async () => {
  const popup = await openPopup(suite);
  await unlock(popup, NEW_MASTER); // the test before locked the vault
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  const itemsBefore = await readStore(popup, 'items');
  await popup.getByRole('button', { name: 'Settings' }).click();
  await expect(popup.getByTestId('kdf-summary')).toHaveText(/64 MiB of memory, 3 passes, 4 lanes/);
  await expect(popup.getByTestId('kdf-time')).toHaveText(/Each unlock takes about \d+ ms/);
  await popup.getByLabel('Strength').selectOption('strong');
  await expect(popup.getByTestId('kdf-time')).toHaveText(/Each unlock takes about \d+ ms/, { timeout: 20_000 });

  // A wrong master password changes nothing.
  await popup.getByLabel('Master password, to apply it').fill('not the master password');
  await popup.getByRole('button', { name: 'Apply' }).click();
  await expect(popup.getByRole('alert')).toBeVisible();
  expect((await readStore(popup, 'vault'))[0]!.kdf).toMatchObject({ memoryKiB: 65536, iterations: 3 });

  await popup.getByLabel('Master password, to apply it').fill(NEW_MASTER);
  await popup.getByRole('button', { name: 'Apply' }).click();
  await expect(popup.getByRole('status')).toHaveText(/now stretched at this strength/, { timeout: 20_000 });
  await expect(popup.getByTestId('kdf-summary')).toHaveText(/128 MiB of memory, 3 passes, 4 lanes/);
  expect((await readStore(popup, 'vault'))[0]!.kdf).toMatchObject({ memoryKiB: 131072, iterations: 3, parallelism: 4 });
  expect(await readStore(popup, 'items')).toEqual(itemsBefore); // O(1): no item record rewritten

  // The next unlock derives with the stored (stronger) parameters and keeps them.
  await popup.getByRole('button', { name: 'Back' }).click();
  await popup.getByRole('button', { name: 'Lock' }).click();
  await unlock(popup, NEW_MASTER);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  expect((await readStore(popup, 'vault'))[0]!.kdf).toMatchObject({ memoryKiB: 131072 });
  await popup.close();
});
