/**
 * The message contract: every message type, who may send it, where it goes, its payload schema
 * (runtime, valibot) and its response type — side by side so they cannot drift.
 *
 * `chrome.runtime.sendMessage` reaches every extension context, so each message names its target
 * and each listener ignores what is not addressed to it. Receivers classify the sender first
 * (src/background/sender-policy.ts, src/offscreen/offscreen-sender.ts), then call parseMessage,
 * which rejects unknown types, wrong targets, senders not in the table and any payload that does
 * not match the schema exactly (unknown keys included).
 */
import * as v from 'valibot';
import type { Envelope } from './seal';
import { MATCH_MODES } from './match-modes';
import { KDF_LEVEL_NAMES, type KdfLevel } from './kdf-levels';
import { isErrorCode, type Result } from './result';

export const PROTOCOL_VERSION = 1;

export type Target = 'worker' | 'offscreen' | 'content';
export type SenderKind = 'popup' | 'content' | 'worker' | 'offscreen';

const b64u = (max: number) => v.pipe(v.string(), v.maxLength(max), v.regex(/^[A-Za-z0-9_-]+$/));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
const tabId = v.pipe(v.number(), v.integer(), v.minValue(0));

export const EnvelopeSchema = v.strictObject({ epk: b64u(100), iv: b64u(20), ct: b64u(200_000) });
/** An import file travels sealed too; up to 32 MiB of file is about 43 M base64 characters. */
const FileEnvelopeSchema = v.strictObject({ epk: b64u(100), iv: b64u(20), ct: b64u(45_000_000) });
const PublicKey = b64u(100);

export const MatchModeSchema = v.picklist(MATCH_MODES);
/** The match modes a new item may start with (Settings): the two that need no extra input. */
export const DefaultMatchModeSchema = v.picklist(['exact', 'site']);
/** Further URIs of an item beyond its first (url + matchMode); a `regex` URI holds a pattern. */
export const MAX_EXTRA_URIS = 20;
export const UriSchema = v.strictObject({ url: text(2048), match: MatchModeSchema });
export type ItemUri = v.InferOutput<typeof UriSchema>;

/** What the user edits and what may be listed: never a password, note or other secret. */
export const OverviewInputSchema = v.strictObject({
  title: text(200),
  url: text(2048),
  username: text(500),
  matchMode: MatchModeSchema,
  /**
   * Opt-in per item: may this item be filled into a page that is not a secure context (plain
   * http on a non-local host)? There the content script has no WebCrypto, so the credential cannot
   * be sealed and crosses the worker in plaintext. Off by default; see SECURITY.md.
   */
  allowInsecureFill: v.boolean(),
  /**
   * Opt-in per item: fill this item when a page of its *exact* origin loads, into visible fields
   * of the top frame only (THREATS.md §A). Off by default; optional so editors that predate it
   * keep the stored choice (an update without it leaves it as it was).
   */
  fillOnPageLoad: v.optional(v.boolean()),
  /** more URIs, each with its own match mode (the first URI is `url` + `matchMode`) */
  uris: v.optional(v.pipe(v.array(UriSchema), v.maxLength(MAX_EXTRA_URIS))),
  favorite: v.optional(v.boolean()),
  /** one folder name ("" for none); "/" may nest, e.g. "Work/Email" */
  folder: v.optional(text(200)),
});
export type OverviewInput = v.InferOutput<typeof OverviewInputSchema>;

export interface ItemOverview extends OverviewInput {
  id: string;
  createdAt: number;
  updatedAt: number;
}

/** Secret part of an item; only ever crosses the worker sealed (see seal.ts). */
export interface ItemDetails {
  password: string;
  notes: string;
  /** TOTP secret (base32) or otpauth:// URI; '' when none */
  totp: string;
  /** earlier passwords, newest first (read-only: the vault keeps it) */
  history?: { password: string; changedAt: number }[];
  /** custom fields; all are stored with the secrets, `hidden` ones are masked in the editor */
  fields?: CustomField[];
}

export interface CustomField {
  name: string;
  value: string;
  hidden: boolean;
}
export const MAX_CUSTOM_FIELDS = 50;

