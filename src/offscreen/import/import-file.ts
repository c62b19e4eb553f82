/**
 * An export file from another password manager → ImportedItems, problems and a secret-free
 * preview. Offscreen document only: the result holds every password in the file; only
 * `previewOf(result)` may leave this realm (to the popup).
 *
 * Decisions (see also formats.ts for per-format choices):
 * - Whole-file refusals throw ImportError (a code plus words): empty, too large, too many rows,
 *   not UTF-8 (with byte offset and line), UTF-16, unknown format (with the header seen), missing
 *   columns (named), encrypted Bitwarden JSON, JSON that is not Bitwarden's, a bad mapping.
 * - Everything that concerns one row is a problem with that row's number, and the rest of the
 *   file is imported: broken quoting, wrong column count, a field over the limit, no username and
 *   no password, not a login. Problems say `kept: false` (row skipped) or `kept: true` (imported,
 *   with a remark).
 * - A URL that is not an http(s) web address (Chrome's android:// app links, "chrome://…", typos)
 *   does not cost the user the credential: the item is kept with an empty URL, the text of the
 *   URL goes to the end of its notes ("Original URL: …"), and a kept problem says so. A URL with
 *   a user name or password inside ("https://user:pw@host") is kept without them — the URL is
 *   listed in clear in the popup, the notes are not — and the original goes to the notes too.
 * - Row numbers are what a spreadsheet shows: the header is row 1, a record with a newline inside
 *   a quoted field is still one row. For Bitwarden JSON, row n is the n-th entry of `items`.
 * - Only comma-separated files are read (no delimiter guessing: a guess that picks ';' for a
 *   Chrome file would shift passwords into other columns).
 * - Problem reasons never quote a cell: a misaligned row could put a password in any column.
 *   Whole-file messages quote the header row, which is column names — except in a file with no
 *   header, where it is the first record. That record can hold a password; it reaches the popup
 *   only because the user picked the file there and must see the columns to map them.
 */
import Papa from 'papaparse';
import { isUsablePattern, normalizeSavedUrl, parseOrigin } from '../../shared/origin-match';
import { MAX_CUSTOM_FIELDS, MAX_EXTRA_URIS } from '../../shared/messages';
import {
  FORMAT_LABELS,
  MAPPING_KEYS,
  bitwardenJsonOutcomes,
  csvRowToOutcome,
  detectCsvFormat,
  detectJson,
  genericRowToOutcome,
  withSections,
  type ColumnMapping,
  type Detection,
  type FormatId,
  type ImportedItem,
  type RowOutcome,
} from './formats';
import { TextDecodeError, decodeImportText } from './text-decode';

export type ImportErrorCode =
  | 'empty'
  | 'too_large'
  | 'too_many_rows'
  | 'utf16'
  | 'not_utf8'
  | 'binary'
  | 'unknown_format'
  | 'missing_columns'
  | 'ambiguous'
  | 'duplicate_column'
  | 'broken_header'
  | 'encrypted_export'
  | 'securevault_export'
  | 'bad_json'
  | 'bad_mapping';

/** A whole file refused. `message` is for people and is secret-free (see the header caveat above). */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly detail: { offset?: number; line?: number; header?: string[]; missing?: string[] } = {},
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export type ProblemCode =
  | 'broken_quotes'
  | 'column_count'
  | 'field_too_long'
  | 'no_credentials'
  | 'not_a_login'
  | 'bad_shape'
  | 'url_not_web'
  | 'url_credentials'
  | 'no_password';

export interface ImportProblem {
  /** 1-based, as a spreadsheet numbers rows (header = 1); 1-based item index for JSON */
  row: number;
  code: ProblemCode;
  reason: string;
  /** true: the row was imported with this remark; false: the row was skipped */
  kept: boolean;
}

export interface ImportResult {
  format: FormatId;
  items: ImportedItem[];
  problems: ImportProblem[];
  /** rows not imported (each has a problem with kept: false); blank lines are not counted */
  skipped: number;
  /** header cells the detected format does not use, as written */
  ignoredColumns: string[];
}

