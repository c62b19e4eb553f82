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

const FIXTURES = new URL('../src/offscreen/import/fixtures/', import.meta.url).pathname;

async function openTransfer(popup: import('@playwright/test').Page) {
  await popup.getByRole('button', { name: 'Settings' }).click();
  await popup.getByRole('button', { name: 'Import and export…' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'transfer');
}

// [fixture, format label shown, logins in the file (before dropping duplicates)]
const IMPORTS: [string, string, number][] = [
  ['chrome.csv', 'Chrome, Edge or Brave (CSV)', 9],
  ['firefox.csv', 'Firefox (CSV)', 6],
  ['safari.csv', 'Safari or Apple Passwords (CSV)', 4],
  ['bitwarden.csv', 'Bitwarden (CSV)', 5],
  ['bitwarden.json', 'Bitwarden (JSON, unencrypted)', 3],
  ['1password.csv', '1Password (CSV)', 4],
  ['lastpass.csv', 'LastPass (CSV)', 4],
  ['keepassxc.csv', 'KeePassXC (CSV)', 4],
];

for (const [file, label, total] of IMPORTS) {
  test(`@vault-ux import ${file}: preview without secrets, then one step that lands every new login`, async () => {
    const popup = await openPopup(suite);
    const before = ((await popup.evaluate(() => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} }))) as {
      value: { items: unknown[] };
    }).value.items.length;
    await openTransfer(popup);
    await popup.getByLabel('File', { exact: true }).setInputFiles(`${FIXTURES}${file}`);
    const preview = popup.getByTestId('import-preview');
    await expect(preview).toContainText(label);
    const text = (await preview.textContent()) ?? '';
    const toImport = Number(/(\d+) items? to import/.exec(text)?.[1]);
    const duplicates = Number(/(\d+) already in your vault/.exec(text)?.[1] ?? 0);
    expect(toImport + duplicates).toBe(total);
    await popup.getByRole('button', { name: /^Import \d+ items?$/ }).click();
    await expect(popup.getByRole('status')).toHaveText(`Imported ${toImport} item${toImport === 1 ? '' : 's'}.`);
    const after = ((await popup.evaluate(() => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} }))) as {
      value: { items: unknown[] };
    }).value.items.length;
    expect(after - before).toBe(toImport);
    await popup.close();
  });
}

// [fixture, what the user is told]
const BAD_FILES: [string, RegExp][] = [
  ['missing-columns.csv', /no login_password column/],
  ['latin1.csv', /not UTF-8: the byte at offset \d+ \(line 3\)/],
  ['empty.csv', /The file is empty/],
  ['generic.csv', /Unknown format/],
  ['bitwarden-encrypted.json', /encrypted/i],
];

for (const [file, message] of BAD_FILES) {
  test(`@vault-ux a bad file (${file}) is refused with a clear message and nothing is imported`, async () => {
    const popup = await openPopup(suite);
    const count = async () =>
      ((await popup.evaluate(() => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} }))) as {
        value: { items: unknown[] };
      }).value.items.length;
    const before = await count();
    await openTransfer(popup);
    await popup.getByLabel('File', { exact: true }).setInputFiles(`${FIXTURES}${file}`);
    await expect(popup.getByTestId('import-refused')).toHaveText(message);
    await expect(popup.getByRole('button', { name: /^Import \d+/ })).toHaveCount(0);
    expect(await count()).toBe(before);
    await popup.close();
  });
}

test('@vault-ux broken quoting: the broken rows are reported by row number, the rest imports', async () => {
  const popup = await openPopup(suite);
  await openTransfer(popup);
  await popup.getByLabel('File', { exact: true }).setInputFiles(`${FIXTURES}broken-quotes.csv`);
  await expect(popup.getByTestId('import-problems')).toContainText(/Row \d+: /);
  await expect(popup.getByTestId('import-problems')).toContainText('(skipped)');
  await popup.close();
});
