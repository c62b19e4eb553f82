/**
 * BufferIO: how binary crosses contexts and how secret bytes are handled.
 *
 * Extension messages are JSON-serialised (a Uint8Array arrives as a plain object), so binary
 * travels as base64url text. Secret bytes live in Uint8Arrays, which — unlike strings — can be
 * wiped; callers wipe what they own in `finally` blocks. See SECURITY.md for what cannot be wiped.
 */

const B64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) {
    throw new TypeError('fromBase64Url: not base64url text');
  }
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Overwrite secret bytes. Accepts undefined so it can be called unconditionally in `finally`. */
export function wipe(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) b?.fill(0);
}

const encoder = new TextEncoder();
// ignoreBOM: a secret may legitimately start with U+FEFF; never strip it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Encode a JSON value to bytes (the caller owns and wipes them). */
export function jsonToBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function bytesToJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}

export function randomBytes(length: number): Uint8Array {
  if (!Number.isInteger(length) || length <= 0 || length > 65536) {
    throw new RangeError('randomBytes: length must be 1..65536');
  }
  return crypto.getRandomValues(new Uint8Array(length));
}

/** WebCrypto wants BufferSource backed by ArrayBuffer; this narrows Uint8Array<ArrayBufferLike>. */
export function asBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
