/**
 * The popup's only door to the vault: messages to the service worker. Secrets go out sealed to
 * the offscreen document's transport key and come back sealed to a key pair made for that one
 * request, so the worker in between never sees them in clear.
 */
import { bytesToJson, jsonToBytes, utf8Encode, wipe } from '../shared/buffer-io';
import type { CopyField, ImportPreviewResult, ItemDetails, OverviewInput, Settings } from '../shared/messages';
import type { KdfLevel } from '../shared/kdf-levels';
import { request, viaRuntime } from '../shared/messaging';
import { fail, ok, type Result } from '../shared/result';
import { LABELS, createReplyKeyPair, open, seal, type Envelope } from '../shared/seal';

const send = viaRuntime;

async function sealToVault(plaintext: Uint8Array, label: string): Promise<Result<Envelope>> {
  const key = await request(send, 'vault.transportKey', {});
  if (!key.ok) return key;
  return ok(await seal(key.value.publicKey, plaintext, label));
}

/** Master passwords are NFKC-normalised (never truncated), so the same password typed on another keyboard works. */
async function sealPassword(password: string, label: string): Promise<Result<Envelope>> {
  const bytes = utf8Encode(password.normalize('NFKC'));
  try {
    return await sealToVault(bytes, label);
  } finally {
    wipe(bytes);
  }
}

async function sealDetails(details: ItemDetails): Promise<Result<Envelope>> {
  const bytes = jsonToBytes({ password: details.password, notes: details.notes, totp: details.totp, fields: details.fields ?? [] });
  try {
    return await sealToVault(bytes, LABELS.itemDetails);
  } finally {
    wipe(bytes);
  }
}

