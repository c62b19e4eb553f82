/**
 * Service worker "SecureVault": router, policy, buffer tracking, lifecycle, timers. It relays; it
 * never holds a key or a plaintext secret. Listeners are one-line delegates to named handlers.
 *
 * Chromium may stop this worker at any moment; nothing that matters lives only in its globals
 * (frames and the activity timestamp are in chrome.storage.session, settings and the unlock
 * throttle in chrome.storage.local, the vault and its lock state in the offscreen document).
 */
import { isAddressedTo, parseMessage } from '../shared/messages';
import { logEvent } from '../shared/log';
import { fail } from '../shared/result';
import { AUTO_LOCK_ALARM, isAutoLockDue, readSettings } from './auto-lock';
import { forgetTab } from './frame-registry';
import { drainTab } from './secret-requests';
import { classifySender } from './sender-policy';
import { handleWorkerMessage, lockVault } from './vault-handlers';
import { forgetSteps, installContextMenu, onContextMenuClicked, onFillCommand } from './fill-triggers';

export function onMessage(raw: unknown, sender: chrome.runtime.MessageSender, sendResponse: (r: unknown) => void): boolean {
  if (!isAddressedTo(raw, 'worker')) return false;
  const who = classifySender(sender);
  if (!who) {
    logEvent('worker', 'refused', 'bad_sender');
    sendResponse(fail('bad_sender'));
    return false;
  }
  const parsed = parseMessage(raw, 'worker', who.kind);
  if (!parsed.ok) {
    logEvent('worker', 'refused', parsed.error);
    sendResponse(parsed);
    return false;
  }
  handleWorkerMessage(parsed.value, who).then(sendResponse, () => sendResponse(fail('internal')));
  return true;
}

export async function onAlarm(alarm: chrome.alarms.Alarm): Promise<void> {
  if (alarm.name === AUTO_LOCK_ALARM && (await isAutoLockDue())) {
    logEvent('worker', 'auto-lock');
    await lockVault();
  }
}

export async function onIdleStateChanged(state: `${chrome.idle.IdleState}`): Promise<void> {
  if (state === 'locked' && (await readSettings()).lockOnSystemLock) {
    logEvent('worker', 'system-lock');
    await lockVault();
  }
}

export async function onCommand(command: string): Promise<void> {
  if (command === 'lock-vault') await lockVault();
}

function onTabRemoved(tabId: number): void {
  drainTab(tabId);
  void forgetTab(tabId);
}

function onTabUpdated(tabId: number, change: chrome.tabs.OnUpdatedInfo): void {
  // A navigation replaces the documents that owned in-flight requests. (Which frames the tab has
  // now is asked afresh whenever the popup or a trigger needs it: see ensureTopFrame.)
  if (change.status === 'loading') drainTab(tabId);
}

chrome.runtime.onMessage.addListener(onMessage);
chrome.tabs.onRemoved.addListener(onTabRemoved);
chrome.tabs.onUpdated.addListener(onTabUpdated);
chrome.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm));
chrome.idle.onStateChanged.addListener((state) => void onIdleStateChanged(state));
chrome.commands.onCommand.addListener((command) => void onCommand(command));
// Autofill triggers (src/background/fill-triggers.ts): keyboard command, context menu, step memory.
chrome.commands.onCommand.addListener((command, tab) => void onFillCommand(command, tab));
chrome.contextMenus.onClicked.addListener((info, tab) => void onContextMenuClicked(info, tab));
chrome.runtime.onInstalled.addListener(() => installContextMenu());
chrome.tabs.onRemoved.addListener((tabId) => void forgetSteps(tabId));
