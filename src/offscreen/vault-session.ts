/**
 * The unlocked vault: the only place that holds usable keys and decrypted overviews. Lives in the
 * offscreen document and nowhere else. `lock()` drops every handle; the worker then closes the
 * document so nothing stays reachable on its heap.
 */
import { bytesToJson, jsonToBytes, randomBytes, toBase64Url, wipe } from '../shared/buffer-io';
import { MAX_CUSTOM_FIELDS, MAX_EXTRA_URIS, type CustomField, type FillCandidate, type HealthReport, type ItemOverview, type ItemUri, type OverviewInput } from '../shared/messages';
import { measureStrength } from '../shared/password-strength';
import { MATCH_MODES, isUsablePattern, matchUri, normalizeSavedUrl, originMatcher, parseOrigin, type FrameLocation, type MatchKind } from '../shared/origin-match';
import { VaultError } from '../shared/result';
import { maskUsername } from '../shared/mask';
import { DEFAULT_KDF, checkKdfParams, type KdfParams } from './kdf';
import {
  createWrappedKeys,
  decryptPart,
  decryptWithPrivateKey,
  encryptPart,
  encryptToPublicKey,
  inboxAad,
  indexAad,
  itemAad,
  publicKeyAad,
  kekFromSecret,
  rewrapPrivateKey,
  unwrapVaultKeys,
  type VaultKeys,
} from './vault-crypto';
import * as store from './vault-store';

/** Derives 32 bytes from the password (in a dedicated worker in the browser, directly in tests). */
export type DeriveFn = (password: Uint8Array, salt: Uint8Array, params: store.VaultRecord['kdf']) => Promise<Uint8Array>;

/** Minimum master password length in UTF-8 bytes, checked here as well as in the popup. */
export const MIN_MASTER_PASSWORD_BYTES = 10;
const MAX_SECRET_FIELD = 10_000;

interface Unlocked {
  vaultId: string;
  keys: VaultKeys;
  overviews: Map<string, ItemOverview>;
  revisions: Map<string, number>;
  /** ids whose ciphertext failed to open: kept in storage untouched, reported, never listed */
  unreadable: Set<string>;
  /** the clear public key had been replaced in storage (and was restored) at this unlock */
  publicKeyRestored: boolean;
}

/** How many earlier passwords an item keeps. */
export const HISTORY_LIMIT = 20;

interface DetailsPlain {
  password: string;
  notes: string;
  /** TOTP secret (base32) or otpauth:// URI, '' when none */
  totp: string;
  /** earlier passwords, newest first; kept by the vault, never sent by the popup */
  history: { password: string; changedAt: number }[];
  /** custom fields (text and hidden); absent in items saved before they existed */
  fields?: CustomField[];
}

let session: Unlocked | null = null;

export function isUnlocked(): boolean {
  return session !== null;
}

export async function hasVault(): Promise<boolean> {
  return (await store.readVault()) !== undefined;
}

function requireSession(): Unlocked {
  if (!session) throw new VaultError('locked');
  return session;
}

function newId(): string {
  return toBase64Url(randomBytes(16));
}

export async function createVault(password: Uint8Array, derive: DeriveFn): Promise<void> {
  if (password.length < MIN_MASTER_PASSWORD_BYTES) throw new VaultError('password_too_short');
  if (await hasVault()) throw new VaultError('vault_exists');
  const vaultId = newId();
  const salt = randomBytes(16);
  const secret = await derive(password, salt, DEFAULT_KDF);
  try {
    const kek = await kekFromSecret(secret, vaultId);
    const wrapped = await createWrappedKeys(kek, vaultId);
    const keys = await unwrapVaultKeys(kek, vaultId, wrapped);
    const publicKeyCheck = await encryptPart(keys.vaultKey, publicKeyAad(vaultId), wrapped.publicKeySpki);
    await store.createVaultRecord({ key: 'vault', schema: 1, vaultId, kdf: DEFAULT_KDF, salt, createdAt: Date.now(), ...wrapped, publicKeyCheck });
    session = { vaultId, keys, overviews: new Map(), revisions: new Map(), unreadable: new Set(), publicKeyRestored: false };
  } finally {
    wipe(secret);
  }
}

function weakerThanDefault(p: KdfParams): boolean {
  return p.memoryKiB < DEFAULT_KDF.memoryKiB || p.iterations < DEFAULT_KDF.iterations || p.parallelism < DEFAULT_KDF.parallelism;
}

/** Derive the KEK and prove it by unwrapping the keys; wrong password → VaultError('wrong_password'). */
async function openKeys(record: store.VaultRecord, password: Uint8Array, derive: DeriveFn) {
  try {
    checkKdfParams(record.kdf); // below the floor means a tampered vault: refuse, don't obey
  } catch {
    throw new VaultError('kdf_too_weak');
  }
  const secret = await derive(password, record.salt, record.kdf);
  performance.mark('securevault:kdf:end');
  try {
    const kek = await kekFromSecret(secret, record.vaultId);
    return { kek, keys: await unwrapVaultKeys(kek, record.vaultId, record) };
  } catch {
    // AES-GCM authentication of the wrapped private key failed: wrong password (or a tampered record).
    throw new VaultError('wrong_password');
  } finally {
    wipe(secret);
  }
}

