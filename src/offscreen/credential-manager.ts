/**
 * Offscreen document "CredentialManager": the only realm with keys (DESIGN.md §1–§2).
 *
 * Why this document exists and what it does:
 * - holds the non-extractable vault keys and the decrypted overviews while unlocked;
 * - owns the encrypted store in IndexedDB;
 * - runs Argon2id in a dedicated worker (its offscreen reason: WORKERS);
 * - copies secrets to the clipboard and clears them later (its offscreen reason: CLIPBOARD);
 * - opens envelopes sealed to its transport key (master password, new item secrets) and seals
 *   answers to the requesting realm's reply key (reveal in the popup, fill in a content script);
 * - computes TOTP codes from item seeds for a code fill or copy (one-time-codes.ts).
 *
 * It answers the extension's service worker only. Requests are handled one at a time, so a
 * create racing an unlock, or two edits, cannot interleave.
 */
import { KDF_LEVELS, levelOf } from '../shared/kdf-levels';
import type { FrameLocation } from '../shared/origin-match';
import { randomBytes, wipe } from '../shared/buffer-io';
import { isAddressedTo, parseMessage, type AnyMessage } from '../shared/messages';
import { logEvent } from '../shared/log';
import { VaultError, fail, ok, type Result } from '../shared/result';
import { LABELS, createReplyKeyPair, open, seal, type Envelope, type ReplyKeyPair } from '../shared/seal';
import { clearIfOurs, copyWithClear } from './clipboard';
import { deriveInWorker } from './kdf-runner';
import { codeFillBytes, currentCode } from './one-time-codes';
import { dropSnapshots, listPage } from './list-pages';
import { isOwnServiceWorker } from './offscreen-sender';
import * as vault from './vault-session';
import * as transfer from './vault-transfer';

/** Transport key: made fresh for each document, so it dies with the realm on lock. */
const transport: Promise<ReplyKeyPair> = createReplyKeyPair();

async function openToTransport(envelope: Envelope, label: string): Promise<Uint8Array> {
  try {
    return await open((await transport).privateKey, envelope, label);
  } catch {
    throw new VaultError('bad_message');
  }
}

/**
 * The change-password envelope carries both passwords as [u32 length of current][current][next],
 * so neither becomes a JavaScript string here.
 */
function splitPasswordPair(bytes: Uint8Array): { current: Uint8Array; next: Uint8Array } {
  if (bytes.length < 4) throw new VaultError('bad_message');
  const n = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  if (n > bytes.length - 4) throw new VaultError('bad_message');
  return { current: bytes.slice(4, 4 + n), next: bytes.slice(4 + n) };
}

async function sealFile(bytes: Uint8Array, replyKey: string): Promise<{ sealed: Envelope }> {
  try {
    return { sealed: await seal(replyKey, bytes, LABELS.exportFile) };
  } finally {
    wipe(bytes);
  }
}

