/**
 * @isolation heap hygiene: canary secrets go through a whole session — create, unlock, add,
 * reveal, copy, fill, save offer, change of master password, lock — while heap snapshots (with
 * concatenated strings rebuilt, see memory-probe.ts) look for them:
 * - the service worker never holds any canary;
 * - after a fill, the extension heap (offscreen document + extension pages) no longer holds the
 *   filled item's password;
 * - one second after lock, no extension context holds any.
 * A raw scan of the extension renderer's process memory after lock is reported, not asserted
 * (strings cannot be wiped from JavaScript; see SECURITY.md).
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { addItem, createVault, openPopup, tabIdOf, unlock, useExtension } from './extension';
import { clickControl, closedUi } from './in-page-ui';
import { canaryReport, describeScans, extensionRendererPids, scanProcesses, snapshotTarget, totalHits } from './memory-probe';

const suite = useExtension();
const tag = () => randomBytes(6).toString('hex');
const CANARY = {
  master: `canary-master-${tag()}`,
  nextMaster: `canary-next-master-${tag()}`,
  itemPassword: `canary-item-pw-${tag()}`,
  notes: `canary-notes-${tag()}`,
  offerPassword: `canary-offer-pw-${tag()}`,
};

async function expectNoCanary(label: string, contexts: Parameters<typeof canaryReport>[0], canaries: Record<string, string> = CANARY) {
  const report = canaryReport(contexts, canaries);
  expect(report.found, `${label}\n${report.message}`).toEqual([]);
}

test('@isolation heap hygiene across a whole session; nothing left one second after lock', async () => {
  test.setTimeout(120_000);
  const login = await suite.context.newPage();
  await login.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, login);
  const popup = await openPopup(suite, tabId);

  // create, add (password + notes), then lock and unlock so the unlock path runs too
  await createVault(popup, CANARY.master);
  await addItem(popup, { title: 'Canary item', url: suite.demo.url, username: 'canary-user', password: CANARY.itemPassword, notes: CANARY.notes });
  await popup.getByRole('button', { name: 'Lock' }).click();
  await unlock(popup, CANARY.master);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expectNoCanary('worker after create/add/unlock', { worker: await snapshotTarget(suite.context, 'worker') });

  // reveal and copy in the editor, then leave it
  await popup.getByRole('button', { name: 'Open Canary item' }).click();
  await expect(popup.getByLabel('Password', { exact: true })).toHaveValue(CANARY.itemPassword);
  await popup.getByRole('button', { name: 'Show password' }).click();
  await popup.getByRole('button', { name: 'Copy password' }).click().catch(() => undefined);
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');

  // fill
  await popup.getByRole('button', { name: 'Fill Canary item' }).click();
  await expect(popup.getByRole('status')).toHaveText('Filled 2 fields.');
  await expect(login.locator('#password')).toHaveValue(CANARY.itemPassword);
  await expectNoCanary('worker after reveal/copy/fill', { worker: await snapshotTarget(suite.context, 'worker') });
  // After the fill completes, the extension heap (offscreen document + popup: one heap) has let go of it.
  await expectNoCanary('extension heap after fill', { offscreen: await snapshotTarget(suite.context, 'offscreen') }, {
    itemPassword: CANARY.itemPassword,
  });

  // save offer: a login submitted on a page, sealed by the content script to the offscreen document
  const signup = await suite.context.newPage();
  await signup.goto(`${suite.demo.url}/signup`);
  await tabIdOf(suite, signup);
  await signup.locator('#su-email').fill('offer-user@securevault.test');
  await signup.locator('#su-pass').fill(CANARY.offerPassword);
  await signup.locator('#su-confirm').fill(CANARY.offerPassword);
  await signup.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(async () => (await closedUi(signup)).count, { timeout: 15_000 }).toBe(1);
  await clickControl(signup, 'save'); // nothing is saved until the user clicks Save in the bar
  await expect.poll(async () => (await closedUi(signup)).count).toBe(0);
  await popup.reload();
  await expect(popup.getByTestId('all-items')).toContainText('offer-user@securevault.test');
  await expectNoCanary('worker after save offer', { worker: await snapshotTarget(suite.context, 'worker') });

  // change master password
  await popup.getByRole('button', { name: 'Settings' }).click();
  await popup.getByLabel('Current master password').fill(CANARY.master);
  await popup.getByLabel('New master password', { exact: true }).fill(CANARY.nextMaster);
  await popup.getByLabel('Confirm new master password').fill(CANARY.nextMaster);
  await popup.getByRole('button', { name: 'Change master password' }).click();
  await expect(popup.getByRole('status')).toHaveText('Master password changed. Use the new one from now on.');
  await expectNoCanary('worker after change of master password', { worker: await snapshotTarget(suite.context, 'worker') });

  // lock, then one second later look everywhere in the extension
  await popup.getByRole('button', { name: 'Back' }).click();
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  await signup.close();
  await new Promise((r) => setTimeout(r, 1_000)); // the measurement point: 1 s after lock
  await expectNoCanary('one second after lock', {
    worker: await snapshotTarget(suite.context, 'worker'),
    'offscreen document': await snapshotTarget(suite.context, 'offscreen'),
    'popup (extension pages heap)': await snapshotTarget(suite.context, popup),
  });

  // Report: raw process memory of the extension renderer (strings cannot be wiped from JS).
  const scans = await scanProcesses(extensionRendererPids(suite.userDataDir), Object.values(CANARY));
  const counts = Object.fromEntries(Object.entries(CANARY).map(([k, v]) => [k, totalHits(scans, v)]));
  console.log(`raw scan of the extension renderer 1 s after lock: ${JSON.stringify(counts)}\n${describeScans(scans)}`);
  test.info().annotations.push({ type: 'raw-memory-after-lock', description: JSON.stringify(counts) });
  await popup.close();
  await login.close();
});
