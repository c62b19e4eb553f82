/**
 * SecureVault's own exports: an encrypted JSON envelope (the one to keep) and a plain CSV (the
 * one other managers read). Offscreen document only.
 *
 *   export password ─Argon2id (salt, kdf)→ 32 bytes ─HKDF-SHA-256 (RFC 5869)→ AES-GCM-256 key
 *   AES-GCM(key, iv, AAD = format|version|kdf params) over JSON {items: ExportItem[]}
 *
 * Envelope (UTF-8 JSON, binary fields base64url without padding):
 *   {format: 'securevault-export', version: 1, kdf: {algorithm, memoryKiB, iterations,
 *    parallelism}, salt, iv, ciphertext}
 *
 * Why the AAD: the KDF parameters travel in clear and an attacker who can edit the file could
 * lower them to make a later guess cheaper for a re-export, or make a reader trust a tampered
 * file. Binding them as additional data (NIST SP 800-38D §7) makes any change fail authentication;
 * params below kdf.ts's floor are refused before any work (checkKdfParams). The salt needs no
 * binding: a changed salt gives another key, which fails the same way.
 *
 * What GCM cannot tell apart: a wrong password and an edited ciphertext/IV/params both fail the
 * tag. Both are reported as 'wrong_password' with words that say "or the file was changed".
 */
import * as v from 'valibot';
import Papa from 'papaparse';
import { asBuffer, fromBase64Url, randomBytes, toBase64Url, utf8Decode, utf8Encode, wipe } from '../../shared/buffer-io';
import { MatchModeSchema, UriSchema, type CustomField, type ItemUri } from '../../shared/messages';
import type { MatchMode } from '../../shared/origin-match';
import { DEFAULT_KDF, KDF_FLOOR, argon2idRaw, checkKdfParams, type KdfParams } from '../kdf';
import { withSections, type ImportedItem } from './formats';

export const EXPORT_FORMAT = 'securevault-export';
export const EXPORT_VERSION = 1;
/** 128-bit salt: RFC 9106 §3.1 recommends 16 bytes for password hashing. */
const SALT_BYTES = 16;
/** 96-bit IV, fresh per export (NIST SP 800-38D §8.2.2, random construction). */
const IV_BYTES = 12;
/**
 * An export file is untrusted input, and checkKdfParams allows up to 4 GiB — more than a
 * browser's wasm memory. A crafted file asking for that would only fail slowly, so reading is
 * capped at 1 GiB (16× the default).
 */
export const EXPORT_MAX_MEMORY_KIB = 1024 * 1024;
/** Bigger than any vault export; stops a wrong file (a video) from being JSON-parsed. */
export const EXPORT_MAX_BYTES = 64 * 1024 * 1024;

export interface ExportItem extends ImportedItem {
  matchMode: MatchMode;
  uris?: ItemUri[];
  favorite?: boolean;
  fields?: CustomField[];
  /** ms since the epoch, as the vault stores them */
  createdAt: number;
  updatedAt: number;
}

export type ExportErrorCode =
  | 'not_an_export'
  | 'too_large'
  | 'unsupported_version'
  | 'kdf_too_weak'
  | 'kdf_unsupported'
  | 'wrong_password'
  | 'bad_content';

export class ExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

const str = v.string();
const time = v.pipe(v.number(), v.finite());
const ITEM_ENTRIES = {
  title: str,
  url: str,
  username: str,
  password: str,
  notes: str,
  totp: v.optional(str),
  folder: v.optional(str),
  matchMode: MatchModeSchema,
  // since the item model has several URIs, favourites and custom fields (same format version:
  // they are optional, so older files still read, and an older reader refuses them as unknown)
  uris: v.optional(v.array(UriSchema)),
  favorite: v.optional(v.boolean()),
  fields: v.optional(v.array(v.strictObject({ name: str, value: str, hidden: v.boolean() }))),
  createdAt: time,
  updatedAt: time,
};
/** Writing: other keys on a caller's object (an id, a cache) are left out, not refused. */
const ExportItemInput = v.object(ITEM_ENTRIES);
/** Reading: a file is untrusted, so an unknown key means it is not ours. */
const ContentSchema = v.strictObject({ items: v.array(v.strictObject(ITEM_ENTRIES)) });

const b64u = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/));
const int = v.pipe(v.number(), v.integer());
const EnvelopeSchema = v.strictObject({
  format: v.literal(EXPORT_FORMAT),
  version: v.literal(EXPORT_VERSION),
  kdf: v.strictObject({ algorithm: v.literal('argon2id'), memoryKiB: int, iterations: int, parallelism: int }),
  salt: b64u,
  iv: b64u,
  ciphertext: b64u,
});
type Envelope = v.InferOutput<typeof EnvelopeSchema>;

