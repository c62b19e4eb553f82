/**
 * Offer a submitted login to the vault. Only a real submit counts (`isTrusted`: a script's
 * requestSubmit() or synthetic event does not), and what is sent is sealed to the offscreen
 * document's transport key, so the worker relays bytes it cannot read. The worker adds the frame's
 * origin from `sender`; the vault drops logins it already knows and, when locked, queues the
 * offer in its inbox encrypted to the vault's public key.
 *
 * A classic form POST unloads the page within milliseconds of the submit, so the public-key work
 * is prepared as soon as the frame has login fields and only one AES-GCM encryption runs on submit.
 */
import { jsonToBytes, wipe } from '../shared/buffer-io';
import { request, viaRuntime } from '../shared/messaging';
import { LABELS, prepareSeal, type PreparedSeal } from '../shared/seal';
import { findLoginFields } from './login-fields';

let prepared: Promise<PreparedSeal | null> | null = null;

/** Called when the frame has login fields: fetch the transport key and prepare the sealer once. */
export function prepareOffer(): void {
  if (prepared || !globalThis.crypto?.subtle) return; // non-secure context: never offered (SECURITY.md)
  prepared = request(viaRuntime, 'save.transportKey', {}).then((key) =>
    key.ok ? prepareSeal(key.value.publicKey, LABELS.saveOffer) : null,
  ).catch(() => null);
}

async function offer(username: string, password: string): Promise<void> {
  const sealer = await prepared;
  prepared = null; // one envelope key per offer
  prepareOffer(); // ready for the next submit on a page that does not unload (SPA)
  if (!sealer) return;
  const bytes = jsonToBytes({ username, password });
  try {
    const sealed = await sealer.seal(bytes);
    await request(viaRuntime, 'save.offer', { sealed });
  } finally {
    wipe(bytes);
  }
}

export function onSubmit(event: SubmitEvent): void {
  if (!event.isTrusted || !(event.target instanceof HTMLFormElement)) return;
  const fields = findLoginFields();
  if (!fields || fields.password.form !== event.target || fields.password.value === '') return;
  void offer(fields.username?.value ?? '', fields.password.value);
}
