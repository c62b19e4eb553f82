import { describe, expect, test } from 'vitest';
import { bytesToJson, fromBase64Url, jsonToBytes, randomBytes, toBase64Url, utf8Decode, utf8Encode, wipe } from './buffer-io';

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Random bytes of any length (getRandomValues stops at 65 536 per call). */
function randomOf(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

describe('base64url', () => {
  // RFC 4648 §10 vectors, in the URL-safe alphabet of §5 without padding, plus the two
  // characters that differ from standard base64 ('+' → '-', '/' → '_').
  test.each<[string, Uint8Array, string]>([
    ['empty', bytes(), ''],
    ['f', ascii('f'), 'Zg'],
    ['fo', ascii('fo'), 'Zm8'],
    ['foo', ascii('foo'), 'Zm9v'],
    ['foob', ascii('foob'), 'Zm9vYg'],
    ['fooba', ascii('fooba'), 'Zm9vYmE'],
    ['foobar', ascii('foobar'), 'Zm9vYmFy'],
    ['fb ff (standard "+/8=")', bytes(0xfb, 0xff), '-_8'],
    ['fb ef be (standard "++++")', bytes(0xfb, 0xef, 0xbe), '----'],
    ['ff ff ff (standard "////")', bytes(0xff, 0xff, 0xff), '____'],
    ['zero bytes', bytes(0, 0, 0, 0), 'AAAAAA'],
  ])('%s', (_why, raw, text) => {
    expect(toBase64Url(raw)).toBe(text);
    expect(fromBase64Url(text)).toEqual(raw);
  });

  test.each(Array.from({ length: 71 }, (_, n) => n))('round trip of %i random bytes', (n) => {
    const raw = randomOf(n);
    const text = toBase64Url(raw);
    expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
    expect(text).toHaveLength(Math.ceil((n * 4) / 3));
    expect(fromBase64Url(text)).toEqual(raw);
  });

  test('round trip of 200 KB, past the 32 KiB chunk size of the encoder', () => {
    const raw = randomOf(200 * 1024 + 1);
    expect(fromBase64Url(toBase64Url(raw))).toEqual(raw);
  });

  test('encodes only the view of a subarray', () => {
    const whole = ascii('xxfooxx');
    expect(toBase64Url(whole.subarray(2, 5))).toBe('Zm9v');
  });

  test.each<[string, unknown]>([
    ['standard +', 'Zm9v+g'],
    ['standard /', 'Zm9v/g'],
    ['padding', 'Zg=='],
    ['one padding character', 'Zm8='],
    ['lone =', '='],
    ['length 1', 'Z'],
    ['length 5', 'Zm9vY'],
    ['a space', 'Zm9 v'],
    ['a trailing newline', 'Zm9v\n'],
    ['non-ASCII', 'Zm9vé'],
    ['a number', 42],
    ['null', null],
  ])('rejects %s', (_why, text) => {
    expect(() => fromBase64Url(text as string)).toThrow(TypeError);
  });
});

describe('wipe', () => {
  test('zeroes every buffer given and skips undefined and null', () => {
    const a = randomOf(64).map((x) => x | 1);
    const b = bytes(1, 2, 3);
    wipe(a, undefined, b, null);
    expect(a).toEqual(new Uint8Array(64));
    expect(b).toEqual(bytes(0, 0, 0));
  });

  test('wipes a subarray through to its backing buffer, and nothing outside it', () => {
    const whole = bytes(1, 2, 3, 4, 5);
    wipe(whole.subarray(1, 4));
    expect(whole).toEqual(bytes(1, 0, 0, 0, 5));
  });

  test('no arguments is fine', () => {
    expect(() => wipe()).not.toThrow();
  });
});

describe('UTF-8', () => {
  test.each<[string, string, Uint8Array]>([
    ['empty', '', bytes()],
    ['ASCII', 'hunter2', ascii('hunter2')],
    ['NUL inside', 'a\u0000b', bytes(0x61, 0x00, 0x62)],
    ['two-byte', 'é', bytes(0xc3, 0xa9)],
    ['three-byte', '€', bytes(0xe2, 0x82, 0xac)],
    ['emoji (astral, surrogate pair in JS)', '🔑', bytes(0xf0, 0x9f, 0x94, 0x91)],
    ['ZWJ sequence', '👩‍💻', bytes(0xf0, 0x9f, 0x91, 0xa9, 0xe2, 0x80, 0x8d, 0xf0, 0x9f, 0x92, 0xbb)],
    ['highest code point', '\u{10ffff}', bytes(0xf4, 0x8f, 0xbf, 0xbf)],
  ])('%s: known bytes and round trip', (_why, text, encoded) => {
    expect(utf8Encode(text)).toEqual(encoded);
    expect(utf8Decode(encoded)).toBe(text);
  });

  test.each(['pässwörd', '日本語のパスワード', 'correct horse 🐎 battery 🔋 staple', 'x'.repeat(100_000) + '🔑'])(
    'round trip of %#',
    (text) => {
      expect(utf8Decode(utf8Encode(text))).toBe(text);
    },
  );

  // Regression: the decoder once stripped a leading U+FEFF (no `ignoreBOM`), changing the text.
  test('round trip keeps a leading U+FEFF', () => {
    expect(utf8Decode(utf8Encode('\uFEFFpassword'))).toBe('\uFEFFpassword');
  });

  test.each<[string, Uint8Array]>([
    ['a lone continuation byte', bytes(0x80)],
    ['0xff', bytes(0x61, 0xff, 0x62)],
    ['a truncated two-byte sequence', bytes(0xc3)],
    ['a truncated four-byte sequence', bytes(0xf0, 0x9f, 0x94)],
    ['an overlong NUL', bytes(0xc0, 0x80)],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80)],
    ['above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80)],
  ])('decoding %s throws instead of substituting U+FFFD', (_why, invalid) => {
    expect(() => utf8Decode(invalid)).toThrow(TypeError);
    expect(() => bytesToJson(invalid)).toThrow(TypeError);
  });

  test('JSON round trip through bytes', () => {
    const value = { password: 'pässwörd 🔑', notes: '', n: 3, nested: [true, null] };
    expect(bytesToJson(jsonToBytes(value))).toEqual(value);
  });
});

describe('randomBytes', () => {
  test.each([1, 12, 32, 65536])('%i bytes', (n) => {
    expect(randomBytes(n)).toHaveLength(n);
  });

  test('two calls differ', () => {
    expect(randomBytes(32)).not.toEqual(randomBytes(32));
  });

  test.each([0, -1, 1.5, Number.NaN, 65537])('refuses length %s', (n) => {
    expect(() => randomBytes(n)).toThrow(RangeError);
  });
});