export interface ImportOptions {
  /** used only when the header is not recognised */
  mapping?: ColumnMapping;
  maxBytes?: number;
  maxRows?: number;
  /** characters per field; notes may be ten times longer (as in the vault) */
  maxFieldLength?: number;
}

/**
 * Defaults. 32 MiB holds ~100 000 typical logins, well past any real vault, and keeps a
 * mistaken pick (a video, a disk image) from being read. The field limit is the vault's own
 * (vault-session.ts MAX_SECRET_FIELD: 10 000 per field, notes ×10), so what imports can be saved.
 */
export const IMPORT_LIMITS = { maxBytes: 32 * 1024 * 1024, maxRows: 50_000, maxFieldLength: 10_000 } as const;
export const NOTES_LENGTH_FACTOR = 10;

function checkLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`parseImport: ${name} must be a positive integer`);
  return value;
}

/**
 * Read an export file. Throws ImportError for a file refused whole, TypeError/RangeError for a
 * caller's mistake (not bytes, a bad limit). Does not keep or alter `bytes`; the caller wipes it.
 */
export function parseImport(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseImport: bytes must be a Uint8Array');
  const limits = {
    maxBytes: checkLimit('maxBytes', options.maxBytes, IMPORT_LIMITS.maxBytes),
    maxRows: checkLimit('maxRows', options.maxRows, IMPORT_LIMITS.maxRows),
    maxFieldLength: checkLimit('maxFieldLength', options.maxFieldLength, IMPORT_LIMITS.maxFieldLength),
  };
  if (bytes.length === 0) throw new ImportError('empty', 'The file is empty.');
  if (bytes.length > limits.maxBytes) {
    throw new ImportError('too_large', `The file is ${bytes.length} bytes; at most ${limits.maxBytes} can be imported.`);
  }
  let text: string;
  try {
    text = decodeImportText(bytes);
  } catch (e) {
    if (e instanceof TextDecodeError) throw new ImportError(e.code, e.message, { offset: e.offset, line: e.line });
    throw e;
  }
  const start = text.search(/\S/);
  if (start === -1) throw new ImportError('empty', 'The file holds nothing but blank space.');
  const builder = new ResultBuilder(limits.maxFieldLength);
  if (text[start] === '{' || text[start] === '[') readJson(text, limits, builder);
  else readCsv(text, limits, options.mapping, builder);
  return builder.result();
}

function readJson(text: string, limits: { maxRows: number }, out: ResultBuilder): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not the SyntaxError's message: V8 quotes the text around the error, which may be a password.
    throw new ImportError('bad_json', 'The file starts like JSON but is not valid JSON.');
  }
  switch (detectJson(doc)) {
    case 'securevault-export':
      throw new ImportError('securevault_export', 'This is an encrypted SecureVault export: open it as one, with the password it was exported with.');
    case 'bitwarden-encrypted':
      throw new ImportError(
        'encrypted_export',
        'This Bitwarden export is encrypted and cannot be read here. In Bitwarden, export again choosing the format ".json" (not ".json (Encrypted)"), import that file, then delete it.',
      );
    case 'unknown':
      throw new ImportError('bad_json', 'This JSON file is not an unencrypted Bitwarden export, the only JSON format that can be imported.');
    case 'bitwarden-json': {
      const d = doc as { items: unknown[]; folders?: unknown; collections?: unknown };
      if (d.items.length > limits.maxRows) throw tooManyRows(d.items.length, limits.maxRows);
      out.format = 'bitwarden-json';
      bitwardenJsonOutcomes(d).forEach((outcome, i) => out.add(i + 1, outcome));
    }
  }
}

function tooManyRows(rows: number, max: number): ImportError {
  return new ImportError('too_many_rows', `The file has ${rows} entries; at most ${max} can be imported at once.`);
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c === '');

