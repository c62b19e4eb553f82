/**
 * Sending never throws: it resolves to the receiver's Result or to a typed failure. This is the
 * only module that calls `runtime.sendMessage` / `tabs.sendMessage` (a lint rule enforces it).
 */
import { makeMessage, parseResult, type MessageType, type Payloads, type Response } from './messages';
import { fail, type ErrorCode, type Result } from './result';

export type RawSend = (message: unknown) => Promise<unknown>;

export async function request<K extends MessageType>(
  send: RawSend,
  type: K,
  payload: Payloads[K],
  unreachable: ErrorCode = 'internal',
): Promise<Result<Response<K>>> {
  try {
    const raw = await send(makeMessage(type, payload));
    if (raw === undefined) return fail(unreachable);
    return parseResult<Response<K>>(raw);
  } catch {
    return fail(unreachable);
  }
}

/** runtime.sendMessage: popup → worker, content script → worker, worker → offscreen document. */
export const viaRuntime: RawSend = (message) => chrome.runtime.sendMessage(message);

/** tabs.sendMessage to exactly one frame of one document: worker → content script. */
export function viaTabFrame(tabId: number, frameId: number, documentId: string): RawSend {
  return (message) => chrome.tabs.sendMessage(tabId, message, { frameId, documentId });
}
