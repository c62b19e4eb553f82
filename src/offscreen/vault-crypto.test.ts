import { beforeAll, describe, expect, test } from 'vitest';
import { randomBytes, utf8Decode, utf8Encode } from '../shared/buffer-io';
import {
  createWrappedKeys,
  decryptPart,
  decryptWithPrivateKey,
  encryptPart,
  encryptToPublicKey,
  inboxAad,
  itemAad,
  kekFromSecret,
  rewrapPrivateKey,
  unwrapVaultKeys,
  type ItemPart,
  type Sealed,
  type VaultKeys,
  type WrappedKeys,
} from './vault-crypto';

// KEKs come from random 32-byte secrets (standing in for the Argon2id output, tested in
// kdf.test.ts), so these tests do not pay for a 64 MiB KDF run.
const VAULT_ID = 'vault_0123456789';
const secret = randomBytes(32);
let kek: CryptoKey;
let wrapped: WrappedKeys;
let keys: VaultKeys;

beforeAll(async () => {
  kek = await kekFromSecret(secret, VAULT_ID);
  wrapped = await createWrappedKeys(kek, VAULT_ID); // RSA-3072 generation: once per file
  keys = await unwrapVaultKeys(kek, VAULT_ID, wrapped);
});

/** A copy of `bytes` with one bit changed at `index` (negative counts from the end). */
function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  const at = index < 0 ? out.length + index : index;
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}

describe('kekFromSecret', () => {
  test('is a non-extractable AES-GCM-256 key that can only wrap and unwrap', () => {
    expect(kek.extractable).toBe(false);
    expect(kek.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...kek.usages].sort()).toEqual(['unwrapKey', 'wrapKey']);
  });

  test("does not wipe the caller's secret", async () => {
    const s = randomBytes(32);
    const copy = s.slice();
    await kekFromSecret(s, VAULT_ID);
    expect(s).toEqual(copy);
  });

  test.each<[string, unknown]>([
    ['31 bytes', new Uint8Array(31)],
    ['33 bytes', new Uint8Array(33)],
    ['empty', new Uint8Array(0)],
    ['an ArrayBuffer', new ArrayBuffer(32)],
    ['a string', 'x'.repeat(32)],
  ])('refuses a secret of %s', async (_why, s) => {
    await expect(kekFromSecret(s as Uint8Array, VAULT_ID)).rejects.toThrow(RangeError);
  });
});

describe('createWrappedKeys and unwrapVaultKeys', () => {
  test('the stored record has the expected shape', () => {
    expect(wrapped.privateKeyIv).toHaveLength(12);
    expect(wrapped.wrappedVaultKey).toHaveLength(384); // RSA-3072 ciphertext
    expect(wrapped.publicKeySpki.length).toBeGreaterThan(384);
    expect(wrapped.wrappedPrivateKey.length).toBeGreaterThan(1000);
  });

  test('unwrapped keys are non-extractable and of the right kind', () => {
    expect(keys.privateKey.extractable).toBe(false);
    expect(keys.vaultKey.extractable).toBe(false);
    expect(keys.privateKey.algorithm).toMatchObject({ name: 'RSA-OAEP', modulusLength: 3072, hash: { name: 'SHA-256' } });
    expect(keys.vaultKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...keys.vaultKey.usages].sort()).toEqual(['decrypt', 'encrypt']);
  });

  test('the same secret gives a KEK that unwraps the same vault key', async () => {
    const again = await unwrapVaultKeys(await kekFromSecret(secret.slice(), VAULT_ID), VAULT_ID, wrapped);
    const aad = itemAad(VAULT_ID, 'item_0123456789', 'details', 1);
    const sealed = await encryptPart(keys.vaultKey, aad, utf8Encode('hunter2'));
    expect(utf8Decode(await decryptPart(again.vaultKey, aad, sealed))).toBe('hunter2');
  });

  test.each<[string, () => Promise<CryptoKey>, string]>([
    ['a KEK from another secret', () => kekFromSecret(randomBytes(32), VAULT_ID), VAULT_ID],
    ['a KEK from the same secret for another vault', () => kekFromSecret(secret, 'vault_other0000'), VAULT_ID],
    ['the right KEK, told another vault id', async () => kek, 'vault_other0000'],
  ])('%s cannot unwrap', async (_why, makeKek, vaultId) => {
    await expect(unwrapVaultKeys(await makeKek(), vaultId, wrapped)).rejects.toThrow();
  });

  test.each<[string, (w: WrappedKeys) => WrappedKeys]>([
    ['a flipped byte in the wrapped private key', (w) => ({ ...w, wrappedPrivateKey: flipped(w.wrappedPrivateKey, 100) })],
    ['a flipped byte in the private key tag', (w) => ({ ...w, wrappedPrivateKey: flipped(w.wrappedPrivateKey, -1) })],
    ['a flipped byte in the private key IV', (w) => ({ ...w, privateKeyIv: flipped(w.privateKeyIv, 0) })],
    ['a flipped byte in the wrapped vault key', (w) => ({ ...w, wrappedVaultKey: flipped(w.wrappedVaultKey, 10) })],
  ])('a tampered record is refused: %s', async (_why, tamper) => {
    await expect(unwrapVaultKeys(kek, VAULT_ID, tamper(wrapped))).rejects.toThrow();
  });
});