/** Re-wrap the private key under a KEK from `password` with fresh salt and `kdf` (default: today's defaults): O(1). */
async function rewrapUnder(record: store.VaultRecord, oldKek: CryptoKey, password: Uint8Array, derive: DeriveFn, kdf: KdfParams = DEFAULT_KDF) {
  const salt = randomBytes(16);
  const secret = await derive(password, salt, kdf);
  try {
    const newKek = await kekFromSecret(secret, record.vaultId);
    const rewrapped = await rewrapPrivateKey(oldKek, newKek, record.vaultId, record);
    await store.putVaultRecord({ ...record, ...rewrapped, salt, kdf });
  } finally {
    wipe(secret);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The clear public key is what save-while-locked encrypts to; someone able to write the profile
 * could swap in their own. Compare it with the copy encrypted under the vault key and put the
 * genuine one back. (Offers encrypted to a swapped key stay unreadable in the inbox.)
 */
async function restorePublicKeyIfSwapped(record: store.VaultRecord, keys: VaultKeys): Promise<boolean> {
  const genuine = await decryptPart(keys.vaultKey, publicKeyAad(record.vaultId), record.publicKeyCheck).catch(() => null);
  if (!genuine) throw new VaultError('storage_failed');
  if (sameBytes(genuine, record.publicKeySpki)) return false;
  const current = await store.readVault();
  if (current) await store.putVaultRecord({ ...current, publicKeySpki: genuine });
  return true;
}

export async function unlock(password: Uint8Array, derive: DeriveFn): Promise<void> {
  const record = await store.readVault();
  if (!record) throw new VaultError('no_vault');
  const { kek, keys } = await openKeys(record, password, derive);
  // Parameters weaker than today's defaults (but above the floor) are upgraded on this unlock.
  if (weakerThanDefault(record.kdf)) await rewrapUnder(record, kek, password, derive);
  const publicKeyRestored = await restorePublicKeyIfSwapped(record, keys);
  const next: Unlocked = {
    vaultId: record.vaultId,
    keys,
    overviews: new Map(),
    revisions: new Map(),
    unreadable: new Set(),
    publicKeyRestored,
  };
  // User Timing (names and durations, no data): the benchmark reads how long unlock takes after
  // the KDF — key unwrapping, the overviews, the inbox — without the noise of Argon2id before it.
  performance.mark('securevault:overviews:start');
  await loadOverviews(next);
  session = next;
  await mergeInbox(next);
  performance.measure('securevault:overviews', 'securevault:overviews:start');
  performance.measure('securevault:unlock-after-kdf', 'securevault:kdf:end');
}

// ── the overview index (vault-store.ts, IndexRecord) ─────────────────────────────────────────────

/** One item in an index chunk: id, revision, and the overview as stored (without its id). */
type IndexEntry = [id: string, revision: number, overview: Omit<ItemOverview, 'id'>];

/** Items about to be written (null: deleted), for the chunks that must change with them. */
type PendingItems = Map<string, { overview: ItemOverview; revision: number } | null>;

function indexEntry(o: ItemOverview, revision: number): IndexEntry {
  const { id, ...stored } = o;
  return [id, revision, stored];
}

/**
 * The index chunks of every bucket that `pending` touches, as they will be once it is written:
 * they go into the same IndexedDB transaction as the items, so the index never disagrees with
 * them. (The offscreen document handles one message at a time, so no other write interleaves.)
 */
async function indexWrites(s: Unlocked, pending: PendingItems, extraBuckets: Iterable<string> = []): Promise<store.IndexWrite[]> {
  const entries = new Map<string, IndexEntry[]>();
  for (const id of pending.keys()) entries.set(store.bucketOf(id), []);
  for (const bucket of extraBuckets) entries.set(bucket, []);
  for (const [id, o] of s.overviews) {
    if (pending.has(id)) continue;
    const revision = s.revisions.get(id);
    if (revision !== undefined) entries.get(store.bucketOf(id))?.push(indexEntry(o, revision));
  }
  for (const [id, p] of pending) if (p) entries.get(store.bucketOf(id))?.push(indexEntry(p.overview, p.revision));
  const out: store.IndexWrite[] = [];
  for (const [bucket, list] of entries) {
    if (list.length === 0) {
      out.push({ bucket, sealed: null });
      continue;
    }
    const bytes = jsonToBytes(list);
    try {
      out.push({ bucket, sealed: await encryptPart(s.keys.vaultKey, indexAad(s.vaultId, bucket), bytes) });
    } finally {
      wipe(bytes);
    }
  }
  return out;
}

/** A chunk's entries, or null when it does not open or does not hold well-formed entries. */
async function openChunk(s: Unlocked, chunk: store.IndexRecord): Promise<{ overview: ItemOverview; revision: number }[] | null> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await decryptPart(s.keys.vaultKey, indexAad(s.vaultId, chunk.bucket), chunk.sealed);
    const raw = bytesToJson(bytes);
    if (!Array.isArray(raw)) return null;
    const out: { overview: ItemOverview; revision: number }[] = [];
    for (const e of raw as unknown[]) {
      if (!Array.isArray(e) || e.length !== 3) return null;
      const [id, revision, overview] = e as unknown[];
      if (typeof id !== 'string' || store.bucketOf(id) !== chunk.bucket) return null;
      if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1) return null;
      out.push({ overview: parseOverview(id, overview), revision });
    }
    return out;
  } catch {
    return null;
  } finally {
    wipe(bytes);
  }
}

/**
 * Fill the session's overviews at unlock. Fast path: the ≤ 64 index chunks, checked against the
 * ids in the items store (keys only, no ciphertext read). A bucket whose chunk is missing (a vault
 * from before the index), does not open (damaged, moved) or lists other ids (written by something
 * else than this code) is rebuilt from its item records — each overview on its own, so one damaged
 * item is isolated — and its chunk rewritten. Item records are never changed here.
 */
