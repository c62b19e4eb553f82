/**
 * Save and update offers for logins and signups the user submits. Nothing is saved here: the
 * submitted login is sealed to the offscreen document's transport key and *held* by the worker
 * (which cannot read it) until the user clicks Save or Update in the save bar (save-bar.ts).
 *
 * A submission is any of: a trusted `submit` of the form, Enter in one of its fields, a trusted
 * click on a submit-like button inside or outside the form. One submission may fire all three, so
 * the same username and password within a few seconds count once (and the worker holds one offer
 * per tab). Script-made events (`isTrusted` false) never count. Username-first: the password step
 * is paired with the username remembered from the previous step.
 *
 * When does the bar show? Only once the login went through (decision documented in
 * fill-triggers.ts): in this document when, within 10 s, the password field is removed or hidden
 * or the URL changes (SPA logins by fetch/XHR); after a navigation, in the new top document (the
 * worker asks it), unless that document shows a login form again after a login (rejected). If the
 * form stays for 10 s (an error message, a cleared field), the offer is dropped.
 *
 * A classic form POST unloads the page within milliseconds of the submit, so the public-key work
 * is prepared as soon as the frame has login fields and only one AES-GCM encryption runs on submit.
 */
import { jsonToBytes, wipe } from '../shared/buffer-io';
import { request, viaRuntime } from '../shared/messaging';
import { LABELS, prepareSeal, type PreparedSeal } from '../shared/seal';
import { isVisibleField } from './field-visibility';
import { currentPlan, type FillPlan } from './form-model';
import { closeBar, isBarShown, showBar } from './save-bar';
import { recallUsername } from './username-memory';

const SUBMIT_WORDS = /log.?in|sign.?in|sign.?up|submit|continue|next|create|register|join|save|change|update|weiter|anmelden|connexion/i;
const DEDUPE_MS = 3000;
const WATCH_MS = 10_000;
const WATCH_STEP_MS = 250;

let prepared: Promise<PreparedSeal | null> | null = null;
let last: { username: string; password: string; at: number } | null = null;
let watching: number | null = null;

/** Called when the frame has login fields: fetch the transport key and prepare the sealer once. */
export function prepareOffer(): void {
  if (prepared || !globalThis.crypto?.subtle) return; // non-secure context: never offered (SECURITY.md)
  prepared = request(viaRuntime, 'save.transportKey', {}).then((key) =>
    key.ok ? prepareSeal(key.value.publicKey, LABELS.saveOffer) : null,
  ).catch(() => null);
}

async function send(username: string | Promise<string | null>, password: string, kind: 'login' | 'signup'): Promise<boolean> {
  prepareOffer(); // not prepared yet (fields appeared just now): start it
  const sealer = await prepared;
  prepared = null; // one envelope key per offer
  prepareOffer(); // ready for the next submit on a page that does not unload (SPA)
  if (!sealer) return false;
  const bytes = jsonToBytes({ username: (await username) ?? '', password, kind });
  try {
    const sealed = await sealer.seal(bytes);
    return (await request(viaRuntime, 'save.offer', { sealed })).ok;
  } finally {
    wipe(bytes);
  }
}

/** Show the bar in this (top) document if the worker holds an offer for it. */
let asking = false;

export async function askForBar(loginForm: boolean): Promise<void> {
  if (window !== window.top || isBarShown() || asking) return;
  asking = true;
  const res = await request(viaRuntime, 'save.pending', { loginForm }).finally(() => {
    asking = false;
  });
  if (!res.ok || !res.value.offer || isBarShown()) return;
  const offerId = res.value.offer.offerId;
  showBar(res.value.offer, (choice) => void request(viaRuntime, 'save.decide', { offerId, choice }));
}

/** A submission in this document is still being watched: its outcome decides, not a tab event. */
export function isWatchingOutcome(): boolean {
  return watching !== null;
}

/** After a submission in this document: did the login go through (form gone, route changed)? */
function watchOutcome(plan: FillPlan, href: string): void {
  if (watching !== null) clearInterval(watching);
  const field = plan.password;
  const started = Date.now();
  watching = window.setInterval(() => {
    const gone = !field || !field.isConnected || !isVisibleField(field);
    if (gone || location.href !== href) {
      if (watching !== null) clearInterval(watching);
      watching = null;
      // The top frame shows the bar; a login in a child frame is shown by the top frame after it.
      if (window === window.top) void askForBar(false);
      return;
    }
    if (Date.now() - started > WATCH_MS) {
      if (watching !== null) clearInterval(watching);
      watching = null;
      // The same form is still there: the site rejected the login (or kept the page). Drop it.
      void request(viaRuntime, 'save.decide', { choice: 'dismiss' });
    }
  }, WATCH_STEP_MS);
}

/** A submission was seen (`form`: the form submitted, if any). Offers the login once. */
function submitted(form: HTMLFormElement | null): void {
  const plan = currentPlan();
  if (!plan?.password || plan.password.value === '') return;
  if (form && plan.password.form !== form) return;
  if (plan.kind === 'change-password') return; // the old password: nothing new to save
  const password = plan.password.value;
  const typed = plan.username ? plan.username.value.trim() : null;
  const now = Date.now();
  if (last && now - last.at < DEDUPE_MS && last.password === password && (typed === null || last.username === typed)) return;
  last = { username: typed ?? '', password, at: now };
  closeBar();
  const kind = plan.kind === 'signup' ? 'signup' : 'login';
  const href = location.href; // as submitted: an SPA may change the route before the offer is sent
  void send(typed ?? recallUsername(), password, kind).then((sent) => {
    if (sent) watchOutcome(plan, href);
  });
}

function onSubmit(event: SubmitEvent): void {
  if (!event.isTrusted || !(event.target instanceof HTMLFormElement)) return;
  submitted(event.target);
}

function onKeydown(event: KeyboardEvent): void {
  if (!event.isTrusted || event.key !== 'Enter') return;
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLInputElement)) return;
  const plan = currentPlan();
  if (!plan || (target !== plan.password && target !== plan.username)) return;
  submitted(null);
}

function submitLike(el: Element): boolean {
  const button = el.closest('button, input[type="submit"], input[type="button"], input[type="image"], [role="button"]');
  if (!button) return false;
  if (button instanceof HTMLButtonElement && button.type === 'submit' && button.form) return true;
  const label = button instanceof HTMLInputElement ? button.value : (button.textContent ?? '');
  return SUBMIT_WORDS.test(`${label} ${button.id} ${button.getAttribute('aria-label') ?? ''}`.slice(0, 300));
}

function onClick(event: MouseEvent): void {
  if (!event.isTrusted) return;
  const target = event.composedPath()[0];
  if (!(target instanceof Element) || !submitLike(target)) return;
  submitted(null);
}

export function watchSubmissions(): void {
  document.addEventListener('submit', onSubmit, { capture: true });
  document.addEventListener('keydown', onKeydown, { capture: true });
  document.addEventListener('click', onClick, { capture: true });
}
