/**
 * Reads a MATPOWER case file (`.m`, case format version 2) into a PowerNetwork. Every expected
 * failure (missing file, too large, content the importer cannot interpret) is a CaseFileError
 * whose message starts with the path; content errors go on with `line N: …`.
 */
import { basename } from 'node:path';
import { CaseFileError, parseMatpowerCase } from '../core/grid/matpower/parse-case.js';
import type { PowerNetwork } from '../core/grid/network.js';
import { readBoundedTextFile, type TextFileKind } from './bounded-text-file.js';

export const MAX_CASE_FILE_BYTES = 32 * 1024 * 1024;
const CASE_FILE: TextFileKind = {
  what: 'case file', maxBytes: MAX_CASE_FILE_BYTES, error: (message, options) => new CaseFileError(message, options),
};

/** Loads and imports a case file; the network is named after the file (`case33bw.m` → `case33bw`). */
export async function loadMatpowerFile(path: string): Promise<PowerNetwork> {
  const text = await readBoundedTextFile(path, CASE_FILE);
  try {
    return parseMatpowerCase(text, basename(path).replace(/\.m$/i, ''));
  } catch (error) {
    if (!(error instanceof CaseFileError)) throw error;
    throw new CaseFileError(`${path}: ${error.message}`, {
      ...(error.line === undefined ? {} : { line: error.line }),
      details: error.details,
      cause: error,
    });
  }
}
