/**
 * The one way a content script gets a secret for a fill: a one-time key pair made here (private
 * half non-extractable), `fill.fetch` with the request id the worker issued for this document, and
 * the answer opened under the label of that fill kind. The opened JSON is handed to `use`; the
 * bytes are wiped whatever happens.
 */
import { bytesToJson, wipe } from '../shared/buffer-io';
import { request, viaRuntime } from '../shared/messaging';
import { fail, type Result } from '../shared/result';
import { createReplyKeyPair, open } from '../shared/seal';

export async function withSealedFill<T>(requestId: string, label: string, use: (opened: unknown) => Result<T>): Promise<Result<T>> {
  const keys = await createReplyKeyPair();
  const fetched = await request(viaRuntime, 'fill.fetch', { requestId, replyKey: keys.publicKey });
  if (!fetched.ok) return fetched;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await open(keys.privateKey, fetched.value.sealed, label);
    return use(bytesToJson(bytes));
  } catch {
    return fail('bad_message');
  } finally {
    wipe(bytes);
  }
}
