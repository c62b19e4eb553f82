/** zxcvbn scores (0–4) in the popup's language; src/shared keeps its English STRENGTH_WORDS for other callers. */
import type { Strength } from '../shared/password-strength';
import { t, type MessageKey } from './i18n';

const KEYS: Record<Strength['score'], MessageKey> = {
  0: 'strength_very_weak',
  1: 'strength_weak',
  2: 'strength_fair',
  3: 'strength_strong',
  4: 'strength_very_strong',
};

export function strengthWords(score: number): string {
  const clamped = Math.max(0, Math.min(4, Math.round(score))) as Strength['score'];
  return t(KEYS[clamped]);
}
