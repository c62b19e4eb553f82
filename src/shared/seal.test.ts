import { beforeAll, describe, expect, test } from 'vitest';
import { fromBase64Url, toBase64Url, utf8Encode } from './buffer-io';
import { LABELS, createReplyKeyPair, open, prepareSeal, seal, type Envelope, type ReplyKeyPair } from './seal';

let recipient: ReplyKeyPair;
let stranger: ReplyKeyPair;

beforeAll(async () => {
  recipient = await createReplyKeyPair();
  stranger = await createReplyKeyPair();
});

/** Change one byte of a base64url field (XOR, so the result always differs). */
function flip(text: string, index: number): string {
  const raw = fromBase64Url(text);
  const at = index < 0 ? raw.length + index : index;
  raw[at] = (raw[at] ?? 0) ^ 0x01;
  return toBase64Url(raw);
}

describe('createReplyKeyPair', () => {
  test('private key stays inside WebCrypto; public key is a raw uncompressed P-256 point', () => {
    expect(recipient.privateKey.extractable).toBe(false);
    expect(recipient.privateKey.algorithm).toMatchObject({ name: 'ECDH', namedCurve: 'P-256' });
    const raw = fromBase64Url(recipient.publicKey);
    expect(raw).toHaveLength(65);
    expect(raw[0]).toBe(0x04);
    expect(recipient.publicKey).not.toBe(stranger.publicKey);
  });
});

describe('seal then open', () => {
  test.each<[string, Uint8Array, string]>([
    ['empty plaintext', new Uint8Array(0), LABELS.unlock],
    ['one byte', new Uint8Array([0x2a]), LABELS.create],
    ['details JSON', utf8Encode('{"password":"pässwörd 🔑","notes":""}'), LABELS.itemDetails],
    ['reveal label', utf8Encode('hunter2'), LABELS.reveal('item_0123456789')],
    ['fill label', utf8Encode('hunter2'), LABELS.fill('req-ABCDEFGH')],
    ['1-character label', utf8Encode('x'), 'x'],
    ['200-character label', utf8Encode('x'), 'l'.repeat(200)],
    ['64 KiB', crypto.getRandomValues(new Uint8Array(65536)), LABELS.unlock],
  ])('%s', async (_why, plaintext, label) => {
    const envelope = await seal(recipient.publicKey, plaintext, label);
    expect(fromBase64Url(envelope.iv)).toHaveLength(12);
    expect(fromBase64Url(envelope.ct)).toHaveLength(plaintext.length + 16); // + GCM tag
    expect(await open(recipient.privateKey, envelope, label)).toEqual(plaintext);
  });

  test('seals only the view of a subarray', async () => {
    const whole = utf8Encode('..secret..');
    const envelope = await seal(recipient.publicKey, whole.subarray(2, 8), LABELS.unlock);
    expect(await open(recipient.privateKey, envelope, LABELS.unlock)).toEqual(utf8Encode('secret'));
  });

  test("leaves the caller's plaintext buffer alone", async () => {
    const plaintext = utf8Encode('correct horse battery staple');
    const copy = plaintext.slice();
    await seal(recipient.publicKey, plaintext, LABELS.unlock);
    expect(plaintext).toEqual(copy);
  });

  test('every envelope has a fresh IV and a fresh ephemeral key', async () => {
    const plaintext = utf8Encode('same plaintext every time');
    const envelopes = await Promise.all(Array.from({ length: 20 }, () => seal(recipient.publicKey, plaintext, LABELS.unlock)));
    expect(new Set(envelopes.map((e) => e.iv)).size).toBe(20);
    expect(new Set(envelopes.map((e) => e.epk)).size).toBe(20);
    expect(new Set(envelopes.map((e) => e.ct)).size).toBe(20);
    expect(envelopes.map((e) => e.epk)).not.toContain(recipient.publicKey);
  });
});

