/**
 * Argon2id (RFC 9106) through hash-wasm. Runs in the KDF worker the offscreen document starts
 * (kdf-worker.ts) and in unit tests; nothing else derives keys from the master password.
 */
import { argon2id } from 'hash-wasm';

export interface KdfParams {
  algorithm: 'argon2id';
  /** memory in KiB */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/**
 * Defaults: m = 64 MiB, t = 3, p = 4 — above OWASP's Argon2id minimum (19 MiB, t = 2, p = 1).
 * RFC 9106 §4 recommends 2 GiB or 64 MiB with t = 3 where memory is constrained; a browser
 * extension is such a place.
 */
export const DEFAULT_KDF: KdfParams = { algorithm: 'argon2id', memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 };

/** Parameters below this are refused when found in storage: a tampered vault, not a weak one to obey. */
export const KDF_FLOOR: Omit<KdfParams, 'algorithm'> = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };

export function checkKdfParams(p: KdfParams): void {
  if (p.algorithm !== 'argon2id') throw new TypeError('kdf: unknown algorithm');
  for (const k of ['memoryKiB', 'iterations', 'parallelism'] as const) {
    if (!Number.isInteger(p[k])) throw new TypeError(`kdf: ${k} must be an integer`);
  }
  if (p.memoryKiB < KDF_FLOOR.memoryKiB || p.memoryKiB > 4 * 1024 * 1024) throw new RangeError('kdf: memory out of range');
  if (p.iterations < KDF_FLOOR.iterations || p.iterations > 64) throw new RangeError('kdf: iterations out of range');
  if (p.parallelism < KDF_FLOOR.parallelism || p.parallelism > 16) throw new RangeError('kdf: parallelism out of range');
}

/** 32 bytes from the master password. The caller owns (and wipes) both the input and the output. */
export async function argon2idRaw(password: Uint8Array, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  checkKdfParams(params);
  if (!(password instanceof Uint8Array) || password.length === 0) throw new TypeError('kdf: empty password');
  if (!(salt instanceof Uint8Array) || salt.length < 16) throw new RangeError('kdf: salt must be at least 16 bytes');
  return argon2id({
    password,
    salt,
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
}
