import { describe, expect, test } from 'vitest';
import {
  CONTRACT,
  PROTOCOL_VERSION,
  makeMessage,
  parseMessage,
  parseResult,
  type MessageType,
  type Payloads,
  type SenderKind,
  type Target,
} from './messages';

const SENDERS: readonly SenderKind[] = ['popup', 'content', 'worker', 'offscreen'];
const TARGETS: readonly Target[] = ['worker', 'offscreen', 'content'];
const TYPES = Object.keys(CONTRACT) as MessageType[];

const ID = 'item_0123456789';
const REQUEST_ID = 'req-ABCDEFGH';
const PUBLIC_KEY = 'B'.repeat(87); // a raw P-256 point is 65 bytes = 87 base64url characters
const ENVELOPE = { epk: 'A'.repeat(87), iv: 'C'.repeat(16), ct: 'D'.repeat(40) };
const OVERVIEW = { title: 'Example', url: 'https://example.com/login', username: 'alice', matchMode: 'exact' as const, allowInsecureFill: false };

/** One well-formed payload per message type. The mapped type makes tsc refuse a missing row too. */
const SAMPLES: { [K in MessageType]: Payloads[K] } = {
  'vault.status': {},
  'vault.transportKey': {},
  'vault.create': { sealed: ENVELOPE },
  'vault.unlock': { sealed: ENVELOPE },
  'vault.lock': {},
  'items.list': {},
  'items.page': { snapshot: REQUEST_ID, offset: 40, limit: 2000 },
  'items.add': { overview: OVERVIEW, sealedDetails: ENVELOPE },
  'items.update': { id: ID, overview: OVERVIEW, sealedDetails: ENVELOPE },
  'items.delete': { id: ID },
  'items.details': { id: ID, replyKey: PUBLIC_KEY },
  'fill.candidates': { tabId: 7 },
  'fill.item': { tabId: 7, itemId: ID },
  'vault.changePassword': { sealed: ENVELOPE },
  'vault.kdf': {},
  'vault.kdfTime': { level: 'strong' },
  'vault.setKdf': { sealed: ENVELOPE, level: 'strongest' },
  'settings.get': {},
  'settings.set': {
    autoLockMinutes: 15,
    lockOnSystemLock: true,
    clipboardClearSeconds: 30,
    theme: 'system',
    defaultMatchMode: 'exact',
    fillOnPageLoad: false,
  },
  'debug.pendingRequests': {},
  'frame.ready': { loginFields: 2 },
  'fill.fetch': { requestId: REQUEST_ID, replyKey: PUBLIC_KEY },
  'fill.fetchPlain': { requestId: REQUEST_ID },
  'save.transportKey': {},
  'save.offer': { sealed: ENVELOPE },
  'content.fill': { requestId: REQUEST_ID },
  'content.probe': {},
  'step.remember': { username: 'alice@example.com' },
  'step.recall': {},
  'cm.status': {},
  'cm.transportKey': {},
  'cm.create': { sealed: ENVELOPE },
  'cm.unlock': { sealed: ENVELOPE },
  'cm.lock': {},
  'cm.list': {},
  'cm.listPage': { offset: 0, limit: 40 },
  'cm.add': { overview: OVERVIEW, sealedDetails: ENVELOPE },
  'cm.update': { id: ID, overview: OVERVIEW },
  'cm.delete': { id: ID },
  'cm.details': { id: ID, replyKey: PUBLIC_KEY },
  'cm.match': { origin: 'https://example.com' },
  'cm.matchItem': { itemId: ID, origin: 'https://example.com' },
  'cm.sealFill': { itemId: ID, origin: 'https://example.com', replyKey: PUBLIC_KEY, requestId: REQUEST_ID },
  'cm.changePassword': { sealed: ENVELOPE },
  'cm.kdf': {},
  'cm.kdfTime': { level: 'standard' },
  'cm.setKdf': { sealed: ENVELOPE, level: 'strong' },
  'items.health': {},
  'import.preview': { sealed: ENVELOPE },
  'import.commit': { importId: ID },
  'export.encrypted': { sealed: ENVELOPE, replyKey: PUBLIC_KEY },
  'export.csv': { sealed: ENVELOPE, replyKey: PUBLIC_KEY },
  'cm.importPreview': { sealed: ENVELOPE, sealedPassword: ENVELOPE },
  'cm.importCommit': { importId: ID },
  'cm.exportEncrypted': { sealed: ENVELOPE, replyKey: PUBLIC_KEY },
  'cm.exportCsv': { sealed: ENVELOPE, replyKey: PUBLIC_KEY },
  'clipboard.copy': { itemId: ID, field: 'password' },
  'cm.copy': { itemId: ID, field: 'password', clearAfterMs: 30_000 },
  'cm.health': {},
  'cm.saveOffer': { sealed: ENVELOPE, origin: 'https://example.com' },
  'cm.plainFill': { itemId: ID, origin: 'http://example.com' },
  // save and update prompts
  'content.savePrompt': {},
  'save.pending': { loginForm: false },
  'save.decide': { offerId: ID, choice: 'save' },
  'cm.offerStatus': { sealed: ENVELOPE, origin: 'https://example.com' },
  'menu.items': {},
  'fill.onLoad': {},
  'cm.onLoadItem': { origin: 'https://example.com' },
  'menu.pick': { token: REQUEST_ID },
  // one-time codes
  'fill.code': { tabId: 7, itemId: ID },
  'content.fillCode': { requestId: REQUEST_ID },
  'content.focus': {},
  'cm.sealCode': { itemId: ID, origin: 'https://example.com', replyKey: PUBLIC_KEY, requestId: REQUEST_ID },
};