export const vault = {
  status: () => request(send, 'vault.status', {}),

  async create(password: string) {
    const sealed = await sealPassword(password, LABELS.create);
    return sealed.ok ? request(send, 'vault.create', { sealed: sealed.value }) : sealed;
  },

  async unlock(password: string) {
    // User Timing marks (no data in them): the benchmark reads the unlock round trip from these.
    performance.mark('securevault:unlock:start');
    const sealed = await sealPassword(password, LABELS.unlock);
    const res = sealed.ok ? await request(send, 'vault.unlock', { sealed: sealed.value }) : sealed;
    performance.measure('securevault:unlock', 'securevault:unlock:start');
    return res;
  },

  lock: () => request(send, 'vault.lock', {}),

  /** Both passwords travel in one envelope as [u32 length][current][next] bytes. */
  async changePassword(current: string, next: string) {
    const a = utf8Encode(current.normalize('NFKC'));
    const b = utf8Encode(next.normalize('NFKC'));
    const pair = new Uint8Array(4 + a.length + b.length);
    new DataView(pair.buffer).setUint32(0, a.length);
    pair.set(a, 4);
    pair.set(b, 4 + a.length);
    try {
      const sealed = await sealToVault(pair, LABELS.changePassword);
      return sealed.ok ? request(send, 'vault.changePassword', { sealed: sealed.value }) : sealed;
    } finally {
      wipe(a, b, pair);
    }
  },

  kdf: () => request(send, 'vault.kdf', {}),
  kdfTime: (level: KdfLevel) => request(send, 'vault.kdfTime', { level }),

  /** Re-wrap under another Argon2id strength; the master password travels sealed, as for unlock. */
  async setKdf(password: string, level: KdfLevel) {
    const sealed = await sealPassword(password, LABELS.setKdf);
    return sealed.ok ? request(send, 'vault.setKdf', { sealed: sealed.value, level }) : sealed;
  },

  settings: () => request(send, 'settings.get', {}),
  saveSettings: (settings: Settings) => request(send, 'settings.set', settings),
  list: () => request(send, 'items.list', {}),
  /** A page of the list: the first (no snapshot) takes a sorted snapshot; later ones name it. */
  page: (snapshot: string | undefined, offset: number, limit: number) =>
    request(send, 'items.page', snapshot === undefined ? { offset, limit } : { snapshot, offset, limit }),
  health: () => request(send, 'items.health', {}),
  /** Straight from the vault to the clipboard (a one-time code is computed there too), cleared later. */
  copy: (itemId: string, field: CopyField) => request(send, 'clipboard.copy', { itemId, field }),

  async add(overview: OverviewInput, details: ItemDetails) {
    const sealed = await sealDetails(details);
    return sealed.ok ? request(send, 'items.add', { overview, sealedDetails: sealed.value }) : sealed;
  },

  async update(id: string, overview: OverviewInput, details: ItemDetails | null) {
    if (!details) return request(send, 'items.update', { id, overview });
    const sealed = await sealDetails(details);
    return sealed.ok ? request(send, 'items.update', { id, overview, sealedDetails: sealed.value }) : sealed;
  },

  remove: (id: string) => request(send, 'items.delete', { id }),

  /** Decrypt an item's secret fields for the editor, reveal or copy. */
  async details(id: string): Promise<Result<ItemDetails>> {
    const keys = await createReplyKeyPair();
    const res = await request(send, 'items.details', { id, replyKey: keys.publicKey });
    if (!res.ok) return res;
    let bytes: Uint8Array | undefined;
    try {
      bytes = await open(keys.privateKey, res.value.sealed, LABELS.reveal(id));
      const d = bytesToJson(bytes) as Partial<ItemDetails>;
      if (typeof d.password !== 'string' || typeof d.notes !== 'string') return fail('bad_message');
      return ok({
        password: d.password,
        notes: d.notes,
        totp: typeof d.totp === 'string' ? d.totp : '',
        history: Array.isArray(d.history) ? d.history : [],
        fields: Array.isArray(d.fields) ? d.fields : [],
      });
    } catch {
      return fail('bad_message');
    } finally {
      wipe(bytes);
    }
  },

  /** Read the chosen file and send it sealed to the vault; the answer is a preview without secrets. */
  async importPreview(file: File, exportPassword?: string): Promise<Result<ImportPreviewResult>> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const sealed = await sealToVault(bytes, LABELS.importFile);
      if (!sealed.ok) return sealed;
      let sealedPassword: Envelope | undefined;
      if (exportPassword !== undefined) {
        const pw = await sealPassword(exportPassword, LABELS.importPassword);
        if (!pw.ok) return pw;
        sealedPassword = pw.value;
      }
      return request(send, 'import.preview', { sealed: sealed.value, ...(sealedPassword ? { sealedPassword } : {}) });
    } finally {
      wipe(bytes);
    }
  },

  importCommit: (importId: string) => request(send, 'import.commit', { importId }),

  /** An export file comes back sealed to a key pair made for this request. */
  async exportFile(kind: 'encrypted' | 'csv', password: string): Promise<Result<Uint8Array>> {
    const sealed = await sealPassword(password, kind === 'encrypted' ? LABELS.exportPassword : LABELS.exportMaster);
    if (!sealed.ok) return sealed;
    const keys = await createReplyKeyPair();
    const res = await request(send, kind === 'encrypted' ? 'export.encrypted' : 'export.csv', {
      sealed: sealed.value,
      replyKey: keys.publicKey,
    });
    if (!res.ok) return res;
    try {
      return ok(await open(keys.privateKey, res.value.sealed, LABELS.exportFile));
    } catch {
      return fail('bad_message');
    }
  },

  candidates: (tabId: number) => request(send, 'fill.candidates', { tabId }),
  fill: (tabId: number, itemId: string) => request(send, 'fill.item', { tabId, itemId }),
  /** The item's current one-time code into the tab's one-time-code field(s). */
  fillCode: (tabId: number, itemId: string) => request(send, 'fill.code', { tabId, itemId }),
};

/**
 * The tab the popup acts on: the active tab of its window. When the popup page is opened in a
 * tab of its own (development, tests), `?tab=<id>` names the tab instead.
 */
export async function targetTabId(): Promise<number | null> {
  const fromQuery = new URLSearchParams(location.search).get('tab');
  if (fromQuery && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return typeof tab?.id === 'number' ? tab.id : null;
}
