/**
 * The key hierarchy of DESIGN.md §2, on WebCrypto only.
 *
 *   master password ─Argon2id→ 32 bytes ─HKDF→ KEK (AES-GCM-256, non-extractable, wrap/unwrap only)
 *   KEK ─unwrap (AES-GCM, AAD)→ vault private key (RSA-OAEP-3072/SHA-256, non-extractable)
 *   vault private key ─unwrap→ vault key (AES-GCM-256, non-extractable)
 *   vault key → each item's overview and details ciphertexts, AAD = (vault, item, part, revision)
 *
 * Why RSA in the middle: the public key is stored in clear so a credential offered while the
 * vault is locked can be encrypted to it (inbox) without the master password.
 */
import { asBuffer, randomBytes, utf8Encode } from '../shared/buffer-io';

export interface WrappedKeys {
  /** pkcs8 of the RSA private key, AES-GCM under the KEK */
  wrappedPrivateKey: Uint8Array;
  privateKeyIv: Uint8Array;
  /** SPKI of the RSA public key, in clear on purpose */
  publicKeySpki: Uint8Array;
  /** raw vault key, RSA-OAEP to the public key */
  wrappedVaultKey: Uint8Array;
}

export interface VaultKeys {
  privateKey: CryptoKey;
  vaultKey: CryptoKey;
}

export interface Sealed {
  iv: Uint8Array;
  ct: Uint8Array;
}

export type ItemPart = 'overview' | 'details';

const RSA: RsaHashedKeyGenParams = {
  name: 'RSA-OAEP',
  modulusLength: 3072,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const RSA_IMPORT: RsaHashedImportParams = { name: 'RSA-OAEP', hash: 'SHA-256' };
const AES = { name: 'AES-GCM', length: 256 } as const;

/** Additional data binding a ciphertext to its place; a moved or replayed ciphertext fails to open. */
const AAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function itemAad(vaultId: string, itemId: string, part: ItemPart, revision: number): Uint8Array {
  if (!Number.isInteger(revision) || revision < 1) throw new RangeError('itemAad: revision must be ≥ 1');
  // Ids are base64url: no '|' can make two different (vault, item) pairs spell the same AAD.
  if (!AAD_ID.test(vaultId) || !AAD_ID.test(itemId)) throw new TypeError('itemAad: ids must be base64url');
  return utf8Encode(`securevault/v1|${vaultId}|${itemId}|${part}|${revision}`);
}

function keyAad(vaultId: string, what: string): Uint8Array {
  return utf8Encode(`securevault/v1|${vaultId}|${what}`);
}

/** KEK from the Argon2id output (RFC 5869 HKDF-SHA-256, info names the vault). Does not wipe `secret`. */
export async function kekFromSecret(secret: Uint8Array, vaultId: string): Promise<CryptoKey> {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) throw new RangeError('kek: secret must be 32 bytes');
  const ikm = await crypto.subtle.importKey('raw', asBuffer(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: asBuffer(keyAad(vaultId, 'kek')) },
    ikm,
    AES,
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** New RSA pair and vault key; returns what is stored. Call unwrapVaultKeys afterwards to use them. */
export async function createWrappedKeys(kek: CryptoKey, vaultId: string): Promise<WrappedKeys> {
  // Extractable only for this function's lifetime, so they can be wrapped; the usable handles
  // come from unwrapVaultKeys and are non-extractable.
  const pair = (await crypto.subtle.generateKey(RSA, true, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'])) as CryptoKeyPair;
  const vaultKey = await crypto.subtle.generateKey(AES, true, ['encrypt', 'decrypt']);
  const privateKeyIv = randomBytes(12);
  const wrappedPrivateKey = new Uint8Array(
    await crypto.subtle.wrapKey('pkcs8', pair.privateKey, kek, {
      name: 'AES-GCM',
      iv: asBuffer(privateKeyIv),
      additionalData: asBuffer(keyAad(vaultId, 'private-key')),
    }),
  );
  const wrappedVaultKey = new Uint8Array(
    await crypto.subtle.wrapKey('raw', vaultKey, pair.publicKey, {
      name: 'RSA-OAEP',
      label: asBuffer(keyAad(vaultId, 'vault-key')),
    }),
  );
  const publicKeySpki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { wrappedPrivateKey, privateKeyIv, publicKeySpki, wrappedVaultKey };
}

/** Unwrap both keys as non-extractable. Throws (OperationError) on a wrong KEK or tampered record. */
export async function unwrapVaultKeys(kek: CryptoKey, vaultId: string, w: WrappedKeys): Promise<VaultKeys> {
  const privateKey = await crypto.subtle.unwrapKey(
    'pkcs8',
    asBuffer(w.wrappedPrivateKey),
    kek,
    { name: 'AES-GCM', iv: asBuffer(w.privateKeyIv), additionalData: asBuffer(keyAad(vaultId, 'private-key')) },
    RSA_IMPORT,
    false,
    ['decrypt', 'unwrapKey'],
  );
  const vaultKey = await crypto.subtle.unwrapKey(
    'raw',
    asBuffer(w.wrappedVaultKey),
    privateKey,
    { name: 'RSA-OAEP', label: asBuffer(keyAad(vaultId, 'vault-key')) },
    AES,
    false,
    ['encrypt', 'decrypt'],
  );
  return { privateKey, vaultKey };
}

/**
 * Re-wrap the private key under a new KEK: O(1) in vault size. The key is unwrapped transiently
 * as extractable inside WebCrypto and wrapped again; its bytes never reach JavaScript.
 */
export async function rewrapPrivateKey(
  oldKek: CryptoKey,
  newKek: CryptoKey,
  vaultId: string,
  w: WrappedKeys,
): Promise<WrappedKeys> {
  const aad = asBuffer(keyAad(vaultId, 'private-key'));
  const transient = await crypto.subtle.unwrapKey(
    'pkcs8',
    asBuffer(w.wrappedPrivateKey),
    oldKek,
    { name: 'AES-GCM', iv: asBuffer(w.privateKeyIv), additionalData: aad },
    RSA_IMPORT,
    true,
    ['decrypt', 'unwrapKey'],
  );
  const privateKeyIv = randomBytes(12);
  const wrappedPrivateKey = new Uint8Array(
    await crypto.subtle.wrapKey('pkcs8', transient, newKek, { name: 'AES-GCM', iv: asBuffer(privateKeyIv), additionalData: aad }),
  );
  return { ...w, wrappedPrivateKey, privateKeyIv };
}

export async function encryptPart(key: CryptoKey, aad: Uint8Array, plaintext: Uint8Array): Promise<Sealed> {
  const iv = randomBytes(12); // fresh 96-bit IV per encryption (NIST SP 800-38D §8.2.2, random construction)
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: asBuffer(iv), additionalData: asBuffer(aad) }, key, asBuffer(plaintext)),
  );
  return { iv, ct };
}

/** Caller wipes the returned bytes. Throws OperationError when the AAD, IV or ciphertext do not match. */
export async function decryptPart(key: CryptoKey, aad: Uint8Array, sealed: Sealed): Promise<Uint8Array> {
  if (sealed.iv.length !== 12) throw new RangeError('decryptPart: IV must be 96 bits');
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: asBuffer(sealed.iv), additionalData: asBuffer(aad) }, key, asBuffer(sealed.ct)),
  );
}