/** What arrives over chrome messaging: JSON, so no prototypes, no undefined, no shared references. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A raw message of `type` with `payload`, addressed the way the contract says. */
const raw = (type: MessageType, payload: unknown) => ({ v: PROTOCOL_VERSION, target: CONTRACT[type].target, type, payload });

test('every message type in CONTRACT has a sample payload, and no sample is stale', () => {
  expect(Object.keys(SAMPLES).sort()).toEqual([...TYPES].sort());
});

describe('sender × type policy: accepted exactly when the sender kind is listed and the target matches', () => {
  const rows = TYPES.flatMap((type) =>
    SENDERS.map((sender) => ({ type, sender, allowed: (CONTRACT[type].senders as readonly SenderKind[]).includes(sender) })),
  );

  test.each(rows)('$type from $sender (allowed: $allowed)', ({ type, sender, allowed }) => {
    const message = makeMessage(type, SAMPLES[type]);
    const result = parseMessage(wire(message), CONTRACT[type].target, sender);
    expect(result).toEqual(allowed ? { ok: true, value: message } : { ok: false, error: 'not_allowed' });
  });

  const misaddressed = TYPES.flatMap((type) =>
    TARGETS.filter((t) => t !== CONTRACT[type].target).flatMap((target) =>
      SENDERS.map((sender) => ({ type, target, sender })),
    ),
  );

  test.each(misaddressed)('$type received by $target from $sender is refused', ({ type, target, sender }) => {
    // As sent: addressed to its own target, so another receiver calls it not addressed to it.
    expect(parseMessage(wire(makeMessage(type, SAMPLES[type])), target, sender)).toEqual({ ok: false, error: 'bad_message' });
    // Readdressed to this receiver: the type is not one this receiver handles.
    expect(parseMessage(wire({ ...makeMessage(type, SAMPLES[type]), target }), target, sender)).toEqual({
      ok: false,
      error: 'unknown_type',
    });
  });

  test('every type is allowed from at least one sender kind', () => {
    expect(TYPES.filter((type) => CONTRACT[type].senders.length === 0)).toEqual([]);
  });

  // The rows above follow CONTRACT, so they cannot see the policy itself widen. These pin it:
  // giving a web page's content script, or the offscreen realm, a new message is a reviewed change.
  const allowedFor = (sender: SenderKind) => TYPES.filter((type) => (CONTRACT[type].senders as readonly SenderKind[]).includes(sender));

  test.each<[SenderKind, MessageType[]]>([
    ['content', ['fill.fetch', 'fill.fetchPlain', 'fill.onLoad', 'frame.ready', 'menu.items', 'menu.pick', 'save.decide', 'save.offer', 'save.pending', 'save.transportKey', 'step.recall', 'step.remember']],
    ['offscreen', []],
  ])('%s may send exactly %j', (sender, expected) => {
    expect(allowedFor(sender).sort()).toEqual(expected);
  });

  test('the worker sends only to the offscreen document and content scripts', () => {
    expect(allowedFor('worker').filter((type) => CONTRACT[type].target === 'worker')).toEqual([]);
  });

  test('the popup sends only to the worker', () => {
    expect(allowedFor('popup').filter((type) => CONTRACT[type].target !== 'worker')).toEqual([]);
  });
});

