/**
 * What the settings page says about the master password's key derivation. The popup must not
 * import src/offscreen/kdf.ts (it would pull hash-wasm into the popup), so the figures are
 * repeated here; kdf-summary.test.ts fails if they drift from DEFAULT_KDF.
 */
export const KDF_SUMMARY = { memoryMiB: 64, passes: 3, lanes: 4 } as const;
