/**
 * Canonical JSON: the bytes that are signed (handshake proofs, envelopes). Object keys sorted by
 * UTF-16 code units (JavaScript's default string order), no whitespace, strings and numbers as
 * `JSON.stringify` writes them (numbers must be finite; -0 is written 0). Parsing the text back
 * with `JSON.parse` and encoding it again gives the same text, so a receiver re-encodes what it
 * parsed and checks the signature over that, whatever whitespace or key order the sender used.
 *
 * Nesting is bounded (`CANONICAL_JSON_MAX_DEPTH`): a hostile frame cannot exhaust the stack.
 */

/** Deepest nesting of arrays and objects accepted (the envelope itself uses 2 levels). */
export const CANONICAL_JSON_MAX_DEPTH = 32;

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

export function canonicalJson(value: unknown, maxDepth: number = CANONICAL_JSON_MAX_DEPTH): string {
  const parts: string[] = [];
  write(value, 0, maxDepth, parts);
  return parts.join('');
}

/** True when `value` is plain JSON data within the depth bound. */
export function isJsonValue(value: unknown, maxDepth: number = CANONICAL_JSON_MAX_DEPTH): value is JsonValue {
  try {
    write(value, 0, maxDepth, []);
    return true;
  } catch (error) {
    if (error instanceof CanonicalJsonError) return false;
    throw error;
  }
}

function write(value: unknown, depth: number, maxDepth: number, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError('a number must be finite');
      out.push(Object.is(value, -0) ? '0' : JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`not JSON data: ${typeof value}`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (depth >= maxDepth) throw new CanonicalJsonError(`nested deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], depth + 1, maxDepth, out);
    }
    out.push(']');
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError('only plain objects are JSON data');
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const field = record[key];
    if (field === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(field, depth + 1, maxDepth, out);
  }
  out.push('}');
}
