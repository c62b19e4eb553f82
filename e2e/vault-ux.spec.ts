/**
 * @vault-ux: living in the vault — health, generator, TOTP, import and export, keyboard use.
 */
import { expect, test } from '@playwright/test';
import { DEMO_ACCOUNT, MASTER_PASSWORD, addItem, createVault, openPopup, sendFromPage, tabIdOf, useExtension } from './extension';

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

  await popup.getByRole('button', { name: 'Open Bank', exact: true }).click();
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

test('@vault-ux round trip: encrypted export → a new profile → import → identical items', async () => {
  const popup = await openPopup(suite);
  const list = async (page: import('@playwright/test').Page) =>
    ((await page.evaluate(() => chrome.runtime.sendMessage({ v: 1, target: 'worker', type: 'items.list', payload: {} }))) as {
      value: { items: { title: string; url: string; username: string }[] };
    }).value.items.map(({ title, url, username }) => ({ title, url, username }));
  const original = await list(popup);
  expect(original.length).toBeGreaterThan(20);
  await openTransfer(popup);
  await popup.getByLabel('Password for the file (at least 10 characters)').fill('export file password 42');
  await popup.getByLabel('Confirm it').fill('export file password 42');
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export' }).click()]);
  const file = test.info().outputPath('vault.securevault.json');
  await download.saveAs(file);
  expect(JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')).format).toBe('securevault-export');

  // A second browser with a new profile and a new vault.
  const { launchWithExtension } = await import('../scripts/launch.mjs');
  const other = await launchWithExtension();
  try {
    const page = await other.context.newPage();
    await page.goto(`chrome-extension://${other.extensionId}/src/popup/index.html`);
    await createVault(page, 'another master password 77');
    await openTransfer(page);
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByLabel('This is an encrypted SecureVault export. Its password:').fill('wrong password');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('alert')).toContainText(/password/i);
    await page.getByLabel('This is an encrypted SecureVault export. Its password:').fill('export file password 42');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByTestId('import-preview')).toContainText('SecureVault encrypted export');
    await page.getByRole('button', { name: /^Import \d+ items?$/ }).click();
    await expect(page.getByRole('status')).toHaveText(`Imported ${original.length} items.`);
    const imported = await list(page);
    const key = (i: { title: string; url: string; username: string }) => `${i.title}\n${i.url}\n${i.username}`;
    expect(imported.map(key).sort()).toEqual(original.map(key).sort());
  } finally {
    await other.context.close();
  }
  await popup.close();
});

test('@vault-ux CSV export needs the master password and warns that it is plain text', async () => {
  const popup = await openPopup(suite);
  await openTransfer(popup);
  await popup.getByLabel('Plain CSV').check();
  await expect(popup.getByText('A CSV file holds every password in plain text')).toBeVisible();
  await popup.getByLabel('Enter your master password to continue').fill('not my master password');
  await popup.getByRole('button', { name: 'Export' }).click();
  await expect(popup.getByRole('alert')).toHaveText('That is not your master password.');
  await popup.getByLabel('Enter your master password to continue').fill(MASTER_PASSWORD);
  const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export' }).click()]);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  expect(csv.split('\n')[0]).toContain('name');
  expect(csv).toContain('Vq3#rT9!mZp2@Lk8');
  await popup.close();
});

test('@vault-ux generator: length, classes and passphrases; "Use this password" fills the editor', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Add' }).click();
  await popup.getByRole('button', { name: 'Generate a password' }).click();
  const generated = popup.getByTestId('generated');
  await expect(generated).toHaveText(/^.{20}$/);
  await popup.getByLabel(/^Length:/).fill('32');
  await expect(generated).toHaveText(/^.{32}$/);
  await popup.getByLabel('!@#…', { exact: true }).uncheck();
  await popup.getByLabel('A–Z', { exact: true }).uncheck();
  await expect(generated).toHaveText(/^[a-z0-9]{32}$/);
  await popup.getByLabel('Passphrase').check();
  await expect(generated).toHaveText(/^([A-Z][a-z-]+\d?-){4}[A-Z][a-z-]+\d?$/);
  const phrase = (await generated.textContent()) ?? '';
  await popup.getByRole('button', { name: 'Use this password' }).click();
  await expect(popup.getByLabel('Password', { exact: true })).toHaveValue(phrase);
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await popup.close();
});

