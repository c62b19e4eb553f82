import { argon2id } from 'hash-wasm';
import { describe, expect, test } from 'vitest';
import { DEFAULT_KDF, KDF_FLOOR, argon2idRaw, checkKdfParams, type KdfParams } from './kdf';
import { KDF_LEVELS, KDF_LEVEL_NAMES, levelOf } from '../shared/kdf-levels';

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const params = (memoryKiB: number, iterations: number, parallelism: number): KdfParams => ({
  algorithm: 'argon2id',
  memoryKiB,
  iterations,
  parallelism,
});

describe('hash-wasm Argon2id against the reference implementation', () => {
  // The phc-winner-argon2 test suite (src/test.c, version 0x13):
  //   hashtest(2, 16, 1, "password", "somesalt", "0931…3cf7", …, Argon2_id)   (m = 2^16 KiB)
  // Its 8-byte salt is below our 16-byte minimum, so it checks the library, not argon2idRaw.
  test('password / somesalt, t=2, m=65536 KiB, p=1', async () => {
    const vector = params(65536, 2, 1);
    expect(() => checkKdfParams(vector)).not.toThrow();
    const out = await argon2id({
      password: enc('password'),
      salt: enc('somesalt'),
      iterations: vector.iterations,
      memorySize: vector.memoryKiB,
      parallelism: vector.parallelism,
      hashLength: 32,
      outputType: 'hex',
    });
    expect(out).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
  });
});

describe('argon2idRaw known answers', () => {
  // Computed with the reference C implementation (npm argon2 0.45.1, raw: true, hashLength 32) and
  // cross-checked with an independent one (@noble/hashes 2.4.0 argon2id); both agreed on every row.
  // Each row changes one input from the first, so a dropped or swapped parameter fails a row.
  const SALT = 'securevault-salt'; // 16 bytes: the minimum argon2idRaw accepts
  test.each<[string, string, KdfParams, string]>([
    ['correct horse battery staple', SALT, params(19456, 2, 1), '514c55dc2e66b583b24a52e43a7cf01e7e361135a3f11707d6b5c58680d59994'],
    ['correct horse battery staple', SALT, params(19456, 3, 1), 'e7db6082e30c135cd82e54a77c156b4a6214bb3ed8d6cb5c3a0ddde3deee7b3a'],
    ['correct horse battery staple', SALT, params(20480, 2, 1), '2f15c9176d8a69f1f0af38b480d1c83f20a2fbdb8f0817c7e4afbb33c1ca9fd9'],
    ['correct horse battery staple', SALT, params(19456, 2, 4), '6423c08bcc7d4839898c1a11b8e35f7702fcae15517418f86f0afe402587a920'],
    ['pässwörd 🔑', SALT, params(19456, 2, 1), 'b995c1635bc4e37652ae336ac284e63756023b1544dd1b09ea646d57d9ba9559'],
  ])('%s, %s, %o', async (password, salt, p, expected) => {
    const out = await argon2idRaw(enc(password), enc(salt), p);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(hex(out)).toBe(expected);
  });

  test('leaves password and salt alone', async () => {
    const password = enc('correct horse battery staple');
    const salt = enc(SALT);
    await argon2idRaw(password, salt, params(19456, 2, 1));
    expect(password).toEqual(enc('correct horse battery staple'));
    expect(salt).toEqual(enc(SALT));
  });
});

describe('argon2idRaw input checks', () => {
  const salt = new Uint8Array(16);
  const floor = params(KDF_FLOOR.memoryKiB, KDF_FLOOR.iterations, KDF_FLOOR.parallelism);

  test.each<[string, unknown, unknown, KdfParams, typeof TypeError | typeof RangeError]>([
    ['the reference vector salt (8 bytes)', enc('password'), enc('somesalt'), params(65536, 2, 1), RangeError],
    ['a 15-byte salt', enc('password'), new Uint8Array(15), floor, RangeError],
    ['an empty salt', enc('password'), new Uint8Array(0), floor, RangeError],
    ['a salt that is a string', enc('password'), 'somesaltsomesalt', floor, RangeError],
    ['an empty password', new Uint8Array(0), salt, floor, TypeError],
    ['a password that is a string', 'password', salt, floor, TypeError],
    ['params below the floor', enc('password'), salt, params(8, 1, 1), RangeError],
  ])('refuses %s', async (_why, password, s, p, error) => {
    await expect(argon2idRaw(password as Uint8Array, s as Uint8Array, p)).rejects.toThrow(error);
  });
});

describe('checkKdfParams', () => {
  test.each<[string, KdfParams]>([
    ['DEFAULT_KDF', DEFAULT_KDF],
    ['the floor itself', params(19456, 2, 1)],
    ['the upper bounds', params(4 * 1024 * 1024, 64, 16)],
  ])('accepts %s', (_why, p) => {
    expect(() => checkKdfParams(p)).not.toThrow();
  });

  test.each<[string, KdfParams, typeof TypeError | typeof RangeError]>([
    ['memory one below the floor', params(19455, 2, 1), RangeError],
    ['iterations 1', params(19456, 1, 1), RangeError],
    ['parallelism 0', params(19456, 2, 0), RangeError],
    ['negative memory', params(-65536, 2, 1), RangeError],
    ['memory over 4 GiB', params(4 * 1024 * 1024 + 1, 2, 1), RangeError],
    ['iterations 65', params(19456, 65, 1), RangeError],
    ['parallelism 17', params(19456, 2, 17), RangeError],
    ['non-integer memory', params(19456.5, 2, 1), TypeError],
    ['non-integer iterations', params(19456, 2.5, 1), TypeError],
    ['non-integer parallelism', params(19456, 2, 1.5), TypeError],
    ['NaN memory', params(Number.NaN, 2, 1), TypeError],
    ['infinite iterations', params(19456, Number.POSITIVE_INFINITY, 1), TypeError],
    ['memory as a string', { ...params(19456, 2, 1), memoryKiB: '65536' as unknown as number }, TypeError],
    ['algorithm argon2i', { ...params(65536, 3, 4), algorithm: 'argon2i' as 'argon2id' }, TypeError],
    ['algorithm scrypt', { ...params(65536, 3, 4), algorithm: 'scrypt' as 'argon2id' }, TypeError],
  ])('refuses %s', (_why, p, error) => {
    expect(() => checkKdfParams(p)).toThrow(error);
  });
});

describe('Settings strength levels', () => {
  test('standard is the default, and every level is valid and at least as strong as the default', () => {
    const { algorithm: _a, ...defaults } = DEFAULT_KDF;
    expect(KDF_LEVELS.standard).toEqual(defaults);
    for (const name of KDF_LEVEL_NAMES) {
      const l = KDF_LEVELS[name];
      expect(() => checkKdfParams({ algorithm: 'argon2id', ...l })).not.toThrow();
      expect(l.memoryKiB).toBeGreaterThanOrEqual(defaults.memoryKiB);
      expect(l.iterations).toBeGreaterThanOrEqual(defaults.iterations);
      expect(l.parallelism).toBeGreaterThanOrEqual(defaults.parallelism);
    }
  });

  test('levelOf names stored parameters, and nothing else', () => {
    expect(levelOf({ memoryKiB: 128 * 1024, iterations: 3, parallelism: 4 })).toBe('strong');
    expect(levelOf({ memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 })).toBe('standard');
    expect(levelOf({ memoryKiB: 64 * 1024, iterations: 2, parallelism: 4 })).toBeNull();
  });
});
