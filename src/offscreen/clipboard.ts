/**
 * Copy to the clipboard from the offscreen document (its CLIPBOARD reason), so a copied password
 * goes from the vault straight to the clipboard without crossing the worker or the popup.
 *
 * The clipboard is cleared after the delay the user chose — but only if it still holds what we
 * put there (compared by SHA-256, so the secret is not kept around as a string for the delay).
 * Locking clears it too. An offscreen document cannot use navigator.clipboard (it never has
 * focus); a textarea with execCommand is the documented way for this document type.
 */
import { toBase64Url } from '../shared/buffer-io';

let pending: { digest: string; timer: ReturnType<typeof setTimeout> } | null = null;

async function digestOf(text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

function withTextarea<T>(fn: (area: HTMLTextAreaElement) => T): T {
  const area = document.createElement('textarea');
  document.body.append(area);
  try {
    return fn(area);
  } finally {
    area.value = '';
    area.remove();
  }
}

function write(text: string): boolean {
  return withTextarea((area) => {
    area.value = text;
    area.select();
    return document.execCommand('copy');
  });
}

function read(): string {
  return withTextarea((area) => {
    area.focus();
    document.execCommand('paste');
    return area.value;
  });
}

export async function copyWithClear(text: string, clearAfterMs: number): Promise<boolean> {
  if (pending) clearTimeout(pending.timer);
  if (!write(text)) return false;
  const digest = await digestOf(text);
  pending = clearAfterMs > 0 ? { digest, timer: setTimeout(() => void clearIfOurs(), clearAfterMs) } : null;
  return true;
}

/** Clear the clipboard if it still holds what we copied; leave the user's own copy alone. */
export async function clearIfOurs(): Promise<void> {
  const mine = pending;
  pending = null;
  if (!mine) return;
  clearTimeout(mine.timer);
  if ((await digestOf(read())) === mine.digest) write(' ');
}