test('@vault-ux TOTP: an otpauth:// link gives a live code that matches RFC 6238', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Add' }).click();
  await popup.getByLabel('Title', { exact: true }).fill('2FA site');
  await popup.getByLabel('Password', { exact: true }).fill('x');
  // RFC 6238 Appendix B SHA-1 secret "12345678901234567890" in base32.
  await popup.getByLabel('One-time code secret (TOTP)').fill('otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example');
  const expected = await popup.evaluate(async () => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('12345678901234567890'), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    const counter = Math.floor(Date.now() / 1000 / 30);
    const msg = new DataView(new ArrayBuffer(8));
    msg.setUint32(4, counter);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, msg.buffer));
    const o = mac[19]! & 0xf;
    const bin = ((mac[o]! & 0x7f) << 24) | (mac[o + 1]! << 16) | (mac[o + 2]! << 8) | mac[o + 3]!;
    return String(bin % 1_000_000).padStart(6, '0');
  });
  await expect(popup.getByTestId('totp-code')).toHaveText(`${expected.slice(0, 3)} ${expected.slice(3)}`);
  await popup.getByLabel('One-time code secret (TOTP)').fill('not a secret!');
  await expect(popup.getByText('Not a TOTP secret')).toBeVisible();
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await popup.close();
});

test('@vault-ux password history: changing a password keeps the old one', async () => {
  const popup = await openPopup(suite);
  await addItem(popup, { title: 'History check', url: 'https://history.example', username: 'me', password: 'first password 111' });
  await popup.getByRole('button', { name: 'Open History check', exact: true }).click();
  await expect(popup.getByLabel('Password', { exact: true })).toHaveValue('first password 111');
  await popup.getByLabel('Password', { exact: true }).fill('second password 222');
  await popup.getByRole('button', { name: 'Save' }).click();
  await popup.getByRole('button', { name: 'Open History check', exact: true }).click();
  await expect(popup.getByLabel('Password', { exact: true })).toHaveValue('second password 222');
  await popup.getByRole('button', { name: 'Password history (1)' }).click();
  await expect(popup.getByTestId('password-history')).toContainText('first password 111');
  await popup.close();
});

