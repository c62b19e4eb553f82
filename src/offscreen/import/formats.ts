/**
 * Which password manager wrote an export, and how its rows become ImportedItems.
 *
 * Runs in the offscreen document only: every row carries a password. Nothing here decodes bytes,
 * applies limits or normalises URLs — import-file.ts does that for every format alike — so each
 * format below is just "which columns, and what a row means".
 *
 * Detection is by the *set* of header names (case-insensitive, order-independent, BOM and
 * surrounding spaces ignored), never by column order: exporters reorder columns between versions.
 * A format matches when every one of its required columns is present; extra columns are allowed
 * and reported back (`ignoredColumns`) so the user sees what will not be imported. When several
 * formats match, the one with the most required columns wins (a LastPass header also holds
 * Chrome's four columns); a tie is refused as ambiguous rather than guessed.
 *
 * Header names as exported by each product (checked against public exports and importers, 2025):
 *   Chrome / Edge / Brave  name,url,username,password[,note]       (+ SecureVault's own totp,folder)
 *   Firefox                url,username,password,httpRealm,formActionOrigin,guid,timeCreated,
 *                          timeLastUsed,timePasswordChanged
 *   Safari / Passwords.app Title,URL,Username,Password,Notes,OTPAuth   (older Safari: no Notes)
 *   1Password 8            Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes
 *                          (1Password 8 writes "Url"; "Website", used by some older 1Password CSVs
 *                          and by hand-made files, is accepted as the same column. The 1PUX
 *                          format is not supported.)
 *   LastPass               url,username,password,totp,extra,name,grouping,fav   (older: no totp)
 *   KeePassXC              Group,Title,Username,Password,URL,Notes,TOTP,Icon,Last Modified,Created
 *                          (before 2.7: only the first six or seven)
 *   Bitwarden (personal)   folder,favorite,type,name,notes,fields,reprompt,login_uri,
 *                          login_username,login_password,login_totp
 *   Bitwarden (org)        collections,type,name,notes,fields,reprompt,login_uri,…  (no folder)
 */
import type { MatchMode } from '../../shared/match-modes';

export interface ImportedItem {
  title: string;
  url: string;
  username: string;
  password: string;
  notes: string;
  totp?: string;
  folder?: string;
  /** how the URL matches, when the file says (else the vault's default, the exact origin) */
  matchMode?: MatchMode;
  /** further URIs as the file has them (import-file.ts cleans them; what is not usable goes to notes) */
  uris?: { url: string; match: MatchMode }[];
  favorite?: boolean;
  /** custom fields; a format that does not say which are secret marks them hidden */
  fields?: { name: string; value: string; hidden: boolean }[];
}

export type CsvFormatId = 'chrome' | 'firefox' | 'safari' | 'bitwarden-csv' | '1password' | 'lastpass' | 'keepassxc';
export type FormatId = CsvFormatId | 'bitwarden-json' | 'generic';

export const FORMAT_LABELS: Readonly<Record<FormatId, string>> = {
  chrome: 'Chrome, Edge or Brave (CSV)',
  firefox: 'Firefox (CSV)',
  safari: 'Safari or Apple Passwords (CSV)',
  'bitwarden-csv': 'Bitwarden (CSV)',
  'bitwarden-json': 'Bitwarden (JSON, unencrypted)',
  '1password': '1Password (CSV)',
  lastpass: 'LastPass (CSV)',
  keepassxc: 'KeePassXC (CSV)',
  generic: 'CSV with chosen columns',
};

/** What a row turned into: a login, or a reason it is not one. Reasons never quote cell values. */
export type RowOutcome = { kind: 'login'; item: ImportedItem } | { kind: 'skip'; code: 'not_a_login' | 'bad_shape'; reason: string };

/** Which cell holds what. `null`: a column that identifies the format but is not imported. */
export type ColumnKey = keyof ImportedItem | 'type' | 'fields' | null;

interface ColumnSpec {
  key: ColumnKey;
  /** accepted header names, as the exporter spells them; the first is the one shown to users */
  names: readonly string[];
  required: boolean;
}

interface CsvFormat {
  id: CsvFormatId;
  columns: readonly ColumnSpec[];
  toItem(cell: (key: Exclude<ColumnKey, null>) => string): RowOutcome;
}

const req = (key: ColumnKey, ...names: string[]): ColumnSpec => ({ key, names, required: true });
const opt = (key: ColumnKey, ...names: string[]): ColumnSpec => ({ key, names, required: false });

