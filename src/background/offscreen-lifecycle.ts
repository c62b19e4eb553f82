/**
 * Offscreen document lifecycle: create once, find again after the worker was stopped, close on
 * lock. Chromium allows one offscreen document per extension and rejects a concurrent second
 * createDocument, so creation goes through one in-flight promise (THREATS.md §E: two racing
 * creations make exactly one document).
 */
import { OFFSCREEN_PAGE } from './sender-policy';

let creating: Promise<void> | null = null;

export async function offscreenExists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_PAGE)],
  });
  return contexts.length > 0;
}

export async function ensureOffscreen(): Promise<void> {
  if (await offscreenExists()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PAGE,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.CLIPBOARD],
      justification:
        'Runs the Argon2id key derivation in a dedicated worker, and copies a password to the clipboard and clears it after a delay, from the one realm that holds the vault keys.',
    })
    .catch(async (e: unknown) => {
      // Another caller (or a previous worker instance) may have won the race.
      if (!(await offscreenExists())) throw e;
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function closeOffscreen(): Promise<void> {
  if (await offscreenExists()) {
    await chrome.offscreen.closeDocument().catch(() => undefined);
  }
}
