/**
 * Fill engine (isolated world), imported by content-script.ts only when this frame has candidate
 * fields or the worker addresses it. It announces the frame to the worker when it has something
 * fillable, and fills only when the worker asks on behalf of a user action. It never asks for
 * credentials on its own: it fetches them only with a request id the worker just issued for this
 * very document, and receives them sealed to a key pair made for that one fill. After opening
 * them it looks at the page again and fills only the fields that are visible *now*.
 */
import { request, viaRuntime } from '../shared/messaging';
import { parseMessage } from '../shared/messages';
import { fail, ok, type Result } from '../shared/result';
import { LABELS } from '../shared/seal';
import { withSealedFill } from './sealed-fill';
import type { EngineHooks } from './engine-api';
import { fillInput } from './fill-field';
import { currentCodeFields, currentPlan } from './form-model';
import { fillCode, focusedCodeField } from './fill-code';
import { quietFor, watchFocus } from './inline-menu';
import { askForBar, isWatchingOutcome, prepareOffer, watchSubmissions } from './save-offer';
import { watchUsernameStep } from './username-memory';

let announced = -1;
let announcedCodes = -1;

let askedOnLoad = false;

/**
 * Once per document, in the top frame, when a login form is visible: the worker fills the one item
 * that opted in to "fill on page load" for this exact origin, if there is one (fill-triggers.ts).
 */
function askFillOnLoad(plan: ReturnType<typeof currentPlan>): void {
  if (askedOnLoad || window !== window.top || !plan?.password || (plan.kind !== 'login' && plan.kind !== 'password-step')) return;
  askedOnLoad = true;
  void request(viaRuntime, 'fill.onLoad', {});
}

async function announce(force = false): Promise<void> {
  const plan = currentPlan();
  if (plan?.kind === 'username-step' && plan.username) watchUsernameStep(plan.username);
  const count = plan ? 1 : 0;
  const codes = currentCodeFields() ? 1 : 0;
  const same = count === announced && codes === announcedCodes;
  const nothingYet = count === 0 && codes === 0 && announced === -1;
  if (!force && (same || nothingYet)) return;
  announced = count;
  announcedCodes = codes;
  await request(viaRuntime, 'frame.ready', { loginFields: count, codeFields: codes });
  if (plan?.password) prepareOffer();
  askFillOnLoad(plan);
}

function fillFields(cred: { username: unknown; password: unknown }): Result<{ filled: number }> {
  if (typeof cred.username !== 'string' || typeof cred.password !== 'string') return fail('bad_message');
  // The page may have changed while we waited: look again and fill only what is visible now.
  const plan = currentPlan();
  if (!plan) return fail('no_fields');
  quietFor(500); // our own focus() calls must not open the inline menu
  let filled = 0;
  if (plan.username && cred.username !== '') {
    fillInput(plan.username, cred.username);
    filled++;
  }
  if (plan.password && cred.password !== '') {
    fillInput(plan.password, cred.password);
    filled++;
  }
  return filled > 0 ? ok({ filled }) : fail('no_fields');
}

/**
 * Not a secure context (plain http on a non-local host): no WebCrypto, so nothing can be sealed to
 * this frame. The worker and the vault give a credential only for an item the user opted in
 * (allowInsecureFill), and it crosses the worker in plaintext — the documented exception.
 */
async function fillWithoutCrypto(requestId: string): Promise<Result<{ filled: number }>> {
  const fetched = await request(viaRuntime, 'fill.fetchPlain', { requestId });
  return fetched.ok ? fillFields(fetched.value) : fetched;
}

async function fill(requestId: string): Promise<Result<{ filled: number }>> {
  if (!currentPlan()) return fail('no_fields');
  if (!globalThis.crypto?.subtle) return fillWithoutCrypto(requestId);
  return withSealedFill(requestId, LABELS.fill(requestId), (opened) => fillFields(opened as { username: unknown; password: unknown }));
}

/** A message from the worker (content-script.ts has checked the sender). */
export async function handleWorkerMessage(raw: unknown): Promise<Result<unknown>> {
  const parsed = parseMessage(raw, 'content', 'worker');
  if (!parsed.ok) return parsed;
  switch (parsed.value.type) {
    case 'content.fill':
      return fill(parsed.value.payload.requestId);
    case 'content.fillCode':
      return fillCode(parsed.value.payload.requestId);
    case 'content.focus':
      return ok({ code: focusedCodeField() });
    case 'content.probe':
      // The worker needs this frame's origin and documentId from `sender` (a fill triggered in a
      // same-origin child frame is decided on the top frame's origin).
      await announce(true);
      return ok(null);
    case 'content.savePrompt': {
      // A login was submitted in this tab and the top document changed: show the bar here, unless
      // this page shows a login form again (a rejected login: the worker decides with this fact).
      // While this document still watches its own submission (SPA), its outcome decides instead.
      if (isWatchingOutcome()) return ok(null);
      const plan = currentPlan();
      void askForBar(plan !== null && (plan.kind === 'login' || plan.kind === 'password-step'));
      return ok(null);
    }
    default:
      return fail('unknown_type');
  }
}

export function start(hooks: EngineHooks): void {
  hooks.onFieldsMayHaveChanged(() => void announce());
  watchSubmissions();
  watchFocus();
  void announce();
}