const login = (item: ImportedItem): RowOutcome => {
  // Optional fields are absent rather than empty, so a round trip compares equal.
  if (item.totp === undefined || item.totp === '') delete item.totp;
  if (item.folder === undefined || item.folder === '') delete item.folder;
  if (item.uris === undefined || item.uris.length === 0) delete item.uris;
  if (item.favorite !== true) delete item.favorite;
  if (item.fields === undefined || item.fields.length === 0) delete item.fields;
  return { kind: 'login', item };
};

/** Bitwarden's CSV writes custom fields as "name: value" lines and does not say which are hidden. */
function bitwardenCsvFields(cell: string): { name: string; value: string; hidden: boolean }[] {
  return cell
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const at = line.indexOf(': ');
      return at < 0 ? { name: line, value: '', hidden: true } : { name: line.slice(0, at), value: line.slice(at + 2), hidden: true };
    });
}

/**
 * Bitwarden's URI match types (UriMatchStrategy: 0 Domain, 1 Host, 2 StartsWith, 3 Exact,
 * 4 RegularExpression, 5 Never; null = the account default) as SecureVault match modes. "Domain"
 * is the same site; Bitwarden's "Exact" is the whole URL, which starts-with is the nearest to;
 * the account default is not in the file, so it becomes our default, the exact origin.
 */
const BITWARDEN_MATCH: Readonly<Record<number, MatchMode>> = { 0: 'site', 1: 'host', 2: 'startsWith', 3: 'startsWith', 4: 'regex', 5: 'never' };
const skip = (reason: string): RowOutcome => ({ kind: 'skip', code: 'not_a_login', reason });

/**
 * Append labelled sections to the notes, so data that has no field of its own (a second URL,
 * custom fields) is kept rather than dropped. Notes are a secret part of an item, so secrets in
 * custom fields stay secret.
 */
export function withSections(notes: string, sections: readonly (readonly [label: string, body: string])[]): string {
  const parts = notes === '' ? [] : [notes];
  for (const [label, body] of sections) if (body !== '') parts.push(`${label}:\n${body}`);
  return parts.join('\n\n');
}