async function loadOverviews(s: Unlocked): Promise<void> {
  const [ids, chunks] = await Promise.all([store.readItemIds(), store.readIndex()]);
  const expected = new Map<string, Set<string>>();
  for (const id of ids) {
    const bucket = store.bucketOf(id);
    let set = expected.get(bucket);
    if (!set) expected.set(bucket, (set = new Set()));
    set.add(id);
  }
  const stale = new Set(expected.keys());
  const orphans: string[] = [];
  await Promise.all(
    chunks.map(async (chunk) => {
      const want = expected.get(chunk.bucket);
      if (!want) {
        orphans.push(chunk.bucket); // every item of this bucket is gone
        return;
      }
      const entries = await openChunk(s, chunk);
      if (!entries || entries.length !== want.size) return;
      const got = new Set(entries.map((e) => e.overview.id));
      if (got.size !== want.size || ![...got].every((id) => want.has(id))) return;
      for (const { overview, revision } of entries) {
        s.overviews.set(overview.id, overview);
        s.revisions.set(overview.id, revision);
      }
      stale.delete(chunk.bucket);
    }),
  );
  for (const bucket of stale) {
    for (const item of await store.readBucketItems(bucket)) {
      try {
        const bytes = await decryptPart(s.keys.vaultKey, itemAad(s.vaultId, item.id, 'overview', item.revision), item.overview);
        s.overviews.set(item.id, parseOverview(item.id, bytesToJson(bytes)));
        s.revisions.set(item.id, item.revision);
      } catch {
        s.revisions.delete(item.id);
        s.unreadable.add(item.id);
      }
    }
  }
  if (stale.size === 0 && orphans.length === 0) return;
  // Not fatal when it fails: the next unlock rebuilds the same buckets again.
  const writes = await indexWrites(s, new Map(), [...stale, ...orphans]);
  await store.putIndex(writes).catch(() => undefined);
}

/** The stored KDF parameters (readable while locked: they are stored in clear by design). */
export async function kdfParams(): Promise<KdfParams> {
  const record = await store.readVault();
  if (!record) throw new VaultError('no_vault');
  return record.kdf;
}

/**
 * Stronger (or back to standard) Argon2id for the master password: verifies the password, then
 * re-wraps the private key under a KEK derived with `kdf` — O(1), like a password change.
 * Below today's defaults is not offered (and would be upgraded again at the next unlock).
 */
export async function setKdf(password: Uint8Array, kdf: KdfParams, derive: DeriveFn): Promise<void> {
  requireSession();
  checkKdfParams(kdf);
  if (weakerThanDefault(kdf)) throw new VaultError('kdf_too_weak');
  const record = await store.readVault();
  if (!record) throw new VaultError('no_vault');
  const { kek } = await openKeys(record, password, derive);
  await rewrapUnder(record, kek, password, derive, kdf);
}

/** Change the master password: verifies the current one, then re-wraps the private key only. */
export async function changePassword(current: Uint8Array, next: Uint8Array, derive: DeriveFn): Promise<void> {
  requireSession();
  if (next.length < MIN_MASTER_PASSWORD_BYTES) throw new VaultError('password_too_short');
  const record = await store.readVault();
  if (!record) throw new VaultError('no_vault');
  const { kek } = await openKeys(record, current, derive);
  // keeps the strength the user chose (never below today's defaults)
  await rewrapUnder(record, kek, next, derive, weakerThanDefault(record.kdf) ? DEFAULT_KDF : record.kdf);
}

export function lock(): void {
  origins.clear();
  session?.overviews.clear();
  session?.revisions.clear();
  session = null;
}

