/**
 * One-time codes (RFC 6238 TOTP) for fill and copy, computed here — the only realm that can open
 * an item's details and so the only one that ever holds the seed. What leaves is the current code
 * (six to eight digits, valid for one time step), sealed to the frame that fills it or handed
 * straight to the clipboard; the seed never does.
 */
import type { FrameLocation } from '../shared/origin-match';
import { bytesToJson, jsonToBytes, wipe } from '../shared/buffer-io';
import { VaultError } from '../shared/result';
import { parseTotpInput, totpCode } from '../shared/totp';
import * as vault from './vault-session';

/** The item's current code; `no_totp` when it has no TOTP secret or one we cannot use. */
export async function currentCode(itemId: string, nowMs = Date.now(), check?: Parameters<typeof vault.detailsBytes>[1]): Promise<string> {
  const bytes = await vault.detailsBytes(itemId, check);
  let totp: unknown;
  try {
    totp = (bytesToJson(bytes) as { totp?: unknown } | null)?.totp;
  } finally {
    wipe(bytes);
  }
  // The seed is a string from here on: JavaScript cannot wipe it (SECURITY.md, "What JavaScript cannot wipe").
  if (typeof totp !== 'string' || totp === '') throw new VaultError('no_totp');
  const spec = parseTotpInput(totp);
  if (!spec.ok) throw new VaultError('no_totp');
  return totpCode(spec.value, nowMs).code;
}

/**
 * What a code fill sends to the content script, as JSON bytes {code}; caller wipes. The frame's
 * origin is matched again here with the same rules as a password fill (exact origin, or same site
 * for items set to it; never an https item into an http page), whatever the worker decided.
 */
export async function codeFillBytes(itemId: string, frame: FrameLocation): Promise<Uint8Array> {
  if (!vault.matchCandidates(frame).some((c) => c.id === itemId)) throw new VaultError('no_match');
  return jsonToBytes({ code: await currentCode(itemId, Date.now(), (o) => vault.overviewMatches(o, frame)) });
}
