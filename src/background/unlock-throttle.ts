/**
 * Unlock attempts are throttled in the worker, before the offscreen document spends an Argon2id
 * derivation on them: after a few failures each further attempt waits twice as long (capped).
 * The counter lives in chrome.storage.local, so neither a worker restart nor a browser restart
 * resets it; a successful unlock does.
 */
const KEY = 'unlockThrottle';
const FREE_ATTEMPTS = 3;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

interface ThrottleState {
  failures: number;
  notBefore: number;
}

async function read(): Promise<ThrottleState> {
  const stored = (await chrome.storage.local.get(KEY))[KEY] as ThrottleState | undefined;
  return stored && Number.isFinite(stored.failures) && Number.isFinite(stored.notBefore) ? stored : { failures: 0, notBefore: 0 };
}

export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS));
}

/** Milliseconds to wait before the next attempt is accepted (0: go ahead). */
export async function unlockWaitMs(now = Date.now()): Promise<number> {
  return Math.max(0, (await read()).notBefore - now);
}

export async function recordUnlockResult(success: boolean, now = Date.now()): Promise<void> {
  if (success) {
    await chrome.storage.local.remove(KEY);
    return;
  }
  const failures = (await read()).failures + 1;
  await chrome.storage.local.set({ [KEY]: { failures, notBefore: now + delayAfter(failures) } satisfies ThrottleState });
}