function parseOverview(id: string, raw: unknown): ItemOverview {
  const o = raw as Partial<ItemOverview> | null;
  if (
    !o ||
    typeof o.title !== 'string' ||
    typeof o.url !== 'string' ||
    typeof o.username !== 'string' ||
    !(MATCH_MODES as readonly unknown[]).includes(o.matchMode) ||
    (o.uris !== undefined && !(Array.isArray(o.uris) && o.uris.every(isStoredUri))) ||
    (o.favorite !== undefined && typeof o.favorite !== 'boolean') ||
    (o.folder !== undefined && typeof o.folder !== 'string') ||
    (o.allowInsecureFill !== undefined && typeof o.allowInsecureFill !== 'boolean') ||
    (o.fillOnPageLoad !== undefined && typeof o.fillOnPageLoad !== 'boolean') ||
    typeof o.createdAt !== 'number' ||
    typeof o.updatedAt !== 'number'
  ) {
    throw new TypeError('overview: bad shape');
  }
  return {
    id,
    title: o.title,
    url: o.url,
    username: o.username,
    matchMode: o.matchMode!,
    allowInsecureFill: o.allowInsecureFill ?? false,
    fillOnPageLoad: o.fillOnPageLoad ?? false,
    ...(o.uris && o.uris.length > 0 ? { uris: o.uris.map((u) => ({ url: u.url, match: u.match })) } : {}),
    ...(o.favorite ? { favorite: true } : {}),
    ...(o.folder ? { folder: o.folder } : {}),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

function isStoredUri(u: unknown): u is ItemUri {
  const x = u as Partial<ItemUri> | null;
  return !!x && typeof x.url === 'string' && (MATCH_MODES as readonly unknown[]).includes(x.match);
}

function isCustomField(f: unknown): f is CustomField {
  const x = f as Partial<CustomField> | null;
  return !!x && typeof x.name === 'string' && typeof x.value === 'string' && typeof x.hidden === 'boolean' && x.name.length <= 200 && x.value.length <= MAX_SECRET_FIELD;
}

/** Every URI of an item, the first one (url + matchMode) first; empty ones left out. */
export function urisOf(o: Pick<ItemOverview, 'url' | 'matchMode' | 'uris'>): ItemUri[] {
  return [{ url: o.url, match: o.matchMode }, ...(o.uris ?? [])].filter((u) => u.url !== '');
}

/** Saved URLs parsed once per unlocked session, not once per item on every popup open or fill. */
const origins = originMatcher();

/** How an item matches a frame, and which of its URIs made it match (shown for a wider match). */
function matchOverview(o: ItemOverview, frame: FrameLocation): { kind: MatchKind; uri: ItemUri } | null {
  let wider: { kind: MatchKind; uri: ItemUri } | null = null;
  for (const uri of urisOf(o)) {
    const kind = matchUri(uri.url, uri.match, frame, origins);
    if (kind === 'exact') return { kind, uri };
    if (kind) wider ??= { kind, uri };
  }
  return wider;
}

/**
 * Does a URI of the item name exactly this origin, for the rules that need the exact origin (fill
 * on page load, the plain-http exception)? Only exact, same-site and host URIs count: a regex is
 * not an origin, a never URI never matches, and a starts-with URI limits the path too.
 */
function hasExactOrigin(o: ItemOverview, frameOrigin: string): boolean {
  const frame = parseOrigin(frameOrigin);
  return !!frame && urisOf(o).some((u) => (u.match === 'exact' || u.match === 'site' || u.match === 'host') && parseOrigin(u.url)?.origin === frame.origin);
}

function parseDetails(bytes: Uint8Array): DetailsPlain {
  const d = bytesToJson(bytes) as Partial<DetailsPlain> | null;
  if (!d || typeof d.password !== 'string' || typeof d.notes !== 'string') throw new VaultError('bad_message');
  if (d.password.length > MAX_SECRET_FIELD || d.notes.length > MAX_SECRET_FIELD * 10) throw new VaultError('bad_message');
  const totp = d.totp ?? '';
  if (typeof totp !== 'string' || totp.length > 2048) throw new VaultError('bad_message');
  const history = Array.isArray(d.history) ? d.history : [];
  for (const h of history) {
    if (!h || typeof h.password !== 'string' || typeof h.changedAt !== 'number') throw new VaultError('bad_message');
  }
  const fields = d.fields ?? [];
  if (!Array.isArray(fields) || fields.length > MAX_CUSTOM_FIELDS || !fields.every(isCustomField)) throw new VaultError('bad_message');
  return {
    password: d.password,
    notes: d.notes,
    totp,
    history: history.slice(0, HISTORY_LIMIT),
    ...(fields.length > 0 ? { fields: fields.map((f) => ({ name: f.name, value: f.value, hidden: f.hidden })) } : {}),
  };
}

/**
 * New details from the popup (which never sends history) merged with the stored ones: a changed
 * password moves the old one into the history.
 */
function mergeDetails(next: DetailsPlain, previous: DetailsPlain | null, now: number): DetailsPlain {
  const history = previous?.history ?? [];
  const changed = previous !== null && previous.password !== '' && previous.password !== next.password;
  return {
    password: next.password,
    notes: next.notes,
    totp: next.totp,
    ...(next.fields && next.fields.length > 0 ? { fields: next.fields } : {}),
    history: changed ? [{ password: previous.password, changedAt: now }, ...history].slice(0, HISTORY_LIMIT) : history,
  };
}

/** A URI as stored: a URL made absolute the way an address bar would, or a usable pattern. */
function cleanUri(url: string, match: ItemUri['match']): string | null {
  const trimmed = url.trim();
  if (trimmed === '') return '';
  if (match === 'regex') return isUsablePattern(trimmed) ? trimmed : null;
  return normalizeSavedUrl(trimmed);
}

function cleanOverview(input: OverviewInput): OverviewInput {
  const url = cleanUri(input.url, input.matchMode);
  if (url === null) throw new VaultError('bad_message');
  const uris: ItemUri[] = [];
  for (const u of (input.uris ?? []).slice(0, MAX_EXTRA_URIS)) {
    const cleaned = cleanUri(u.url, u.match);
    if (cleaned === null) throw new VaultError('bad_message');
    if (cleaned !== '') uris.push({ url: cleaned, match: u.match });
  }
  const host = input.matchMode === 'regex' ? undefined : parseOrigin(url)?.host;
  return {
    title: input.title.trim() || (host ?? 'Untitled'),
    url,
    username: input.username,
    matchMode: input.matchMode,
    allowInsecureFill: input.allowInsecureFill,
    // Absent (an editor without the option) → not in the result, so an update keeps the stored value.
    ...(input.fillOnPageLoad === undefined ? {} : { fillOnPageLoad: input.fillOnPageLoad }),
    ...(input.uris === undefined ? {} : { uris }),
    ...(input.favorite === undefined ? {} : { favorite: input.favorite }),
    ...(input.folder === undefined ? {} : { folder: input.folder.trim() }),
  };
}

/** Optional overview fields that an update may have cleared: stored only when they say something. */
function tidy(o: ItemOverview): ItemOverview {
  const { uris, favorite, folder, ...rest } = o;
  return { ...rest, ...(uris && uris.length > 0 ? { uris } : {}), ...(favorite ? { favorite } : {}), ...(folder ? { folder } : {}) };
}

async function writeItem(s: Unlocked, id: string, revision: number, overview: ItemOverview, details: Uint8Array) {
  const { id: _omit, ...stored } = overview;
  const overviewBytes = jsonToBytes(stored);
  const record: store.ItemRecord = {
    id,
    revision,
    overview: await encryptPart(s.keys.vaultKey, itemAad(s.vaultId, id, 'overview', revision), overviewBytes),
    details: await encryptPart(s.keys.vaultKey, itemAad(s.vaultId, id, 'details', revision), details),
  };
  return record;
}

/** `detailsBytes` is the opened envelope (JSON {password, notes}); this function wipes it. */
export async function addItem(input: OverviewInput, detailsBytes: Uint8Array): Promise<string> {
  const s = requireSession();
  let stored: Uint8Array | undefined;
  try {
    stored = jsonToBytes(mergeDetails(parseDetails(detailsBytes), null, Date.now()));
    const id = newId();
    const now = Date.now();
    const overview: ItemOverview = tidy({ id, ...cleanOverview(input), createdAt: now, updatedAt: now });
    const record = await writeItem(s, id, 1, overview, stored);
    await store.addItem(record, await indexWrites(s, new Map([[id, { overview, revision: 1 }]])));
    s.overviews.set(id, overview);
    s.revisions.set(id, 1);
    return id;
  } finally {
    wipe(detailsBytes, stored);
  }
}

/**
 * The item record is authoritative. When it is at another revision than the session knows (the
 * index and the items are written together, so an older copy of an index chunk was put back),
 * the record's own overview is opened at the record's revision and adopted — in the session and
 * in its chunk — so the newer item is neither lost nor stuck as damaged. item_corrupt if the
 * record's overview does not open.
 */
async function adoptRecord(s: Unlocked, record: store.ItemRecord): Promise<ItemOverview> {
  let bytes: Uint8Array | undefined;
  let overview: ItemOverview;
  try {
    bytes = await decryptPart(s.keys.vaultKey, itemAad(s.vaultId, record.id, 'overview', record.revision), record.overview);
    overview = parseOverview(record.id, bytesToJson(bytes));
  } catch {
    throw new VaultError('item_corrupt');
  } finally {
    wipe(bytes);
  }
  s.overviews.set(record.id, overview);
  s.revisions.set(record.id, record.revision);
  // Not fatal when it fails: the session already has it; the next unlock's check may rebuild it.
  await store.putIndex(await indexWrites(s, new Map(), [store.bucketOf(record.id)])).catch(() => undefined);
  return overview;
}

/**
 * An item's details, at the revision of its record (a newer record than the session knew is
 * adopted first, and must still pass `check` — the caller's reason to open it, such as matching
 * the frame). A ciphertext that does not open: the item is damaged, said as such, left as it is.
 * Callers read the overview again afterwards.
 */
async function decryptDetails(s: Unlocked, id: string, check?: (o: ItemOverview) => boolean): Promise<Uint8Array> {
  const record = await store.readItem(id);
  if (!record || !s.overviews.has(id)) throw new VaultError('not_found');
  if (record.revision !== s.revisions.get(id)) {
    const adopted = await adoptRecord(s, record);
    if (check && !check(adopted)) throw new VaultError('no_match');
  }
  try {
    return await decryptPart(s.keys.vaultKey, itemAad(s.vaultId, id, 'details', record.revision), record.details);
  } catch {
    throw new VaultError('item_corrupt');
  }
}

/** Update overview and (when given) details; wipes `detailsBytes`. */
export async function updateItem(id: string, input: OverviewInput, detailsBytes: Uint8Array | null): Promise<void> {
  const s = requireSession();
  if (!s.overviews.has(id)) throw new VaultError('not_found');
  let previous: Uint8Array | undefined;
  let details: Uint8Array | undefined;
  try {
    previous = await decryptDetails(s, id);
    // read after: decryptDetails may have adopted a newer record
    const before = s.overviews.get(id);
    const revision = s.revisions.get(id);
    if (!before || revision === undefined) throw new VaultError('not_found');
    // Without new details the stored ones are re-encrypted under the new revision's AAD.
    details = detailsBytes
      ? jsonToBytes(mergeDetails(parseDetails(detailsBytes), parseDetails(previous), Date.now()))
      : previous.slice();
    const overview: ItemOverview = tidy({ ...before, ...cleanOverview(input), id, updatedAt: Date.now() });
    const record = await writeItem(s, id, revision + 1, overview, details);
    const index = await indexWrites(s, new Map([[id, { overview, revision: revision + 1 }]]));
    if (!(await store.replaceItem(record, revision, index))) throw new VaultError('storage_failed');
    s.overviews.set(id, overview);
    s.revisions.set(id, revision + 1);
  } finally {
    wipe(detailsBytes, previous, details);
  }
}

export async function deleteItem(id: string): Promise<void> {
  const s = requireSession();
  if (!s.overviews.has(id)) throw new VaultError('not_found');
  await store.deleteItem(id, await indexWrites(s, new Map([[id, null]])));
  s.overviews.delete(id);
  s.revisions.delete(id);
}

export function listItems(): { items: ItemOverview[]; unreadable: number; publicKeyRestored: boolean } {
  const s = requireSession();
  return {
    // favourites first, then by title
    items: [...s.overviews.values()].sort((a, b) => Number(b.favorite === true) - Number(a.favorite === true) || a.title.localeCompare(b.title)),
    unreadable: s.unreadable.size,
    publicKeyRestored: s.publicKeyRestored,
  };
}

/** listItems without the sort (the popup's pages order the items themselves: list-pages.ts). */
export function listUnsorted(): { items: ItemOverview[]; unreadable: number; publicKeyRestored: boolean } {
  const s = requireSession();
  return { items: [...s.overviews.values()], unreadable: s.unreadable.size, publicKeyRestored: s.publicKeyRestored };
}

/** Details as JSON bytes for sealing to the popup (or a one-time code); caller wipes. */
export async function detailsBytes(id: string, check?: (o: ItemOverview) => boolean): Promise<Uint8Array> {
  return decryptDetails(requireSession(), id, check);
}

/** Does this overview match the frame by any of its URIs (for a check after adopting a newer record)? */
export function overviewMatches(o: ItemOverview, frame: FrameLocation): boolean {
  return matchOverview(o, frame) !== null;
}

export function matchCandidates(frame: FrameLocation): FillCandidate[] {
  const s = requireSession();
  const out: FillCandidate[] = [];
  for (const o of s.overviews.values()) {
    const m = matchOverview(o, frame);
    if (!m) continue;
    // what a wider match shows: the origin it was saved for, or the pattern that matched
    const savedOrigin = m.uri.match === 'regex' ? m.uri.url : (origins.parse(m.uri.url)?.origin ?? '');
    out.push({ id: o.id, title: o.title, username: o.username, savedOrigin, match: m.kind });
  }
  return out.sort((a, b) => (a.match === b.match ? a.title.localeCompare(b.title) : a.match === 'exact' ? -1 : 1));
}

/** How one item matches a frame's origin (null: not at all, or no such item): the fill path's check, without a scan. */
export function matchItem(itemId: string, frame: FrameLocation): MatchKind | null {
  const o = requireSession().overviews.get(itemId);
  return o ? (matchOverview(o, frame)?.kind ?? null) : null;
}

/**
 * The documented exception (SECURITY.md): a frame that is not a secure context has no WebCrypto,
 * so nothing can be sealed to it. Only an item the user opted in, saved for an http: origin that
 * matches the frame exactly, is given out — and it crosses the worker in plaintext.
 */
export async function plainFill(itemId: string, frameOrigin: string): Promise<{ username: string; password: string }> {
  const s = requireSession();
  const o = s.overviews.get(itemId);
  if (!o) throw new VaultError('not_found');
  if (!o.allowInsecureFill) throw new VaultError('insecure_context');
  if (!hasExactOrigin(o, frameOrigin) || parseOrigin(frameOrigin)?.scheme !== 'http:') {
    throw new VaultError('no_match');
  }
  const details = await decryptDetails(s, itemId, (x) => x.allowInsecureFill && hasExactOrigin(x, frameOrigin));
  try {
    return { username: s.overviews.get(itemId)!.username, password: parseDetails(details).password };
  } finally {
    wipe(details);
  }
}

/**
 * What a fill sends to the content script, as JSON bytes {username, password}; caller wipes.
 * The origin is matched again here, in the realm that owns the items, whatever the worker decided.
 */
export async function fillBytes(itemId: string, frame: FrameLocation): Promise<Uint8Array> {
  const s = requireSession();
  const o = s.overviews.get(itemId);
  if (!o) throw new VaultError('not_found');
  if (!matchOverview(o, frame)) throw new VaultError('no_match');
  const details = await decryptDetails(s, itemId, (x) => overviewMatches(x, frame));
  try {
    const { password } = parseDetails(details);
    return jsonToBytes({ username: s.overviews.get(itemId)!.username, password });
  } finally {
    wipe(details);
  }
}

interface InboxPlain {
  origin: string;
  username: string;
  password: string;
  createdAt: number;
  /** the user clicked Save/Update in the save bar (every entry since the bar exists) */
  confirmed?: boolean;
}

/**
 * A login the user submitted on `origin` (the browser-reported origin of the frame). Queued in the
 * inbox, encrypted to the vault public key — no master password needed, none of it readable without
 * one — and merged at once when the vault is unlocked, else on the next unlock. Wipes `offer`.
 */
export async function queueOffer(origin: string, offer: Uint8Array): Promise<boolean> {
  try {
    const record = await store.readVault();
    const parsed = parseOrigin(origin);
    if (!record || !parsed) return false;
    const o = bytesToJson(offer) as { username?: unknown; password?: unknown } | null;
    if (!o || typeof o.username !== 'string' || typeof o.password !== 'string') throw new VaultError('bad_message');
    if (o.password === '' || o.password.length > MAX_SECRET_FIELD || o.username.length > 500) throw new VaultError('bad_message');
    const entry: InboxPlain = { origin: parsed.origin, username: o.username, password: o.password, createdAt: Date.now(), confirmed: true };
    const id = newId();
    const plain = jsonToBytes(entry);
    try {
      const sealed = await encryptToPublicKey(record.publicKeySpki, inboxAad(record.vaultId, id), plain);
      if (!(await store.addInbox({ id, ...sealed, createdAt: entry.createdAt }))) return false;
    } finally {
      wipe(plain);
    }
    if (session) await mergeInbox(session);
    return true;
  } finally {
    wipe(offer);
  }
}

/**
 * Merge inbox entries into the vault in one transaction. Since the save bar, an entry exists only
 * because the user clicked Save or Update in it (`confirmed`): for an origin and username already
 * saved with another password, that item's password is updated (the old one goes to its history,
 * one transaction per updated item, before the inbox entry is consumed — a crash in between only
 * re-applies the same password); with the same password the entry is dropped. Older entries
 * without `confirmed` keep the old rule: dropped when the origin and username are known. An entry
 * that cannot be decrypted stays in the inbox untouched.
 */
async function mergeInbox(s: Unlocked): Promise<void> {
  const entries = await store.readInbox();
  if (entries.length === 0) return;
  const records: store.ItemRecord[] = [];
  const added: ItemOverview[] = [];
  const consumed: string[] = [];
  for (const entry of entries) {
    let plain: Uint8Array | undefined;
    try {
      plain = await decryptWithPrivateKey(s.keys.privateKey, inboxAad(s.vaultId, entry.id), entry);
      const e = bytesToJson(plain) as InboxPlain;
      const known = [...s.overviews.values(), ...added].filter(
        (o) => parseOrigin(o.url)?.origin === e.origin && o.username === e.username,
      );
      if (known.length > 0) {
        const target = known[0];
        if (e.confirmed === true && target && s.overviews.has(target.id)) await applyConfirmedUpdate(s, target, e.password);
        consumed.push(entry.id);
        continue;
      }
      consumed.push(entry.id);
      const id = newId();
      const overview: ItemOverview = {
        id,
        title: parseOrigin(e.origin)?.host ?? e.origin,
        url: `${e.origin}/`,
        username: e.username,
        matchMode: 'exact',
        allowInsecureFill: false,
        createdAt: e.createdAt,
        updatedAt: e.createdAt,
      };
      const details = jsonToBytes({ password: e.password, notes: '', totp: '', history: [] } satisfies DetailsPlain);
      try {
        records.push(await writeItem(s, id, 1, overview, details));
      } finally {
        wipe(details);
      }
      added.push(overview);
    } catch {
      // unreadable entry: left in the inbox as it is
    } finally {
      wipe(plain);
    }
  }
  if (consumed.length === 0) return;
  const pending: PendingItems = new Map(added.map((o) => [o.id, { overview: o, revision: 1 }]));
  await store.mergeInbox(records, consumed, await indexWrites(s, pending));
  for (const o of added) {
    s.overviews.set(o.id, o);
    s.revisions.set(o.id, 1);
  }
}

/**
 * Weak (zxcvbn score ≤ 2), reused (same password) and URI-less items. Computed here, in the only
 * realm that may see passwords; only ids and scores leave. Reuse is found by SHA-256 of the
 * password, kept in this function only.
 */
export async function healthReport(): Promise<HealthReport> {
  const s = requireSession();
  const weak: HealthReport['weak'] = [];
  const noUri: string[] = [];
  const byPassword = new Map<string, string[]>();
  for (const record of await store.readAllItems()) {
    if (!s.overviews.has(record.id)) continue; // unreadable items are reported elsewhere
    // the record's overview, never another revision's next to these details
    const o = record.revision === s.revisions.get(record.id) ? s.overviews.get(record.id)! : await adoptRecord(s, record).catch(() => null);
    if (!o) continue;
    if (urisOf(o).length === 0) noUri.push(o.id);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await decryptPart(s.keys.vaultKey, itemAad(s.vaultId, o.id, 'details', record.revision), record.details).catch(() => undefined);
      if (!bytes) continue; // a damaged item: fill, reveal and edit say so; the report covers the rest
      const { password } = parseDetails(bytes);
      if (password === '') continue;
      const { score } = await measureStrength(password, [o.username, o.title]);
      if (score <= 2) weak.push({ id: o.id, score });
      const digest = toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(password))));
      byPassword.set(digest, [...(byPassword.get(digest) ?? []), o.id]);
    } finally {
      wipe(bytes);
    }
  }
  const reused = [...byPassword.values()].filter((ids) => ids.length > 1);
  return { checked: s.overviews.size, weak, reused, noUri };
}