export const CSV_FORMATS: readonly CsvFormat[] = [
  {
    id: 'chrome',
    // Chrome added `note` in 2023; Edge and Brave write the same file. `totp` and `folder` are
    // SecureVault's own additions (toCsv), which Chrome ignores on import. With `name` optional
    // this is also the plain "url,username,password[,notes]" file people make by hand.
    columns: [
      opt('title', 'name'),
      req('url', 'url'),
      req('username', 'username'),
      req('password', 'password'),
      opt('notes', 'note', 'notes'),
      opt('totp', 'totp'),
      opt('folder', 'folder'),
    ],
    toItem: (c) =>
      login({ title: c('title'), url: c('url'), username: c('username'), password: c('password'), notes: c('notes'), totp: c('totp'), folder: c('folder') }),
  },
  {
    id: 'firefox',
    // No title column: import-file.ts falls back to the host, as Firefox itself shows it.
    columns: [
      req('url', 'url'),
      req('username', 'username'),
      req('password', 'password'),
      req(null, 'httpRealm'),
      req(null, 'formActionOrigin'),
      req(null, 'guid'),
      opt(null, 'timeCreated'),
      opt(null, 'timeLastUsed'),
      opt(null, 'timePasswordChanged'),
    ],
    toItem: (c) => login({ title: '', url: c('url'), username: c('username'), password: c('password'), notes: '' }),
  },
  {
    id: 'safari',
    columns: [
      req('title', 'Title'),
      req('url', 'URL'),
      req('username', 'Username'),
      req('password', 'Password'),
      opt('notes', 'Notes'),
      opt('totp', 'OTPAuth'),
    ],
    toItem: (c) => login({ title: c('title'), url: c('url'), username: c('username'), password: c('password'), notes: c('notes'), totp: c('totp') }),
  },
  {
    id: '1password',
    // Tags become the folder, verbatim ("Work,Finance" stays one string): SecureVault has no
    // tags, and keeping the text beats dropping it. Archived items are imported like any other.
    columns: [
      req('title', 'Title'),
      req('url', 'Url', 'Website'),
      req('username', 'Username'),
      req('password', 'Password'),
      req(null, 'Favorite'),
      req(null, 'Archived'),
      req('folder', 'Tags'),
      opt('totp', 'OTPAuth'),
      opt('notes', 'Notes'),
    ],
    toItem: (c) =>
      login({ title: c('title'), url: c('url'), username: c('username'), password: c('password'), notes: c('notes'), totp: c('totp'), folder: c('folder') }),
  },
  {
    id: 'lastpass',
    columns: [
      req('url', 'url'),
      req('username', 'username'),
      req('password', 'password'),
      req('notes', 'extra'),
      req('title', 'name'),
      req('folder', 'grouping'),
      req(null, 'fav'),
      opt('totp', 'totp'),
    ],
    // LastPass writes secure notes (and cards, addresses… stored as notes) with url "http://sn".
    // Field values are taken as written: older LastPass exports HTML-escaped some characters
    // (&amp;), but unescaping would corrupt a password that really contains "&amp;".
    toItem: (c) =>
      c('url').trim().toLowerCase() === 'http://sn'
        ? skip('LastPass secure note: only logins are imported')
        : login({ title: c('title'), url: c('url'), username: c('username'), password: c('password'), notes: c('notes'), totp: c('totp'), folder: c('folder') }),
  },
  {
    id: 'keepassxc',
    columns: [
      req('folder', 'Group'),
      req('title', 'Title'),
      req('username', 'Username'),
      req('password', 'Password'),
      req('url', 'URL'),
      req('notes', 'Notes'),
      opt('totp', 'TOTP'),
      opt(null, 'Icon'),
      opt(null, 'Last Modified'),
      opt(null, 'Created'),
    ],
    toItem: (c) =>
      login({
        title: c('title'),
        url: c('url'),
        username: c('username'),
        password: c('password'),
        notes: c('notes'),
        totp: c('totp'),
        folder: keepassFolder(c('folder')),
      }),
  },
  {
    id: 'bitwarden-csv',
    // A personal export has `folder`, an organisation export `collections` instead.
    columns: [
      opt('folder', 'folder', 'collections'),
      opt('favorite', 'favorite'),
      req('type', 'type'),
      req('title', 'name'),
      req('notes', 'notes'),
      req('fields', 'fields'),
      opt(null, 'reprompt'),
      req('url', 'login_uri'),
      req('username', 'login_username'),
      req('password', 'login_password'),
      req('totp', 'login_totp'),
    ],
    toItem: (c) => {
      const type = c('type').trim().toLowerCase();
      if (type === 'note') return skip('Bitwarden secure note: only logins are imported');
      if (type !== 'login') return skip('Bitwarden item that is not a login: only logins are imported');
      // Bitwarden writes several URIs comma-joined (its exporter unparses an array), and its own
      // importer splits them the same way. The first is the item's URL, the others further URIs
      // (the CSV has no match types: our default, the exact origin).
      const [first = '', ...others] = c('url').split(',').map((u) => u.trim()).filter((u) => u !== '');
      return login({
        title: c('title'),
        url: first,
        username: c('username'),
        password: c('password'),
        notes: c('notes'),
        totp: c('totp'),
        folder: c('folder'),
        uris: others.map((url) => ({ url, match: 'exact' as const })),
        favorite: c('favorite').trim() === '1',
        fields: bitwardenCsvFields(c('fields')),
      });
    },
  },
];

/**
 * KeePassXC writes the group as a path from the root group ("Root/Email"; CsvExporter.cpp
 * joins the hierarchy with "/"). Every path starts with the root's name, which says nothing, so
 * it is dropped: "Root" → no folder, "Root/Email/Work" → "Email/Work".
 */
function keepassFolder(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? '' : path.slice(slash + 1);
}

/** Header cell as compared: BOM, surrounding spaces and case do not count. */
export function headerName(cell: string): string {
  return cell.replace(/^\uFEFF/, '').trim().toLowerCase();
}

export type Detection =
  | {
      ok: true;
      format: CsvFormatId;
      /** column index of each key the format imports */
      columns: Partial<Record<Exclude<ColumnKey, null>, number>>;
      /** header cells the format does not know, as written: shown so the user sees what is dropped */
      ignoredColumns: string[];
    }
  | {
      ok: false;
      reason: 'unknown_format' | 'missing_columns' | 'ambiguous' | 'duplicate_column';
      message: string;
      /** the header as seen (trimmed), so a user can pick columns for the generic mapping */
      header: string[];
      /** for missing_columns: the format it looks like and what that format needs */
      closest?: CsvFormatId;
      missing?: string[];
    };

/**
 * Which CSV format a header row belongs to. Never throws. The message names header cells; they
 * are column names, except in a file with no header row, where they are the first record — see
 * import-file.ts on why that still does not leave the offscreen document without the user.
 */
