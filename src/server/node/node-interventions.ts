/**
 * Operators' interventions on a running node (an outage from the demo button or a DSO, a flexibility
 * request), kept in the ledger's meta table so that a restarted node replays its twin with them and
 * reaches the same state. Each is applied to the twin from a slot that has not run yet.
 */
import { z } from 'zod';
import { TrustError } from '../../core/errors.js';
import type { FlexRequestSpec } from '../../core/sim/scenario-schema.js';
import type { PreparedRun } from '../../core/sim/simulate.js';
import type { LedgerStore } from '../../adapters/ledger/ledger-store.js';

export const INTERVENTIONS_META = 'node_interventions';
export const INTERVENTIONS_MAX = 10_000;

const outageSchema = z.strictObject({ kind: z.literal('outage'), area: z.string(), fromSlot: z.int().min(0), toSlot: z.int().min(1), by: z.string() });
const flexibilitySchema = z.strictObject({
  kind: z.literal('flexibility'), id: z.string(), buyer: z.enum(['dso', 'tso']), area: z.string(), fromSlot: z.int().min(0), toSlot: z.int().min(1),
  requestedKw: z.number().positive(), priceMinorPerKwh: z.number(), by: z.string(),
});
const interventionSchema = z.discriminatedUnion('kind', [outageSchema, flexibilitySchema]);
export type Intervention = z.infer<typeof interventionSchema>;

/** The stored list; a row that does not parse stops the node (replaying without it would diverge). */
function storedInterventions(text: string | undefined): Intervention[] {
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TrustError(`the ledger's ${INTERVENTIONS_META} row is not JSON: ${(e as Error).message}`);
  }
  const parsed = z.array(interventionSchema).max(INTERVENTIONS_MAX).safeParse(value);
  if (!parsed.success) {
    throw new TrustError(`the ledger's ${INTERVENTIONS_META} row is not valid`, { details: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) });
  }
  return parsed.data;
}

export class Interventions {
  private readonly list: Intervention[];

  constructor(private readonly store: LedgerStore, private readonly run: PreparedRun, private readonly scenarioEvents: number) {
    const parsed = storedInterventions(store.getMeta(INTERVENTIONS_META));
    this.list = [];
    for (const i of parsed) this.apply(i);
  }

  all(): readonly Intervention[] {
    return this.list;
  }

  /** Stores the intervention, then applies it to the twin (throws RangeError for a slot that ran). */
  add(i: Intervention): void {
    if (this.list.length >= INTERVENTIONS_MAX) throw new RangeError(`the node keeps at most ${INTERVENTIONS_MAX} interventions`);
    this.store.setMeta(INTERVENTIONS_META, JSON.stringify([...this.list, i]));
    try {
      this.apply(i);
    } catch (e) {
      this.store.setMeta(INTERVENTIONS_META, JSON.stringify(this.list));
      throw e;
    }
  }

  private apply(i: Intervention): void {
    const { model, timeline, market } = this.run;
    const area = model.tree.indexOf.get(i.area);
    if (area === undefined) throw new RangeError(`unknown area ${JSON.stringify(i.area)}`);
    const toSlot = Math.min(i.toSlot, this.run.slots);
    if (i.kind === 'outage') {
      timeline.scheduleOutage(area, i.fromSlot, toSlot, this.scenarioEvents + this.list.length);
    } else {
      const flexibility = market.flexibility;
      if (flexibility === undefined) throw new RangeError('this node runs no flexibility market');
      const slotHours = model.clock.slotHours;
      const spec: FlexRequestSpec = {
        id: i.id, buyer: i.buyer, area: i.area, startHour: i.fromSlot * slotHours, durationHours: (toSlot - i.fromSlot) * slotHours,
        direction: 'up', powerKw: i.requestedKw, priceCapMinorPerKwh: i.priceMinorPerKwh,
      };
      flexibility.addRequest(spec, i.fromSlot, toSlot);
    }
    this.list.push(i);
  }
}