function readCsv(text: string, limits: { maxRows: number; maxFieldLength: number }, mapping: ColumnMapping | undefined, out: ResultBuilder): void {
  // header: false, then columns by index: papaparse's header mode renames duplicate columns and
  // turns a short row into missing keys, both of which hide what is wrong with a file.
  // skipEmptyLines: false keeps record indices equal to spreadsheet rows; blank ones are skipped below.
  const parsed = Papa.parse<string[]>(text, { header: false, delimiter: ',', skipEmptyLines: false });
  const records = parsed.data;
  const broken = new Map<number, string>();
  for (const e of parsed.errors) {
    // Papaparse gives the record index; an error without one belongs to the last record.
    const at = typeof e.row === 'number' ? e.row : records.length - 1;
    // A stray quote makes papaparse read on to the next quote, so the lines after a broken row
    // may have been swallowed into it; "never closed" (MissingQuotes) means up to the end.
    if (e.code === 'MissingQuotes') {
      broken.set(at, 'a quoted field is never closed: this row and all rows after it could not be read');
    } else if (!broken.has(at)) {
      broken.set(at, 'broken quoting (a quote inside a quoted field is not doubled); the row, and any lines read into it, was skipped');
    }
  }
  const header = records[0] ?? [];
  if (broken.has(0)) {
    throw new ImportError('broken_header', 'The first row (the header) has broken quoting, so no column can be identified.');
  }
  const detection = detectCsvFormat(header);
  let toOutcome: (cells: readonly string[]) => RowOutcome;
  let first = 1;
  if (detection.ok) {
    out.format = detection.format;
    out.ignoredColumns = detection.ignoredColumns;
    toOutcome = (cells) => csvRowToOutcome(detection, cells);
  } else if (mapping !== undefined) {
    checkMapping(mapping, header.length);
    out.format = 'generic';
    if (mapping.hasHeader === false) first = 0;
    toOutcome = (cells) => genericRowToOutcome(mapping, cells);
  } else {
    throw refusal(detection);
  }
  let dataRows = 0;
  for (let i = first; i < records.length; i++) if (!isBlank(records[i] ?? [])) dataRows++;
  if (dataRows > limits.maxRows) throw tooManyRows(dataRows, limits.maxRows);

  const width = header.length;
  const cellLimit = limits.maxFieldLength * NOTES_LENGTH_FACTOR;
  for (let i = first; i < records.length; i++) {
    const cells = records[i] ?? [];
    const row = i + 1;
    if (isBlank(cells) && !broken.has(i)) continue;
    const quoting = broken.get(i);
    if (quoting !== undefined) {
      out.skip(row, 'broken_quotes', quoting);
    } else if (cells.length !== width) {
      // A stray comma or a dropped cell shifts every column after it: importing the row would put
      // a password in the notes or a note in the password, so it is skipped, not guessed at.
      out.skip(row, 'column_count', `has ${cells.length} columns but the ${first === 1 ? 'header' : 'first row'} has ${width}`);
    } else if (cells.some((c) => c.length > cellLimit)) {
      const at = cells.findIndex((c) => c.length > cellLimit);
      // Name the column by its header only when there is one: otherwise the "header" is data.
      const name = first === 1 ? ` (${(header[at] ?? '').trim()})` : '';
      out.skip(row, 'field_too_long', `column ${at + 1}${name} is longer than ${cellLimit} characters`);
    } else {
      out.add(row, toOutcome(cells));
    }
  }
}

function refusal(d: Extract<Detection, { ok: false }>): ImportError {
  return new ImportError(d.reason, d.message, { header: d.header, ...(d.missing ? { missing: d.missing } : {}) });
}

function checkMapping(mapping: ColumnMapping, width: number): void {
  if (typeof mapping !== 'object' || mapping === null) throw new ImportError('bad_mapping', 'The column choice is missing.');
  for (const key of Object.keys(mapping)) {
    if (key !== 'hasHeader' && !(MAPPING_KEYS as readonly string[]).includes(key)) {
      throw new ImportError('bad_mapping', `The column choice has an unknown field "${key}".`);
    }
  }
  if (mapping.hasHeader !== undefined && typeof mapping.hasHeader !== 'boolean') {
    throw new ImportError('bad_mapping', 'hasHeader must be true or false.');
  }
  if (mapping.password === undefined) throw new ImportError('bad_mapping', 'Choose which column holds the password.');
  for (const key of MAPPING_KEYS) {
    const index = mapping[key];
    if (index === undefined) continue;
    if (!Number.isInteger(index) || index < 0 || index >= width) {
      throw new ImportError('bad_mapping', `The ${key} column must be one of the file's ${width} columns (0 to ${width - 1}).`);
    }
  }
}