export interface ItemList {
  items: ItemOverview[];
  /** items whose ciphertext would not open: kept in storage, not listed */
  unreadable: number;
  /** the vault's clear public key had been replaced in storage and was put back at unlock */
  publicKeyRestored: boolean;
}

/** One page of the popup's list: a slice of one sorted snapshot, named so the rest can be asked for. */
export interface ItemPage extends ItemList {
  snapshot: string;
  /** how many items the snapshot holds in all */
  total: number;
}

/** First page: no snapshot, offset 0 (a new snapshot is taken); later pages name the snapshot. */
const ListPageSchema = v.strictObject({
  snapshot: v.optional(id),
  offset: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000)),
  limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)),
});

/** The health view: ids and scores only — no password leaves the offscreen document for it. */
export interface HealthReport {
  checked: number;
  /** zxcvbn score ≤ 2 */
  weak: { id: string; score: number }[];
  /** groups of item ids sharing one password */
  reused: string[][];
  noUri: string[];
}

/** What the popup may see of a parsed import file: counts, problems by row, titles and hosts — no secret. */
export interface ImportPreview {
  format: string;
  formatLabel: string;
  itemCount: number;
  skipped: number;
  problemCount: number;
  problems: { row: number; code: string; reason: string; kept: boolean }[];
  samples: { title: string; host: string }[];
  ignoredColumns: string[];
}

export type ImportPreviewResult =
  | { status: 'ready'; importId: string; duplicates: number; preview: ImportPreview }
  | { status: 'needs_password' }
  | { status: 'refused'; message: string };

export interface ImportOutcome {
  added: number;
}

/** The vault's Argon2id parameters, and which Settings level they are (null: none of them). */
export interface KdfInfo {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  level: KdfLevel | null;
}

export interface FillCandidate {
  id: string;
  title: string;
  username: string;
  /** the origin the item was saved for: shown when the match is same-site rather than exact */
  savedOrigin: string;
  match: 'exact' | 'site';
}

/** What the save bar shows: no secret, a masked username, an opaque id. */
export interface SavePromptView {
  offerId: string;
  action: 'save' | 'update';
  /** the vault is locked: a Save goes to the inbox and is merged at the next unlock */
  locked: boolean;
  host: string;
  maskedUsername: string;
}

/** The inline menu: titles, masked usernames and per-menu tokens (not item ids); nothing else. */
export interface MenuList {
  locked: boolean;
  items: { token: string; title: string; maskedUsername: string; /** set for a same-site (not exact) match */ savedHost?: string }[];
}

/** The offscreen document's verdict on an offer (the username masked; the password never leaves). */
export interface OfferStatus {
  status: 'new' | 'update' | 'known' | 'locked';
  maskedUsername: string;
  kind: 'login' | 'signup';
}

const empty = v.strictObject({});

/** What the popup may copy from the vault; 'totp' is the current one-time code, computed in the offscreen document. */
export const COPY_FIELDS = ['username', 'password', 'totp'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

/** Auto-lock choices offered to the user, in minutes; 0 means never. */
export const AUTO_LOCK_CHOICES = [1, 5, 15, 60, 240, 0] as const;
/** Seconds after which a copied secret is cleared from the clipboard; 0 means never. */
export const CLIPBOARD_CLEAR_CHOICES = [10, 20, 30, 60, 120, 0] as const;
/** Popup colour theme: follow the system (prefers-color-scheme) or force one. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export const SettingsSchema = v.strictObject({
  autoLockMinutes: v.picklist(AUTO_LOCK_CHOICES),
  lockOnSystemLock: v.boolean(),
  clipboardClearSeconds: v.picklist(CLIPBOARD_CLEAR_CHOICES),
  // Added later: optional with a default, so settings stored before they existed still parse
  // (a strict parse failure would reset every setting to the defaults).
  theme: v.optional(v.picklist(THEME_CHOICES), 'system'),
  /** match mode the editor starts new items with */
  defaultMatchMode: v.optional(DefaultMatchModeSchema, 'exact'),
  /** fill a page's login as it loads, without a click (stored only; off by default) */
  fillOnPageLoad: v.optional(v.boolean(), false),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 15,
  lockOnSystemLock: true,
  clipboardClearSeconds: 30,
  theme: 'system',
  defaultMatchMode: 'exact',
  fillOnPageLoad: false,
};

