/**
 * Fill a one-time code (fill engine, isolated world). Asked by the worker after a user action
 * only (popup Fill code / Fill, keyboard command, context menu — never on page load), with a
 * request id it issued for this very document. The code is fetched sealed to a key pair made for
 * this one fill (label `fill-code:<requestId>`, so a login envelope is never read as a code), and
 * goes only into the one-time-code field(s) visible *now*: the whole code into one field, or one
 * digit per box of a split code — each filled like a user types (focus, native setter,
 * input/change), so frameworks that move focus between boxes see it.
 */
import { fail, ok, type Result } from '../shared/result';
import { LABELS } from '../shared/seal';
import { withSealedFill } from './sealed-fill';
import { fillInput } from './fill-field';
import { currentCodeFields } from './form-model';
import { quietFor } from './inline-menu';

const CODE = /^[0-9]{6,8}$/;

function putCode(code: unknown): Result<{ filled: number }> {
  if (typeof code !== 'string' || !CODE.test(code)) return fail('bad_message');
  // The page may have changed while we waited: look again and fill only what is visible now.
  const fields = currentCodeFields();
  if (!fields) return fail('no_fields');
  quietFor(500); // our own focus() calls must not open the inline menu
  if (fields.length === 1) {
    const [only] = fields as [HTMLInputElement];
    // A box too short for the code would keep a wrong, truncated code: leave it to the user.
    if (only.maxLength > 0 && only.maxLength < code.length) return fail('no_fields');
    fillInput(only, code);
    return ok({ filled: 1 });
  }
  // Split boxes: exactly one digit each, or nothing (6 boxes never get half of an 8-digit code).
  if (fields.length !== code.length) return fail('no_fields');
  fields.forEach((box, k) => fillInput(box, code[k] as string));
  return ok({ filled: fields.length });
}

export async function fillCode(requestId: string): Promise<Result<{ filled: number }>> {
  if (!currentCodeFields()) return fail('no_fields');
  // No WebCrypto (not a secure context): a code is never sent in plaintext.
  if (!globalThis.crypto?.subtle) return fail('insecure_context');
  return withSealedFill(requestId, LABELS.fillCode(requestId), (opened) => putCode((opened as { code?: unknown } | null)?.code));
}

/** The element that has focus, looking through open shadow roots. */
function deepActiveElement(): Element | null {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** Is the focused field one of this frame's one-time-code fields? (keyboard command, context menu) */
export function focusedCodeField(): boolean {
  const active = deepActiveElement();
  return active instanceof HTMLInputElement && (currentCodeFields()?.includes(active) ?? false);
}
