/**
 * Fill like a user so React, Vue, Angular and plain forms all register the value: focus, set the
 * value through the native setter (frameworks that track `value` on the element instance, as
 * React does, ignore a plain `el.value = …`), then fire `input` and `change`. Angular's touched
 * state listens to `blur`: a field that is not the last one filled loses focus to the next, as
 * it would when the user tabs on.
 */
const nativeValueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;

export function fillInput(input: HTMLInputElement, value: string): void {
  const limited = input.maxLength > 0 ? value.slice(0, input.maxLength) : value;
  input.focus({ preventScroll: true });
  input.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
  if (nativeValueSetter) nativeValueSetter.call(input, limited);
  else input.value = limited;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertReplacementText' }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