const EMPTY_URL = /^(https?:\/\/)?$/i; // LastPass writes "http://" for a login without a site

/** Collects items and problems; applies the checks every format shares. */
class ResultBuilder {
  format: FormatId = 'generic';
  ignoredColumns: string[] = [];
  private items: ImportedItem[] = [];
  private problems: ImportProblem[] = [];
  private skipped = 0;

  constructor(private readonly maxFieldLength: number) {}

  skip(row: number, code: ProblemCode, reason: string): void {
    this.problems.push({ row, code, reason, kept: false });
    this.skipped++;
  }

  add(row: number, outcome: RowOutcome): void {
    if (outcome.kind === 'skip') return this.skip(row, outcome.code, outcome.reason);
    const item = outcome.item;
    const tooLong = this.tooLong(item);
    if (tooLong) return this.skip(row, 'field_too_long', tooLong);
    if (item.username === '' && item.password === '') {
      return this.skip(row, 'no_credentials', 'has neither a username nor a password');
    }
    const remarks: [ProblemCode, string][] = [];
    const rawUrl = item.url.trim();
    let url = '';
    if (item.matchMode === 'regex') {
      // A pattern is not a URL: kept as it is when usable, never "normalised" (the URL parser
      // would turn `\.` into `/.` and make a pattern that matches other sites).
      if (isUsablePattern(rawUrl)) url = rawUrl;
      else {
        delete item.matchMode;
        if (rawUrl !== '') {
          item.notes = withSections(item.notes, [['Other URLs', rawUrl]]);
          remarks.push(['url_not_web', 'the regular expression is not one SecureVault can use (it must start with ^http:// or ^https://); it is at the end of the notes']);
        }
      }
    } else if (!EMPTY_URL.test(rawUrl)) {
      const normal = normalizeSavedUrl(rawUrl);
      if (normal === null) {
        remarks.push(['url_not_web', 'the URL is not a web address; imported without a URL, the original is at the end of the notes']);
      } else {
        const u = new URL(normal);
        if (u.username !== '' || u.password !== '') {
          u.username = '';
          u.password = '';
          remarks.push(['url_credentials', 'the URL had sign-in details in it; they were removed from the URL, the original is at the end of the notes']);
        }
        url = u.href;
      }
      if (remarks.length > 0) item.notes = item.notes === '' ? `Original URL: ${rawUrl}` : `${item.notes}\n\nOriginal URL: ${rawUrl}`;
    }
    if (item.uris) this.cleanUris(item, remarks);
    // URLs moved into the notes can make them longer than the vault keeps: refused, not cut.
    const notesLimit = this.maxFieldLength * NOTES_LENGTH_FACTOR;
    if (item.notes.length > notesLimit) return this.skip(row, 'field_too_long', `the notes field, with the URLs that could not be kept, is longer than ${notesLimit} characters`);
    if (item.password === '') remarks.push(['no_password', 'has no password; imported with the username only']);
    item.url = url;
    item.title = item.title.trim() || (item.matchMode === 'regex' ? '' : (parseOrigin(url)?.host ?? ''));
    this.items.push(item);
    for (const [code, reason] of remarks) this.problems.push({ row, code, reason, kept: true });
  }

  /**
   * Further URIs get the same care as the first: a usable pattern or web address is kept (sign-in
   * details taken out of it), anything else goes to the notes under "Other URLs", with a remark.
   */
  private cleanUris(item: ImportedItem, remarks: [ProblemCode, string][]): void {
    const kept: NonNullable<ImportedItem['uris']> = [];
    const leftover: string[] = [];
    for (const u of item.uris ?? []) {
      const raw = u.url.trim();
      if (EMPTY_URL.test(raw)) continue;
      if (u.match === 'regex') {
        if (isUsablePattern(raw)) kept.push({ url: raw, match: 'regex' });
        else leftover.push(raw);
        continue;
      }
      const normal = normalizeSavedUrl(raw);
      if (normal === null) {
        leftover.push(raw);
        continue;
      }
      const url = new URL(normal);
      if (url.username !== '' || url.password !== '') {
        url.username = '';
        url.password = '';
        leftover.push(raw);
      }
      kept.push({ url: url.href, match: u.match });
    }
    if (kept.length > 0) item.uris = kept.slice(0, MAX_EXTRA_URIS);
    else delete item.uris;
    const over = kept.slice(MAX_EXTRA_URIS).map((u) => u.url);
    if (leftover.length + over.length > 0) {
      item.notes = withSections(item.notes, [['Other URLs', [...leftover, ...over].join('\n')]]);
      remarks.push(['url_not_web', 'a further URL was not a usable web address (or had sign-in details); it is at the end of the notes']);
    }
  }