describe('rewrapPrivateKey', () => {
  let newKek: CryptoKey;
  let rewrapped: WrappedKeys;
  let before: WrappedKeys;

  beforeAll(async () => {
    before = structuredClone(wrapped);
    newKek = await kekFromSecret(randomBytes(32), VAULT_ID);
    rewrapped = await rewrapPrivateKey(kek, newKek, VAULT_ID, wrapped);
  });

  test('the new KEK unwraps, and the vault key is the same one', async () => {
    const after = await unwrapVaultKeys(newKek, VAULT_ID, rewrapped);
    expect(after.privateKey.extractable).toBe(false);
    expect(after.vaultKey.extractable).toBe(false);
    const aad = itemAad(VAULT_ID, 'item_0123456789', 'overview', 3);
    const sealed = await encryptPart(keys.vaultKey, aad, utf8Encode('written before the password change'));
    expect(utf8Decode(await decryptPart(after.vaultKey, aad, sealed))).toBe('written before the password change');
  });

  test('the old KEK no longer unwraps the new record', async () => {
    await expect(unwrapVaultKeys(kek, VAULT_ID, rewrapped)).rejects.toThrow();
  });

  test('only the private key wrapping changes; the input record is left alone', () => {
    expect(rewrapped.publicKeySpki).toEqual(wrapped.publicKeySpki);
    expect(rewrapped.wrappedVaultKey).toEqual(wrapped.wrappedVaultKey);
    expect(rewrapped.privateKeyIv).not.toEqual(wrapped.privateKeyIv);
    expect(rewrapped.wrappedPrivateKey).not.toEqual(wrapped.wrappedPrivateKey);
    expect(wrapped).toEqual(before);
  });

  test('a wrong old KEK is refused', async () => {
    const wrong = await kekFromSecret(randomBytes(32), VAULT_ID);
    await expect(rewrapPrivateKey(wrong, newKek, VAULT_ID, wrapped)).rejects.toThrow();
  });
});

describe('itemAad', () => {
  test('has a fixed format (stored ciphertexts depend on it)', () => {
    expect(utf8Decode(itemAad('vault_0123456789', 'item_0123456789', 'details', 3))).toBe(
      'securevault/v1|vault_0123456789|item_0123456789|details|3',
    );
  });

  test.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses revision %s', (revision) => {
    expect(() => itemAad(VAULT_ID, 'item_0123456789', 'details', revision)).toThrow(RangeError);
  });
});

