import { expect, test } from 'vitest';
import { DEFAULT_KDF } from '../offscreen/kdf';
import { KDF_SUMMARY } from './kdf-summary';

test('the settings page states the KDF the vault really uses', () => {
  expect(KDF_SUMMARY).toEqual({
    memoryMiB: DEFAULT_KDF.memoryKiB / 1024,
    passes: DEFAULT_KDF.iterations,
    lanes: DEFAULT_KDF.parallelism,
  });
});
