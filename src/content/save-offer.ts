/**
 * Offer a submitted login to the vault. Only a real submit counts (`isTrusted`: a script's
 * requestSubmit() or synthetic event does not), and what is sent is sealed to the offscreen
 * document's transport key, so the worker relays bytes it cannot read. The worker adds the frame's
 * origin from `sender`; the vault drops logins it already knows and, when locked, queues the
 * offer in its inbox encrypted to the vault's public key. On the password step of a
 * username-first login, the username of the previous step is paired with the password.
 *
 * A classic form POST unloads the page within milliseconds of the submit, so the public-key work
 * is prepared as soon as the frame has login fields and only one AES-GCM encryption runs on submit.
 */
import { jsonToBytes, wipe } from '../shared/buffer-io';
import { request, viaRuntime } from '../shared/messaging';
import { LABELS, prepareSeal, type PreparedSeal } from '../shared/seal';
import { currentPlan } from './form-model';
import { recallUsername } from './username-memory';

let prepared: Promise<PreparedSeal | null> | null = null;

/** Called when the frame has login fields: fetch the transport key and prepare the sealer once. */
export function prepareOffer(): void {
  if (prepared || !globalThis.crypto?.subtle) return; // non-secure context: never offered (SECURITY.md)
  prepared = request(viaRuntime, 'save.transportKey', {}).then((key) =>
    key.ok ? prepareSeal(key.value.publicKey, LABELS.saveOffer) : null,
  ).catch(() => null);
}

async function offer(username: string | Promise<string | null>, password: string): Promise<void> {
  const sealer = await prepared;
  prepared = null; // one envelope key per offer
  prepareOffer(); // ready for the next submit on a page that does not unload (SPA)
  if (!sealer) return;
  const bytes = jsonToBytes({ username: (await username) ?? '', password });
  try {
    const sealed = await sealer.seal(bytes);
    await request(viaRuntime, 'save.offer', { sealed });
  } finally {
    wipe(bytes);
  }
}

export function onSubmit(event: SubmitEvent): void {
  if (!event.isTrusted || !(event.target instanceof HTMLFormElement)) return;
  const plan = currentPlan();
  if (!plan?.password || plan.password.form !== event.target || plan.password.value === '') return;
  if (plan.kind === 'change-password') return; // the old password: nothing new to save
  void offer(plan.username ? plan.username.value : recallUsername(), plan.password.value);
}
