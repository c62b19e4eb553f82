/**
 * IndexedDB storage of the vault (idb). Only ciphertext, KDF parameters, the salt, the public key
 * and structural ids are stored: no title, URL or username is readable at rest.
 *
 * Invariants:
 * - every write is one IndexedDB transaction, so a failed write leaves the vault as it was;
 * - no non-IndexedDB work is awaited inside a transaction (it would auto-commit early);
 * - a record that cannot be read is kept as it is and reported, never dropped.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KdfParams } from './kdf';
import type { Sealed, WrappedKeys } from './vault-crypto';

export const DB_NAME = 'securevault';
export const DB_VERSION = 1;

export interface VaultRecord extends WrappedKeys {
  key: 'vault';
  schema: 1;
  vaultId: string;
  kdf: KdfParams;
  salt: Uint8Array;
  createdAt: number;
}

export interface ItemRecord {
  id: string;
  /** starts at 1, +1 on every edit; part of each ciphertext's AAD */
  revision: number;
  overview: Sealed;
  details: Sealed;
}

interface VaultDb extends DBSchema {
  vault: { key: 'vault'; value: VaultRecord };
  items: { key: string; value: ItemRecord };
}

let dbPromise: Promise<IDBPDatabase<VaultDb>> | null = null;

function db(): Promise<IDBPDatabase<VaultDb>> {
  dbPromise ??= openDB<VaultDb>(DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('vault', { keyPath: 'key' });
        database.createObjectStore('items', { keyPath: 'id' });
      }
    },
  });
  return dbPromise;
}

export async function readVault(): Promise<VaultRecord | undefined> {
  return (await db()).get('vault', 'vault');
}

/** Creates the vault record; fails (ConstraintError) if one exists, so a vault is never overwritten. */
export async function createVaultRecord(record: VaultRecord): Promise<void> {
  await (await db()).add('vault', record);
}

export async function readAllItems(): Promise<ItemRecord[]> {
  return (await db()).getAll('items');
}

export async function readItem(id: string): Promise<ItemRecord | undefined> {
  return (await db()).get('items', id);
}

/** Insert a new item; fails if the id exists. */
export async function addItem(record: ItemRecord): Promise<void> {
  await (await db()).add('items', record);
}

/**
 * Replace an item only if its stored revision is still `expectedRevision` (optimistic check in the
 * same transaction), so two racing edits cannot silently overwrite each other.
 */
export async function replaceItem(record: ItemRecord, expectedRevision: number): Promise<boolean> {
  const tx = (await db()).transaction('items', 'readwrite');
  const current = await tx.store.get(record.id);
  if (!current || current.revision !== expectedRevision) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  await tx.store.put(record);
  await tx.done;
  return true;
}

export async function deleteItem(id: string): Promise<void> {
  await (await db()).delete('items', id);
}
