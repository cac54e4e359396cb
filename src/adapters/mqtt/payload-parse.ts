/**
 * Validation of an inbound payload at the edge, once, in this order: size (before anything looks at
 * the bytes), UTF-8 JSON, schema. Never throws: the result names the failure for the reply topic.
 */
import type { z } from 'zod';
import type { PayloadErrorCode } from './payload-schemas.js';

export interface PayloadError {
  readonly code: PayloadErrorCode;
  readonly message: string;
  /** Where in the JSON the schema failed, e.g. `reading` or `socPct`. */
  readonly path?: string;
}

export type ParsedPayload<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PayloadError };

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parsePayload<T>(bytes: Uint8Array, schema: z.ZodType<T>, maxBytes: number): ParsedPayload<T> {
  if (bytes.length > maxBytes) {
    return fail({ code: 'oversize', message: `payload of ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes` });
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch (cause) {
    return fail({ code: 'bad-json', message: `expected a UTF-8 JSON document: ${shortMessage(cause)}` });
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? undefined : issue.path.map(String).join('.');
  const message = `${path ?? '(root)'}: ${issue?.message ?? 'does not match the schema'}`;
  return fail(path === undefined ? { code: 'bad-schema', message } : { code: 'bad-schema', message, path });
}

function fail<T>(error: PayloadError): ParsedPayload<T> {
  return { ok: false, error };
}

function shortMessage(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
