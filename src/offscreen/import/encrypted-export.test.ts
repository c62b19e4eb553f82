import { describe, expect, test } from 'vitest';
import { asBuffer, fromBase64Url, toBase64Url, utf8Encode } from '../../shared/buffer-io';
import { DEFAULT_KDF, KDF_FLOOR, argon2idRaw, type KdfParams } from '../kdf';
import { CSV_COLUMNS, EXPORT_MAX_MEMORY_KIB, ExportError, decryptExport, encryptExport, toCsv, type ExportErrorCode, type ExportItem } from './encrypted-export';
import { withSections, type ImportedItem } from './formats';
import { parseImport } from './import-file';

// The floor itself (19 MiB, t = 2, p = 1): the cheapest parameters encryptExport accepts.
const FAST: KdfParams = { algorithm: 'argon2id', ...KDF_FLOOR };
const PASSWORD = utf8Encode('correct horse battery staple');

const ITEMS: ExportItem[] = [
  {
    title: 'Example',
    url: 'https://example.com/',
    username: 'alice@example.com',
    password: 'p@ss,word"quoted',
    notes: 'line 1\nline 2',
    totp: 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP',
    folder: 'Work',
    matchMode: 'exact',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_100_000,
  },
  { title: 'Ünïcödé 🔑', url: '', username: '', password: '  spaces  ', notes: '', matchMode: 'site', createdAt: 1, updatedAt: 2 },
  {
    title: 'Several URIs, a favourite, custom fields',
    url: 'https://example.org/app/',
    matchMode: 'startsWith',
    uris: [
      { url: '^https://(www|login)\\.example\\.org/', match: 'regex' },
      { url: 'https://example.org:8443/', match: 'host' },
      { url: 'https://old.example.org/', match: 'never' },
    ],
    favorite: true,
    folder: 'Work/Email',
    fields: [
      { name: 'PIN', value: '0000', hidden: true },
      { name: 'Customer number', value: 'C-42', hidden: false },
    ],
    username: 'bob',
    password: 'x',
    notes: '',
    createdAt: 3,
    updatedAt: 4,
  },
];

type Envelope = { format: string; version: number; kdf: KdfParams; salt: string; iv: string; ciphertext: string };
const readEnvelope = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Envelope;
const writeEnvelope = (e: unknown) => utf8Encode(JSON.stringify(e));

async function failure(run: () => Promise<unknown>): Promise<ExportError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ExportError) return e;
    throw e;
  }
  throw new Error('expected an ExportError');
}

/**
 * The construction as documented in encrypted-export.ts, written out independently: if the code
 * drifts from its documentation (another HKDF info, AAD order, salt use), tests built on this fail.
 */
async function sealPerSpec(content: unknown, password: Uint8Array, kdf: KdfParams): Promise<Uint8Array> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const secret = await argon2idRaw(password, salt, kdf);
  const ikm = await crypto.subtle.importKey('raw', asBuffer(secret), 'HKDF', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: asBuffer(utf8Encode('securevault-export/v1|aes-gcm-256')) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const aad = utf8Encode(`securevault-export|v1|argon2id|m=${kdf.memoryKiB}|t=${kdf.iterations}|p=${kdf.parallelism}`);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: asBuffer(iv), additionalData: asBuffer(aad) }, key, asBuffer(utf8Encode(JSON.stringify(content)))),
  );
  return writeEnvelope({ format: 'securevault-export', version: 1, kdf, salt: toBase64Url(salt), iv: toBase64Url(iv), ciphertext: toBase64Url(ct) });
}