export function detectCsvFormat(header: readonly string[]): Detection {
  const names = header.map(headerName);
  const shown = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const matches: { format: CsvFormat; required: number }[] = [];
  let closest: { format: CsvFormat; share: number; missing: string[] } | null = null;
  for (const format of CSV_FORMATS) {
    const required = format.columns.filter((c) => c.required);
    const missing = required.filter((c) => !c.names.some((n) => names.includes(n.toLowerCase())));
    if (missing.length === 0) {
      matches.push({ format, required: required.length });
      continue;
    }
    // "Looks like X but misses columns" only when at least half of X's required columns are
    // there, so a random file is "unknown", not "a Firefox export missing six columns".
    const share = (required.length - missing.length) / required.length;
    if (share >= 0.5 && (!closest || share > closest.share)) {
      closest = { format, share, missing: missing.map((c) => c.names[0] ?? '') };
    }
  }
  const seen = shown.join(', ');
  if (matches.length === 0) {
    if (closest) {
      return {
        ok: false,
        reason: 'missing_columns',
        message: `This looks like a ${FORMAT_LABELS[closest.format.id]} export, but it has no ${closest.missing.join(', ')} column${closest.missing.length > 1 ? 's' : ''}.`,
        header: shown,
        closest: closest.format.id,
        missing: closest.missing,
      };
    }
    return { ok: false, reason: 'unknown_format', message: `Unknown format. The first row reads: ${seen}.${delimiterHint(shown)}`, header: shown };
  }
  matches.sort((a, b) => b.required - a.required);
  const [best, second] = matches;
  if (!best) throw new Error('unreachable');
  if (second && second.required === best.required) {
    return {
      ok: false,
      reason: 'ambiguous',
      message: `The header fits both ${FORMAT_LABELS[best.format.id]} and ${FORMAT_LABELS[second.format.id]} exports. Choose the columns by hand.`,
      header: shown,
    };
  }
  const columns: Partial<Record<Exclude<ColumnKey, null>, number>> = {};
  const claimed = new Set<number>();
  for (const spec of best.format.columns) {
    const at = names.flatMap((n, i) => (spec.names.some((s) => s.toLowerCase() === n) ? [i] : []));
    if (at.length > 1) {
      return {
        ok: false,
        reason: 'duplicate_column',
        message: `The column ${spec.names[0]} appears ${at.length} times; which one to import is unclear.`,
        header: shown,
      };
    }
    const index = at[0];
    if (index === undefined) continue;
    claimed.add(index);
    if (spec.key !== null) columns[spec.key] = index;
  }
  const ignoredColumns = shown.filter((name, i) => !claimed.has(i) && name !== '');
  return { ok: true, format: best.format.id, columns, ignoredColumns };
}

function delimiterHint(header: readonly string[]): string {
  if (header.length !== 1) return '';
  const only = header[0] ?? '';
  if (only.includes(';')) return ' Only comma-separated files can be read; this one seems to use semicolons.';
  if (only.includes('\t')) return ' Only comma-separated files can be read; this one seems to use tabs.';
  return '';
}

/** Map one CSV record by a successful detection. Cells past the end of the record read as ''. */
export function csvRowToOutcome(detection: Extract<Detection, { ok: true }>, cells: readonly string[]): RowOutcome {
  const format = CSV_FORMATS.find((f) => f.id === detection.format);
  if (!format) throw new Error('unreachable');
  return format.toItem((key) => {
    const index = detection.columns[key];
    return index === undefined ? '' : (cells[index] ?? '');
  });
}

/**
 * A caller-chosen mapping for a CSV whose header is not recognised: column indices, 0-based.
 * `hasHeader` (default true) says whether the first record is a header row to skip; 1Password 7
 * and hand-made files often have none.
 */
export interface ColumnMapping {
  title?: number;
  url?: number;
  username?: number;
  password: number;
  notes?: number;
  hasHeader?: boolean;
}

export const MAPPING_KEYS = ['title', 'url', 'username', 'password', 'notes'] as const;

export function genericRowToOutcome(mapping: ColumnMapping, cells: readonly string[]): RowOutcome {
  const at = (i: number | undefined) => (i === undefined ? '' : (cells[i] ?? ''));
  return login({
    title: at(mapping.title),
    url: at(mapping.url),
    username: at(mapping.username),
    password: at(mapping.password),
    notes: at(mapping.notes),
  });
}

// --- Bitwarden JSON ---------------------------------------------------------------------------

export type JsonKind = 'bitwarden-json' | 'bitwarden-encrypted' | 'securevault-export' | 'unknown';

/**
 * What a parsed JSON document is. Bitwarden's unencrypted export is `{encrypted: false, folders,
 * items}`; both encrypted kinds (account key, or password-protected with salt/kdf/data) carry
 * `encrypted: true` and cannot be read without Bitwarden's keys.
 */
