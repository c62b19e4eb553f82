/**
 * Bytes of an import file → text, strictly. A file in the wrong encoding must be refused with a
 * place to look, not imported with U+FFFD where a password had an "é" (a replacement character
 * silently changes the password, and the user finds out at the next sign-in).
 */
import { utf8Decode } from '../../shared/buffer-io';

export class TextDecodeError extends Error {
  constructor(
    readonly code: 'utf16' | 'not_utf8' | 'binary',
    message: string,
    readonly offset?: number,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'TextDecodeError';
  }
}

/**
 * Offset of the first byte that starts an ill-formed UTF-8 sequence, or -1. The table of
 * well-formed sequences is RFC 3629 §4 (no overlong forms, no surrogates D800–DFFF, nothing above
 * U+10FFFF) — the same bytes TextDecoder's fatal mode refuses, but it does not say where.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  const cont = (at: number, lo = 0x80, hi = 0xbf) => at < n && (bytes[at] as number) >= lo && (bytes[at] as number) <= hi;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
    } else if (b >= 0xc2 && b <= 0xdf) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
      const hi = b === 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
      const hi = b === 0xf4 ? 0x8f : 0xbf; // F4 90.. would be above U+10FFFF
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else {
      return i; // 80..C1 cannot start a sequence; F5..FF never appear in UTF-8
    }
  }
  return -1;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * UTF-8 text of `bytes`, without a leading UTF-8 BOM (Excel writes one). Throws TextDecodeError
 * for a UTF-16/32 BOM, for NUL bytes (UTF-16 without a BOM, or not a text file at all) and for
 * bytes that are not UTF-8, naming the 0-based byte offset and the 1-based line. The message
 * never quotes the bytes: they may be part of a password.
 */
export function decodeImportText(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw new TextDecodeError('utf16', 'The file is UTF-16 text (it starts with a UTF-16 byte order mark). Save it as UTF-8 and import it again.');
  }
  const bom = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new TextDecodeError(
      'binary',
      `The file has a NUL byte at offset ${nul}: it is UTF-16 without a byte order mark, or not a text file. Save it as UTF-8 and import it again.`,
      nul,
      lineOf(bytes, nul),
    );
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    const line = lineOf(bytes, bad);
    throw new TextDecodeError(
      'not_utf8',
      `The file is not UTF-8: the byte at offset ${bad} (line ${line}) cannot start or continue a UTF-8 character. It was probably saved as Latin-1 or Windows-1252; save it as UTF-8 and import it again.`,
      bad,
      line,
    );
  }
  // Strict decoder from buffer-io (fatal, BOM kept): cannot fail after the check above.
  return utf8Decode(bytes.subarray(bom));
}
