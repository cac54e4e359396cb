/**
 * Reads a scenario file (YAML or JSON) and validates it. Every expected failure (missing file, too
 * large, syntax error, invalid content) is a ScenarioError naming the file; syntax errors name the
 * line and column.
 *
 * Format: `.yaml`/`.yml` are YAML, `.json` is JSON; any other extension is JSON when the text starts
 * with `{`, else YAML.
 */
import { extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ScenarioError } from '../core/errors.js';
import { parseScenario } from '../core/sim/scenario-validate.js';
import type { Scenario } from '../core/sim/scenario-schema.js';
import { readBoundedTextFile, type TextFileKind } from './bounded-text-file.js';
import { jsonErrorOffset, lineColumnOf } from './json-syntax.js';

export const MAX_SCENARIO_FILE_BYTES = 64 * 1024 * 1024;
const MAX_SYNTAX_DETAILS = 10;
const SCENARIO_FILE: TextFileKind = {
  what: 'scenario file', maxBytes: MAX_SCENARIO_FILE_BYTES, error: (message, options) => new ScenarioError(message, options),
};

/** Reads, parses and validates a scenario file. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const raw = await readScenarioFile(path);
  try {
    return parseScenario(raw);
  } catch (error) {
    if (error instanceof ScenarioError) {
      throw new ScenarioError(`invalid scenario in ${path}`, { details: error.details, cause: error });
    }
    throw error;
  }
}

/** Reads and parses a scenario file into a plain value, without validating it. */
export async function readScenarioFile(path: string): Promise<unknown> {
  const text = await readBoundedTextFile(path, SCENARIO_FILE);
  return detectFormat(path, text) === 'json' ? parseJson(path, text) : parseYaml(path, text);
}

export function detectFormat(path: string, text: string): 'json' | 'yaml' {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const offset = jsonErrorOffset(text) ?? 0;
    const { line, column } = lineColumnOf(text, offset);
    throw new ScenarioError(`JSON syntax error in ${path} at line ${line}, column ${column}`, {
      details: [`${path}:${line}:${column}: ${(error as Error).message}`],
      cause: error,
    });
  }
}

function parseYaml(path: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  const first = doc.errors[0];
  if (first !== undefined) {
    const { line, col } = lines.linePos(first.pos[0]);
    throw new ScenarioError(`YAML syntax error in ${path} at line ${line}, column ${col}`, {
      details: doc.errors.slice(0, MAX_SYNTAX_DETAILS).map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return `${path}:${pos.line}:${pos.col}: ${firstLine(e.message)}`;
      }),
      cause: first,
    });
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (error) {
    // e.g. an alias bomb (too many alias expansions)
    throw new ScenarioError(`cannot read YAML in ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