describe('encryptPart and decryptPart', () => {
  const ITEM = 'item_0123456789';

  test.each<[string, Uint8Array]>([
    ['empty', new Uint8Array(0)],
    ['one byte', new Uint8Array([7])],
    ['details JSON', utf8Encode('{"password":"pässwörd 🔑","notes":"line 1\\nline 2"}')],
    ['64 KiB', randomBytes(65536)],
  ])('round trip: %s', async (_why, plaintext) => {
    const copy = plaintext.slice();
    const aad = itemAad(VAULT_ID, ITEM, 'details', 1);
    const sealed = await encryptPart(keys.vaultKey, aad, plaintext);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.ct).toHaveLength(plaintext.length + 16); // + GCM tag
    expect(await decryptPart(keys.vaultKey, aad, sealed)).toEqual(plaintext);
    expect(plaintext).toEqual(copy);
  });

  // [why, vault id, item id, part, revision] used to decrypt what was sealed under the first row.
  const PLACES: [string, string, string, ItemPart, number, boolean][] = [
    ['the same place (control)', VAULT_ID, ITEM, 'details', 4, true],
    ['another vault', 'vault_other0000', ITEM, 'details', 4, false],
    ['another item', VAULT_ID, 'item_0123456780', 'details', 4, false],
    ['the other part', VAULT_ID, ITEM, 'overview', 4, false],
    ['an older revision (replay)', VAULT_ID, ITEM, 'details', 3, false],
    ['a newer revision', VAULT_ID, ITEM, 'details', 5, false],
  ];

  test.each(PLACES)('decrypting under %s → opens: %s', async (_why, vaultId, itemId, part, revision, opens) => {
    const sealed = await encryptPart(keys.vaultKey, itemAad(VAULT_ID, ITEM, 'details', 4), utf8Encode('hunter2'));
    const attempt = decryptPart(keys.vaultKey, itemAad(vaultId, itemId, part, revision), sealed);
    if (opens) await expect(attempt).resolves.toEqual(utf8Encode('hunter2'));
    else await expect(attempt).rejects.toThrow();
  });

  test.each<[string, (s: Sealed, other: Sealed) => Sealed]>([
    ['first ciphertext byte flipped', (s) => ({ ...s, ct: flipped(s.ct, 0) })],
    ['last tag byte flipped', (s) => ({ ...s, ct: flipped(s.ct, -1) })],
    ['ciphertext truncated', (s) => ({ ...s, ct: s.ct.slice(0, -1) })],
    ['IV byte flipped', (s) => ({ ...s, iv: flipped(s.iv, 11) })],
    ['IV swapped with another encryption of the same plaintext', (s, o) => ({ ...s, iv: o.iv })],
    ['ciphertext swapped with another encryption of the same plaintext', (s, o) => ({ ...s, ct: o.ct })],
  ])('%s → refused', async (_why, tamper) => {
    const aad = itemAad(VAULT_ID, ITEM, 'details', 1);
    const sealed = await encryptPart(keys.vaultKey, aad, utf8Encode('hunter2'));
    const other = await encryptPart(keys.vaultKey, aad, utf8Encode('hunter2'));
    await expect(decryptPart(keys.vaultKey, aad, tamper(sealed, other))).rejects.toThrow();
  });

  test.each([0, 11, 13, 16])('an IV of %i bytes is a RangeError', async (length) => {
    const aad = itemAad(VAULT_ID, ITEM, 'details', 1);
    const sealed = await encryptPart(keys.vaultKey, aad, utf8Encode('hunter2'));
    await expect(decryptPart(keys.vaultKey, aad, { ...sealed, iv: new Uint8Array(length) })).rejects.toThrow(RangeError);
  });

  test('another vault key cannot decrypt', async () => {
    const otherKek = await kekFromSecret(randomBytes(32), VAULT_ID);
    const otherKeys = await unwrapVaultKeys(otherKek, VAULT_ID, await createWrappedKeys(otherKek, VAULT_ID));
    const aad = itemAad(VAULT_ID, ITEM, 'details', 1);
    const sealed = await encryptPart(keys.vaultKey, aad, utf8Encode('hunter2'));
    await expect(decryptPart(otherKeys.vaultKey, aad, sealed)).rejects.toThrow();
  });

  test('the same plaintext twice gets different IVs and ciphertexts', async () => {
    const aad = itemAad(VAULT_ID, ITEM, 'details', 1);
    const plaintext = utf8Encode('hunter2');
    const sealed = await Promise.all(Array.from({ length: 32 }, () => encryptPart(keys.vaultKey, aad, plaintext)));
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    expect(new Set(sealed.map((s) => hex(s.iv))).size).toBe(32);
    expect(new Set(sealed.map((s) => hex(s.ct))).size).toBe(32);
  });
});

describe('inbox: encryptToPublicKey and decryptWithPrivateKey', () => {
  const ENTRY = 'inbox_0123456789';
  const offer = utf8Encode('{"origin":"https://example.com","username":"alice","password":"hunter2"}');

  test('what is encrypted to the stored public key opens with the unwrapped private key', async () => {
    const copy = offer.slice();
    const sealed = await encryptToPublicKey(wrapped.publicKeySpki, inboxAad(VAULT_ID, ENTRY), offer);
    expect(sealed.wrappedKey).toHaveLength(384);
    expect(await decryptWithPrivateKey(keys.privateKey, inboxAad(VAULT_ID, ENTRY), sealed)).toEqual(offer);
    expect(offer).toEqual(copy);
  });

  test.each<[string, string, string]>([
    ['another entry id', VAULT_ID, 'inbox_0123456780'],
    ['another vault', 'vault_other0000', ENTRY],
  ])('refused under %s', async (_why, vaultId, entryId) => {
    const sealed = await encryptToPublicKey(wrapped.publicKeySpki, inboxAad(VAULT_ID, ENTRY), offer);
    await expect(decryptWithPrivateKey(keys.privateKey, inboxAad(vaultId, entryId), sealed)).rejects.toThrow();
  });

  test.each<[string, (s: { wrappedKey: Uint8Array; iv: Uint8Array; ct: Uint8Array }) => typeof s]>([
    ['a flipped byte in the wrapped key', (s) => ({ ...s, wrappedKey: flipped(s.wrappedKey, 0) })],
    ['a flipped ciphertext byte', (s) => ({ ...s, ct: flipped(s.ct, 0) })],
    ['a flipped IV byte', (s) => ({ ...s, iv: flipped(s.iv, 0) })],
  ])('refused with %s', async (_why, tamper) => {
    const aad = inboxAad(VAULT_ID, ENTRY);
    const sealed = await encryptToPublicKey(wrapped.publicKeySpki, aad, offer);
    await expect(decryptWithPrivateKey(keys.privateKey, aad, tamper(sealed))).rejects.toThrow();
  });

  test('the inbox AAD has a fixed format, apart from item AADs', () => {
    expect(utf8Decode(inboxAad(VAULT_ID, ENTRY))).toBe(`securevault/v1|${VAULT_ID}|inbox|${ENTRY}`);
    expect(inboxAad(VAULT_ID, ENTRY)).not.toEqual(itemAad(VAULT_ID, ENTRY, 'details', 1));
  });
});