/** One field of an item as a string, for the clipboard; the caller hands it straight on. */
export async function fieldForCopy(itemId: string, field: 'username' | 'password'): Promise<string> {
  const s = requireSession();
  const o = s.overviews.get(itemId);
  if (!o) throw new VaultError('not_found');
  if (field === 'username') return o.username;
  const details = await decryptDetails(s, itemId);
  try {
    return parseDetails(details).password;
  } finally {
    wipe(details);
  }
}

export interface TransferItem {
  title: string;
  url: string;
  username: string;
  password: string;
  notes: string;
  totp: string;
  matchMode: ItemUri['match'];
  uris?: ItemUri[];
  favorite?: boolean;
  folder?: string;
  fields?: CustomField[];
  createdAt: number;
  updatedAt: number;
}

/** An item's optional parts, present only when they say something (so round trips compare equal). */
export function itemExtras(i: { uris?: ItemUri[] | undefined; favorite?: boolean | undefined; folder?: string | undefined; fields?: CustomField[] | undefined }) {
  return {
    ...(i.uris && i.uris.length > 0 ? { uris: i.uris } : {}),
    ...(i.favorite ? { favorite: true } : {}),
    ...(i.folder ? { folder: i.folder } : {}),
    ...(i.fields && i.fields.length > 0 ? { fields: i.fields } : {}),
  };
}