describe('malformed envelopes of the message', () => {
  const good = raw('items.delete', { id: ID });
  const without = (key: keyof typeof good) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));

  test('the base message is accepted (control)', () => {
    expect(parseMessage(wire(good), 'worker', 'popup').ok).toBe(true);
  });

  test('a message without a prototype is read the same way', () => {
    const bare = Object.assign(Object.create(null) as object, good);
    expect(parseMessage(bare, 'worker', 'popup').ok).toBe(true);
  });

  test.each<[string, unknown, 'bad_message' | 'unknown_type']>([
    ['a string', 'items.delete', 'bad_message'],
    ['a number', 42, 'bad_message'],
    ['a boolean', true, 'bad_message'],
    ['undefined', undefined, 'bad_message'],
    ['null', null, 'bad_message'],
    ['an empty array', [], 'bad_message'],
    ['an array holding the message', [good], 'bad_message'],
    ['an array with the four keys', Object.assign([], good), 'bad_message'],
    ['an empty object', {}, 'bad_message'],
    ['missing v', without('v'), 'bad_message'],
    ['missing target', without('target'), 'bad_message'],
    ['missing type', without('type'), 'bad_message'],
    ['missing payload', without('payload'), 'bad_message'],
    ['an extra top-level key', { ...good, extra: 1 }, 'bad_message'],
    ['four keys, one unknown', { ...without('payload'), extra: { id: ID } }, 'bad_message'],
    ['version 2', { ...good, v: 2 }, 'bad_message'],
    ['version 0', { ...good, v: 0 }, 'bad_message'],
    ['version as a string', { ...good, v: '1' }, 'bad_message'],
    ['target offscreen at the worker', { ...good, target: 'offscreen' }, 'bad_message'],
    ['target with another case', { ...good, target: 'Worker' }, 'bad_message'],
    ['unknown type', { ...good, type: 'items.nuke' }, 'unknown_type'],
    ['empty type', { ...good, type: '' }, 'unknown_type'],
    ['type with another case', { ...good, type: 'Items.delete' }, 'unknown_type'],
    ['type as a number', { ...good, type: 1 }, 'unknown_type'],
    ['type as an array', { ...good, type: ['items.delete'] }, 'unknown_type'],
    ['type __proto__', { ...good, type: '__proto__' }, 'unknown_type'],
    ['type constructor', { ...good, type: 'constructor' }, 'unknown_type'],
    ['type toString', { ...good, type: 'toString' }, 'unknown_type'],
    ['type hasOwnProperty', { ...good, type: 'hasOwnProperty' }, 'unknown_type'],
    ['type of another target', { ...good, type: 'cm.delete' }, 'unknown_type'],
  ])('%s → %s', (_why, input, error) => {
    expect(parseMessage(input, 'worker', 'popup')).toEqual({ ok: false, error });
  });
});