/** `def<Response>()(target, senders, payloadSchema)`: curried so the schema type is inferred. */
const def =
  <R>() =>
  <P extends v.GenericSchema>(target: Target, senders: readonly SenderKind[], payload: P) => ({
    target,
    senders,
    payload,
    response: undefined as unknown as R,
  });

/**
 * One row per message type. `senders` is the policy: a sender kind not listed is refused
 * (fail closed). The popup is the only UI that may unlock, list or edit; a content script may
 * only announce its frame and fetch the fill it was asked to perform.
 */
export const CONTRACT = {
  // popup → worker
  'vault.status': def<{ hasVault: boolean; unlocked: boolean }>()('worker', ['popup'], empty),
  'vault.transportKey': def<{ publicKey: string }>()('worker', ['popup'], empty),
  'vault.create': def<null>()('worker', ['popup'], v.strictObject({ sealed: EnvelopeSchema })),
  'vault.unlock': def<null>()('worker', ['popup'], v.strictObject({ sealed: EnvelopeSchema })),
  'vault.lock': def<null>()('worker', ['popup'], empty),
  'items.list': def<ItemList>()('worker', ['popup'], empty),
  /** The popup's list, a page at a time (see src/offscreen/list-pages.ts). */
  'items.page': def<ItemPage>()('worker', ['popup'], ListPageSchema),
  'items.add': def<{ id: string }>()(
    'worker',
    ['popup'],
    v.strictObject({ overview: OverviewInputSchema, sealedDetails: EnvelopeSchema }),
  ),
  'items.update': def<null>()(
    'worker',
    ['popup'],
    v.strictObject({ id, overview: OverviewInputSchema, sealedDetails: v.optional(EnvelopeSchema) }),
  ),
  'items.delete': def<null>()('worker', ['popup'], v.strictObject({ id })),
  'items.details': def<{ sealed: Envelope }>()(
    'worker',
    ['popup'],
    v.strictObject({ id, replyKey: PublicKey }),
  ),
  /** `codeField`: a frame of the top frame's origin shows a one-time-code field (the popup offers Fill code). */
  'fill.candidates': def<{ origin: string | null; items: FillCandidate[]; codeField: boolean }>()(
    'worker',
    ['popup'],
    v.strictObject({ tabId }),
  ),
  'fill.item': def<{ filled: number }>()('worker', ['popup'], v.strictObject({ tabId, itemId: id })),

  'vault.changePassword': def<null>()('worker', ['popup'], v.strictObject({ sealed: EnvelopeSchema })),
  /** the stored Argon2id parameters (not secret; readable while locked) */
  'vault.kdf': def<KdfInfo>()('worker', ['popup'], empty),
  /** time one Argon2id run of `level` on this computer (random input; nothing of the vault) */
  'vault.kdfTime': def<{ ms: number }>()('worker', ['popup'], v.strictObject({ level: v.picklist(KDF_LEVEL_NAMES) })),
  /** re-wrap the private key under `level`'s parameters; the sealed master password proves the user */
  'vault.setKdf': def<null>()('worker', ['popup'], v.strictObject({ sealed: EnvelopeSchema, level: v.picklist(KDF_LEVEL_NAMES) })),
  'settings.get': def<Settings>()('worker', ['popup'], empty),
  'settings.set': def<Settings>()('worker', ['popup'], SettingsSchema),
  'items.health': def<HealthReport>()('worker', ['popup'], empty),
  /** Import: the file sealed to the vault; only a preview without secrets comes back. */
  'import.preview': def<ImportPreviewResult>()(
    'worker',
    ['popup'],
    v.strictObject({ sealed: FileEnvelopeSchema, sealedPassword: v.optional(EnvelopeSchema) }),
  ),
  'import.commit': def<ImportOutcome>()('worker', ['popup'], v.strictObject({ importId: id })),
  /** Export: the file comes back sealed to the popup's one-time key. */
  'export.encrypted': def<{ sealed: Envelope }>()(
    'worker',
    ['popup'],
    v.strictObject({ sealed: EnvelopeSchema, replyKey: PublicKey }),
  ),
  'export.csv': def<{ sealed: Envelope }>()('worker', ['popup'], v.strictObject({ sealed: EnvelopeSchema, replyKey: PublicKey })),
  /** Copy a field straight from the vault to the clipboard (cleared after the chosen delay). */
  'clipboard.copy': def<{ copied: boolean }>()(
    'worker',
    ['popup'],
    v.strictObject({ itemId: id, field: v.picklist(COPY_FIELDS) }),
  ),
  /** Size of the worker's table of in-flight secret-carrying requests: 0 at idle (a test reads it). */
  'debug.pendingRequests': def<{ count: number }>()('worker', ['popup'], empty),

  // content script → worker
  'frame.ready': def<null>()(
    'worker',
    ['content'],
    v.strictObject({
      loginFields: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)),
      /** one-time-code fields (a single field or one split group) visible in the frame */
      codeFields: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
    }),
  ),
  /** Only for items with allowInsecureFill, from frames without WebCrypto: the documented plaintext exception. */
  'fill.fetchPlain': def<{ username: string; password: string }>()(
    'worker',
    ['content'],
    v.strictObject({ requestId: id }),
  ),
  'fill.fetch': def<{ sealed: Envelope }>()(
    'worker',
    ['content'],
    v.strictObject({ requestId: id, replyKey: PublicKey }),
  ),

  /** The offscreen document's transport public key, so a content script can seal a save offer to it. */
  'save.transportKey': def<{ publicKey: string }>()('worker', ['content'], empty),
  /** A login the user just submitted, sealed to the transport key; the worker adds the frame's origin. */
  'save.offer': def<null>()('worker', ['content'], v.strictObject({ sealed: EnvelopeSchema })),

  // worker → content script (chrome.tabs.sendMessage to one frame and document)
  'content.fill': def<{ filled: number }>()('content', ['worker'], v.strictObject({ requestId: id })),

  // ── autofill triggers and username-first steps (src/content, src/background/fill-triggers.ts) ──
  /** worker → content: announce this frame now (the top frame's origin, for a fill in a child frame). */
  'content.probe': def<null>()('content', ['worker'], empty),
  /** content → worker: the username the user committed in a username-first step (kept per tab and origin, minutes). */
  'step.remember': def<null>()('worker', ['content'], v.strictObject({ username: text(500) })),
  /** content → worker: that username back, only to the same tab and origin (from `sender`). */
  'step.recall': def<{ username: string | null }>()('worker', ['content'], empty),
  // ── end autofill rows ──

  // ── save and update prompts (src/content/save-offer.ts, save-bar.ts; src/background/fill-triggers.ts) ──
  /** worker → content (top frame): a login was submitted in this tab; ask whether to show the bar here. */
  'content.savePrompt': def<null>()('content', ['worker'], empty),
  /**
   * content → worker: is there a submitted login to offer in this document? `loginForm` says the
   * document shows a login form again (a rejected login). Only what the bar shows comes back.
   */
  'save.pending': def<{ offer: SavePromptView | null }>()('worker', ['content'], v.strictObject({ loginForm: v.boolean() })),
  /** content → worker: the user's choice in the bar (or `dismiss` by the submitting page when the login did not go through). */
  'save.decide': def<{ saved: boolean }>()(
    'worker',
    ['content'],
    v.strictObject({ offerId: v.optional(id), choice: v.picklist(['save', 'never', 'dismiss']) }),
  ),
  /** worker → offscreen: what the bar may say of a sealed offer (new, update, already saved, or locked). */
  'cm.offerStatus': def<OfferStatus>()('offscreen', ['worker'], v.strictObject({ sealed: EnvelopeSchema, origin: text(2048) })),
  /** content → worker: the inline menu's list for this frame (origin from `sender`): masked usernames and one-time tokens only. */
  'menu.items': def<MenuList>()('worker', ['content'], empty),
  /** content → worker: the user picked a menu entry; the worker fills this very frame through the fill policy. */
  'menu.pick': def<{ filled: number }>()('worker', ['content'], v.strictObject({ token: id })),
  /** content (top frame) → worker: the page loaded with a login form; fill the one item that opted in to fill on page load, if any. */
  'fill.onLoad': def<{ filled: number }>()('worker', ['content'], empty),
  /** worker → offscreen: the id of the one item opted in to fill on page load for exactly this origin, or null. */
  'cm.onLoadItem': def<{ itemId: string | null }>()('offscreen', ['worker'], v.strictObject({ origin: text(2048) })),
  // ── end save prompt rows ──

  // ── one-time codes (TOTP): another fill kind through the same policy (src/background/fill-triggers.ts) ──
  /** popup → worker: fill the item's current TOTP code into the one-time-code field(s) of the tab. */
  'fill.code': def<{ filled: number }>()('worker', ['popup'], v.strictObject({ tabId, itemId: id })),
  /** worker → content: fill a code; the content script fetches it sealed with `fill.fetch` and this request id. */
  'content.fillCode': def<{ filled: number }>()('content', ['worker'], v.strictObject({ requestId: id })),
  /** worker → content: is the focused field of this frame a one-time-code field? (keyboard command, context menu) */
  'content.focus': def<{ code: boolean }>()('content', ['worker'], empty),
  /** worker → offscreen: the item's current code, computed here (the only realm with the seed), sealed to the frame. */
  'cm.sealCode': def<{ sealed: Envelope }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ itemId: id, origin: text(2048), url: v.optional(text(2048)), replyKey: PublicKey, requestId: id }),
  ),
  // ── end one-time code rows ──

  // worker → offscreen CredentialManager
  'cm.status': def<{ hasVault: boolean; unlocked: boolean }>()('offscreen', ['worker'], empty),
  'cm.transportKey': def<{ publicKey: string }>()('offscreen', ['worker'], empty),
  'cm.create': def<null>()('offscreen', ['worker'], v.strictObject({ sealed: EnvelopeSchema })),
  'cm.unlock': def<null>()('offscreen', ['worker'], v.strictObject({ sealed: EnvelopeSchema })),
  'cm.lock': def<null>()('offscreen', ['worker'], empty),
  'cm.list': def<ItemList>()('offscreen', ['worker'], empty),
  'cm.listPage': def<ItemPage>()('offscreen', ['worker'], ListPageSchema),
  'cm.add': def<{ id: string }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ overview: OverviewInputSchema, sealedDetails: EnvelopeSchema }),
  ),
  'cm.update': def<null>()(
    'offscreen',
    ['worker'],
    v.strictObject({ id, overview: OverviewInputSchema, sealedDetails: v.optional(EnvelopeSchema) }),
  ),
  'cm.delete': def<null>()('offscreen', ['worker'], v.strictObject({ id })),
  'cm.details': def<{ sealed: Envelope }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ id, replyKey: PublicKey }),
  ),
  'cm.match': def<{ items: FillCandidate[] }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ origin: text(2048), url: v.optional(text(2048)) }),
  ),
  /** The fill path's check of one item against a frame's origin (no scan of the whole vault). */
  'cm.matchItem': def<{ match: 'exact' | 'site' | null }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ itemId: id, origin: text(2048), url: v.optional(text(2048)) }),
  ),
  'cm.sealFill': def<{ sealed: Envelope }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ itemId: id, origin: text(2048), url: v.optional(text(2048)), replyKey: PublicKey, requestId: id }),
  ),
  'cm.plainFill': def<{ username: string; password: string }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ itemId: id, origin: text(2048) }),
  ),
  'cm.health': def<HealthReport>()('offscreen', ['worker'], empty),
  'cm.importPreview': def<ImportPreviewResult>()(
    'offscreen',
    ['worker'],
    v.strictObject({ sealed: FileEnvelopeSchema, sealedPassword: v.optional(EnvelopeSchema) }),
  ),
  'cm.importCommit': def<ImportOutcome>()('offscreen', ['worker'], v.strictObject({ importId: id })),
  'cm.exportEncrypted': def<{ sealed: Envelope }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ sealed: EnvelopeSchema, replyKey: PublicKey }),
  ),
  'cm.exportCsv': def<{ sealed: Envelope }>()('offscreen', ['worker'], v.strictObject({ sealed: EnvelopeSchema, replyKey: PublicKey })),
  'cm.copy': def<{ copied: boolean }>()(
    'offscreen',
    ['worker'],
    v.strictObject({
      itemId: id,
      field: v.picklist(COPY_FIELDS),
      clearAfterMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000)),
    }),
  ),
  'cm.changePassword': def<null>()('offscreen', ['worker'], v.strictObject({ sealed: EnvelopeSchema })),
  'cm.kdf': def<KdfInfo>()('offscreen', ['worker'], empty),
  'cm.kdfTime': def<{ ms: number }>()('offscreen', ['worker'], v.strictObject({ level: v.picklist(KDF_LEVEL_NAMES) })),
  'cm.setKdf': def<null>()('offscreen', ['worker'], v.strictObject({ sealed: EnvelopeSchema, level: v.picklist(KDF_LEVEL_NAMES) })),
  'cm.saveOffer': def<{ queued: boolean }>()(
    'offscreen',
    ['worker'],
    v.strictObject({ sealed: EnvelopeSchema, origin: text(2048) }),
  ),
} as const;

