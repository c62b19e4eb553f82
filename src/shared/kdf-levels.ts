/**
 * The Argon2id strengths a user can choose in Settings (no imports: the popup uses these without
 * pulling hash-wasm in). `standard` is DEFAULT_KDF (src/offscreen/kdf.ts; a unit test keeps them
 * equal): RFC 9106 §4's second recommended option, m = 64 MiB, t = 3. The stronger ones cost more
 * memory and time at every unlock, for a master password that resists guessing longer if the
 * profile is stolen. Settings shows what each one takes on this computer before it is applied.
 */
export const KDF_LEVELS = {
  standard: { memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 },
  strong: { memoryKiB: 128 * 1024, iterations: 3, parallelism: 4 },
  strongest: { memoryKiB: 256 * 1024, iterations: 4, parallelism: 4 },
} as const;
export type KdfLevel = keyof typeof KDF_LEVELS;
export const KDF_LEVEL_NAMES = Object.keys(KDF_LEVELS) as KdfLevel[];

/** Which level stored parameters are, or null for parameters of no level (an older default, a tamper). */
export function levelOf(p: { memoryKiB: number; iterations: number; parallelism: number }): KdfLevel | null {
  for (const name of KDF_LEVEL_NAMES) {
    const l = KDF_LEVELS[name];
    if (l.memoryKiB === p.memoryKiB && l.iterations === p.iterations && l.parallelism === p.parallelism) return name;
  }
  return null;
}
