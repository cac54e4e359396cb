/**
 * Reads a MATPOWER case file (`.m`, case format version 2) into a PowerNetwork. Every expected
 * failure (missing file, too large, content the importer cannot interpret) is a CaseFileError
 * whose message starts with the path; content errors go on with `line N: …`.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CaseFileError, parseMatpowerCase } from '../core/grid/matpower/parse-case.js';
import type { PowerNetwork } from '../core/grid/network.js';

export const MAX_CASE_FILE_BYTES = 32 * 1024 * 1024;

/** Loads and imports a case file; the network is named after the file (`case33bw.m` → `case33bw`). */
export async function loadMatpowerFile(path: string): Promise<PowerNetwork> {
  const text = await readCaseText(path);
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

async function readCaseText(path: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CaseFileError(`${path}: not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CaseFileError) throw error;
    throw new CaseFileError(`cannot read case file ${path}: ${reasonOf(error)}`, { cause: error });
  }
  if (size > MAX_CASE_FILE_BYTES) {
    throw new CaseFileError(`case file ${path} is too large`, {
      details: [`size: at most ${MAX_CASE_FILE_BYTES} bytes (32 MiB) (got ${size} bytes)`],
    });
  }
  try {
    const text = await readFile(path, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new CaseFileError(`cannot read case file ${path}: ${reasonOf(error)}`, { cause: error });
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