/** AAD of the vault-key-encrypted copy of the public key (see VaultRecord.publicKeyCheck). */
export function publicKeyAad(vaultId: string): Uint8Array {
  return keyAad(vaultId, 'public-key');
}

/**
 * AAD of one bucket of the overview index (vault-store.ts): bound to the vault and the bucket, so
 * a chunk moved to another bucket or vault fails to open (and that bucket is rebuilt from items).
 */
export function indexAad(vaultId: string, bucket: string): Uint8Array {
  if (!AAD_ID.test(bucket)) throw new TypeError('indexAad: bucket must be base64url');
  return keyAad(vaultId, `index|${bucket}`);
}

/** AAD of an inbox entry: bound to the vault and the entry id. */
export function inboxAad(vaultId: string, entryId: string): Uint8Array {
  return keyAad(vaultId, `inbox|${entryId}`);
}

/**
 * Encrypt to the vault's public key without the master password: a fresh AES-GCM-256 key encrypts
 * the plaintext and is itself wrapped with RSA-OAEP (RSA only ever wraps AES keys).
 */
export async function encryptToPublicKey(
  publicKeySpki: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Promise<{ wrappedKey: Uint8Array; iv: Uint8Array; ct: Uint8Array }> {
  const publicKey = await crypto.subtle.importKey('spki', asBuffer(publicKeySpki), RSA_IMPORT, false, ['wrapKey']);
  const key = await crypto.subtle.generateKey(AES, true, ['encrypt']);
  const { iv, ct } = await encryptPart(key, aad, plaintext);
  const wrappedKey = new Uint8Array(await crypto.subtle.wrapKey('raw', key, publicKey, { name: 'RSA-OAEP', label: asBuffer(aad) }));
  return { wrappedKey, iv, ct };
}

export async function decryptWithPrivateKey(
  privateKey: CryptoKey,
  aad: Uint8Array,
  sealed: { wrappedKey: Uint8Array; iv: Uint8Array; ct: Uint8Array },
): Promise<Uint8Array> {
  const key = await crypto.subtle.unwrapKey(
    'raw',
    asBuffer(sealed.wrappedKey),
    privateKey,
    { name: 'RSA-OAEP', label: asBuffer(aad) },
    AES,
    false,
    ['decrypt'],
  );
  return decryptPart(key, aad, { iv: sealed.iv, ct: sealed.ct });
}
