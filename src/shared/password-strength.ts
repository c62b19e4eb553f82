/**
 * Password strength from zxcvbn-ts with its common and English dictionaries, loaded lazily so the
 * popup opens fast. Input is capped (as Chrome's own checker does) so a very long paste stays fast;
 * anything that long is strong anyway.
 */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  warning: string;
  suggestion: string;
}

const MAX_SCORED_LENGTH = 100;

type Checker = { check(password: string, userInputs?: string[]): { score: number; feedback: { warning: string | null; suggestions: string[] } } };

let checker: Promise<Checker> | null = null;

function load(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    return new ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    }) as unknown as Checker;
  })();
  return checker;
}

export async function measureStrength(password: string, userInputs: string[] = []): Promise<Strength> {
  const checker = await load();
  const result = checker.check(password.slice(0, MAX_SCORED_LENGTH), userInputs);
  // zxcvbn-ts keeps the last scored password (and its tokens) on the scorer instance; score an
  // empty string so the popup heap does not hold a master or item password after the check.
  checker.check('');
  const score = Math.max(0, Math.min(4, result.score)) as Strength['score'];
  return { score, warning: result.feedback.warning ?? '', suggestion: result.feedback.suggestions[0] ?? '' };
}

export const STRENGTH_WORDS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;