async function handle(msg: AnyMessage): Promise<unknown> {
  switch (msg.type) {
    case 'cm.status':
      // Unlocked implies a vault: no IndexedDB read on the popup's first request then.
      return { hasVault: vault.isUnlocked() || (await vault.hasVault()), unlocked: vault.isUnlocked() };
    case 'cm.transportKey':
      return { publicKey: (await transport).publicKey };
    case 'cm.create': {
      const pw = await openToTransport(msg.payload.sealed, LABELS.create);
      try {
        await vault.createVault(pw, deriveInWorker);
      } finally {
        wipe(pw);
      }
      return null;
    }
    case 'cm.unlock': {
      const pw = await openToTransport(msg.payload.sealed, LABELS.unlock);
      try {
        await vault.unlock(pw, deriveInWorker);
      } finally {
        wipe(pw);
      }
      return null;
    }
    case 'cm.lock':
      await clearIfOurs();
      transfer.dropPendingImport();
      dropSnapshots();
      vault.lock();
      return null;
    case 'cm.copy': {
      const { itemId, field } = msg.payload;
      const text = field === 'totp' ? await currentCode(itemId) : await vault.fieldForCopy(itemId, field);
      return { copied: await copyWithClear(text, msg.payload.clearAfterMs) };
    }
    case 'cm.list':
      return vault.listItems();
    case 'cm.listPage':
      return listPage(vault.listUnsorted, msg.payload);
    case 'cm.importPreview': {
      const file = await openToTransport(msg.payload.sealed, LABELS.importFile);
      const sealedPassword = msg.payload.sealedPassword;
      const password = sealedPassword ? await openToTransport(sealedPassword, LABELS.importPassword) : null;
      return transfer.previewImport(file, password);
    }
    case 'cm.importCommit':
      return transfer.commitImport(msg.payload.importId);
    case 'cm.exportEncrypted': {
      const password = await openToTransport(msg.payload.sealed, LABELS.exportPassword);
      return sealFile(await transfer.exportEncrypted(password), msg.payload.replyKey);
    }
    case 'cm.exportCsv': {
      const master = await openToTransport(msg.payload.sealed, LABELS.exportMaster);
      return sealFile(await transfer.exportCsv(master, deriveInWorker), msg.payload.replyKey);
    }
    case 'cm.health':
      return vault.healthReport();
    case 'cm.plainFill':
      return vault.plainFill(msg.payload.itemId, msg.payload.origin);
    case 'cm.changePassword': {
      const bytes = await openToTransport(msg.payload.sealed, LABELS.changePassword);
      let current: Uint8Array | undefined;
      let next: Uint8Array | undefined;
      try {
        ({ current, next } = splitPasswordPair(bytes));
        await vault.changePassword(current, next, deriveInWorker);
      } finally {
        wipe(bytes, current, next);
      }
      return null;
    }
    case 'cm.kdf': {
      const p = await vault.kdfParams();
      return { memoryKiB: p.memoryKiB, iterations: p.iterations, parallelism: p.parallelism, level: levelOf(p) };
    }
    case 'cm.kdfTime': {
      // One run on random input, in a worker like unlock's: what the level costs here, not a guess.
      const password = randomBytes(16);
      const t0 = performance.now();
      const out = await deriveInWorker(password, randomBytes(16), { algorithm: 'argon2id', ...KDF_LEVELS[msg.payload.level] });
      const ms = Math.round(performance.now() - t0);
      wipe(out, password);
      return { ms };
    }
    case 'cm.setKdf': {
      const password = await openToTransport(msg.payload.sealed, LABELS.setKdf);
      try {
        await vault.setKdf(password, { algorithm: 'argon2id', ...KDF_LEVELS[msg.payload.level] }, deriveInWorker);
      } finally {
        wipe(password);
      }
      return null;
    }
    case 'cm.saveOffer': {
      const offer = await openToTransport(msg.payload.sealed, LABELS.saveOffer);
      return { queued: await vault.queueOffer(msg.payload.origin, offer) };
    }
    case 'cm.onLoadItem':
      return { itemId: vault.fillOnLoadItem(msg.payload.origin) };
    case 'cm.offerStatus':
      return vault.offerStatus(msg.payload.origin, await openToTransport(msg.payload.sealed, LABELS.saveOffer));
    case 'cm.add': {
      const details = await openToTransport(msg.payload.sealedDetails, LABELS.itemDetails);
      return { id: await vault.addItem(msg.payload.overview, details) };
    }
    case 'cm.update': {
      const sealed = msg.payload.sealedDetails;
      const details = sealed ? await openToTransport(sealed, LABELS.itemDetails) : null;
      await vault.updateItem(msg.payload.id, msg.payload.overview, details);
      return null;
    }
    case 'cm.delete':
      await vault.deleteItem(msg.payload.id);
      return null;
    case 'cm.details': {
      const bytes = await vault.detailsBytes(msg.payload.id);
      try {
        return { sealed: await seal(msg.payload.replyKey, bytes, LABELS.reveal(msg.payload.id)) };
      } finally {
        wipe(bytes);
      }
    }
    case 'cm.match':
      return { items: vault.matchCandidates(frameOf(msg.payload)) };
    case 'cm.matchItem':
      return { match: vault.matchItem(msg.payload.itemId, frameOf(msg.payload)) };
    case 'cm.sealFill': {
      const bytes = await vault.fillBytes(msg.payload.itemId, frameOf(msg.payload));
      try {
        return { sealed: await seal(msg.payload.replyKey, bytes, LABELS.fill(msg.payload.requestId)) };
      } finally {
        wipe(bytes);
      }
    }
    case 'cm.sealCode': {
      const bytes = await codeFillBytes(msg.payload.itemId, frameOf(msg.payload));
      try {
        return { sealed: await seal(msg.payload.replyKey, bytes, LABELS.fillCode(msg.payload.requestId)) };
      } finally {
        wipe(bytes);
      }
    }
    default:
      throw new VaultError('unknown_type');
  }
}

/** The frame a fill is for, as the worker had it from the browser (`sender.origin`, `sender.url`). */
function frameOf(p: { origin: string; url?: string | undefined }): FrameLocation {
  return p.url === undefined ? { origin: p.origin } : { origin: p.origin, url: p.url };
}

let queue: Promise<unknown> = Promise.resolve();

function enqueue(msg: AnyMessage): Promise<Result<unknown>> {
  const run = queue.then(async (): Promise<Result<unknown>> => {
    try {
      return ok(await handle(msg));
    } catch (e) {
      // IndexedDB failures (quota, I/O, aborted transactions) are storage errors the user can act on;
      // the transaction rolled back, so nothing was changed.
      const code = e instanceof VaultError ? e.code : e instanceof DOMException ? 'storage_failed' : 'internal';
      logEvent('offscreen', msg.type, code);
      return fail(code);
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  if (!isAddressedTo(raw, 'offscreen')) return false;
  if (!isOwnServiceWorker(sender)) {
    logEvent('offscreen', 'refused', 'bad_sender');
    sendResponse(fail('bad_sender'));
    return false;
  }
  const parsed = parseMessage(raw, 'offscreen', 'worker');
  if (!parsed.ok) {
    sendResponse(parsed);
    return false;
  }
  void enqueue(parsed.value).then(sendResponse);
  return true;
});
