/** Options of the SunSpec client, parsed once at the edge (CONVENTIONS 7) with their bounds (CONVENTIONS 6). */
import { z } from 'zod';
import { ModbusError } from './modbus-errors.js';

export const sunSpecClientOptionsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(502),
  /** Modbus unit id (slave id); SunSpec devices commonly use 1, some gateways 126. */
  unitId: z.number().int().min(0).max(247).default(1),
  timeoutMs: z.number().int().min(10).max(30_000).default(1000),
  /** Extra attempts after a timeout. */
  retries: z.number().int().min(0).max(5).default(2),
  maxPendingRequests: z.number().int().min(1).max(64).default(8),
  /** Bound on the model chain walked during discovery. */
  maxModels: z.number().int().min(1).max(64).default(32),
  baseAddresses: z.array(z.number().int().min(0).max(65533)).min(1).max(3).optional(),
});

export type SunSpecClientOptions = z.input<typeof sunSpecClientOptionsSchema>;
export type SunSpecClientConfig = z.output<typeof sunSpecClientOptionsSchema>;

export function parseSunSpecClientOptions(options: unknown): SunSpecClientConfig {
  const parsed = sunSpecClientOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ModbusError('bad-config', 'invalid SunSpec client options', {
      details: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    });
  }
  return parsed.data;
}
