import { UsageError } from '../options.js';

interface Selectable {
  id: string;
  command: string;
}

/** "2.x", "2." and "2" all mean every claim of question 2. */
function questionPrefix(selector: string): string | undefined {
  const match = /^(\d+)(?:\.x?)?$/i.exec(selector);
  return match ? `${match[1]}.` : undefined;
}

function matches(selector: string, claim: Selectable): boolean {
  if (selector === claim.id || selector === claim.command) return true;
  const prefix = questionPrefix(selector);
  return prefix !== undefined && claim.id.startsWith(prefix);
}

/**
 * Keeps the claims that match a comma-separated list of selectors: a claim id (1.2),
 * a question (1, 1.x) or a subcommand (vanish). A selector that matches nothing is a usage error.
 */
export function selectClaims<C extends Selectable>(claims: readonly C[], only: string | undefined, flag = '--only'): C[] {
  if (only === undefined) return [...claims];
  const selectors = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const expected = `a comma-separated list of claim ids (${claims.map((c) => c.id).join(', ')}), questions (such as ${claims[0]?.id.split('.')[0] ?? '1'}.x) or subcommands (${[...new Set(claims.map((c) => c.command))].join(', ')})`;
  if (selectors.length === 0) throw new UsageError(`invalid value ${JSON.stringify(only)} for ${flag}: expected ${expected}`);
  for (const selector of selectors) {
    if (!claims.some((claim) => matches(selector, claim))) {
      throw new UsageError(`invalid value ${JSON.stringify(selector)} for ${flag}: expected ${expected}`);
    }
  }
  return claims.filter((claim) => selectors.some((selector) => matches(selector, claim)));
}