describe('open refuses what was not sealed to this key under this label', () => {
  const plaintext = utf8Encode('hunter2');

  test.each<[string, string, string]>([
    ['unlock vs create', LABELS.unlock, LABELS.create],
    ['another fill request', LABELS.fill('req-AAAAAAAA'), LABELS.fill('req-BBBBBBBB')],
    ['reveal vs fill of the same id', LABELS.reveal('item_0123456789'), LABELS.fill('item_0123456789')],
    ['reveal of another item', LABELS.reveal('item_0123456789'), LABELS.reveal('item_0123456780')],
    ['case', LABELS.unlock, LABELS.unlock.toUpperCase()],
    ['trailing space', LABELS.unlock, `${LABELS.unlock} `],
  ])('wrong label: %s', async (_why, sealedUnder, openedUnder) => {
    const envelope = await seal(recipient.publicKey, plaintext, sealedUnder);
    await expect(open(recipient.privateKey, envelope, sealedUnder)).resolves.toEqual(plaintext); // control
    await expect(open(recipient.privateKey, envelope, openedUnder)).rejects.toThrow();
  });

  test('wrong recipient key', async () => {
    const envelope = await seal(recipient.publicKey, plaintext, LABELS.unlock);
    await expect(open(stranger.privateKey, envelope, LABELS.unlock)).rejects.toThrow();
  });

  // A failed GCM check or a bad point is a DOMException from WebCrypto; an IV of the wrong
  // length is refused up front with a TypeError.
  const tamper: [string, (e: Envelope, other: Envelope) => Envelope, typeof TypeError | typeof DOMException][] = [
    ['first ciphertext byte', (e) => ({ ...e, ct: flip(e.ct, 0) }), DOMException],
    ['last byte (GCM tag)', (e) => ({ ...e, ct: flip(e.ct, -1) }), DOMException],
    ['ciphertext truncated', (e) => ({ ...e, ct: toBase64Url(fromBase64Url(e.ct).subarray(0, -1)) }), DOMException],
    ['ciphertext from another envelope', (e, o) => ({ ...e, ct: o.ct }), DOMException],
    ['one IV byte', (e) => ({ ...e, iv: flip(e.iv, 5) }), DOMException],
    ['IV from another envelope', (e, o) => ({ ...e, iv: o.iv }), DOMException],
    ['IV of 16 bytes', (e) => ({ ...e, iv: toBase64Url(new Uint8Array(16)) }), TypeError],
    ['IV of 8 bytes', (e) => ({ ...e, iv: toBase64Url(new Uint8Array(8)) }), TypeError],
    ['last epk byte', (e) => ({ ...e, epk: flip(e.epk, -1) }), DOMException],
    ['epk from another envelope', (e, o) => ({ ...e, epk: o.epk }), DOMException],
    ['epk replaced by the recipient key', (e) => ({ ...e, epk: recipient.publicKey }), DOMException],
    ['epk cut to 64 bytes', (e) => ({ ...e, epk: toBase64Url(fromBase64Url(e.epk).subarray(0, 64)) }), TypeError],
  ];

  test.each(tamper)('tampered: %s', async (_why, change, error) => {
    const envelope = await seal(recipient.publicKey, plaintext, LABELS.unlock);
    const other = await seal(recipient.publicKey, plaintext, LABELS.unlock);
    await expect(open(recipient.privateKey, change(envelope, other), LABELS.unlock)).rejects.toThrow(error);
  });
});

describe('prepareSeal', () => {
  test('one prepared seal keeps its ephemeral key and takes a fresh IV per plaintext', async () => {
    const prepared = await prepareSeal(recipient.publicKey, LABELS.saveOffer);
    const a = await prepared.seal(utf8Encode('first'));
    const b = await prepared.seal(utf8Encode('first'));
    expect(a.epk).toBe(b.epk);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(await open(recipient.privateKey, a, LABELS.saveOffer)).toEqual(utf8Encode('first'));
    expect(await open(recipient.privateKey, b, LABELS.saveOffer)).toEqual(utf8Encode('first'));
  });

  test('each prepared seal has its own ephemeral key', async () => {
    const [a, b] = await Promise.all([prepareSeal(recipient.publicKey, LABELS.saveOffer), prepareSeal(recipient.publicKey, LABELS.saveOffer)]);
    const plaintext = utf8Encode('x');
    expect((await a.seal(plaintext)).epk).not.toBe((await b.seal(plaintext)).epk);
  });

  test('refuses a bad label or recipient key', async () => {
    await expect(prepareSeal(recipient.publicKey, '')).rejects.toThrow(RangeError);
    await expect(prepareSeal('AAAA', LABELS.saveOffer)).rejects.toThrow(TypeError);
  });
});