describe('payload schemas', () => {
  const overview = (patch: Record<string, unknown>) => ({ ...SAMPLES['items.add'], overview: { ...OVERVIEW, ...patch } });
  const envelope = (patch: Record<string, unknown>) => ({ sealed: { ...ENVELOPE, ...patch } });

  // [why, type, payload, accepted]
  test.each<[string, MessageType, unknown, boolean]>([
    // Controls and boundaries that must pass.
    ['optional sealedDetails left out', 'items.update', { id: ID, overview: OVERVIEW }, true],
    ['id of 8 characters', 'items.delete', { id: 'a'.repeat(8) }, true],
    ['id of 64 characters', 'items.delete', { id: 'a'.repeat(64) }, true],
    ['tabId 0', 'fill.candidates', { tabId: 0 }, true],
    ['loginFields 1000', 'frame.ready', { loginFields: 1000 }, true],
    ['loginFields and codeFields', 'frame.ready', { loginFields: 0, codeFields: 1 }, true],
    ['copy the one-time code', 'clipboard.copy', { itemId: ID, field: 'totp' }, true],
    ['title of 200 characters', 'items.add', overview({ title: 't'.repeat(200) }), true],
    ['url of 2048 characters', 'items.add', overview({ url: 'u'.repeat(2048) }), true],
    ['empty url', 'items.add', overview({ url: '' }), true],
    ['matchMode site', 'items.add', overview({ matchMode: 'site' }), true],
    ['allowInsecureFill true', 'items.add', overview({ allowInsecureFill: true }), true],
    ['iv of 20 characters', 'vault.unlock', envelope({ iv: 'A'.repeat(20) }), true],
    ['ct of 200 000 characters', 'vault.unlock', envelope({ ct: 'A'.repeat(200_000) }), true],
    ['auto-lock never (0)', 'settings.set', { ...SAMPLES['settings.set'], autoLockMinutes: 0, lockOnSystemLock: false, clipboardClearSeconds: 0 }, true],
    ['theme dark, match mode site, fill on load', 'settings.set', { ...SAMPLES['settings.set'], theme: 'dark', defaultMatchMode: 'site', fillOnPageLoad: true }, true],

    // Shape.
    ['payload null', 'items.delete', null, false],
    ['payload an array', 'items.delete', [ID], false],
    ['payload a string', 'items.delete', ID, false],
    ['empty payload given a key', 'vault.status', { x: 1 }, false],
    ['missing id', 'items.delete', {}, false],
    ['missing overview field', 'items.add', { ...SAMPLES['items.add'], overview: { title: 'x', url: '', username: '' } }, false],
    ['missing envelope field', 'vault.unlock', { sealed: { epk: ENVELOPE.epk, iv: ENVELOPE.iv } }, false],

    // Unknown keys, at every depth (strictObject).
    ['extra key in payload', 'items.delete', { id: ID, extra: 1 }, false],
    ['extra key in nested overview', 'items.add', overview({ password: 'hunter2' }), false],
    ['extra key in nested envelope', 'vault.unlock', envelope({ tag: 'AAAA' }), false],
    ['own __proto__ key in payload', 'items.delete', JSON.parse(`{"id":"${ID}","__proto__":{"admin":true}}`), false],
    ['own constructor key in payload', 'items.delete', { id: ID, constructor: 'x' }, false],
    ['own toString key in payload', 'items.delete', { id: ID, toString: 'x' }, false],

    // Wrong field types.
    ['id a number', 'items.delete', { id: 12345678 }, false],
    ['tabId a string', 'fill.candidates', { tabId: '7' }, false],
    ['loginFields a string', 'frame.ready', { loginFields: '2' }, false],
    ['codeFields negative', 'frame.ready', { loginFields: 0, codeFields: -1 }, false],
    ['copy a field that is not offered', 'clipboard.copy', { itemId: ID, field: 'notes' }, false],
    ['a code fill carrying an origin of its own', 'fill.code', { tabId: 7, itemId: ID, origin: 'https://example.com' }, false],
    ['title a number', 'items.add', overview({ title: 42 }), false],
    ['matchMode unknown', 'items.add', overview({ matchMode: 'fuzzy' }), false],
    ['allowInsecureFill missing', 'items.add', overview({ allowInsecureFill: undefined }), false],
    ['allowInsecureFill not a boolean', 'items.add', overview({ allowInsecureFill: 'yes' }), false],
    ['sealed a string', 'vault.unlock', { sealed: 'A'.repeat(40) }, false],
    ['auto-lock not one of the choices', 'settings.set', { autoLockMinutes: 7, lockOnSystemLock: true, clipboardClearSeconds: 30 }, false],
    ['auto-lock as a string', 'settings.set', { autoLockMinutes: '15', lockOnSystemLock: true, clipboardClearSeconds: 30 }, false],
    ['clipboard delay not one of the choices', 'settings.set', { autoLockMinutes: 15, lockOnSystemLock: true, clipboardClearSeconds: 45 }, false],
    ['clipboard delay missing', 'settings.set', { autoLockMinutes: 15, lockOnSystemLock: true }, false],
    ['theme not one of the choices', 'settings.set', { ...SAMPLES['settings.set'], theme: 'sepia' }, false],
    ['default match mode unknown', 'settings.set', { ...SAMPLES['settings.set'], defaultMatchMode: 'host' }, false],
    ['fillOnPageLoad as a string', 'settings.set', { ...SAMPLES['settings.set'], fillOnPageLoad: 'false' }, false],
    ['lockOnSystemLock as a string', 'settings.set', { autoLockMinutes: 15, lockOnSystemLock: 'true', clipboardClearSeconds: 30 }, false],
    ['save offer without its envelope', 'cm.saveOffer', { origin: 'https://example.com' }, false],
    ['optional sealedDetails null', 'items.update', { id: ID, overview: OVERVIEW, sealedDetails: null }, false],

    // ids must match ^[A-Za-z0-9_-]{8,64}$.
    ['id of 7 characters', 'items.delete', { id: 'a'.repeat(7) }, false],
    ['id of 65 characters', 'items.delete', { id: 'a'.repeat(65) }, false],
    ['empty id', 'items.delete', { id: '' }, false],
    ['id with a slash', 'items.delete', { id: 'item/0123456789' }, false],
    ['id with a dot', 'items.delete', { id: 'item.0123456789' }, false],
    ['id with a space', 'items.delete', { id: 'item 0123456789' }, false],
    ['id with a newline at the end', 'items.delete', { id: `${ID}\n` }, false],
    ['id with a non-ASCII letter', 'items.delete', { id: 'itém_0123456789' }, false],
    ['requestId too short', 'content.fill', { requestId: 'req' }, false],
    ['itemId with a colon', 'fill.item', { tabId: 7, itemId: 'item:0123456789' }, false],

    // Oversize strings.
    ['title of 201 characters', 'items.add', overview({ title: 't'.repeat(201) }), false],
    ['url of 2049 characters', 'items.add', overview({ url: 'u'.repeat(2049) }), false],
    ['username of 501 characters', 'items.add', overview({ username: 'u'.repeat(501) }), false],
    ['origin of 2049 characters', 'cm.match', { origin: 'o'.repeat(2049) }, false],
    ['replyKey of 101 characters', 'items.details', { id: ID, replyKey: 'B'.repeat(101) }, false],
    ['epk of 101 characters', 'vault.unlock', envelope({ epk: 'A'.repeat(101) }), false],
    ['iv of 21 characters', 'vault.unlock', envelope({ iv: 'A'.repeat(21) }), false],
    ['ct of 200 001 characters', 'vault.unlock', envelope({ ct: 'A'.repeat(200_001) }), false],

    // base64url fields.
    ['empty iv', 'vault.unlock', envelope({ iv: '' }), false],
    ['ct with +', 'vault.unlock', envelope({ ct: 'AAAA+AAA' }), false],
    ['ct with /', 'vault.unlock', envelope({ ct: 'AAAA/AAA' }), false],
    ['ct with padding', 'vault.unlock', envelope({ ct: 'AAAAAA==' }), false],
    ['replyKey with a space', 'fill.fetch', { requestId: REQUEST_ID, replyKey: 'BBBB BBBB' }, false],

    // tabId and counts: non-negative integers.
    ['negative tabId', 'fill.candidates', { tabId: -1 }, false],
    ['non-integer tabId', 'fill.candidates', { tabId: 1.5 }, false],
    ['NaN tabId', 'fill.candidates', { tabId: Number.NaN }, false],
    ['infinite tabId', 'fill.candidates', { tabId: Number.POSITIVE_INFINITY }, false],
    ['negative tabId in fill.item', 'fill.item', { tabId: -7, itemId: ID }, false],
    ['loginFields over 1000', 'frame.ready', { loginFields: 1001 }, false],
    ['negative loginFields', 'frame.ready', { loginFields: -1 }, false],
  ])('%s (%s) → accepted: %s', (_why, type, payload, accepted) => {
    const input = raw(type, payload);
    const row = CONTRACT[type];
    const result = parseMessage(input, row.target, row.senders[0] ?? 'popup');
    expect(result).toEqual(accepted ? { ok: true, value: input } : { ok: false, error: 'bad_message' });
  });

  test('settings stored before theme, match mode and fill-on-load existed still parse, with their defaults', () => {
    const input = raw('settings.set', { autoLockMinutes: 5, lockOnSystemLock: false, clipboardClearSeconds: 60 });
    const result = parseMessage(input, 'worker', 'popup');
    expect(result.ok && result.value.payload).toEqual({
      autoLockMinutes: 5,
      lockOnSystemLock: false,
      clipboardClearSeconds: 60,
      theme: 'system',
      defaultMatchMode: 'exact',
      fillOnPageLoad: false,
    });
  });

  test('the parsed payload is a fresh object, not the input', () => {
    const input = wire(raw('items.delete', { id: ID })) as { payload: object };
    const result = parseMessage(input, 'worker', 'popup');
    expect(result.ok && result.value.payload).not.toBe(input.payload);
  });
});

