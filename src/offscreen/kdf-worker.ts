/// <reference lib="webworker" />
/**
 * Dedicated worker started by the offscreen document (the honest reason for its WORKERS
 * offscreen reason): runs Argon2id off the document's event loop, so a 0.4 s derivation does not
 * stall other vault requests. Receives the password bytes by transfer, wipes them when done.
 */
import { argon2idRaw, type KdfParams } from './kdf';

interface KdfRequest {
  password: Uint8Array;
  salt: Uint8Array;
  params: KdfParams;
}

self.onmessage = async (event: MessageEvent<KdfRequest>) => {
  const { password, salt, params } = event.data;
  try {
    const out = await argon2idRaw(password, salt, params);
    self.postMessage({ ok: true, out }, [out.buffer]);
  } catch (e) {
    self.postMessage({ ok: false, reason: e instanceof Error ? e.name : 'Error' });
  } finally {
    password.fill(0);
  }
};
