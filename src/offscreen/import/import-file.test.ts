import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ColumnMapping, FormatId, ImportedItem } from './formats';
import { IMPORT_LIMITS, ImportError, dedupe, parseImport, previewOf, type ImportErrorCode, type ImportResult, type ProblemCode } from './import-file';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);

function refusal(run: () => unknown): ImportError {
  try {
    run();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

interface FixtureCase {
  file: string;
  mapping?: ColumnMapping;
  format: FormatId;
  count: number;
  skipped: number;
  /** every problem, as [row, code, kept] */
  problems: [number, ProblemCode, boolean][];
  /** items at an index, compared field by field (toEqual when `exact`) */
  items: Record<number, Partial<ImportedItem>>;
  exact?: number[];
}

// Row numbers are what a spreadsheet shows: header = 1, a quoted newline does not start a row.
const FIXTURES: FixtureCase[] = [
  {
    file: 'chrome.csv', // CRLF, BOM, multi-line note, android:// app link, blank row, formula-like values
    format: 'chrome',
    count: 9,
    skipped: 1,
    problems: [
      [6, 'url_not_web', true],
      [8, 'no_password', true],
      [10, 'no_credentials', false],
      [12, 'url_credentials', true],
    ],
    items: {
      0: { title: 'example.com', url: 'https://example.com/', username: 'alice@example.com', password: 'p@ss,word"quoted', notes: '' },
      1: { notes: 'Recovery codes:\n1111-2222\n3333-4444', url: 'https://accounts.example.org/signin' },
      2: { title: 'münchen.example', url: 'https://xn--mnchen-3ya.example/', username: 'jörg', password: 'pässwörd🔑' },
      3: { username: '', password: 'hunter2-no-user' },
      4: { url: '', notes: 'Original URL: android://Zm9vYmFyYmF6@com.example.app/' },
      7: { username: '=1+2', password: '-3+4', notes: '@SUM(A1)' },
      8: { url: 'https://intranet.example:8443/login', notes: ' padded \n\nOriginal URL: https://eve:secret@intranet.example:8443/login' },
    },
    exact: [0],
  },
  {
    file: 'firefox.csv',
    format: 'firefox',
    count: 6,
    skipped: 1,
    problems: [
      [5, 'url_not_web', true],
      [7, 'no_credentials', false],
    ],
    items: {
      0: { title: 'www.example.com', url: 'https://www.example.com/', username: 'alice', password: 'fx-secret-1', notes: '' },
      1: { url: 'https://intranet.example:8443/', password: 'realm pass, with comma' },
      2: { title: '192.168.1.1', url: 'http://192.168.1.1/', username: '' },
      5: { username: 'q"uote', password: 'pa"ss ' },
    },
  },
  {
    file: 'safari.csv',
    format: 'safari',
    count: 4,
    skipped: 1,
    problems: [[6, 'no_credentials', false]],
    items: {
      0: { totp: 'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example' },
      1: { username: 'Smith, John', notes: 'Security question: first pet?\r\nAnswer: "Rex"' },
      2: { title: '日本語サイト', url: 'https://xn--r8jz45g.xn--zckzah/', username: 'ユーザー', password: 'パスワード' },
      3: { title: 'Wi-Fi', url: '', username: '', password: 'wifi-only-password' },
    },
  },
  {
    file: 'bitwarden.csv',
    format: 'bitwarden-csv',
    count: 5,
    skipped: 2,
    problems: [
      [4, 'not_a_login', false],
      [5, 'no_password', true],
      [6, 'not_a_login', false],
    ],
    items: {
      0: { title: 'Work mail', folder: 'Work', notes: 'Shared with team, ask IT', totp: 'otpauth://totp/Work:alice?secret=ABCDEFGHIJKLMNOP' },
      1: {
        title: 'Multi URL',
        url: 'https://a.example/',
        username: 'multi',
        password: 'multi-pass',
        notes: '',
        uris: [{ url: 'https://b.example/login', match: 'exact' }],
        fields: [
          { name: 'PIN', value: '1234', hidden: true },
          { name: 'Security answer', value: 'blue', hidden: true },
        ],
      },
      3: { title: 'Say "hi"', url: 'https://hi.example/', totp: 'JBSWY3DPEHPK3PXP' },
    },
    exact: [1],
  },
  {
    file: 'bitwarden.json',
    format: 'bitwarden-json',
    count: 3,
    skipped: 5,
    problems: [
      [2, 'not_a_login', false],
      [4, 'not_a_login', false],
      [5, 'no_credentials', false],
      [6, 'bad_shape', false],
      [8, 'not_a_login', false],
    ],
    items: {
      0: {
        title: 'Work mail',
        url: 'https://mail.work.example/',
        folder: 'Work',
        notes: 'Shared with team, ask IT',
        favorite: true,
        uris: [{ url: 'https://webmail.work.example/', match: 'startsWith' }],
        fields: [
          { name: 'PIN', value: '1234', hidden: true },
          { name: 'Remember', value: 'true', hidden: false },
        ],
      },
      1: { title: 'Ünïcödé 🔐', url: '', username: '', password: 'only-a-password "quoted", with comma\nand newline', notes: '' },
    },
    exact: [1],
  },
  {
    file: '1password.csv',
    format: '1password',
    count: 4,
    skipped: 0,
    problems: [[5, 'no_password', true]],
    items: {
      0: { password: 'gh,pass"1', notes: 'Line one\nLine two', folder: 'Work,Dev', totp: 'otpauth://totp/GitHub:octo-user?secret=JBSWY3DPEHPK3PXP&issuer=GitHub' },
      1: { title: 'Old forum', url: 'https://forum.example.net/' },
      2: { title: 'Café Crème', url: 'https://xn--caf-dma.example/', username: 'crème@example.com', password: 'ç@fé' },
    },
  },
  {
    file: 'lastpass.csv',
    format: 'lastpass',
    count: 4,
    skipped: 2,
    problems: [
      [3, 'not_a_login', false],
      [7, 'no_credentials', false],
    ],
    items: {
      0: { title: 'Example', notes: 'Notes with, comma', folder: 'Shopping' },
      1: { title: 'Home router', url: '', folder: 'Home\\Network' },
      2: { totp: 'JBSWY3DPEHPK3PXP', folder: 'Social\\Friends' },
    },
  },
  {
    file: 'keepassxc.csv',
    format: 'keepassxc',
    count: 4,
    skipped: 1,
    problems: [
      [5, 'url_not_web', true],
      [6, 'no_credentials', false],
    ],
    items: {
      0: { title: 'Mail', folder: 'Email', password: 'kx "pass", 1', notes: 'multi\nline "note"', url: 'https://mail.example.org/' },
      1: { title: 'Top level', url: 'https://example.org/', username: 'top', password: 'top-pass', notes: '' },
      2: { folder: 'Banking/Cards', username: '', password: '1234' },
      3: { url: '', notes: 'Original URL: cmd://ssh deploy@host' },
    },
    exact: [1],
  },
  {
    file: 'generic.csv',
    mapping: { title: 0, username: 1, password: 2, notes: 3, url: 4 },
    format: 'generic',
    count: 2,
    skipped: 0,
    problems: [],
    items: { 1: { title: 'Other', url: 'https://other.example/', password: 'gen,pass"2', notes: 'multi\nline' } },
  },
  {
    file: 'generic-noheader.csv',
    mapping: { title: 0, username: 1, password: 2, notes: 3, url: 4, hasHeader: false },
    format: 'generic',
    count: 2,
    skipped: 0,
    problems: [],
    items: { 0: { title: 'Example', url: 'https://example.com/', username: 'alice', password: 'gen-pass-1', notes: 'first' } },
  },
  {
    file: 'broken-quotes.csv',
    format: 'chrome',
    count: 2,
    skipped: 3,
    problems: [
      [3, 'column_count', false],
      [4, 'column_count', false],
      [6, 'broken_quotes', false],
    ],
    items: { 0: { username: 'u1' }, 1: { username: 'u4' } },
  },
  {
    file: 'huge-field.csv',
    format: 'chrome',
    count: 2,
    skipped: 1,
    problems: [[3, 'field_too_long', false]],
    items: { 0: { username: 'ok' }, 1: { username: 'after' } },
  },
];

describe('fixtures', () => {
  test.each(FIXTURES)('$file', (c) => {
    const r = parseImport(fixture(c.file), c.mapping ? { mapping: c.mapping } : {});
    expect(r.format).toBe(c.format);
    expect(r.items).toHaveLength(c.count);
    expect(r.skipped).toBe(c.skipped);
    expect(r.problems.map((p) => [p.row, p.code, p.kept])).toEqual(c.problems);
    expect(r.skipped).toBe(r.problems.filter((p) => !p.kept).length);
    for (const [i, fields] of Object.entries(c.items)) {
      const item = r.items[Number(i)];
      if (c.exact?.includes(Number(i))) expect(item).toEqual(fields);
      else expect(item).toMatchObject(fields);
    }
    for (const item of r.items) {
      // Every item is in the one shape the vault expects.
      expect(Object.keys(item).every((k) => ['title', 'url', 'username', 'password', 'notes', 'totp', 'folder', 'matchMode', 'uris', 'favorite', 'fields'].includes(k))).toBe(true);
      expect(item.totp).not.toBe('');
      expect(item.folder).not.toBe('');
    }
  });

  test.each<[string, ImportErrorCode, RegExp, Record<string, unknown>]>([
    ['empty.csv', 'empty', /empty/, {}],
    ['latin1.csv', 'not_utf8', /not UTF-8: the byte at offset 111 \(line 3\)/, { offset: 111, line: 3 }],
    ['utf16.csv', 'utf16', /UTF-16/, {}],
    ['missing-columns.csv', 'missing_columns', /Bitwarden \(CSV\) export, but it has no login_password column/, { missing: ['login_password'] }],
    ['semicolon.csv', 'unknown_format', /^Unknown format\. The first row reads: name;url;username;password\./, { header: ['name;url;username;password'] }],
    ['generic.csv', 'unknown_format', /The first row reads: Service, Login, Secret, Comment, Link\./, { header: ['Service', 'Login', 'Secret', 'Comment', 'Link'] }],
    ['not-bitwarden.json', 'bad_json', /not an unencrypted Bitwarden export/, {}],
    ['bitwarden-encrypted.json', 'encrypted_export', /encrypted.*export again/, {}],
  ])('%s is refused whole: %s', (file, code, message, detail) => {
    const e = refusal(() => parseImport(fixture(file)));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.detail).toMatchObject(detail);
  });
});

describe('CSV reading', () => {
  const HEADER = 'name,url,username,password,note';
  const rows = ['a.example,https://a.example/,u,"p,1",x', 'b.example,https://b.example/,v,p2,"two\nlines"'];

  test.each<[string, string]>([
    ['LF', [HEADER, ...rows].join('\n') + '\n'],
    ['CRLF', [HEADER, ...rows].join('\r\n') + '\r\n'],
    ['CR (classic Mac)', [HEADER, ...rows].join('\r')],
    ['no final newline', [HEADER, ...rows].join('\n')],
    ['blank lines between', [HEADER, '', rows[0], '', '', rows[1], ''].join('\n')],
    ['UTF-8 BOM', '\uFEFF' + [HEADER, ...rows].join('\n')],
  ])('line endings and blank lines: %s', (_why, text) => {
    const r = parseImport(utf8(text));
    expect(r.items.map((i) => [i.username, i.password, i.notes])).toEqual([
      ['u', 'p,1', 'x'],
      ['v', 'p2', 'two\nlines'],
    ]);
    expect(r.problems).toEqual([]);
  });

  test('row numbers count records, not lines', () => {
    const r = parseImport(utf8([HEADER, 'a,https://a.example/,u,p,"1\n2\n3"', 'b,https://b.example/,,,'].join('\n')));
    expect(r.problems).toMatchObject([{ row: 3, code: 'no_credentials' }]);
  });

  test.each<[string, string, number, string]>([
    ['a stray quote after a quoted field', 'a,https://a.example/,u,"p"q,n\nb,https://b.example/,v,p2,n', 2, 'broken_quotes'],
    ['a quote that never closes', 'a,https://a.example/,u,p,n\nb,https://b.example/,v,"p2,n\nc,https://c.example/,w,p3,n', 3, 'broken_quotes'],
    ['an extra column', 'a,https://a.example/,u,p,n,extra', 2, 'column_count'],
    ['a missing column', 'a,https://a.example/,u,p', 2, 'column_count'],
  ])('%s: the row is reported, not guessed at', (_why, body, row, code) => {
    const r = parseImport(utf8(`${HEADER}\n${body}`));
    expect(r.problems).toContainEqual(expect.objectContaining({ row, code, kept: false }));
    expect(r.items.every((i) => !i.password.includes('"') && !i.notes.includes('https://'))).toBe(true);
  });

  test('a broken header refuses the file', () => {
    expect(refusal(() => parseImport(utf8('"name,url,username,password\na,b,c,d'))).code).toBe('broken_header');
  });

  test('a header with no rows is an empty import, not an error', () => {
    expect(parseImport(utf8(`${HEADER}\r\n`))).toEqual({ format: 'chrome', items: [], problems: [], skipped: 0, ignoredColumns: [] });
  });

  test('blank space only is refused as empty', () => {
    expect(refusal(() => parseImport(utf8(' \r\n\t\n'))).code).toBe('empty');
  });

  test('passwords, usernames and notes are not trimmed; titles and URLs are', () => {
    const r = parseImport(utf8(`${HEADER}\n"  T  "," https://a.example/ ", u ," p ", n `));
    expect(r.items[0]).toEqual({ title: 'T', url: 'https://a.example/', username: ' u ', password: ' p ', notes: ' n ' });
  });

  test.each<[string, string, string, ProblemCode | null]>([
    ['scheme added', 'example.com/login', 'https://example.com/login', null],
    ['LastPass "http://" means none', 'http://', '', null],
    ['only spaces', '   ', '', null],
    ['IDN to punycode', 'https://bücher.example/', 'https://xn--bcher-kva.example/', null],
    ['app link', 'android://abc@com.example/', '', 'url_not_web'],
    ['javascript:', 'javascript:alert(1)', '', 'url_not_web'],
    ['credentials removed', 'https://u:p@example.com/', 'https://example.com/', 'url_credentials'],
    ['user only removed', 'https://u@example.com/', 'https://example.com/', 'url_credentials'],
  ])('URL: %s', (_why, raw, url, code) => {
    const r = parseImport(utf8(`${HEADER}\nT,"${raw}",u,p,`));
    expect(r.items[0]?.url).toBe(url);
    expect(r.problems.map((p) => p.code)).toEqual(code ? [code] : []);
    if (code) expect(r.items[0]?.notes).toBe(`Original URL: ${raw.trim()}`);
  });
});

describe('generic mapping', () => {
  const FILE = utf8('Site,Who,Secret\nhttps://a.example/,alice,pw1\nhttps://b.example/,bob,pw2\n');

  test('used when the header is unknown', () => {
    const r = parseImport(FILE, { mapping: { url: 0, username: 1, password: 2 } });
    expect(r.format).toBe('generic');
    expect(r.items.map((i) => [i.title, i.url, i.username, i.password])).toEqual([
      ['a.example', 'https://a.example/', 'alice', 'pw1'],
      ['b.example', 'https://b.example/', 'bob', 'pw2'],
    ]);
  });

  test('used when columns are missing (the user chose them)', () => {
    const r = parseImport(utf8('name,url,username\nA,https://a.example/,alice\n'), { mapping: { title: 0, url: 1, password: 2 } });
    expect(r).toMatchObject({ format: 'generic', items: [{ title: 'A', password: 'alice' }] });
  });

  test('ignored when the header is recognised', () => {
    const r = parseImport(utf8('name,url,username,password\nA,https://a.example/,alice,pw\n'), { mapping: { password: 0 } });
    expect(r).toMatchObject({ format: 'chrome', items: [{ password: 'pw' }] });
  });

  test.each<[string, unknown]>([
    ['no password column', { url: 0 }],
    ['index past the last column', { password: 3 }],
    ['negative index', { password: -1 }],
    ['fractional index', { password: 1.5 }],
    ['index as text', { password: '1' }],
    ['unknown key', { password: 1, totp: 2 }],
    ['hasHeader not a boolean', { password: 1, hasHeader: 'no' }],
    ['null', null],
  ])('refused: %s', (_why, mapping) => {
    expect(refusal(() => parseImport(FILE, { mapping: mapping as ColumnMapping })).code).toBe('bad_mapping');
  });
});

describe('JSON reading', () => {
  test.each<[string, string, ImportErrorCode]>([
    ['not JSON after a brace', '{"encrypted": false, "items": [', 'bad_json'],
    ['a JSON array', '[{"url": "https://a.example/"}]', 'bad_json'],
    ['a SecureVault export', '{"format":"securevault-export","version":1}', 'securevault_export'],
  ])('%s', (_why, text, code) => {
    expect(refusal(() => parseImport(utf8(text))).code).toBe(code);
  });

  test('the JSON syntax error (which quotes the file) is not passed on', () => {
    const e = refusal(() => parseImport(utf8('{"encrypted": false, "items": [{"login": {"password": "hunter2" x}}]}')));
    expect(e.message).not.toContain('hunter2');
  });

  test('empty items: nothing to import', () => {
    expect(parseImport(utf8('{"encrypted":false,"items":[]}'))).toMatchObject({ format: 'bitwarden-json', items: [], skipped: 0 });
  });
});

describe('limits', () => {
  const chrome = (n: number, password = (i: number) => `pw-${i}`) =>
    utf8(['name,url,username,password,note', ...Array.from({ length: n }, (_, i) => `s${i},https://s${i}.example/,u${i},${password(i)},`)].join('\n'));

  test('defaults', () => {
    expect(IMPORT_LIMITS).toEqual({ maxBytes: 32 * 1024 * 1024, maxRows: 50_000, maxFieldLength: 10_000 });
  });

  test.each<[string, Uint8Array, Parameters<typeof parseImport>[1], ImportErrorCode]>([
    ['file one byte too large', chrome(3), { maxBytes: chrome(3).length - 1 }, 'too_large'],
    ['one CSV row too many', chrome(11), { maxRows: 10 }, 'too_many_rows'],
    ['one JSON item too many', utf8(JSON.stringify({ encrypted: false, items: Array(11).fill({ type: 2 }) })), { maxRows: 10 }, 'too_many_rows'],
  ])('%s', (_why, bytes, options, code) => {
    expect(refusal(() => parseImport(bytes, options)).code).toBe(code);
  });

  test.each<[string, Uint8Array, Parameters<typeof parseImport>[1]]>([
    ['exactly maxBytes', chrome(3), { maxBytes: chrome(3).length }],
    ['exactly maxRows (blank lines not counted)', utf8(new TextDecoder().decode(chrome(10)) + '\n\n\n'), { maxRows: 10 }],
  ])('at the limit: %s', (_why, bytes, options) => {
    expect(() => parseImport(bytes, options)).not.toThrow();
  });

  test('a field over the limit skips that row only', () => {
    const r = parseImport(chrome(5, (i) => (i === 2 ? 'x'.repeat(101) : `pw-${i}`)), { maxFieldLength: 100 });
    expect(r.items.map((i) => i.username)).toEqual(['u0', 'u1', 'u3', 'u4']);
    expect(r.problems).toEqual([{ row: 4, code: 'field_too_long', reason: 'the password field is longer than 100 characters', kept: false }]);
  });

  test('notes may be ten times the field limit', () => {
    const note = (n: number) => `a,https://a.example/,u,p,${'n'.repeat(n)}`;
    expect(parseImport(utf8(`name,url,username,password,note\n${note(1000)}`), { maxFieldLength: 100 }).items).toHaveLength(1);
    expect(parseImport(utf8(`name,url,username,password,note\n${note(1001)}`), { maxFieldLength: 100 }).problems).toMatchObject([
      { row: 2, code: 'field_too_long', reason: 'column 5 (note) is longer than 1000 characters' },
    ]);
  });

  test('a huge cell in a column that is not imported is still a reason to skip', () => {
    const r = parseImport(utf8(`name,url,username,password,extra\na,https://a.example/,u,p,${'z'.repeat(1001)}`), { maxFieldLength: 100 });
    expect(r.problems).toMatchObject([{ row: 2, code: 'field_too_long', reason: 'column 5 (extra) is longer than 1000 characters' }]);
  });

  test('without a header row, a long column is named by number only (its first cell is data)', () => {
    const r = parseImport(utf8(`a,${'z'.repeat(1001)}\nb,c`), { maxFieldLength: 100, mapping: { password: 1, hasHeader: false } });
    expect(r.problems).toMatchObject([{ row: 1, code: 'field_too_long', reason: 'column 2 is longer than 1000 characters' }]);
  });

  test.each<[string, unknown]>([
    ['zero', { maxRows: 0 }],
    ['negative', { maxBytes: -1 }],
    ['fraction', { maxFieldLength: 1.5 }],
    ['NaN', { maxRows: Number.NaN }],
  ])('a bad limit is the caller’s mistake (RangeError): %s', (_why, options) => {
    expect(() => parseImport(chrome(1), options as Parameters<typeof parseImport>[1])).toThrow(RangeError);
  });

  test('bytes must be a Uint8Array', () => {
    expect(() => parseImport('name,url' as unknown as Uint8Array)).toThrow(TypeError);
  });

  test('10 000 Chrome rows', () => {
    const awkward = (i: number) => (i % 3 === 0 ? `"p,${i}""q"` : i % 3 === 1 ? `pä${i}🔑` : `"multi\nline ${i}"`);
    const bytes = chrome(10_000, awkward);
    const t0 = performance.now();
    const r = parseImport(bytes);
    const ms = performance.now() - t0;
    console.info(`parseImport: 10 000 Chrome rows (${bytes.length} bytes) in ${ms.toFixed(0)} ms`);
    expect(r.items).toHaveLength(10_000);
    expect(r.problems).toEqual([]);
    expect(r.items[9999]).toEqual({ title: 's9999', url: 'https://s9999.example/', username: 'u9999', password: 'p,9999"q', notes: '' });
    expect(r.items[5000]?.password).toBe('multi\nline 5000');
    expect(r.items[1]?.password).toBe('pä1🔑');
  });
});

describe('dedupe', () => {
  const item = (url: string, username: string, password: string, title = 't'): ImportedItem => ({ title, url, username, password, notes: '' });

  test.each<[string, ImportedItem[], { url: string; username: string; password: string }[], number[]]>([
    ['nothing to drop', [item('https://a.example/', 'u', 'p'), item('https://b.example/', 'u', 'p')], [], [0, 1]],
    ['repeat within the file: first kept', [item('https://a.example/', 'u', 'p', 'first'), item('https://a.example/', 'u', 'p', 'second')], [], [0]],
    ['already in the vault', [item('https://a.example/', 'u', 'p'), item('https://b.example/', 'u', 'p')], [{ url: 'https://a.example/', username: 'u', password: 'p' }], [1]],
    ['same origin, other path', [item('https://a.example/login', 'u', 'p')], [{ url: 'https://a.example/', username: 'u', password: 'p' }], []],
    ['other port is another origin', [item('https://a.example:8443/', 'u', 'p')], [{ url: 'https://a.example/', username: 'u', password: 'p' }], [0]],
    ['http vs https are different', [item('http://a.example/', 'u', 'p')], [{ url: 'https://a.example/', username: 'u', password: 'p' }], [0]],
    ['other password is kept (a change for the user to see)', [item('https://a.example/', 'u', 'p2')], [{ url: 'https://a.example/', username: 'u', password: 'p' }], [0]],
    ['usernames compare exactly', [item('https://a.example/', 'U', 'p')], [{ url: 'https://a.example/', username: 'u', password: 'p' }], [0]],
    ['no URL on both sides', [item('', 'u', 'p'), item('', 'u', 'p')], [{ url: '', username: 'u', password: 'p' }], []],
    ['separators cannot collide', [item('https://a.example/', 'u","p', ''), item('https://a.example/', 'u', '","p')], [], [0, 1]],
  ])('%s', (_why, items, existing, keptIndices) => {
    const before = structuredClone(items);
    const out = dedupe(items, existing);
    expect(out.items).toEqual(keptIndices.map((i) => items[i]));
    expect(out.dropped).toBe(items.length - keptIndices.length);
    expect(items).toEqual(before);
  });

  test('the Chrome fixture has one duplicate row', () => {
    const r = parseImport(fixture('chrome.csv'));
    expect(dedupe(r.items, []).dropped).toBe(1);
  });
});

describe('previewOf', () => {
  const results: [string, ImportResult][] = FIXTURES.map((c) => [c.file, parseImport(fixture(c.file), c.mapping ? { mapping: c.mapping } : {})]);

  test.each(results)('%s: no password, note, TOTP or folder in the preview', (_file, result) => {
    const preview = previewOf(result, { problems: 100, samples: 100 });
    const text = JSON.stringify(preview);
    for (const item of result.items) {
      for (const secret of [item.password, item.notes, item.totp ?? '', item.folder ?? '']) {
        // Very short values ("1234") could appear by chance in a row number or a title.
        if (secret.length >= 6) expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
      }
    }
    expect(Object.keys(preview).sort()).toEqual(['format', 'formatLabel', 'ignoredColumns', 'itemCount', 'problemCount', 'problems', 'samples', 'skipped']);
    for (const s of preview.samples) expect(Object.keys(s).sort()).toEqual(['host', 'title']);
  });

  test('counts, first problems, samples', () => {
    const result = parseImport(fixture('chrome.csv'));
    expect(previewOf(result, { problems: 2, samples: 3 })).toEqual({
      format: 'chrome',
      formatLabel: 'Chrome, Edge or Brave (CSV)',
      itemCount: 9,
      skipped: 1,
      problemCount: 4,
      problems: [
        { row: 6, code: 'url_not_web', reason: 'the URL is not a web address; imported without a URL, the original is at the end of the notes', kept: true },
        { row: 8, code: 'no_password', reason: 'has no password; imported with the username only', kept: true },
      ],
      samples: [
        { title: 'example.com', host: 'example.com' },
        { title: 'accounts.example.org', host: 'accounts.example.org' },
        { title: 'münchen.example', host: 'xn--mnchen-3ya.example' },
      ],
      ignoredColumns: [],
    });
  });

  test('a problem object carries nothing beyond its four fields', () => {
    const result = parseImport(fixture('chrome.csv'));
    (result.problems[0] as unknown as Record<string, unknown>).password = 'leak';
    expect(JSON.stringify(previewOf(result))).not.toContain('leak');
  });
});

describe('further URIs', () => {
  const bitwarden = (uris: unknown[]) =>
    new TextEncoder().encode(JSON.stringify({ encrypted: false, folders: [], items: [{ type: 1, name: 'N', notes: 'n', login: { uris, username: 'u', password: 'p' } }] }));

  test('usable ones are kept and cleaned like the first; the rest go to the notes with a remark', () => {
    const r = parseImport(
      bitwarden([
        { uri: 'https://a.example/', match: null },
        { uri: 'b.example/login', match: null },
        { uri: 'https://user:secret@c.example/', match: 3 },
        { uri: 'androidapp://com.example', match: null },
        { uri: '([broken', match: 4 },
        { uri: '^https://d\\.example/', match: 4 },
      ]),
    );
    const item = r.items[0]!;
    expect(item.uris).toEqual([
      { url: 'https://b.example/login', match: 'exact' },
      { url: 'https://c.example/', match: 'startsWith' },
      { url: '^https://d\\.example/', match: 'regex' },
    ]);
    expect(item.notes).toBe('n\n\nOther URLs:\nhttps://user:secret@c.example/\nandroidapp://com.example\n([broken');
    expect(r.problems).toEqual([{ row: 1, code: 'url_not_web', reason: expect.stringContaining('further URL') as string, kept: true }]);
  });
});

describe('a regular expression as the first URI', () => {
  const bitwarden = (uri: string) =>
    new TextEncoder().encode(JSON.stringify({ encrypted: false, folders: [], items: [{ type: 1, name: 'N', notes: '', login: { uris: [{ uri, match: 4 }], username: 'u', password: 'p' } }] }));

  test('is kept exactly as written, not parsed as a URL', () => {
    const r = parseImport(bitwarden('^https://.*\\.example\\.com/'));
    expect(r.items[0]).toMatchObject({ url: '^https://.*\\.example\\.com/', matchMode: 'regex' });
    expect(r.problems).toEqual([]);
  });

  test('one SecureVault cannot use goes to the notes, with a remark, and the item keeps no URL', () => {
    const r = parseImport(bitwarden('https://.*\\.example\\.com/'));
    expect(r.items[0]!.url).toBe('');
    expect(r.items[0]!.matchMode).toBeUndefined();
    expect(r.items[0]!.notes).toBe('Other URLs:\nhttps://.*\\.example\\.com/');
    expect(r.problems).toMatchObject([{ row: 1, code: 'url_not_web', kept: true }]);
  });
});

describe('custom fields over the vault limits', () => {
  const bitwarden = (fields: unknown[]) =>
    new TextEncoder().encode(JSON.stringify({ encrypted: false, folders: [], items: [{ type: 1, name: 'N', notes: '', fields, login: { uris: [], username: 'u', password: 'p' } }] }));

  test('more than 50, or one too long: the row is refused by number, not cut', () => {
    const many = parseImport(bitwarden(Array.from({ length: 51 }, (_, i) => ({ name: `f${i}`, value: 'v', type: 0 }))));
    expect(many.items).toEqual([]);
    expect(many.problems).toMatchObject([{ row: 1, code: 'field_too_long', kept: false }]);
    const long = parseImport(bitwarden([{ name: 'f', value: 'x'.repeat(10_001), type: 1 }]));
    expect(long.items).toEqual([]);
    expect(long.problems).toMatchObject([{ row: 1, code: 'field_too_long', kept: false }]);
    expect(parseImport(bitwarden([{ name: 'f', value: 'x'.repeat(10_000), type: 1 }])).items).toHaveLength(1);
  });
});
