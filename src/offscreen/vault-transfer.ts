/**
 * Import and export, in the offscreen document: the file's bytes arrive sealed from the popup,
 * are parsed here, and only a secret-free preview goes back. The parsed items wait here (one
 * import at a time, dropped on lock) until the user confirms; then they land in one transaction.
 * Exports are built here and leave sealed to the popup's one-time key.
 */
import { randomBytes, toBase64Url, wipe } from '../shared/buffer-io';
import type { ImportOutcome, ImportPreviewResult } from '../shared/messages';
import { VaultError } from '../shared/result';
import { ExportError, decryptExport, encryptExport, toCsv, type ExportItem } from './import/encrypted-export';
import { ImportError, dedupe, parseImport, previewOf } from './import/import-file';
import type { ImportedItem } from './import/formats';
import * as vault from './vault-session';

interface PendingImport {
  id: string;
  items: (ImportedItem & Partial<Pick<ExportItem, 'matchMode' | 'uris' | 'favorite' | 'fields'>> & { createdAt?: number })[];
}

let pending: PendingImport | null = null;

export function dropPendingImport(): void {
  pending = null;
}

function looksLikeOurExport(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 200));
  return /^\s*\{\s*"format"\s*:\s*"securevault-export"/.test(head);
}

/** Parse a file (and, for our own encrypted export, open it with `password`). Wipes `bytes`. */
export async function previewImport(bytes: Uint8Array, password: Uint8Array | null): Promise<ImportPreviewResult> {
  if (!vault.isUnlocked()) throw new VaultError('locked');
  try {
    if (looksLikeOurExport(bytes)) {
      if (!password) return { status: 'needs_password' };
      let items;
      try {
        items = await decryptExport(bytes, password);
      } catch (e) {
        if (e instanceof ExportError) return { status: 'refused', message: e.message };
        throw e;
      }
      const fresh = dedupe(items, await vault.existingCredentials());
      pending = { id: toBase64Url(randomBytes(16)), items: fresh.items as PendingImport['items'] };
      return {
        status: 'ready',
        importId: pending.id,
        duplicates: fresh.dropped,
        preview: {
          format: 'securevault',
          formatLabel: 'SecureVault encrypted export',
          itemCount: fresh.items.length,
          skipped: 0,
          problemCount: 0,
          problems: [],
          samples: fresh.items.slice(0, 5).map((i) => ({ title: i.title.slice(0, 80), host: hostOf(i.url) })),
          ignoredColumns: [],
        },
      };
    }
    let result;
    try {
      result = parseImport(bytes);
    } catch (e) {
      if (e instanceof ImportError) return { status: 'refused', message: e.message };
      throw e;
    }
    const fresh = dedupe(result.items, await vault.existingCredentials());
    pending = { id: toBase64Url(randomBytes(16)), items: fresh.items };
    const preview = previewOf({ ...result, items: fresh.items });
    return { status: 'ready', importId: pending.id, duplicates: fresh.dropped, preview };
  } finally {
    wipe(bytes, password);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

export async function commitImport(importId: string): Promise<ImportOutcome> {
  if (!pending || pending.id !== importId) throw new VaultError('expired');
  const { items } = pending;
  pending = null;
  const added = await vault.importItems(
    items.map((i) => ({
      title: i.title,
      url: i.url,
      username: i.username,
      password: i.password,
      notes: i.notes,
      totp: i.totp ?? '',
      matchMode: i.matchMode ?? 'exact',
      ...vault.itemExtras(i),
      ...(i.createdAt ? { createdAt: i.createdAt } : {}),
    })),
  );
  return { added };
}

/** SecureVault's own encrypted export (Argon2id + AES-GCM under the export password). */
export async function exportEncrypted(password: Uint8Array): Promise<Uint8Array> {
  try {
    // encryptExport writes the ExportItem keys only (a valibot parse), so the items go as they are.
    return await encryptExport(await vault.itemsForExport(), password);
  } finally {
    wipe(password);
  }
}

/** Plain CSV, only after the master password was entered again. */
export async function exportCsv(masterPassword: Uint8Array, derive: vault.DeriveFn): Promise<Uint8Array> {
  try {
    await vault.verifyMasterPassword(masterPassword, derive);
  } finally {
    wipe(masterPassword);
  }
  const items = await vault.itemsForExport();
  return new TextEncoder().encode(toCsv(
      items.map(({ title, url, username, password, notes, totp, folder, uris, fields }) => ({
        title,
        url,
        username,
        password,
        notes,
        totp,
        ...vault.itemExtras({ folder, uris, fields }),
      })),
    ),
  );
}