describe('the envelope format follows the scheme in seal.ts (ECDH P-256 → HKDF-SHA-256 → AES-256-GCM)', () => {
  // Opened here with WebCrypto calls written from the scheme, not with open(): a change to the
  // HKDF salt or info, the AAD, or the key encoding breaks this test even when seal and open
  // still agree with each other.
  test.each([LABELS.unlock, LABELS.fill('req-ABCDEFGH')])('label %s', async (label) => {
    const ec = { name: 'ECDH', namedCurve: 'P-256' } as const;
    const mine = (await crypto.subtle.generateKey(ec, false, ['deriveBits'])) as CryptoKeyPair;
    const myPublic = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', mine.publicKey)));
    const plaintext = utf8Encode('{"password":"hunter2"}');
    const envelope = await seal(myPublic, plaintext, label);

    const epk = await crypto.subtle.importKey('raw', fromBase64Url(envelope.epk) as Uint8Array<ArrayBuffer>, ec, false, []);
    const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, mine.privateKey, 256);
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    const info = utf8Encode(label) as Uint8Array<ArrayBuffer>;
    const key = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
      ikm,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(envelope.iv) as Uint8Array<ArrayBuffer>, additionalData: info },
      key,
      fromBase64Url(envelope.ct) as Uint8Array<ArrayBuffer>,
    );
    expect(new Uint8Array(opened)).toEqual(plaintext);
  });
});

describe('input checks', () => {
  const plaintext = utf8Encode('hunter2');

  // Length and prefix are checked up front (TypeError); a 65-byte 0x04 point that is not on the
  // curve gets through that check and is refused by WebCrypto's import (DataError).
  test.each<[string, () => Promise<string>, typeof TypeError | typeof DOMException]>([
    ['empty', async () => '', TypeError],
    ['not base64url', async () => '+++/', TypeError],
    ['compressed P-256 point (33 bytes)', async () => toBase64Url(new Uint8Array([0x02, ...new Uint8Array(32).fill(7)])), TypeError],
    ['65 bytes without the 0x04 prefix', async () => toBase64Url(new Uint8Array(65).fill(5)), TypeError],
    ['X25519-sized key (32 bytes)', async () => toBase64Url(crypto.getRandomValues(new Uint8Array(32))), TypeError],
    [
      'a P-384 public key',
      async () => {
        const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, ['deriveBits'])) as CryptoKeyPair;
        return toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
      },
      TypeError,
    ],
    ['65 bytes with 0x04 but not on the curve', async () => toBase64Url(new Uint8Array([0x04, ...new Uint8Array(64)])), DOMException],
  ])('a non-P-256 recipient key is rejected: %s', async (_why, makeKey, error) => {
    await expect(seal(await makeKey(), plaintext, LABELS.unlock)).rejects.toThrow(error);
  });

  test.each<[string, unknown]>([
    ['empty', ''],
    ['201 characters', 'l'.repeat(201)],
    ['not a string', 42],
  ])('label %s is a RangeError in seal and open', async (_why, label) => {
    const envelope = await seal(recipient.publicKey, plaintext, LABELS.unlock);
    await expect(seal(recipient.publicKey, plaintext, label as string)).rejects.toThrow(RangeError);
    await expect(open(recipient.privateKey, envelope, label as string)).rejects.toThrow(RangeError);
  });

  test.each<[string, unknown]>([
    ['a string', 'hunter2'],
    ['an ArrayBuffer', new ArrayBuffer(4)],
    ['a plain array', [1, 2, 3]],
  ])('plaintext that is %s is a TypeError', async (_why, input) => {
    await expect(seal(recipient.publicKey, input as Uint8Array, LABELS.unlock)).rejects.toThrow(TypeError);
  });
});
