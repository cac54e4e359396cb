/** Capped exponential backoff: initialMs × 2^attempt, at most maxMs, spread by ± jitter. */
import type { ReconnectPolicy } from './peer-limits.js';

export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  if (policy.jitter === 0) return base;
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()));
}
