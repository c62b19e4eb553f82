/**
 * @vault-ux: living in the vault — health, generator, TOTP, import and export, keyboard use.
 */
import { expect, test } from '@playwright/test';
import { addItem, createVault, openPopup, useExtension } from './extension';

const suite = useExtension();

test('@vault-ux health: weak, reused and URI-less items, each opening the item', async () => {
  const popup = await openPopup(suite);
  await createVault(popup);
  await addItem(popup, { title: 'Forum', url: 'https://forum.example', username: 'me', password: 'password1' });
  await addItem(popup, { title: 'Shop', url: 'https://shop.example', username: 'me', password: 'password1' });
  await addItem(popup, { title: 'Bank', url: 'https://bank.example', username: 'me', password: 'Vq3#rT9!mZp2@Lk8' });
  await addItem(popup, { title: 'Wi-Fi at home', url: '', username: '', password: 'correct horse battery staple glacier' });
  await popup.getByRole('button', { name: 'Health' }).click();
  await expect(popup.getByTestId('health-summary')).toHaveText(/Checked 4 items: 2 weak, 1\s+reused group, 1 without a website\./);
  await expect(popup.getByTestId('health-weak')).toContainText('Forum');
  await expect(popup.getByTestId('health-weak')).toContainText('Shop');
  await expect(popup.getByTestId('health-weak')).not.toContainText('Bank');
  await expect(popup.getByTestId('health-reused')).toContainText('Same password in 2 items');
  await expect(popup.getByTestId('health-nouri')).toContainText('Wi-Fi at home');
  await popup.getByTestId('health-nouri').getByRole('button').first().click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'edit');
  await expect(popup.getByLabel('Title', { exact: true })).toHaveValue('Wi-Fi at home');
  await popup.close();
});

test('@vault-ux copy goes from the vault to the clipboard, is cleared after the delay, and a later copy of yours is left alone', async () => {
  const popup = await openPopup(suite);
  const worker = await suite.worker();
  await worker.evaluate(async () => chrome.storage.local.set({ clipboardClearTestMs: 1500 }));
  const clipboard = () => popup.evaluate(() => navigator.clipboard.readText());

  await popup.getByRole('button', { name: 'Open Bank' }).click();
  await expect(popup.getByLabel('Password', { exact: true })).toHaveValue('Vq3#rT9!mZp2@Lk8');
  await popup.getByRole('button', { name: 'Copy password' }).click();
  await expect(popup.getByRole('status')).toHaveText('Password copied.');
  expect(await clipboard()).toBe('Vq3#rT9!mZp2@Lk8');
  await expect.poll(clipboard, { timeout: 5_000 }).not.toBe('Vq3#rT9!mZp2@Lk8');

  // Copy again, then the user copies something of their own before the delay ends.
  await popup.getByRole('button', { name: 'Copy password' }).click();
  await expect.poll(clipboard).toBe('Vq3#rT9!mZp2@Lk8');
  await popup.evaluate(() => navigator.clipboard.writeText('my own note'));
  // No event tells us the clear timer ran; wait past it (1.5 s) with a margin.
  await new Promise((r) => setTimeout(r, 2_500));
  expect(await clipboard()).toBe('my own note');
  await worker.evaluate(async () => chrome.storage.local.remove('clipboardClearTestMs'));
  await popup.close();
});