export type MessageType = keyof typeof CONTRACT;

/** Payload types are derived from the schemas, so they cannot drift apart: what a sender may send… */
export type Payloads = { [K in MessageType]: v.InferInput<(typeof CONTRACT)[K]['payload']> };
/** …and what a receiver gets after parsing (defaults applied). */
export type ParsedPayloads = { [K in MessageType]: v.InferOutput<(typeof CONTRACT)[K]['payload']> };

export type Response<K extends MessageType> = (typeof CONTRACT)[K]['response'];

export interface Message<K extends MessageType = MessageType> {
  v: typeof PROTOCOL_VERSION;
  target: Target;
  type: K;
  payload: Payloads[K];
}

/** A message after parseMessage: its payload has passed the schema. */
export type AnyMessage = { [K in MessageType]: Omit<Message<K>, 'payload'> & { payload: ParsedPayloads[K] } }[MessageType];

export function makeMessage<K extends MessageType>(type: K, payload: Payloads[K]): Message<K> {
  return { v: PROTOCOL_VERSION, target: CONTRACT[type].target, type, payload };
}

/** Does this raw message claim to be for `target`? Cheap pre-filter before any other work. */
export function isAddressedTo(raw: unknown, target: Target): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { target?: unknown }).target === target;
}

/**
 * Parse an incoming message for `target` from a sender already classified as `senderKind`.
 * Never throws. Walks the schema, not the input; unknown keys are refused.
 */