  private tooLong(item: ImportedItem): string | null {
    if ((item.fields?.length ?? 0) > MAX_CUSTOM_FIELDS) return `it has more than ${MAX_CUSTOM_FIELDS} custom fields`;
    for (const f of item.fields ?? []) {
      if (f.name.length > 200) return 'a custom field name is longer than 200 characters';
      if (f.value.length > this.maxFieldLength) return `a custom field is longer than ${this.maxFieldLength} characters`;
    }
    for (const key of ['title', 'url', 'username', 'password', 'notes', 'totp', 'folder'] as const) {
      const limit = key === 'notes' ? this.maxFieldLength * NOTES_LENGTH_FACTOR : this.maxFieldLength;
      if ((item[key]?.length ?? 0) > limit) return `the ${key} field is longer than ${limit} characters`;
    }
    return null;
  }

  result(): ImportResult {
    return { format: this.format, items: this.items, problems: this.problems, skipped: this.skipped, ignoredColumns: this.ignoredColumns };
  }
}

// --- duplicates -------------------------------------------------------------------------------

export interface Credential {
  url: string;
  username: string;
  password: string;
}

/** Same origin (scheme, host, port), same username, same password. Exact strings: no case folding. */
function credentialKey(c: Credential): string {
  const origin = parseOrigin(c.url)?.origin ?? c.url.trim();
  // JSON of an array: no separator character can make two different triples spell one key.
  return JSON.stringify([origin, c.username, c.password]);
}

/**
 * Drop items already in the vault (`existing`) and repeats within the file (the first one is
 * kept). Items that differ in anything else (title, notes) but match on the triple are still
 * duplicates: the credential is what counts, and the kept one is the one the user sees first.
 */
export function dedupe(items: readonly ImportedItem[], existing: readonly Credential[]): { items: ImportedItem[]; dropped: number } {
  if (!Array.isArray(items) || !Array.isArray(existing)) throw new TypeError('dedupe: items and existing must be arrays');
  const seen = new Set(existing.map(credentialKey));
  const kept: ImportedItem[] = [];
  for (const item of items) {
    const key = credentialKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(item);
  }
  return { items: kept, dropped: items.length - kept.length };
}

// --- preview ------------------------------------------------------------------------------------

/** What crosses to the popup: counts, problems, titles and hosts. No username, password, note, TOTP or folder. */
export interface ImportPreview {
  format: FormatId;
  formatLabel: string;
  itemCount: number;
  skipped: number;
  problemCount: number;
  problems: ImportProblem[];
  samples: { title: string; host: string }[];
  ignoredColumns: string[];
}

const SAMPLE_TITLE_MAX = 80;

export function previewOf(result: ImportResult, limits: { problems?: number; samples?: number } = {}): ImportPreview {
  const maxProblems = limits.problems ?? 20;
  const maxSamples = limits.samples ?? 5;
  return {
    format: result.format,
    formatLabel: FORMAT_LABELS[result.format],
    itemCount: result.items.length,
    skipped: result.skipped,
    problemCount: result.problems.length,
    // Copied field by field: a problem object can never carry more than these four.
    problems: result.problems.slice(0, maxProblems).map((p) => ({ row: p.row, code: p.code, reason: p.reason, kept: p.kept })),
    samples: result.items.slice(0, maxSamples).map((item) => ({
      title: item.title.slice(0, SAMPLE_TITLE_MAX),
      host: parseOrigin(item.url)?.host ?? '',
    })),
    ignoredColumns: [...result.ignoredColumns],
  };
}
