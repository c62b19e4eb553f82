import { expect, test } from 'vitest';
import { maskUsername } from './mask';

test.each([
  ['alice@example.com', 'a•••e@example.com'],
  ['bob', 'b•••b'],
  ['al', 'a•••'],
  ['x@example.com', 'x•••@example.com'],
  ['', ''],
])('maskUsername(%j) = %j', (input, masked) => {
  expect(maskUsername(input)).toBe(masked);
});