export function detectJson(doc: unknown): JsonKind {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'unknown';
  const o = doc as Record<string, unknown>;
  if (o.format === 'securevault-export') return 'securevault-export';
  if (o.encrypted === true) return 'bitwarden-encrypted';
  if (o.encrypted === false && Array.isArray(o.items)) return 'bitwarden-json';
  return 'unknown';
}

/** Bitwarden CipherType (libs/common/src/vault/enums/cipher-type.ts). */
const BITWARDEN_TYPES: Readonly<Record<number, string>> = { 1: 'login', 2: 'secure note', 3: 'card', 4: 'identity', 5: 'SSH key' };

/** One outcome per entry of `items`, in order (row n = items[n - 1]). Call after detectJson. */
export function bitwardenJsonOutcomes(doc: { items: unknown[]; folders?: unknown; collections?: unknown }): RowOutcome[] {
  const folderNames = idNames(doc.folders);
  const collectionNames = idNames(doc.collections);
  return doc.items.map((raw): RowOutcome => {
    const bad: RowOutcome = { kind: 'skip', code: 'bad_shape', reason: 'item is not shaped like a Bitwarden item' };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad;
    const o = raw as Record<string, unknown>;
    if (o.type !== 1) {
      const name = typeof o.type === 'number' ? BITWARDEN_TYPES[o.type] : undefined;
      return skip(`Bitwarden ${name ?? 'item that is not a login'}: only logins are imported`);
    }
    const l = o.login ?? {};
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return bad;
    const lg = l as Record<string, unknown>;
    const [name, notes, username, password, totp] = [o.name, o.notes, lg.username, lg.password, lg.totp].map(optString);
    const uris = Array.isArray(lg.uris) ? lg.uris.map(bitwardenUri) : [];
    const fields = Array.isArray(o.fields) ? o.fields.map(bitwardenField) : [];
    if ([name, notes, username, password, totp].includes(undefined) || uris.includes(undefined) || fields.includes(undefined) || (lg.uris != null && !Array.isArray(lg.uris))) return bad;
    const [first, ...others] = (uris as { url: string; match: MatchMode }[]).filter((u) => u.url.trim() !== '');
    const collectionIds = Array.isArray(o.collectionIds) ? o.collectionIds : [];
    const folder =
      (typeof o.folderId === 'string' ? folderNames.get(o.folderId) : undefined) ??
      (typeof collectionIds[0] === 'string' ? collectionNames.get(collectionIds[0]) : undefined);
    // The first URI is the item's URL, with its match mode; the others are further URIs.
    return login({
      title: name ?? '',
      url: first?.url ?? '',
      ...(first && first.match !== 'exact' ? { matchMode: first.match } : {}),
      username: username ?? '',
      password: password ?? '',
      notes: notes ?? '',
      totp: totp ?? '',
      folder: folder ?? '',
      uris: others,
      favorite: o.favorite === true,
      fields: fields as { name: string; value: string; hidden: boolean }[],
    });
  });
}

/** A Bitwarden login URI `{uri, match}`; undefined for a bad shape. */
function bitwardenUri(u: unknown): { url: string; match: MatchMode } | undefined {
  if (typeof u !== 'object' || u === null) return undefined;
  const { uri, match } = u as { uri?: unknown; match?: unknown };
  const url = optString(uri);
  if (url === undefined) return undefined;
  return { url, match: (typeof match === 'number' ? BITWARDEN_MATCH[match] : undefined) ?? 'exact' };
}

/** A Bitwarden custom field (FieldType: 0 text, 1 hidden, 2 boolean, 3 linked); undefined for a bad shape. */
function bitwardenField(f: unknown): { name: string; value: string; hidden: boolean } | undefined {
  if (typeof f !== 'object' || f === null) return undefined;
  const o = f as { name?: unknown; value?: unknown; type?: unknown };
  const name = optString(o.name);
  // Boolean fields hold "true"/"false" strings; linked fields (type 3) hold null.
  const value = optString(o.value);
  return name === undefined || value === undefined ? undefined : { name, value, hidden: o.type === 1 };
}

/** Bitwarden writes null for an empty field. undefined here means "not a string": a bad shape. */
function optString(v: unknown): string | undefined {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : undefined;
}


function idNames(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(list)) return out;
  for (const f of list) {
    if (typeof f === 'object' && f !== null) {
      const { id, name } = f as { id?: unknown; name?: unknown };
      if (typeof id === 'string' && typeof name === 'string') out.set(id, name);
    }
  }
  return out;
}
