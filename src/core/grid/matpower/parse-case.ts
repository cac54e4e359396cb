/**
 * Imports a MATPOWER case file (case format version 2) into a per-unit PowerNetwork.
 *
 * Case files are MATLAB functions. Besides the data matrices, most distribution cases end with
 * statements that convert kW to MW and ohms to per-unit; a small purpose-built interpreter runs them
 * (never `eval`). Anything it does not understand is a CaseFileError naming the line, never a
 * silently wrong network. See interpret.ts for the supported statements.
 */
import type { PowerNetwork } from '../network.js';
import { CaseFileError } from './case-file-error.js';
import { interpret } from './interpret.js';
import { splitStatements, tokenize } from './tokens.js';
import { toNetwork } from './to-network.js';

export { CaseFileError } from './case-file-error.js';

/** Largest case text accepted (characters), a bound against runaway input. */
export const MAX_CASE_TEXT_CHARS = 32 * 1024 * 1024;

/**
 * Parses the text of a case file. `name` defaults to the function name (`function mpc = NAME`),
 * else "case".
 */
export function parseMatpowerCase(text: string, name?: string): PowerNetwork {
  if (text.length > MAX_CASE_TEXT_CHARS) {
    throw new CaseFileError('case file is too large', { details: [`at most ${MAX_CASE_TEXT_CHARS} characters (got ${text.length})`] });
  }
  const data = interpret(splitStatements(tokenize(text)));
  return toNetwork(data, name ?? data.functionName ?? 'case');
}
