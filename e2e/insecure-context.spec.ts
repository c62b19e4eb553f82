/**
 * @isolation the non-secure-context exception. On plain http with a non-local host name the
 * content script has no WebCrypto, so a credential cannot be sealed to it. Filling there is an
 * opt-in per item; without it nothing is filled, with it the fill works (and the credential
 * crosses the worker in plaintext — documented in SECURITY.md).
 */
import { expect, test } from '@playwright/test';
import { DEMO_ACCOUNT, addItem, createVault, openPopup, tabIdOf, useExtension } from './extension';

// login.example.test resolves to the demo server; over http it is not a secure context.
const suite = useExtension({ args: ['--host-resolver-rules=MAP login.example.test 127.0.0.1'] });

test('@isolation an http page that is not a secure context gets nothing unless the item opts in', async () => {
  const origin = suite.demo.url.replace('127.0.0.1', 'login.example.test');
  const login = await suite.context.newPage();
  await login.goto(`${origin}/login`);
  expect(await login.evaluate(() => window.isSecureContext)).toBe(false);
  const tabId = await tabIdOf(suite, login);

  const popup = await openPopup(suite, tabId);
  await createVault(popup);
  await addItem(popup, { title: 'Plain http site', url: origin, username: DEMO_ACCOUNT.username, password: DEMO_ACCOUNT.password });
  await popup.reload();
  await popup.getByRole('button', { name: 'Fill Plain http site' }).click();
  await expect(popup.getByRole('alert')).toHaveText('This page is not a secure context, so SecureVault will not fill it.');
  await expect(login.locator('#email')).toHaveValue('');
  await expect(login.locator('#password')).toHaveValue('');

  // Opt in for this item, then the fill works and the server accepts the login.
  await popup.getByRole('button', { name: 'Open Plain http site' }).click();
  await popup.getByLabel('Also fill on this http page when the browser does not treat it as secure').check();
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');
  await popup.getByRole('button', { name: 'Fill Plain http site' }).click();
  await expect(popup.getByRole('status')).toHaveText('Filled 2 fields.');
  await login.locator('#submit').click();
  await expect(login.locator('#result')).toHaveAttribute('data-result', 'success');
  await popup.close();
  await login.close();
});