describe('parseResult', () => {
  test.each<[string, unknown, unknown]>([
    ['ok with a value', { ok: true, value: { id: ID } }, { ok: true, value: { id: ID } }],
    ['ok with null', { ok: true, value: null }, { ok: true, value: null }],
    ['ok without a value', { ok: true }, { ok: true, value: undefined }],
    ['a known error code', { ok: false, error: 'locked' }, { ok: false, error: 'locked' }],
    ['null', null, { ok: false, error: 'internal' }],
    ['undefined', undefined, { ok: false, error: 'internal' }],
    ['a string', 'ok', { ok: false, error: 'internal' }],
    ['a number', 1, { ok: false, error: 'internal' }],
    ['an array', [true], { ok: false, error: 'internal' }],
    ['an empty object', {}, { ok: false, error: 'internal' }],
    ['ok as a string', { ok: 'true', value: 1 }, { ok: false, error: 'internal' }],
    ['ok as 1', { ok: 1, value: 1 }, { ok: false, error: 'internal' }],
    ['failure without an error', { ok: false }, { ok: false, error: 'internal' }],
    ['failure with a numeric error', { ok: false, error: 3 }, { ok: false, error: 'internal' }],
  ])('%s', (_why, input, expected) => {
    expect(parseResult(input)).toEqual(expected);
  });

  // Regression: any string used to pass as an ErrorCode (errorWords("toString") returned a function).
  test.each<[string, unknown]>([
    ['an unknown error code', { ok: false, error: 'no_such_code' }],
    ['an error named after an Object.prototype key', { ok: false, error: 'toString' }],
  ])('%s becomes internal', (_why, input) => {
    expect(parseResult(input)).toEqual({ ok: false, error: 'internal' });
  });
});