describe('encryptExport → decryptExport', () => {
  test.each<[string, ExportItem[]]>([
    ['awkward items', ITEMS],
    ['no items', []],
    ['a 20 000-character note', [{ ...ITEMS[1]!, notes: 'n'.repeat(20_000) }]],
  ])('round trip: %s', async (_why, items) => {
    const bytes = await encryptExport(items, PASSWORD, FAST);
    expect(await decryptExport(bytes, PASSWORD)).toEqual(items);
  });

  test('round trip with DEFAULT_KDF (64 MiB, t = 3, p = 4)', async () => {
    const t0 = performance.now();
    const bytes = await encryptExport(ITEMS, PASSWORD, DEFAULT_KDF);
    const items = await decryptExport(bytes, PASSWORD);
    console.info(`encryptExport + decryptExport with DEFAULT_KDF: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(items).toEqual(ITEMS);
    expect(readEnvelope(bytes).kdf).toEqual(DEFAULT_KDF);
  });

  test('the envelope: documented fields, base64url, fresh salt and IV each time', async () => {
    const a = readEnvelope(await encryptExport(ITEMS, PASSWORD, FAST));
    const b = readEnvelope(await encryptExport(ITEMS, PASSWORD, FAST));
    expect(Object.keys(a)).toEqual(['format', 'version', 'kdf', 'salt', 'iv', 'ciphertext']);
    expect(a).toMatchObject({ format: 'securevault-export', version: 1, kdf: FAST });
    for (const field of ['salt', 'iv', 'ciphertext'] as const) expect(a[field]).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64Url(a.salt)).toHaveLength(16);
    expect(fromBase64Url(a.iv)).toHaveLength(12);
    expect(a.salt).not.toBe(b.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  test('nothing of the items is in clear', async () => {
    const text = new TextDecoder().decode(await encryptExport(ITEMS, PASSWORD, FAST));
    for (const s of ['p@ss', 'alice', 'example.com', 'JBSWY3DPEHPK3PXP', 'Work']) expect(text).not.toContain(s);
  });

  test('opens an envelope built from the documented construction', async () => {
    const bytes = await sealPerSpec({ items: ITEMS }, PASSWORD, FAST);
    expect(await decryptExport(bytes, PASSWORD)).toEqual(ITEMS);
  });

  test("leaves the caller's password alone", async () => {
    const password = PASSWORD.slice();
    await decryptExport(await encryptExport(ITEMS, password, FAST), password);
    expect(password).toEqual(PASSWORD);
  });

  test('leaves out properties an ExportItem does not have', async () => {
    const withExtra: ExportItem[] = [Object.assign({ id: 'item_0123456789', cache: 'x' }, ITEMS[1]!)];
    expect(await decryptExport(await encryptExport(withExtra, PASSWORD, FAST), PASSWORD)).toEqual([ITEMS[1]]);
  });
});

describe('decryptExport refuses', () => {
  let good: Envelope;
  const goodBytes = async () => {
    good ??= readEnvelope(await encryptExport(ITEMS, PASSWORD, FAST));
    return structuredClone(good);
  };
  const flip = (b64: string, at: number) => {
    const bytes = fromBase64Url(b64);
    bytes[at < 0 ? bytes.length + at : at]! ^= 1;
    return toBase64Url(bytes);
  };

  test('a wrong password', async () => {
    const e = await failure(async () => decryptExport(writeEnvelope(await goodBytes()), utf8Encode('correct horse battery stapler')));
    expect(e.code).toBe('wrong_password');
    expect(e.message).toMatch(/Wrong password, or the file was changed/);
  });

  // Each row changes one thing in a good envelope. Parameters within range that differ from the
  // ones used fail authentication (AAD), so a tampered file never opens.
  test.each<[string, (e: Envelope) => unknown, ExportErrorCode]>([
    ['one ciphertext bit', (e) => ({ ...e, ciphertext: flip(e.ciphertext, 0) }), 'wrong_password'],
    ['one tag bit', (e) => ({ ...e, ciphertext: flip(e.ciphertext, -1) }), 'wrong_password'],
    ['one IV bit', (e) => ({ ...e, iv: flip(e.iv, 0) }), 'wrong_password'],
    ['one salt bit', (e) => ({ ...e, salt: flip(e.salt, 0) }), 'wrong_password'],
    ['iterations raised (still valid)', (e) => ({ ...e, kdf: { ...e.kdf, iterations: e.kdf.iterations + 1 } }), 'wrong_password'],
    ['memory raised (still valid)', (e) => ({ ...e, kdf: { ...e.kdf, memoryKiB: e.kdf.memoryKiB + 1024 } }), 'wrong_password'],
    ['iterations below the floor', (e) => ({ ...e, kdf: { ...e.kdf, iterations: 1 } }), 'kdf_too_weak'],
    ['memory below the floor', (e) => ({ ...e, kdf: { ...e.kdf, memoryKiB: 1024 } }), 'kdf_too_weak'],
    ['parallelism 0', (e) => ({ ...e, kdf: { ...e.kdf, parallelism: 0 } }), 'kdf_too_weak'],
    ['memory above the reading cap', (e) => ({ ...e, kdf: { ...e.kdf, memoryKiB: EXPORT_MAX_MEMORY_KIB + 1 } }), 'kdf_unsupported'],
    ['iterations above kdf.ts range', (e) => ({ ...e, kdf: { ...e.kdf, iterations: 65 } }), 'kdf_unsupported'],
    ['another KDF', (e) => ({ ...e, kdf: { ...e.kdf, algorithm: 'pbkdf2' } }), 'kdf_unsupported'],
    ['version 2', (e) => ({ ...e, version: 2 }), 'unsupported_version'],
    ['version as text', (e) => ({ ...e, version: '1' }), 'unsupported_version'],
    ['another format', (e) => ({ ...e, format: 'bitwarden' }), 'not_an_export'],
    ['an unknown key', (e) => ({ ...e, hint: 'x' }), 'not_an_export'],
    ['an unknown kdf key', (e) => ({ ...e, kdf: { ...e.kdf, extra: 1 } }), 'not_an_export'],
    ['no ciphertext', ({ ciphertext: _c, ...e }) => e, 'not_an_export'],
    ['IV of 8 bytes', (e) => ({ ...e, iv: toBase64Url(new Uint8Array(8)) }), 'not_an_export'],
    ['salt of 8 bytes', (e) => ({ ...e, salt: toBase64Url(new Uint8Array(8)) }), 'not_an_export'],
    ['ciphertext shorter than a tag', (e) => ({ ...e, ciphertext: toBase64Url(new Uint8Array(15)) }), 'not_an_export'],
    ['ciphertext not base64url', (e) => ({ ...e, ciphertext: `${e.ciphertext}=` }), 'not_an_export'],
    ['an array', (e) => [e], 'not_an_export'],
  ])('%s', async (_why, change, code) => {
    const bytes = writeEnvelope(change(await goodBytes()));
    expect((await failure(() => decryptExport(bytes, PASSWORD))).code).toBe(code);
  });

  test.each<[string, Uint8Array, ExportErrorCode]>([
    ['a Chrome CSV', utf8Encode('name,url,username,password\n'), 'not_an_export'],
    ['empty bytes', new Uint8Array(0), 'not_an_export'],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x7b]), 'not_an_export'],
    ['a Bitwarden export', utf8Encode('{"encrypted":false,"items":[]}'), 'not_an_export'],
  ])('%s', async (_why, bytes, code) => {
    expect((await failure(() => decryptExport(bytes, PASSWORD))).code).toBe(code);
  });

  test.each<[string, unknown]>([
    ['not an object', 'items'],
    ['items missing', {}],
    ['an item without matchMode', { items: [{ ...ITEMS[1], matchMode: undefined }] }],
    ['an item with an extra key', { items: [{ ...ITEMS[1], extra: 1 }] }],
    ['a timestamp that is not finite', { items: [{ ...ITEMS[1], createdAt: null }] }],
  ])('content that opens but is not items: %s', async (_why, content) => {
    const bytes = await sealPerSpec(content, PASSWORD, FAST);
    expect((await failure(() => decryptExport(bytes, PASSWORD))).code).toBe('bad_content');
  });

  test.each<[string, unknown, unknown]>([
    ['bytes not a Uint8Array', 'text', PASSWORD],
    ['empty password', new Uint8Array(1), new Uint8Array(0)],
  ])('a caller mistake is a TypeError: %s', async (_why, bytes, password) => {
    await expect(decryptExport(bytes as Uint8Array, password as Uint8Array)).rejects.toThrow(TypeError);
  });
});

describe('encryptExport input checks', () => {
  test.each<[string, unknown, unknown, unknown, ErrorConstructor]>([
    ['empty password', ITEMS, new Uint8Array(0), FAST, TypeError],
    ['password as text', ITEMS, 'pw', FAST, TypeError],
    ['items not an array', {}, PASSWORD, FAST, TypeError],
    ['an item without matchMode', [{ ...ITEMS[1], matchMode: undefined }], PASSWORD, FAST, TypeError],
    ['an item with a number password', [{ ...ITEMS[1], password: 1 }], PASSWORD, FAST, TypeError],
    ['kdf below the floor', ITEMS, PASSWORD, { ...FAST, iterations: 1 }, RangeError],
    ['another kdf', ITEMS, PASSWORD, { ...FAST, algorithm: 'scrypt' }, TypeError],
  ])('%s', async (_why, items, password, kdf, error) => {
    await expect(encryptExport(items as ExportItem[], password as Uint8Array, kdf as KdfParams)).rejects.toThrow(error);
  });
});

describe('toCsv', () => {
  const AWKWARD: ImportedItem[] = [
    { title: 'Example', url: 'https://example.com/', username: 'alice@example.com', password: 'p@ss,word"quoted', notes: 'line 1\r\nline 2\nline 3' },
    { title: 'Ünïcödé 🔑', url: 'https://xn--mnchen-3ya.example/', username: ' padded ', password: '  ', notes: '"quoted note"', totp: 'otpauth://totp/X?secret=JBSWY3DPEHPK3PXP', folder: 'Work/Sub' },
    // CSV-injection shapes: exported as they are (see toCsv).
    { title: '=HYPERLINK("x")', url: '', username: '+1 555 0100', password: '-Xy7@q', notes: '@SUM(A1)\t', folder: '=cmd' },
    { title: 'No user', url: 'http://192.168.1.1/', username: '', password: 'router', notes: '' },
    { title: 'No password', url: 'https://a.example:8443/login?x=1#f', username: 'bob', password: '', notes: ',' },
  ];

  test('header: Chrome’s columns, then totp and folder', () => {
    expect(toCsv([]).split('\r\n')[0]).toBe('"name","url","username","password","note","totp","folder"');
    expect([...CSV_COLUMNS]).toEqual(['name', 'url', 'username', 'password', 'note', 'totp', 'folder']);
  });

  test('re-imports losslessly as Chrome format', () => {
    const r = parseImport(utf8Encode(toCsv(AWKWARD)));
    expect(r.format).toBe('chrome');
    expect(r.items).toEqual(AWKWARD);
    // The only problem is the one the data asks for: a login without a password is flagged.
    expect(r.problems).toEqual([{ row: 6, code: 'no_password', reason: 'has no password; imported with the username only', kept: true }]);
  });

  test('round trip through the encrypted export and CSV agree', async () => {
    const exported = await decryptExport(await encryptExport(ITEMS, PASSWORD, FAST), PASSWORD);
    const fromCsv = parseImport(utf8Encode(toCsv(exported))).items;
    // CSV has no room for further URIs, match modes, favourites or custom fields: the URIs and
    // fields travel in the note, in sections; match modes and the favourite flag are dropped.
    expect(fromCsv).toEqual(
      ITEMS.map(({ matchMode: _m, createdAt: _c, updatedAt: _u, uris, favorite: _f, fields, ...item }) => ({
        ...item,
        notes: withSections(item.notes, [
          ['Other URLs', (uris ?? []).map((u) => u.url).join('\n')],
          ['Custom fields', (fields ?? []).map((f) => `${f.name}: ${f.value}`).join('\n')],
        ]),
      })),
    );
    expect(fromCsv[2]!.notes).toBe('Other URLs:\n^https://(www|login)\\.example\\.org/\nhttps://example.org:8443/\nhttps://old.example.org/\n\nCustom fields:\nPIN: 0000\nCustomer number: C-42');
  });

  test('formula-looking values are written as they are (no apostrophe)', () => {
    const line = toCsv([AWKWARD[2]!]).split('\r\n')[1];
    expect(line).toBe('"=HYPERLINK(""x"")","","+1 555 0100","-Xy7@q","@SUM(A1)\t","","=cmd"');
  });

  test('every field is quoted, quotes doubled, CRLF between records (RFC 4180 §2)', () => {
    expect(toCsv([{ title: 'a', url: 'b', username: 'c', password: 'd"e', notes: 'f\ng' }])).toBe(
      '"name","url","username","password","note","totp","folder"\r\n"a","b","c","d""e","f\ng","",""',
    );
  });

  test('refuses a field that is not text', () => {
    expect(() => toCsv([{ ...AWKWARD[0]!, password: 5 as unknown as string }])).toThrow(TypeError);
    expect(() => toCsv('x' as unknown as ImportedItem[])).toThrow(TypeError);
  });

  test('1 000 random items survive the round trip', () => {
    const alphabet = ['a', 'Z', '0', ',', '"', '\n', '\r\n', ' ', '=', '+', '-', '@', 'é', '🔑', '\t', ';', "'"];
    const pick = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
    const items: ImportedItem[] = Array.from({ length: 1000 }, (_, i) => ({
      title: `t${i}${pick(3)}`.trim() || `t${i}`,
      url: `https://h${i}.example/`,
      username: `u${i}${pick(4)}`,
      password: `p${pick(8)}`,
      notes: pick(10),
      ...(i % 2 ? { totp: `T${pick(4)}` } : {}),
      ...(i % 3 ? { folder: `F${pick(4)}` } : {}),
    }));
    const r = parseImport(utf8Encode(toCsv(items)));
    expect(r.problems).toEqual([]);
    expect(r.items).toEqual(items);
  });
});
