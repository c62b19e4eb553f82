/**
 * Sealed envelopes (DESIGN.md §4): a secret that must cross the service worker is encrypted to
 * the realm that will read it, so the worker relays bytes it cannot read.
 *
 * Scheme: ephemeral-static ECDH on P-256 (the sender makes a fresh key pair per envelope),
 * HKDF-SHA-256 over the shared secret with the envelope's label as `info` (RFC 5869 §2.3), then
 * AES-256-GCM with a fresh 96-bit IV and the label again as additional data. The label names
 * the purpose and the request ("unlock", "fill:<requestId>"), so an envelope cannot be replayed
 * into another purpose or another request.
 */
import { asBuffer, fromBase64Url, randomBytes, toBase64Url, wipe } from './buffer-io';

export interface Envelope {
  /** sender's ephemeral public key, raw uncompressed P-256 point, base64url */
  epk: string;
  iv: string;
  ct: string;
}

export interface ReplyKeyPair {
  privateKey: CryptoKey;
  /** raw P-256 public key, base64url: what goes into a request so the answer can be sealed to it */
  publicKey: string;
}

/** Labels bind each envelope to its purpose and request; one table for every realm. */
export const LABELS = {
  create: 'vault.create',
  unlock: 'vault.unlock',
  itemDetails: 'item.details',
  changePassword: 'vault.changePassword',
  setKdf: 'vault.setKdf',
  saveOffer: 'save.offer',
  importFile: 'import.file',
  importPassword: 'import.password',
  exportPassword: 'export.password',
  exportMaster: 'export.master',
  exportFile: 'export.file',
  reveal: (itemId: string) => `reveal:${itemId}`,
  fill: (requestId: string) => `fill:${requestId}`,
  /** a one-time code for a fill: its own purpose, so a login envelope is never read as a code or back */
  fillCode: (requestId: string) => `fill-code:${requestId}`,
} as const;

const EC = { name: 'ECDH', namedCurve: 'P-256' } as const;
const LABEL_MAX = 200;

/** A key pair whose private half never leaves WebCrypto (non-extractable). */
export async function createReplyKeyPair(): Promise<ReplyKeyPair> {
  const pair = (await crypto.subtle.generateKey(EC, false, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: toBase64Url(raw) };
}

function checkLabel(label: string): Uint8Array {
  if (typeof label !== 'string' || label.length === 0 || label.length > LABEL_MAX) {
    throw new RangeError('seal: label must be 1..200 characters');
  }
  return new TextEncoder().encode(label);
}

async function importPublic(b64: string): Promise<CryptoKey> {
  const raw = fromBase64Url(b64);
  if (raw.length !== 65 || raw[0] !== 4) throw new TypeError('seal: not a P-256 public key');
  return crypto.subtle.importKey('raw', asBuffer(raw), EC, false, []);
}

async function envelopeKey(privateKey: CryptoKey, publicKey: CryptoKey, info: Uint8Array): Promise<CryptoKey> {
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256));
  try {
    const ikm = await crypto.subtle.importKey('raw', asBuffer(shared), 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: asBuffer(info) },
      ikm,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  } finally {
    wipe(shared);
  }
}

export interface PreparedSeal {
  /** Encrypt one plaintext (the caller's buffer is left alone). Each call uses a fresh IV. */
  seal(plaintext: Uint8Array): Promise<Envelope>;
}

/**
 * Do the public-key half of sealing ahead of time (ephemeral key pair, ECDH, HKDF), leaving only
 * one AES-GCM encryption for later — for a content script that must seal within the few
 * milliseconds between a form's submit and the page unloading.
 */
export async function prepareSeal(recipientPublicKey: string, label: string): Promise<PreparedSeal> {
  const info = checkLabel(label);
  const recipient = await importPublic(recipientPublicKey);
  // Non-extractable private half; the public half of a pair is always exportable.
  const eph = (await crypto.subtle.generateKey(EC, false, ['deriveBits'])) as CryptoKeyPair;
  const key = await envelopeKey(eph.privateKey, recipient, info);
  const epk = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', eph.publicKey)));
  return {
    async seal(plaintext: Uint8Array): Promise<Envelope> {
      if (!(plaintext instanceof Uint8Array)) throw new TypeError('seal: plaintext must be a Uint8Array');
      const iv = randomBytes(12);
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv: asBuffer(iv), additionalData: asBuffer(info) }, key, asBuffer(plaintext)),
      );
      return { epk, iv: toBase64Url(iv), ct: toBase64Url(ct) };
    },
  };
}

/** Encrypt `plaintext` to the holder of `recipientPublicKey`. The caller's buffer is left alone. */
export async function seal(recipientPublicKey: string, plaintext: Uint8Array, label: string): Promise<Envelope> {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('seal: plaintext must be a Uint8Array');
  return (await prepareSeal(recipientPublicKey, label)).seal(plaintext);
}

/** Open an envelope; throws if it was not sealed to this key under this label. Caller wipes the result. */
export async function open(privateKey: CryptoKey, envelope: Envelope, label: string): Promise<Uint8Array> {
  const info = checkLabel(label);
  const sender = await importPublic(envelope.epk);
  const iv = fromBase64Url(envelope.iv);
  if (iv.length !== 12) throw new TypeError('seal: IV must be 96 bits');
  const key = await envelopeKey(privateKey, sender, info);
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: asBuffer(iv), additionalData: asBuffer(info) },
      key,
      asBuffer(fromBase64Url(envelope.ct)),
    ),
  );
}