test('@vault-ux several URIs with their own match modes, custom fields, folder and favourite: saved, listed, searchable', async () => {
  const popup = await openPopup(suite);
  await popup.getByRole('button', { name: 'Add' }).click();
  await popup.getByLabel('Title', { exact: true }).fill('Team wiki');
  await popup.getByLabel('Website address', { exact: true }).fill('https://wiki.example/');
  await popup.getByRole('button', { name: 'Add a website address' }).click();
  await popup.getByLabel('Website address 2').fill('https://wiki.example/app/');
  await popup.getByLabel('Fill on, for address 2').selectOption('startsWith');
  await popup.getByRole('button', { name: 'Add a website address' }).click();
  await popup.getByLabel('Website address 3').fill('^https://(docs|wiki)\\.example\\.org/');
  await popup.getByLabel('Fill on, for address 3').selectOption('regex');
  await popup.getByLabel('Username', { exact: true }).fill('wiki-user');
  await popup.getByLabel('Password', { exact: true }).fill('wiki password 4242');
  await popup.getByRole('button', { name: 'Add a hidden field' }).click();
  await popup.getByLabel('Name of field 1').fill('Recovery PIN');
  await popup.getByLabel('Value of field 1').fill('8642');
  await expect(popup.getByLabel('Value of field 1')).toHaveAttribute('type', 'password');
  await popup.getByRole('button', { name: 'Add a text field' }).click();
  await popup.getByLabel('Name of field 2').fill('Team');
  await popup.getByLabel('Value of field 2').fill('Platform');
  await popup.getByLabel('Folder').fill('Work/Docs');
  await popup.getByLabel('Favourite (listed first)').check();
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'list');

  // Favourites come first; the folder shows in the row and is searchable, and so are further URIs.
  const firstRow = popup.getByTestId('all-items').getByRole('button').first();
  await expect(firstRow).toContainText('Team wiki');
  await expect(firstRow).toContainText('Work/Docs');
  await popup.getByLabel('Search').fill('work/docs');
  await expect(popup.getByTestId('all-items')).toContainText('Team wiki');
  await popup.getByLabel('Search').fill('docs|wiki');
  await expect(popup.getByTestId('all-items')).toContainText('Team wiki');
  await popup.getByLabel('Search').fill('');

  // Everything comes back in the editor.
  await popup.getByRole('button', { name: 'Open Team wiki', exact: true }).click();
  await expect(popup.getByLabel('Website address 2')).toHaveValue('https://wiki.example/app/');
  await expect(popup.getByLabel('Fill on, for address 2')).toHaveValue('startsWith');
  await expect(popup.getByLabel('Website address 3')).toHaveValue('^https://(docs|wiki)\\.example\\.org/');
  await expect(popup.getByLabel('Fill on, for address 3')).toHaveValue('regex');
  await expect(popup.getByLabel('Name of field 1')).toHaveValue('Recovery PIN');
  await expect(popup.getByLabel('Value of field 1')).toHaveValue('8642');
  await expect(popup.getByLabel('Value of field 2')).toHaveValue('Platform');
  await expect(popup.getByLabel('Folder')).toHaveValue('Work/Docs');
  await expect(popup.getByLabel('Favourite (listed first)')).toBeChecked();
  await expect(popup.getByTestId('item-dates')).toContainText('Created');

  // A broken regular expression is refused with a clear error and nothing is saved.
  await popup.getByLabel('Website address 3').fill('([a-z');
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.getByRole('alert')).toContainText('A regular expression must be valid, start with ^https://');
  // So is one not anchored with its scheme (it would match the text anywhere in any address).
  await popup.getByLabel('Website address 3').fill('wiki\\.example\\.org/');
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.getByRole('alert')).toContainText('A regular expression must be valid');
  await expect(popup.locator('main')).toHaveAttribute('data-view', 'edit');
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await popup.getByRole('button', { name: 'Open Team wiki', exact: true }).click();
  await expect(popup.getByLabel('Website address 3')).toHaveValue('^https://(docs|wiki)\\.example\\.org/');
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await popup.close();
});

test('@vault-ux match modes decide what is offered and filled: starts-with and regex match, never does not', async () => {
  const login = await suite.context.newPage();
  await login.goto(`${suite.demo.url}/login`);
  const tabId = await tabIdOf(suite, login);
  const popup = await openPopup(suite, tabId);
  const port = new URL(suite.demo.url).port;
  // Only "never" names this origin: not offered.
  await addItem(popup, { title: 'Never here', url: suite.demo.url, username: 'never-user', password: 'never password 1', match: 'never' });
  // Starts-with on another path of this origin: not offered on /login.
  await addItem(popup, { title: 'Other path', url: `${suite.demo.url}/admin/`, username: 'admin-user', password: 'admin password 2', match: 'startsWith' });
  // A regular expression written for http on this port: offered and filled.
  await addItem(popup, { title: 'By pattern', url: `^http://127\\.0\\.0\\.1:${port}/log`, username: DEMO_ACCOUNT.username, password: DEMO_ACCOUNT.password, match: 'regex' });
  await popup.reload();
  const candidates = popup.getByTestId('candidates');
  await expect(candidates).toContainText('By pattern');
  await expect(candidates).not.toContainText('Never here');
  await expect(candidates).not.toContainText('Other path');
  await popup.getByRole('button', { name: 'Fill By pattern' }).click();
  await expect(popup.getByRole('status')).toHaveText('Filled 2 fields.');
  await expect(login.locator('#email')).toHaveValue(DEMO_ACCOUNT.username);
  // A "never" item cannot be filled even when asked for directly.
  const never = ((await sendFromPage(popup, 'items.list')) as { value: { items: { id: string; title: string }[] } }).value.items.find((i) => i.title === 'Never here')!;
  expect(await sendFromPage(popup, 'fill.item', { tabId, itemId: never.id })).toEqual({ ok: false, error: 'no_match' });
  await expect(login.locator('#password')).toHaveValue(DEMO_ACCOUNT.password);
  await login.locator('#submit').click();
  await expect(login.locator('#result')).toHaveAttribute('data-result', 'success');
  await popup.close();
  await login.close();
});
