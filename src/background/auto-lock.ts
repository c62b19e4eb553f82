/**
 * Auto-lock: after N minutes without vault activity, on system screen lock / idle, and (by
 * construction) on browser restart, when the offscreen realm is gone. Enforced with a timestamp in
 * chrome.storage.session and a chrome.alarms alarm, so it fires while the worker sleeps — never a
 * worker setTimeout, which dies with the worker (THREATS.md §E).
 */
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../shared/messages';
import * as v from 'valibot';

export const AUTO_LOCK_ALARM = 'auto-lock';
const ACTIVITY_KEY = 'lastActivity';
const SETTINGS_KEY = 'settings';
/** Test hook: a shorter idle limit in ms, read from storage.local (never set by the UI). */
const TEST_LIMIT_KEY = 'autoLockTestMs';

export async function readSettings(): Promise<Settings> {
  const raw = (await chrome.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
  const parsed = v.safeParse(SettingsSchema, raw);
  return parsed.success ? parsed.output : DEFAULT_SETTINGS;
}

export async function writeSettings(settings: Settings): Promise<Settings> {
  await chrome.storage.local.set({ [SETTINGS_KEY]: settings });
  await scheduleAutoLock();
  return settings;
}

async function idleLimitMs(): Promise<number> {
  const test = (await chrome.storage.local.get(TEST_LIMIT_KEY))[TEST_LIMIT_KEY];
  if (typeof test === 'number' && test > 0) return test;
  const { autoLockMinutes } = await readSettings();
  return autoLockMinutes * 60_000;
}

/** Called on every vault request from the popup or a fill: pushes the deadline out. */
export async function noteActivity(now = Date.now()): Promise<void> {
  await chrome.storage.session.set({ [ACTIVITY_KEY]: now });
  await scheduleAutoLock(now);
}

export async function scheduleAutoLock(now = Date.now()): Promise<void> {
  const limit = await idleLimitMs();
  if (limit <= 0) {
    await chrome.alarms.clear(AUTO_LOCK_ALARM);
    return;
  }
  const last = ((await chrome.storage.session.get(ACTIVITY_KEY))[ACTIVITY_KEY] as number | undefined) ?? now;
  await chrome.alarms.create(AUTO_LOCK_ALARM, { when: Math.max(now, last + limit) });
}

/** On the alarm: lock if the idle limit really passed (the alarm may be stale), else re-arm. */
export async function isAutoLockDue(now = Date.now()): Promise<boolean> {
  const limit = await idleLimitMs();
  if (limit <= 0) return false;
  const last = (await chrome.storage.session.get(ACTIVITY_KEY))[ACTIVITY_KEY] as number | undefined;
  if (last === undefined || now - last >= limit) return true;
  await scheduleAutoLock(now);
  return false;
}
