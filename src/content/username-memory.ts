/**
 * Username-first logins (username on one step, password on the next): remember what the user
 * typed or picked in the username step, for a short time, per tab and site — in this document
 * (an SPA that swaps the step in place) and in the worker's chrome.storage.session (a step that
 * is a new page), which only content scripts of the same tab *and origin* can read back.
 * The password step pairs it with the password for a save offer, and the fill triggers use it to
 * choose between several saved logins of the site.
 */
import { request, viaRuntime } from '../shared/messaging';

export const REMEMBER_MS = 5 * 60_000;
let remembered: { username: string; at: number } | null = null;
const watched = new WeakSet<HTMLInputElement>();

function note(input: HTMLInputElement): void {
  const username = input.value.trim().slice(0, 500);
  if (username === '' || username === remembered?.username) return;
  remembered = { username, at: Date.now() };
  void request(viaRuntime, 'step.remember', { username });
}

/** Watch a username-step field: its value counts once the user commits it (change, Enter, leaving). */
export function watchUsernameStep(input: HTMLInputElement): void {
  if (watched.has(input)) return;
  watched.add(input);
  const commit = (e: Event) => {
    if (e.isTrusted) note(input);
  };
  input.addEventListener('change', commit);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') commit(e);
  });
  input.form?.addEventListener('submit', commit, { capture: true });
}

/** The username of the previous step of this site in this tab, if recent. */
export async function recallUsername(): Promise<string | null> {
  if (remembered && Date.now() - remembered.at < REMEMBER_MS) return remembered.username;
  const res = await request(viaRuntime, 'step.recall', {});
  return res.ok ? res.value.username : null;
}
