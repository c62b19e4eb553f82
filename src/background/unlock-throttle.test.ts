import { beforeEach, describe, expect, test } from 'vitest';
import { installChromeStub } from '../test-support/chrome-stub';
import { delayAfter, recordUnlockResult, unlockWaitMs } from './unlock-throttle';

beforeEach(() => installChromeStub());

describe('delayAfter', () => {
  test.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 1_000],
    [4, 2_000],
    [5, 4_000],
    [10, 128_000],
    [12, 300_000], // capped at 5 minutes
    [100, 300_000],
  ])('%i failures → wait %i ms', (failures, ms) => {
    expect(delayAfter(failures)).toBe(ms);
  });
});

describe('recordUnlockResult / unlockWaitMs', () => {
  test('three free failures, then a growing wait; success resets', async () => {
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) await recordUnlockResult(false, t);
    expect(await unlockWaitMs(t)).toBe(1_000); // the third failure already costs 1 s
    await recordUnlockResult(false, t);
    expect(await unlockWaitMs(t)).toBe(2_000);
    expect(await unlockWaitMs(t + 2_000)).toBe(0);
    await recordUnlockResult(true, t + 2_000);
    expect(await unlockWaitMs(t + 2_000)).toBe(0);
    await recordUnlockResult(false, t + 3_000);
    expect(await unlockWaitMs(t + 3_000)).toBe(0); // counter started over
  });

  test('a corrupt stored state is treated as no failures', async () => {
    await chrome.storage.local.set({ unlockThrottle: { failures: 'many', notBefore: null } });
    expect(await unlockWaitMs()).toBe(0);
  });
});