/** Every item with its secrets, for an export the user asked for (encrypted or CSV). */
export async function itemsForExport(): Promise<TransferItem[]> {
  const s = requireSession();
  const out: TransferItem[] = [];
  for (const record of await store.readAllItems()) {
    if (!s.overviews.has(record.id)) continue;
    // the record's overview, never another revision's next to these details (adoptRecord)
    const o = record.revision === s.revisions.get(record.id) ? s.overviews.get(record.id)! : await adoptRecord(s, record);
    // A damaged item fails the whole export with a clear error rather than leaving it out silently.
    const bytes = await decryptPart(s.keys.vaultKey, itemAad(s.vaultId, o.id, 'details', record.revision), record.details).catch(() => {
      throw new VaultError('item_corrupt');
    });
    try {
      const d = parseDetails(bytes);
      out.push({
        title: o.title,
        url: o.url,
        username: o.username,
        password: d.password,
        notes: d.notes,
        totp: d.totp,
        matchMode: o.matchMode,
        ...itemExtras({ ...o, fields: d.fields }),
        createdAt: o.createdAt,
        updatedAt: o.updatedAt,
      });
    } finally {
      wipe(bytes);
    }
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

/** The (origin, username, password) of every item, to drop duplicates from an import. */
export async function existingCredentials(): Promise<{ url: string; username: string; password: string }[]> {
  return (await itemsForExport()).map(({ url, username, password }) => ({ url, username, password }));
}

/**
 * Add imported items in one IndexedDB transaction: all land or none (a failed write leaves the
 * vault as it was). Fields are clipped to the vault's limits rather than refused.
 */
export async function importItems(
  items: readonly (Omit<TransferItem, 'createdAt' | 'updatedAt'> & { createdAt?: number })[],
): Promise<number> {
  const s = requireSession();
  const now = Date.now();
  const records: store.ItemRecord[] = [];
  const overviews: ItemOverview[] = [];
  for (const item of items) {
    const id = newId();
    const url = cleanUri(item.url, item.matchMode) ?? '';
    const uris = (item.uris ?? [])
      .slice(0, MAX_EXTRA_URIS)
      .map((u) => ({ url: cleanUri(u.url, u.match) ?? '', match: u.match }))
      .filter((u) => u.url !== '');
    const overview: ItemOverview = tidy({
      id,
      title: (item.title.trim() || (item.matchMode === 'regex' ? '' : parseOrigin(url)?.host) || 'Untitled').slice(0, 200),
      url,
      username: item.username.slice(0, 500),
      matchMode: item.matchMode,
      allowInsecureFill: false,
      uris,
      favorite: item.favorite === true,
      folder: (item.folder ?? '').trim().slice(0, 200),
      createdAt: item.createdAt ?? now,
      updatedAt: now,
    });
    const fields = (item.fields ?? []).slice(0, MAX_CUSTOM_FIELDS).map((f) => ({ name: f.name.slice(0, 200), value: f.value.slice(0, MAX_SECRET_FIELD), hidden: f.hidden }));
    const details = jsonToBytes({ password: item.password, notes: item.notes, totp: item.totp, history: [], fields } satisfies DetailsPlain);
    try {
      records.push(await writeItem(s, id, 1, overview, details));
    } finally {
      wipe(details);
    }
    overviews.push(overview);
  }
  const pending: PendingItems = new Map(overviews.map((o) => [o.id, { overview: o, revision: 1 }]));
  await store.addItems(records, await indexWrites(s, pending));
  for (const o of overviews) {
    s.overviews.set(o.id, o);
    s.revisions.set(o.id, 1);
  }
  return records.length;
}

/** Check the master password again (before a plain-text export) without touching the session. */
export async function verifyMasterPassword(password: Uint8Array, derive: DeriveFn): Promise<void> {
  requireSession();
  const record = await store.readVault();
  if (!record) throw new VaultError('no_vault');
  await openKeys(record, password, derive);
}

// ── save and update prompts (src/content/save-bar.ts) ───────────────────────────────────────────

/**
 * What the save bar may say of a submitted login (opened here, never in the worker): a new login,
 * an update of a saved one whose password differs, one already saved as it is ("known": no bar),
 * or "locked" (nothing of the vault can be looked at: the bar offers Save, merged at unlock).
 * Only the verdict and a masked username leave; wipes `offer`.
 */
export async function offerStatus(origin: string, offer: Uint8Array): Promise<{ status: 'new' | 'update' | 'known' | 'locked'; maskedUsername: string; kind: 'login' | 'signup' }> {
  try {
    const o = bytesToJson(offer) as { username?: unknown; password?: unknown; kind?: unknown } | null;
    if (!o || typeof o.username !== 'string' || typeof o.password !== 'string' || o.password === '') throw new VaultError('bad_message');
    const kind = o.kind === 'signup' ? 'signup' : 'login';
    const maskedUsername = maskUsername(o.username);
    const parsed = parseOrigin(origin);
    if (!parsed) throw new VaultError('bad_message');
    if (!session) return { status: 'locked', maskedUsername, kind };
    const s = session;
    const same = [...s.overviews.values()].filter((x) => parseOrigin(x.url)?.origin === parsed.origin && x.username === o.username);
    const first = same[0];
    if (!first) return { status: 'new', maskedUsername, kind };
    const details = await decryptDetails(s, first.id);
    try {
      return { status: parseDetails(details).password === o.password ? 'known' : 'update', maskedUsername, kind };
    } finally {
      wipe(details);
    }
  } finally {
    wipe(offer);
  }
}

/** A confirmed Update from the inbox: the new password, the old one into the item's history. */
async function applyConfirmedUpdate(s: Unlocked, target: ItemOverview, password: string): Promise<void> {
  const bytes = await decryptDetails(s, target.id);
  let previous: DetailsPlain;
  try {
    previous = parseDetails(bytes);
  } finally {
    wipe(bytes);
  }
  if (previous.password === password) return;
  const { id: _id, createdAt: _c, updatedAt: _u, ...input } = target;
  await updateItem(target.id, input, jsonToBytes({ password, notes: previous.notes, totp: previous.totp, fields: previous.fields ?? [] }));
}

/**
 * The one item that opted in to "fill on page load" for exactly this origin, or null (none, or
 * several: the user picks then). Asked on every login page load, so it answers with an id only,
 * not a list of overviews.
 */
export function fillOnLoadItem(frameOrigin: string): string | null {
  const s = requireSession();
  let found: string | null = null;
  for (const o of s.overviews.values()) {
    if (o.fillOnPageLoad !== true || !hasExactOrigin(o, frameOrigin)) continue;
    if (found !== null) return null;
    found = o.id;
  }
  return found;
}
