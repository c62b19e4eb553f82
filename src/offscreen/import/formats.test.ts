import { describe, expect, test } from 'vitest';
import {
  CSV_FORMATS,
  bitwardenJsonOutcomes,
  csvRowToOutcome,
  detectCsvFormat,
  detectJson,
  withSections,
  type CsvFormatId,
  type Detection,
  type JsonKind,
} from './formats';

const split = (header: string) => header.split(',');

/** Headers as each product writes them (see the table at the top of formats.ts). */
const CANONICAL: [CsvFormatId, string][] = [
  ['chrome', 'name,url,username,password,note'],
  ['firefox', 'url,username,password,httpRealm,formActionOrigin,guid,timeCreated,timeLastUsed,timePasswordChanged'],
  ['safari', 'Title,URL,Username,Password,Notes,OTPAuth'],
  ['1password', 'Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes'],
  ['lastpass', 'url,username,password,totp,extra,name,grouping,fav'],
  ['keepassxc', 'Group,Title,Username,Password,URL,Notes,TOTP,Icon,Last Modified,Created'],
  ['bitwarden-csv', 'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp'],
];

describe('detectCsvFormat: recognised headers', () => {
  test.each<[string, string, CsvFormatId]>([
    ...CANONICAL.map(([id, h]): [string, string, CsvFormatId] => [`${id} as exported`, h, id]),
    ['Chrome before notes (Edge, older Chrome)', 'name,url,username,password', 'chrome'],
    ['SecureVault toCsv', 'name,url,username,password,note,totp,folder', 'chrome'],
    ['a hand-made url,username,password file', 'url,username,password', 'chrome'],
    ['Chrome, upper case, shuffled, BOM, spaces', '\uFEFFPASSWORD , Name,URL,UserName, Note', 'chrome'],
    ['Firefox header cells with spaces around', ' url , username , password , httpRealm , formActionOrigin , guid ', 'firefox'],
    ['older Safari (no Notes)', 'Title,Url,Username,Password,OTPAuth', 'safari'],
    ['1Password with Website instead of Url', 'Title,Website,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes', '1password'],
    ['1Password, columns reversed', 'Notes,Tags,Archived,Favorite,OTPAuth,Password,Username,Url,Title', '1password'],
    ['LastPass before TOTP', 'url,username,password,extra,name,grouping,fav', 'lastpass'],
    ['KeePassXC 2.5 (six columns)', '"Group","Title","Username","Password","URL","Notes"'.replace(/"/g, ''), 'keepassxc'],
    ['KeePassXC 2.6 (with TOTP)', 'Group,Title,Username,Password,URL,Notes,TOTP', 'keepassxc'],
    ['Bitwarden organisation export', 'collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp', 'bitwarden-csv'],
    ['Bitwarden before reprompt', 'folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp', 'bitwarden-csv'],
  ])('%s', (_why, header, format) => {
    const d = detectCsvFormat(split(header));
    expect(d).toMatchObject({ ok: true, format, ignoredColumns: [] });
  });

  test.each(CANONICAL)('the %s header has exactly one format with all its required columns', (id, header) => {
    const names = split(header).map((h) => h.toLowerCase());
    const full = CSV_FORMATS.filter((f) =>
      f.columns.filter((c) => c.required).every((c) => c.names.some((n) => names.includes(n.toLowerCase()))),
    );
    // Others may match too (a LastPass header holds Chrome's columns); the winner must be unique.
    const most = Math.max(...full.map((f) => f.columns.filter((c) => c.required).length));
    expect(full.filter((f) => f.columns.filter((c) => c.required).length === most).map((f) => f.id)).toEqual([id]);
  });

  test('columns the format does not know are listed, as written', () => {
    expect(detectCsvFormat(split('name,url,username,password,E-mail,Phone,'))).toMatchObject({
      ok: true,
      format: 'chrome',
      ignoredColumns: ['E-mail', 'Phone'],
    });
  });

  test('column indices follow the header, not the usual order', () => {
    const d = detectCsvFormat(split('password,username,url,name'));
    expect(d).toMatchObject({ ok: true, columns: { password: 0, username: 1, url: 2, title: 3 } });
  });
});

describe('detectCsvFormat: refused headers', () => {
  test.each<[string, string, Partial<Extract<Detection, { ok: false }>>]>([
    ['someone else’s columns', 'Service,Login,Secret,Comment,Link', { reason: 'unknown_format', header: ['Service', 'Login', 'Secret', 'Comment', 'Link'] }],
    ['a data row (no header)', 'example.com,alice,hunter2', { reason: 'unknown_format' }],
    ['semicolons', 'name;url;username;password', { reason: 'unknown_format' }],
    ['Chrome without password', 'name,url,username,note', { reason: 'missing_columns', closest: 'chrome', missing: ['password'] }],
    [
      'Bitwarden without login_password',
      'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_totp',
      { reason: 'missing_columns', closest: 'bitwarden-csv', missing: ['login_password'] },
    ],
    ['KeePassXC without Password', 'Group,Title,Username,URL,Notes,TOTP', { reason: 'missing_columns', closest: 'keepassxc', missing: ['Password'] }],
    ['too little to guess from', 'name,foo,bar,baz', { reason: 'unknown_format' }],
    [
      'Firefox and KeePassXC columns at once',
      'url,username,password,httpRealm,formActionOrigin,guid,Group,Title,Notes',
      { reason: 'ambiguous' },
    ],
    ['a column twice', 'name,url,username,password,url', { reason: 'duplicate_column' }],
    ['1Password with both Url and Website', 'Title,Url,Website,Username,Password,Favorite,Archived,Tags', { reason: 'duplicate_column' }],
    ['empty', '', { reason: 'unknown_format' }],
  ])('%s', (_why, header, expected) => {
    const d = detectCsvFormat(split(header));
    expect(d).toMatchObject({ ok: false, ...expected });
    if (!d.ok) expect(d.message.length).toBeGreaterThan(10);
  });

  test('unknown: the message quotes the header and hints at the delimiter', () => {
    const d = detectCsvFormat(['name;url;username;password']);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.message).toBe('Unknown format. The first row reads: name;url;username;password. Only comma-separated files can be read; this one seems to use semicolons.');
  });

  test('missing: the message names the format and the columns', () => {
    const d = detectCsvFormat(split('Title,Username,Password,URL'));
    // Safari needs only these four, so this one is recognised; drop URL to make it miss one.
    expect(d).toMatchObject({ ok: true, format: 'safari' });
    const m = detectCsvFormat(split('Title,Username,Password'));
    expect(m).toMatchObject({ ok: false, reason: 'missing_columns', closest: 'safari' });
    if (!m.ok) expect(m.message).toBe('This looks like a Safari or Apple Passwords (CSV) export, but it has no URL column.');
  });
});

describe('rows of each format', () => {
  const detect = (header: string) => {
    const d = detectCsvFormat(split(header));
    if (!d.ok) throw new Error(d.message);
    return d;
  };

  test.each<[string, string, string[], unknown]>([
    [
      'KeePassXC drops the root group name',
      'Group,Title,Username,Password,URL,Notes',
      ['Root/Banking/Cards', 'PIN', '', '1234', '', ''],
      { kind: 'login', item: { folder: 'Banking/Cards', title: 'PIN', password: '1234' } },
    ],
    ['KeePassXC entry in the root group has no folder', 'Group,Title,Username,Password,URL,Notes', ['Root', 'T', 'u', 'p', '', ''], { kind: 'login', item: { title: 'T' } }],
    [
      'LastPass secure note',
      'url,username,password,extra,name,grouping,fav',
      ['http://sn', '', '', 'NoteType:Bank', 'My bank', '', '0'],
      { kind: 'skip', code: 'not_a_login' },
    ],
    [
      'Bitwarden: further URIs, custom fields (hidden: the CSV does not say) and favourite',
      'favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp',
      ['1', 'login', 'N', 'note', 'PIN: 1\nColour: a: b', 'https://a.example/, https://b.example/,', 'u', 'p', ''],
      {
        kind: 'login',
        item: {
          url: 'https://a.example/',
          notes: 'note',
          uris: [{ url: 'https://b.example/', match: 'exact' }],
          favorite: true,
          fields: [
            { name: 'PIN', value: '1', hidden: true },
            { name: 'Colour', value: 'a: b', hidden: true },
          ],
        },
      },
    ],
    [
      'Bitwarden type is compared without case',
      'type,name,notes,fields,login_uri,login_username,login_password,login_totp',
      [' Login ', 'N', '', '', '', 'u', 'p', ''],
      { kind: 'login' },
    ],
    [
      'Bitwarden secure note',
      'type,name,notes,fields,login_uri,login_username,login_password,login_totp',
      ['note', 'N', 'secret note', '', '', '', '', ''],
      { kind: 'skip', code: 'not_a_login', reason: 'Bitwarden secure note: only logins are imported' },
    ],
    ['1Password Tags become the folder', 'Title,Url,Username,Password,Favorite,Archived,Tags', ['T', '', 'u', 'p', 'false', 'true', 'A,B'], { kind: 'login', item: { folder: 'A,B' } }],
    ['a short row reads missing cells as empty', 'name,url,username,password,note', ['T', 'https://x.example/'], { kind: 'login', item: { username: '', password: '', notes: '' } }],
  ])('%s', (_why, header, cells, expected) => {
    expect(csvRowToOutcome(detect(header), cells)).toMatchObject(expected as object);
  });

  test('empty totp and folder are absent, not empty strings', () => {
    const out = csvRowToOutcome(detect('name,url,username,password,note,totp,folder'), ['T', '', 'u', 'p', '', '', '']);
    expect(out).toEqual({ kind: 'login', item: { title: 'T', url: '', username: 'u', password: 'p', notes: '' } });
  });

  test('a skip reason never quotes the row', () => {
    const out = csvRowToOutcome(detect('type,name,notes,fields,login_uri,login_username,login_password,login_totp'), [
      'hunter2-misaligned',
      'N',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(out.kind).toBe('skip');
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });
});

describe('withSections', () => {
  test.each<[string, string, [string, string][], string]>([
    ['nothing to add', 'n', [['A', '']], 'n'],
    ['to empty notes', '', [['A', 'x']], 'A:\nx'],
    ['two sections', 'n', [['A', 'x'], ['B', 'y\nz']], 'n\n\nA:\nx\n\nB:\ny\nz'],
  ])('%s', (_why, notes, sections, expected) => {
    expect(withSections(notes, sections)).toBe(expected);
  });
});

describe('Bitwarden JSON', () => {
  test.each<[string, unknown, JsonKind]>([
    ['unencrypted export', { encrypted: false, folders: [], items: [] }, 'bitwarden-json'],
    ['password-protected export', { encrypted: true, passwordProtected: true, salt: 's', data: 'd' }, 'bitwarden-encrypted'],
    ['account-key export', { encrypted: true, encKeyValidation_DO_NOT_EDIT: 'x', items: [] }, 'bitwarden-encrypted'],
    ['SecureVault export', { format: 'securevault-export', version: 1 }, 'securevault-export'],
    ['items without encrypted:false', { items: [] }, 'unknown'],
    ['encrypted as a string', { encrypted: 'false', items: [] }, 'unknown'],
    ['an array', [{ encrypted: false, items: [] }], 'unknown'],
    ['null', null, 'unknown'],
    ['a number', 1, 'unknown'],
  ])('detectJson: %s', (_why, doc, kind) => {
    expect(detectJson(doc)).toBe(kind);
  });

  const login = (over: Record<string, unknown>) => ({ type: 1, name: 'N', notes: null, login: { uris: null, username: 'u', password: 'p', totp: null }, ...over });

  test.each<[string, unknown, unknown]>([
    ['nulls read as empty', login({}), { kind: 'login', item: { title: 'N', url: '', username: 'u', password: 'p', notes: '' } }],
    ['login missing entirely', { type: 1, name: 'N' }, { kind: 'login', item: { username: '', password: '' } }],
    ['folder by id', login({ folderId: 'f1' }), { kind: 'login', item: { folder: 'Work' } }],
    ['unknown folder id', login({ folderId: 'nope' }), { kind: 'login', item: { title: 'N' } }],
    ['collection when there is no folder', login({ collectionIds: ['c1'] }), { kind: 'login', item: { folder: 'Team' } }],
    ['linked field (null value)', login({ fields: [{ name: 'L', value: null, type: 3 }] }), { kind: 'login', item: { notes: '', fields: [{ name: 'L', value: '', hidden: false }] } }],
    ['hidden and text fields', login({ fields: [{ name: 'H', value: 's', type: 1 }, { name: 'T', value: 't', type: 0 }] }), { kind: 'login', item: { fields: [{ name: 'H', value: 's', hidden: true }, { name: 'T', value: 't', hidden: false }] } }],
    [
      'URI match types: the first is the item\'s, the others further URIs',
      login({ login: { uris: [{ uri: 'https://a.example/', match: 0 }, { uri: 'https://b.example/x', match: 2 }, { uri: '^https://c\\.example/', match: 4 }, { uri: 'https://d.example/', match: 5 }, { uri: 'https://e.example/', match: null }, { uri: 'https://f.example/', match: 1 }, { uri: 'https://g.example/', match: 3 }], username: 'u', password: 'p' } }),
      {
        kind: 'login',
        item: {
          url: 'https://a.example/',
          matchMode: 'site',
          uris: [
            { url: 'https://b.example/x', match: 'startsWith' },
            { url: '^https://c\\.example/', match: 'regex' },
            { url: 'https://d.example/', match: 'never' },
            { url: 'https://e.example/', match: 'exact' },
            { url: 'https://f.example/', match: 'host' },
            { url: 'https://g.example/', match: 'startsWith' },
          ],
        },
      },
    ],
    ['favourite', login({ favorite: true }), { kind: 'login', item: { favorite: true } }],
    ['a uri that is not an object', login({ login: { uris: ['https://x.example/'], username: 'u', password: 'p' } }), { kind: 'skip', code: 'bad_shape' }],
    ['SSH key', { type: 5, name: 'K' }, { kind: 'skip', reason: 'Bitwarden SSH key: only logins are imported' }],
    ['unknown type', { type: 99 }, { kind: 'skip', code: 'not_a_login' }],
    ['not an object', 'x', { kind: 'skip', code: 'bad_shape' }],
    ['uris not a list', login({ login: { uris: 'https://x.example/', username: 'u', password: 'p' } }), { kind: 'skip', code: 'bad_shape' }],
    ['a uri that is not text', login({ login: { uris: [{ uri: 5 }], username: 'u', password: 'p' } }), { kind: 'skip', code: 'bad_shape' }],
    ['a field that is not an object', login({ fields: ['x'] }), { kind: 'skip', code: 'bad_shape' }],
    ['name not text', login({ name: { x: 1 } }), { kind: 'skip', code: 'bad_shape' }],
  ])('item: %s', (_why, item, expected) => {
    const [out] = bitwardenJsonOutcomes({ items: [item], folders: [{ id: 'f1', name: 'Work' }], collections: [{ id: 'c1', name: 'Team' }] });
    expect(out).toMatchObject(expected as object);
  });
});
