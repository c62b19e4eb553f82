/**
 * Security-event log. It takes a context, an event name and a reason code — never a payload —
 * so a log line cannot leak a secret, a URL or a username.
 */
import type { ErrorCode } from './result';

export type LogContext = 'worker' | 'offscreen' | 'content' | 'popup';

export function logEvent(context: LogContext, event: string, code?: ErrorCode): void {
  if (!/^[a-z][a-z0-9._-]{0,40}$/.test(event)) return;
  console.info(`[securevault:${context}] ${event}${code ? ` (${code})` : ''}`);
}
