import { describe, expect, test } from 'vitest';
import { TextDecodeError, decodeImportText, firstInvalidUtf8 } from './text-decode';

const b = (...bytes: number[]) => new Uint8Array(bytes);
const fatal = new TextDecoder('utf-8', { fatal: true });

describe('firstInvalidUtf8', () => {
  // RFC 3629 §4 boundaries, and the classic ill-formed sequences (Unicode 15, table 3-7).
  test.each<[string, Uint8Array, number]>([
    ['empty', b(), -1],
    ['ASCII', b(0x61, 0x62), -1],
    ['U+0080 (C2 80)', b(0xc2, 0x80), -1],
    ['U+07FF (DF BF)', b(0xdf, 0xbf), -1],
    ['U+0800 (E0 A0 80)', b(0xe0, 0xa0, 0x80), -1],
    ['U+D7FF (ED 9F BF)', b(0xed, 0x9f, 0xbf), -1],
    ['U+E000 (EE 80 80)', b(0xee, 0x80, 0x80), -1],
    ['U+FFFF (EF BF BF)', b(0xef, 0xbf, 0xbf), -1],
    ['U+10000 (F0 90 80 80)', b(0xf0, 0x90, 0x80, 0x80), -1],
    ['U+10FFFF (F4 8F BF BF)', b(0xf4, 0x8f, 0xbf, 0xbf), -1],
    ['lone continuation byte', b(0x61, 0x80), 1],
    ['overlong 2-byte (C0 80)', b(0xc0, 0x80), 0],
    ['overlong 2-byte (C1 BF)', b(0x61, 0xc1, 0xbf), 1],
    ['overlong 3-byte (E0 9F BF)', b(0xe0, 0x9f, 0xbf), 0],
    ['surrogate U+D800 (ED A0 80)', b(0x61, 0x61, 0xed, 0xa0, 0x80), 2],
    ['overlong 4-byte (F0 8F BF BF)', b(0xf0, 0x8f, 0xbf, 0xbf), 0],
    ['above U+10FFFF (F4 90 80 80)', b(0xf4, 0x90, 0x80, 0x80), 0],
    ['F5 lead byte', b(0xf5, 0x80, 0x80, 0x80), 0],
    ['FF', b(0x61, 0xff), 1],
    ['truncated at end of input', b(0x61, 0xe2, 0x82), 1],
    ['lead byte followed by ASCII', b(0xc3, 0x41), 0],
    ['Latin-1 "é" between ASCII', b(0x63, 0x61, 0x66, 0xe9, 0x2c), 3],
  ])('%s', (_why, bytes, offset) => {
    expect(firstInvalidUtf8(bytes)).toBe(offset);
  });

  test('agrees with TextDecoder (fatal) on 2 000 random byte strings', () => {
    for (let n = 0; n < 2000; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(1 + (n % 12)));
      // Bias towards plausible UTF-8 so both branches are exercised.
      if (n % 2 === 0) bytes.forEach((x, i) => (bytes[i] = i % 3 === 0 ? 0xc0 | (x & 0x3f) : 0x80 | (x & 0x3f)));
      let ok = true;
      try {
        fatal.decode(bytes);
      } catch {
        ok = false;
      }
      expect(firstInvalidUtf8(bytes) === -1).toBe(ok);
    }
  });
});

describe('decodeImportText', () => {
  test.each<[string, Uint8Array, string]>([
    ['strips a UTF-8 BOM', b(0xef, 0xbb, 0xbf, 0x61), 'a'],
    ['keeps a second BOM (it is content)', b(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61), '\uFEFFa'],
    ['no BOM', b(0xc3, 0xa9), 'é'],
  ])('%s', (_why, bytes, text) => {
    expect(decodeImportText(bytes)).toBe(text);
  });

  test.each<[string, Uint8Array, string, number | undefined, number | undefined]>([
    ['UTF-16 LE BOM', b(0xff, 0xfe, 0x61, 0x00), 'utf16', undefined, undefined],
    ['UTF-16 BE BOM', b(0xfe, 0xff, 0x00, 0x61), 'utf16', undefined, undefined],
    ['UTF-16 LE without BOM', b(0x61, 0x00, 0x0a, 0x00), 'binary', 1, 1],
    ['Latin-1 on line 2', b(0x61, 0x0a, 0x62, 0xe9), 'not_utf8', 3, 2],
  ])('%s', (_why, bytes, code, offset, line) => {
    let caught: unknown;
    try {
      decodeImportText(bytes);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TextDecodeError);
    expect(caught).toMatchObject({ code, offset, line });
  });

  test('the message names the offset and line but never the byte', () => {
    expect(() => decodeImportText(b(0x61, 0x0a, 0x62, 0xe9))).toThrow(/offset 3 \(line 2\)/);
    expect(() => decodeImportText(b(0x61, 0x0a, 0x62, 0xe9))).not.toThrow(/e9|233|é/i);
  });
});
