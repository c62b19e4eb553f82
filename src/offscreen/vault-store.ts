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
export const DB_VERSION = 2;

export interface VaultRecord extends WrappedKeys {
  key: 'vault';
  schema: 1;
  vaultId: string;
  kdf: KdfParams;
  salt: Uint8Array;
  createdAt: number;
  /**
   * The public key again, encrypted under the vault key: the clear copy (needed to save while
   * locked) is checked against it on every unlock, so a swapped public key is detected and undone.
   */
  publicKeyCheck: Sealed;
}

export interface ItemRecord {
  id: string;
  /** starts at 1, +1 on every edit; part of each ciphertext's AAD */
  revision: number;
  overview: Sealed;
  details: Sealed;
}

/**
 * A credential offered while the vault was locked (DESIGN.md §2): encrypted under a fresh AES key
 * that is wrapped to the vault's public key, so writing it needs no master password and reading it
 * needs the private key.
 */
export interface InboxRecord {
  id: string;
  wrappedKey: Uint8Array;
  iv: Uint8Array;
  ct: Uint8Array;
  createdAt: number;
}

interface VaultDb extends DBSchema {
  vault: { key: 'vault'; value: VaultRecord };
  items: { key: string; value: ItemRecord };
  inbox: { key: string; value: InboxRecord };
}

let dbPromise: Promise<IDBPDatabase<VaultDb>> | null = null;

function db(): Promise<IDBPDatabase<VaultDb>> {
  dbPromise ??= openDB<VaultDb>(DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('vault', { keyPath: 'key' });
        database.createObjectStore('items', { keyPath: 'id' });
      }
      if (oldVersion < 2) database.createObjectStore('inbox', { keyPath: 'id' });
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

/** Replace the vault (key) record only; used by change-password and KDF upgrade. */
export async function putVaultRecord(record: VaultRecord): Promise<void> {
  await (await db()).put('vault', record);
}

export const INBOX_LIMIT = 100;

/** Queue an offer; refuses past INBOX_LIMIT so a page cannot fill the disk while the vault is locked. */
export async function addInbox(record: InboxRecord): Promise<boolean> {
  const tx = (await db()).transaction('inbox', 'readwrite');
  if ((await tx.store.count()) >= INBOX_LIMIT) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  await tx.store.add(record);
  await tx.done;
  return true;
}

export async function readInbox(): Promise<InboxRecord[]> {
  return (await db()).getAll('inbox');
}

/** Move inbox entries into items in one transaction: either all of them land or none. */
export async function mergeInbox(items: ItemRecord[], consumedInboxIds: string[]): Promise<void> {
  const tx = (await db()).transaction(['items', 'inbox'], 'readwrite');
  const itemStore = tx.objectStore('items');
  const inboxStore = tx.objectStore('inbox');
  await Promise.all([...items.map((i) => itemStore.add(i)), ...consumedInboxIds.map((id) => inboxStore.delete(id)), tx.done]);
}

/** Add many items in one transaction: an import lands completely or not at all. */
export async function addItems(records: ItemRecord[]): Promise<void> {
  const tx = (await db()).transaction('items', 'readwrite');
  await Promise.all([...records.map((r) => tx.store.add(r)), tx.done]);
}
