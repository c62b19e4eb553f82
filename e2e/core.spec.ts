/**
 * @core: the foundation, end to end in real Chromium — create a vault, save a credential in the
 * popup, fill it into the demo site's real login page, and the server accepts it.
 */
import { expect, test } from '@playwright/test';
import {
  DEMO_ACCOUNT,
  MASTER_PASSWORD,
  addItem,
  createVault,
  openPopup,
  stopServiceWorker,
  tabIdOf,
  unlock,
  useExtension,
} from './extension';

const suite = useExtension();

test('@core first run → add item → fill on the demo login page → the server accepts the login', async () => {
  const login = await suite.context.newPage();
  await login.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, login);

  const popup = await openPopup(suite, tabId);
  await createVault(popup);
  await addItem(popup, { title: 'Demo site', url: suite.demo.url, username: DEMO_ACCOUNT.username, password: DEMO_ACCOUNT.password });

  await popup.reload();
  await expect(popup.getByTestId('candidates')).toContainText('Demo site');
  await popup.getByRole('button', { name: 'Fill Demo site' }).click();
  await expect(popup.getByRole('status')).toHaveText('Filled 2 fields.');

  await expect(login.locator('#email')).toHaveValue(DEMO_ACCOUNT.username);
  await expect(login.locator('#password')).toHaveValue(DEMO_ACCOUNT.password);
  await login.locator('#submit').click();
  await expect(login.locator('#result')).toHaveAttribute('data-result', 'success');
  expect(suite.demo.logins.at(-1)).toEqual({ username: DEMO_ACCOUNT.username, ok: true, via: 'form' });
  await popup.close();
  await login.close();
});

test('@core React-style controlled inputs see the filled values', async () => {
  const page = await suite.context.newPage();
  await page.goto(`${suite.demo.url}/react-login`);
  const tabId = await tabIdOf(suite, page);
  const popup = await openPopup(suite, tabId);
  await popup.getByRole('button', { name: 'Fill Demo site' }).click();
  await expect(popup.getByRole('status')).toHaveText('Filled 2 fields.');
  await page.locator('#r-submit').click();
  await expect(page.locator('#result')).toHaveAttribute('data-result', 'success');
  expect(suite.demo.logins.at(-1)).toEqual({ username: DEMO_ACCOUNT.username, ok: true, via: 'react' });
  await popup.close();
  await page.close();
});

test('@core a page of another origin gets nothing', async () => {
  // localhost and 127.0.0.1 are different origins for the same server.
  const other = await suite.context.newPage();
  const otherOrigin = suite.demo.url.replace('127.0.0.1', 'localhost');
  await other.goto(`${otherOrigin}/login`);
  const tabId = await tabIdOf(suite, other);
  const popup = await openPopup(suite, tabId);
  await expect(popup.getByText(`No saved login for ${otherOrigin}.`)).toBeVisible();
  await expect(popup.getByTestId('candidates')).toHaveCount(0);

  // Even asked directly with the item's id, the worker refuses: the item does not match this origin.
  const itemId = await popup.evaluate(async () => {
    const res = await chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} });
    return res.value.items[0].id as string;
  });
  const res = await popup.evaluate(
    async ([t, id]) => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'fill.item', payload: { tabId: t, itemId: id } }),
    [tabId, itemId] as const,
  );
  expect(res).toEqual({ ok: false, error: 'no_match' });
  await expect(other.locator('#email')).toHaveValue('');
  await expect(other.locator('#password')).toHaveValue('');
  await popup.close();
  await other.close();
});

test('@core after the tab navigates to another site, the popup no longer offers the previous site', async () => {
  const page = await suite.context.newPage();
  await page.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, page);
  // Same tab, another origin, and a page without any login form (its content script announces nothing).
  const otherOrigin = suite.demo.url.replace('127.0.0.1', 'localhost');
  await page.goto(`${otherOrigin}/`);
  const popup = await openPopup(suite, tabId);
  await expect(popup.getByText(`No saved login for ${otherOrigin}.`)).toBeVisible();
  await expect(popup.getByTestId('candidates')).toHaveCount(0);
  await popup.close();
  await page.close();
});

test('@core service worker stopped → the next request works and the vault is still unlocked', async () => {
  const login = await suite.context.newPage();
  await login.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, login);
  await stopServiceWorker(suite, login);
  const popup = await openPopup(suite, tabId);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await popup.getByRole('button', { name: 'Fill Demo site' }).click();
  await expect(login.locator('#password')).toHaveValue(DEMO_ACCOUNT.password);
  await popup.close();
  await login.close();
});

test('@core locked → fill refused and nothing filled; wrong master password refused', async () => {
  const login = await suite.context.newPage();
  await login.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, login);
  const popup = await openPopup(suite, tabId);
  const itemId = await popup.evaluate(async () => {
    const res = await chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} });
    return res.value.items[0].id as string;
  });
  await popup.getByRole('button', { name: 'Lock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');

  // The offscreen document (the only realm with keys) is gone after lock.
  const worker = await suite.worker();
  const contexts = await worker.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType] })).length);
  expect(contexts).toBeLessThanOrEqual(1); // status check recreates an empty one on demand
  const res = await popup.evaluate(
    async ([t, id]) => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'fill.item', payload: { tabId: t, itemId: id } }),
    [tabId, itemId] as const,
  );
  expect(res).toEqual({ ok: false, error: 'locked' });
  const list = await popup.evaluate(async () => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} }));
  expect(list).toEqual({ ok: false, error: 'locked' });
  await expect(login.locator('#password')).toHaveValue('');

  await unlock(popup, 'not-the-master-password');
  await expect(popup.getByRole('alert')).toHaveText('Wrong master password. Check it and try again.');
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  const still = await popup.evaluate(async () => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} }));
  expect(still).toEqual({ ok: false, error: 'locked' });

  await popup.getByLabel('Master password').fill(MASTER_PASSWORD);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await popup.close();
  await login.close();
});

test('@core Chromium restarted on the same profile → items still there, vault locked, unlock works', async () => {
  await suite.restart();
  const popup = await openPopup(suite);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'unlock');
  await unlock(popup);
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await expect(popup.getByTestId('all-items')).toContainText('Demo site');
  await popup.close();
});