/** Additional data: every clear field that changes how the ciphertext is read, in a fixed order. */
function exportAad(kdf: KdfParams): Uint8Array {
  return utf8Encode(`${EXPORT_FORMAT}|v${EXPORT_VERSION}|${kdf.algorithm}|m=${kdf.memoryKiB}|t=${kdf.iterations}|p=${kdf.parallelism}`);
}

/** Argon2id → HKDF → non-extractable AES-GCM key. Wipes the Argon2id output, not the password. */
async function exportKey(password: Uint8Array, salt: Uint8Array, kdf: KdfParams, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  let secret: Uint8Array | undefined;
  try {
    secret = await argon2idRaw(password, salt, kdf);
    const ikm = await crypto.subtle.importKey('raw', asBuffer(secret), 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      // info separates this key from every vault key derived from the same kind of secret.
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: asBuffer(utf8Encode(`${EXPORT_FORMAT}/v${EXPORT_VERSION}|aes-gcm-256`)) },
      ikm,
      { name: 'AES-GCM', length: 256 },
      false,
      [usage],
    );
  } finally {
    wipe(secret);
  }
}

/**
 * Encrypt `items` under `password` (UTF-8 bytes; left as given, the caller wipes it). Returns the
 * envelope as UTF-8 JSON bytes. Throws TypeError for items that are not ExportItems, RangeError
 * for KDF parameters below the floor.
 */
export async function encryptExport(items: readonly ExportItem[], password: Uint8Array, kdf: KdfParams = DEFAULT_KDF): Promise<Uint8Array> {
  if (!Array.isArray(items)) throw new TypeError('encryptExport: items must be an array');
  items.forEach((item, i) => {
    if (!v.is(ExportItemInput, item)) throw new TypeError(`encryptExport: item ${i} is not an ExportItem`);
  });
  if (!(password instanceof Uint8Array) || password.length === 0) throw new TypeError('encryptExport: empty password');
  checkKdfParams(kdf);
  // The kdf params alone, in a fixed order: an extra property on a caller's object never leaks in.
  const params: KdfParams = { algorithm: 'argon2id', memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism };
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  let plain: Uint8Array | undefined;
  try {
    const key = await exportKey(password, salt, params, 'encrypt');
    plain = utf8Encode(JSON.stringify({ items: items.map((item) => v.parse(ExportItemInput, item)) }));
    const ciphertext = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv: asBuffer(iv), additionalData: asBuffer(exportAad(params)) }, key, asBuffer(plain)),
    );
    const envelope: Envelope = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      kdf: params as Envelope['kdf'],
      salt: toBase64Url(salt),
      iv: toBase64Url(iv),
      ciphertext: toBase64Url(ciphertext),
    };
    return utf8Encode(JSON.stringify(envelope, null, 2));
  } finally {
    wipe(plain);
  }
}

/** The envelope, checked in the order that gives the most useful error. Never does KDF work. */
function readEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length > EXPORT_MAX_BYTES) throw new ExportError('too_large', 'The file is too large to be a SecureVault export.');
  let doc: unknown;
  try {
    doc = JSON.parse(utf8Decode(bytes));
  } catch {
    throw new ExportError('not_an_export', 'This file is not a SecureVault export.');
  }
  const o = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  if (o?.format !== EXPORT_FORMAT) throw new ExportError('not_an_export', 'This file is not a SecureVault export.');
  if (o.version !== EXPORT_VERSION) {
    throw new ExportError('unsupported_version', 'This export was made by another version of SecureVault and cannot be read by this one.');
  }
  const parsed = v.safeParse(EnvelopeSchema, doc);
  if (!parsed.success) {
    const algorithm = (o.kdf as { algorithm?: unknown } | undefined)?.algorithm;
    if (algorithm !== undefined && algorithm !== 'argon2id') throw new ExportError('kdf_unsupported', 'This export uses a key derivation SecureVault does not know.');
    throw new ExportError('not_an_export', 'This SecureVault export is damaged: a field is missing or has the wrong type.');
  }
  const { kdf } = parsed.output;
  if (kdf.memoryKiB < KDF_FLOOR.memoryKiB || kdf.iterations < KDF_FLOOR.iterations || kdf.parallelism < KDF_FLOOR.parallelism) {
    // Never ours: encryptExport refuses these. Someone lowered them to make guessing cheaper.
    throw new ExportError('kdf_too_weak', 'This export claims key derivation settings below the minimum; it was changed after it was made.');
  }
  try {
    checkKdfParams(kdf);
  } catch {
    throw new ExportError('kdf_unsupported', 'This export asks for key derivation settings beyond what SecureVault accepts.');
  }
  if (kdf.memoryKiB > EXPORT_MAX_MEMORY_KIB) throw new ExportError('kdf_unsupported', 'This export asks for more memory than SecureVault will use.');
  return parsed.output;
}

