/**
 * Reads a UTF-8 text file that a user named (scenario, case file), refusing directories and files
 * above a size limit, and turning file-system failures into the caller's typed error with a plain
 * reason. A leading byte-order mark is dropped.
 */
import { readFile, stat } from 'node:fs/promises';
import { GridmeshError } from '../core/errors.js';

export interface TextFileKind {
  /** How messages name the file, e.g. "scenario file". */
  what: string;
  maxBytes: number;
  error: (message: string, options?: { details?: string[]; cause?: unknown }) => GridmeshError;
}

export async function readBoundedTextFile(path: string, kind: TextFileKind): Promise<string> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw kind.error(`${kind.what} ${path} is ${info.isDirectory() ? 'a directory, not a file' : 'not a regular file'}`);
    size = info.size;
  } catch (error) {
    if (error instanceof GridmeshError) throw error;
    throw kind.error(`cannot read ${kind.what} ${path}: ${reasonOf(error)}`, { cause: error });
  }
  if (size > kind.maxBytes) {
    throw kind.error(`${kind.what} ${path} is too large`, {
      details: [`size: at most ${kind.maxBytes} bytes (${kind.maxBytes / 2 ** 20} MiB) (got ${size} bytes)`],
    });
  }
  try {
    const text = await readFile(path, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw kind.error(`cannot read ${kind.what} ${path}: ${reasonOf(error)}`, { cause: error });
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
