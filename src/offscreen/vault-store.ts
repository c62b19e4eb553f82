/**
 * IndexedDB storage of the vault (idb). Only ciphertext, KDF parameters, the salt, the public key
 * and structural ids are stored: no title, URL or username is readable at rest.
 *
 * Invariants:
 * - every write is one IndexedDB transaction, so a failed write leaves the vault as it was;
 * - no non-IndexedDB work is awaited inside a transaction (it would auto-commit early);
 * - a record that cannot be read is kept as it is and reported, never dropped;
 * - the overview index is written in the same transaction as the items it describes, so it never
 *   disagrees with them after a crash; it is still only a copy (see IndexRecord).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KdfParams } from './kdf';
import type { Sealed, WrappedKeys } from './vault-crypto';

export const DB_NAME = 'securevault';
export const DB_VERSION = 3;

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

/**
 * The overview index: the overviews of every item whose id starts with `bucket` (one base64url
 * character, so at most 64 records), encrypted together under the vault key (AAD: vault, bucket).
 * Unlock reads these few records instead of every item record — 10 000 items unlock with ≤ 64
 * decryptions instead of 10 000 (DESIGN.md §2 allows overviews "stored in chunks").
 *
 * The item records stay authoritative: each still carries its own overview ciphertext. A bucket
 * whose chunk is missing, fails to open, or lists other ids than the items store holds is rebuilt
 * from the item records at unlock, so a damaged chunk loses nothing.
 */
export interface IndexRecord {
  bucket: string;
  sealed: Sealed;
}

/** A chunk to write, or `sealed: null` to delete the bucket's chunk (its last item is gone). */
export interface IndexWrite {
  bucket: string;
  sealed: Sealed | null;
}

interface VaultDb extends DBSchema {
  vault: { key: 'vault'; value: VaultRecord };
  items: { key: string; value: ItemRecord };
  inbox: { key: string; value: InboxRecord };
  overviewIndex: { key: string; value: IndexRecord };
}

/** Which index bucket an item id belongs to: its first character (ids are random base64url). */
export function bucketOf(itemId: string): string {
  return itemId.slice(0, 1);
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
      // Version 3 adds the overview index; an older vault gets it built at its next unlock.
      if (oldVersion < 3) database.createObjectStore('overviewIndex', { keyPath: 'bucket' });
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

/** Ids only: cheap even at 100 000 items (no ciphertext is read). */
export async function readItemIds(): Promise<string[]> {
  return (await db()).getAllKeys('items');
}

/** The item records of one index bucket (ids starting with `bucket`). */
export async function readBucketItems(bucket: string): Promise<ItemRecord[]> {
  return (await db()).getAll('items', IDBKeyRange.bound(bucket, `${bucket}\uffff`));
}

export async function readIndex(): Promise<IndexRecord[]> {
  return (await db()).getAll('overviewIndex');
}

export async function readItem(id: string): Promise<ItemRecord | undefined> {
  return (await db()).get('items', id);
}

/** Queue the index writes on a transaction that includes 'overviewIndex'. */
function writeIndex(tx: { objectStore(name: 'overviewIndex'): { put(v: IndexRecord): Promise<unknown>; delete(k: string): Promise<unknown> } }, index: readonly IndexWrite[]): Promise<unknown>[] {
  const os = tx.objectStore('overviewIndex');
  return index.map((w) => (w.sealed ? os.put({ bucket: w.bucket, sealed: w.sealed }) : os.delete(w.bucket)));
}

/** Insert a new item (fails if the id exists) and its bucket's index chunk, in one transaction. */
export async function addItem(record: ItemRecord, index: readonly IndexWrite[]): Promise<void> {
  await addItems([record], index);
}

/**
 * Replace an item only if its stored revision is still `expectedRevision` (optimistic check in the
 * same transaction), so two racing edits cannot silently overwrite each other.
 */
export async function replaceItem(record: ItemRecord, expectedRevision: number, index: readonly IndexWrite[]): Promise<boolean> {
  const tx = (await db()).transaction(['items', 'overviewIndex'], 'readwrite');
  const items = tx.objectStore('items');
  const current = await items.get(record.id);
  if (!current || current.revision !== expectedRevision) {
    tx.abort();
    await tx.done.catch(() => undefined);
    return false;
  }
  await Promise.all([items.put(record), ...writeIndex(tx, index), tx.done]);
  return true;
}

export async function deleteItem(id: string, index: readonly IndexWrite[]): Promise<void> {
  const tx = (await db()).transaction(['items', 'overviewIndex'], 'readwrite');
  await Promise.all([tx.objectStore('items').delete(id), ...writeIndex(tx, index), tx.done]);
}

/** Write rebuilt index chunks (unlock, after a bucket was rebuilt from its item records). */
export async function putIndex(index: readonly IndexWrite[]): Promise<void> {
  const tx = (await db()).transaction('overviewIndex', 'readwrite');
  await Promise.all([...writeIndex(tx, index), tx.done]);
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
export async function mergeInbox(items: ItemRecord[], consumedInboxIds: string[], index: readonly IndexWrite[]): Promise<void> {
  const tx = (await db()).transaction(['items', 'inbox', 'overviewIndex'], 'readwrite');
  const itemStore = tx.objectStore('items');
  const inboxStore = tx.objectStore('inbox');
  await Promise.all([
    ...items.map((i) => itemStore.add(i)),
    ...consumedInboxIds.map((id) => inboxStore.delete(id)),
    ...writeIndex(tx, index),
    tx.done,
  ]);
}

/** Add many items in one transaction: an import lands completely or not at all. */
export async function addItems(records: readonly ItemRecord[], index: readonly IndexWrite[]): Promise<void> {
  const tx = (await db()).transaction(['items', 'overviewIndex'], 'readwrite');
  const items = tx.objectStore('items');
  await Promise.all([...records.map((r) => items.add(r)), ...writeIndex(tx, index), tx.done]);
}
