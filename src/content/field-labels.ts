/**
 * The text of a field's labels (`<label for>`/wrapping labels and `aria-labelledby`, looked up in
 * the field's own tree so shadow roots work), capped: one of the hints the form model and the
 * one-time-code rules read.
 */
export function labelText(input: HTMLInputElement): string {
  let text = '';
  for (const label of input.labels ?? []) text += ` ${label.textContent ?? ''}`;
  const by = input.getAttribute('aria-labelledby');
  if (by) {
    const root = input.getRootNode() as Document | ShadowRoot;
    for (const id of by.split(/\s+/)) text += ` ${root.getElementById?.(id)?.textContent ?? ''}`;
  }
  return text.slice(0, 300);
}
