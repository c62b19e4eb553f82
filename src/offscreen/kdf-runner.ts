/** Runs one Argon2id derivation in a fresh dedicated worker (see kdf-worker.ts). */
import type { KdfParams } from './kdf';

export function deriveInWorker(password: Uint8Array, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./kdf-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ ok: boolean; out?: Uint8Array; reason?: string }>) => {
      worker.terminate();
      if (event.data.ok && event.data.out) resolve(event.data.out);
      else reject(new Error(`kdf failed: ${event.data.reason ?? 'unknown'}`));
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error('kdf worker failed to start'));
    };
    // Transfer a copy: the worker wipes its copy, the caller wipes the original.
    const copy = password.slice();
    worker.postMessage({ password: copy, salt, params }, [copy.buffer]);
  });
}