export function parseMessage(raw: unknown, target: Target, senderKind: SenderKind): Result<AnyMessage> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'bad_message' };
  const r = raw as Record<string, unknown>;
  const keys = Object.keys(r);
  if (keys.length !== 4 || !['v', 'target', 'type', 'payload'].every((k) => keys.includes(k))) {
    return { ok: false, error: 'bad_message' };
  }
  if (r.v !== PROTOCOL_VERSION || r.target !== target) return { ok: false, error: 'bad_message' };
  const type = r.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(CONTRACT, type)) {
    return { ok: false, error: 'unknown_type' };
  }
  const row = CONTRACT[type as MessageType];
  if (row.target !== target) return { ok: false, error: 'unknown_type' };
  if (!row.senders.includes(senderKind)) return { ok: false, error: 'not_allowed' };
  const parsed = v.safeParse(row.payload as v.GenericSchema, r.payload);
  if (!parsed.success) return { ok: false, error: 'bad_message' };
  return {
    ok: true,
    value: { v: PROTOCOL_VERSION, target, type: type as MessageType, payload: parsed.output } as AnyMessage,
  };
}

/** A reply that arrives from another context is checked too: it must be a Result. */
export function parseResult<T>(raw: unknown): Result<T> {
  if (typeof raw !== 'object' || raw === null) return { ok: false, error: 'internal' };
  const r = raw as { ok?: unknown; value?: unknown; error?: unknown };
  if (r.ok === true) return { ok: true, value: r.value as T };
  if (r.ok === false) return { ok: false, error: isErrorCode(r.error) ? r.error : 'internal' };
  return { ok: false, error: 'internal' };
}