function decodeField(text: string, length?: { min: number; max: number }): Uint8Array {
  let out: Uint8Array;
  try {
    out = fromBase64Url(text);
  } catch {
    throw new ExportError('not_an_export', 'This SecureVault export is damaged: a field is not base64url.');
  }
  if (length && (out.length < length.min || out.length > length.max)) {
    throw new ExportError('not_an_export', 'This SecureVault export is damaged: a field has the wrong length.');
  }
  return out;
}

/**
 * Open an export made by encryptExport. `password` is left as given. Throws ExportError:
 * not_an_export, too_large, unsupported_version, kdf_too_weak, kdf_unsupported, wrong_password
 * (also: file changed), bad_content (opened, but the items are not ExportItems).
 */
export async function decryptExport(bytes: Uint8Array, password: Uint8Array): Promise<ExportItem[]> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decryptExport: bytes must be a Uint8Array');
  if (!(password instanceof Uint8Array) || password.length === 0) throw new TypeError('decryptExport: empty password');
  const envelope = readEnvelope(bytes);
  const salt = decodeField(envelope.salt, { min: 16, max: 64 });
  const iv = decodeField(envelope.iv, { min: IV_BYTES, max: IV_BYTES });
  const ciphertext = decodeField(envelope.ciphertext, { min: 16, max: EXPORT_MAX_BYTES }); // ≥ the 128-bit tag
  const key = await exportKey(password, salt, envelope.kdf, 'decrypt');
  let plain: Uint8Array | undefined;
  try {
    try {
      plain = new Uint8Array(
        await crypto.subtle.decrypt({ name: 'AES-GCM', iv: asBuffer(iv), additionalData: asBuffer(exportAad(envelope.kdf)) }, key, asBuffer(ciphertext)),
      );
    } catch {
      throw new ExportError('wrong_password', 'Wrong password, or the file was changed after it was exported.');
    }
    let content: unknown;
    try {
      content = JSON.parse(utf8Decode(plain));
    } catch {
      throw new ExportError('bad_content', 'The export opened but its content is not readable.');
    }
    const parsed = v.safeParse(ContentSchema, content);
    if (!parsed.success) throw new ExportError('bad_content', 'The export opened but its items are not in the expected shape.');
    return parsed.output.items;
  } finally {
    wipe(plain);
  }
}

// --- plain CSV ----------------------------------------------------------------------------------

/**
 * Columns: Chrome's five (Chrome, Edge, Brave and most managers import them), then `totp` and
 * `folder`, which Chrome ignores and formats.ts reads back. matchMode and timestamps are only in
 * the encrypted export.
 */
export const CSV_COLUMNS = ['name', 'url', 'username', 'password', 'note', 'totp', 'folder'] as const;

/**
 * Plain CSV of `items` (RFC 4180, every field quoted, CRLF). Lossless: parseImport(toCsv(items)) gives the
 * items back (detected as Chrome format) as long as URLs are already normalised, as vault URLs are.
 *
 * CSV injection (a value starting with = + - @ that a spreadsheet runs as a formula) is NOT
 * escaped: escaping means prefixing an apostrophe, which would change passwords — "-Xy7…" is a
 * real password — and the consumer of this file is another password manager, not a spreadsheet.
 * The export screen must say that this file holds every password in clear and is not meant to be
 * opened in a spreadsheet program.
 *
 * Returns a string, which cannot be wiped (SECURITY.md): the caller turns it into a download at once.
 */
export function toCsv(items: readonly (ImportedItem & Pick<ExportItem, 'uris' | 'fields'>)[]): string {
  if (!Array.isArray(items)) throw new TypeError('toCsv: items must be an array');
  const data = items.map((item, i) => {
    // CSV has one URL column: further URIs and custom fields go into the note, in sections (the
    // way Bitwarden's CSV is read), so a plain-text export loses nothing the user typed.
    const notes = withSections(item.notes, [
      ['Other URLs', (item.uris ?? []).map((u: ItemUri) => u.url).join('\n')],
      ['Custom fields', (item.fields ?? []).map((f: CustomField) => `${f.name}: ${f.value}`).join('\n')],
    ]);
    const row = [item.title, item.url, item.username, item.password, notes, item.totp ?? '', item.folder ?? ''];
    if (!row.every((cell) => typeof cell === 'string')) throw new TypeError(`toCsv: item ${i} has a field that is not text`);
    return row;
  });
  // Every field quoted (RFC 4180 §2.5 allows it): readers that trim unquoted fields would
  // otherwise eat a password's leading or trailing spaces and tabs.
  return Papa.unparse({ fields: [...CSV_COLUMNS], data }, { escapeFormulae: false, newline: '\r\n', quotes: true });
}
