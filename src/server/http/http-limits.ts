/**
 * Bounds of the HTTP/WebSocket API (CONVENTIONS 6: a limit on everything). Defaults are sized for
 * a dashboard and a handful of operator tools; a node behind a busy proxy raises them in config.
 */

export interface HttpLimitOptions {
  /** Largest request body, bytes; a larger one is refused with 413. Default 16 KiB. */
  readonly bodyBytesMax?: number;
  /** Open /api/v1/stream connections; one more is refused. Default 64. */
  readonly wsClientsMax?: number;
  /** Bytes queued for one stream client; a client that falls further behind is dropped. Default 1 MiB. */
  readonly wsBufferedBytesMax?: number;
  /** Largest `limit` of the list routes (slots, statements, alerts). Default 2000. */
  readonly historyMax?: number;
}

export type HttpLimits = Required<HttpLimitOptions>;

export const HTTP_LIMITS_DEFAULT: HttpLimits = {
  bodyBytesMax: 16 * 1024,
  wsClientsMax: 64,
  wsBufferedBytesMax: 1024 * 1024,
  historyMax: 2000,
};

/** Inbound stream messages are never expected; anything larger than this closes with 1009. */
export const WS_INBOUND_BYTES_MAX = 4 * 1024;
/** A request (headers and body) must arrive within this time. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The limits with defaults filled in; a limit that is not a positive safe integer is a config bug. */
export function resolveHttpLimits(options: HttpLimitOptions = {}): HttpLimits {
  const limits = { ...HTTP_LIMITS_DEFAULT };
  for (const key of Object.keys(limits) as (keyof HttpLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limits.${key}: expected a positive integer (got ${String(value)})`);
    limits[key] = value;
  }
  return limits;
}
