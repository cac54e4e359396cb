/**
 * Validates a cascade request against its network, once, at the edge of the simulation: every bus
 * and branch named must exist, every number be in range. The result uses bus and branch indices.
 */
import type { PowerNetwork } from '../network.js';
import { CascadeError } from './cascade-error.js';
import { CASCADE_MODES, SHED_ORDER, type BranchRef, type CascadeMode, type CascadeOptions, type CascadeTrigger, type MicrogridSpec } from './cascade-types.js';

export const DEFAULT_TRIP_ABOVE_PCT = 100;
export const DEFAULT_MAX_ROUNDS = 50;
export const MAX_ROUNDS_LIMIT = 10_000;

export type ResolvedTrigger =
  | { readonly kind: 'outage'; readonly branches: readonly number[]; readonly text: string }
  | { readonly kind: 'load'; readonly scale: number; readonly buses: readonly number[]; readonly text: string };

export interface ResolvedMicrogrid {
  readonly name: string;
  /** Bus indices; the first hosts the grid-forming unit. */
  readonly buses: readonly number[];
  readonly capacityKw: number;
}

export interface CascadeInputs {
  readonly mode: CascadeMode;
  readonly tripAbovePct: number;
  readonly maxRounds: number;
  /** Per bus: its rank in SHED_ORDER (0 = normal, shed first … 2 = critical, shed last). */
  readonly shedRank: Uint8Array;
  readonly microgrids: readonly ResolvedMicrogrid[];
  readonly trigger: ResolvedTrigger;
}

export function resolveCascadeInputs(network: PowerNetwork, trigger: CascadeTrigger, options: CascadeOptions): CascadeInputs {
  if (!CASCADE_MODES.includes(options.mode)) {
    throw new CascadeError(`cascade mode must be one of ${CASCADE_MODES.join(', ')}, got "${String(options.mode)}"`);
  }
  if (!network.branches.some((br) => br.inService && br.rateAMva > 0)) {
    throw new CascadeError(`${network.name}: no in-service branch has a rating (rateA), so nothing can trip on overload`, {
      details: ['rate the branches from the base case first (rateFromBaseCase, or --margin PCT on the command line)'],
    });
  }
  const tripAbovePct = options.tripAbovePct ?? DEFAULT_TRIP_ABOVE_PCT;
  if (!(Number.isFinite(tripAbovePct) && tripAbovePct > 0)) throw new CascadeError(`tripAbovePct must be a positive number, got ${tripAbovePct}`);
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  if (!(Number.isInteger(maxRounds) && maxRounds >= 1 && maxRounds <= MAX_ROUNDS_LIMIT)) {
    throw new CascadeError(`maxRounds must be an integer from 1 to ${MAX_ROUNDS_LIMIT}, got ${maxRounds}`);
  }
  const indexOf = busIndexer(network);
  return {
    mode: options.mode,
    tripAbovePct,
    maxRounds,
    shedRank: shedRanks(network, options.priorities ?? {}, indexOf),
    microgrids: resolveMicrogrids(options.islandable ?? [], indexOf),
    trigger: resolveTrigger(network, trigger, indexOf),
  };
}

type IndexOf = (id: number, what: string) => number;

function busIndexer(network: PowerNetwork): IndexOf {
  const index = new Map(network.buses.map((b, i) => [b.id, i]));
  return (id, what) => {
    const i = index.get(id);
    if (i === undefined) throw new CascadeError(`${what}: bus ${id} is not in ${network.name}`);
    return i;
  };
}

function shedRanks(network: PowerNetwork, priorities: Readonly<Record<number, string>>, indexOf: IndexOf): Uint8Array {
  const rank = new Uint8Array(network.buses.length);
  for (const [key, cls] of Object.entries(priorities)) {
    const r = (SHED_ORDER as readonly string[]).indexOf(cls);
    if (r < 0) throw new CascadeError(`priorities: bus ${key} has class "${cls}"; expected one of ${SHED_ORDER.join(', ')}`);
    rank[indexOf(Number(key), 'priorities')] = r;
  }
  return rank;
}

function resolveMicrogrids(specs: readonly MicrogridSpec[], indexOf: IndexOf): ResolvedMicrogrid[] {
  const owner = new Map<number, string>();
  return specs.map((spec, m) => {
    const name = spec.name ?? `microgrid ${m + 1}`;
    if (spec.buses.length === 0) throw new CascadeError(`islandable: ${name} has no buses`);
    if (!(Number.isFinite(spec.capacityKw) && spec.capacityKw >= 0)) {
      throw new CascadeError(`islandable: ${name} capacityKw must be a non-negative number, got ${spec.capacityKw}`);
    }
    const buses = spec.buses.map((id) => {
      const i = indexOf(id, `islandable: ${name}`);
      const other = owner.get(i);
      if (other !== undefined) throw new CascadeError(`islandable: bus ${id} is in both ${other} and ${name}`);
      owner.set(i, name);
      return i;
    });
    return { name, buses, capacityKw: spec.capacityKw };
  });
}

function resolveTrigger(network: PowerNetwork, trigger: CascadeTrigger, indexOf: IndexOf): ResolvedTrigger {
  const kinds = ['branch', 'branches', 'loadScale'].filter((k) => k in trigger);
  if (kinds.length !== 1) throw new CascadeError(`a cascade trigger needs exactly one of branch, branches or loadScale, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`);
  if ('loadScale' in trigger) {
    const { loadScale } = trigger;
    if (!(Number.isFinite(loadScale) && loadScale > 0)) throw new CascadeError(`loadScale must be a positive number, got ${loadScale}`);
    const buses = trigger.buses === undefined ? network.buses.map((_, i) => i) : trigger.buses.map((id) => indexOf(id, 'loadScale'));
    const where = trigger.buses === undefined ? 'every load' : `the loads at buses ${trigger.buses.join(', ')}`;
    return { kind: 'load', scale: loadScale, buses, text: `${where} × ${loadScale}` };
  }
  const refs = 'branch' in trigger ? [trigger.branch] : trigger.branches;
  if (refs.length === 0) throw new CascadeError('a branches trigger needs at least one branch');
  const branches = refs.map((ref) => findBranch(network, ref, indexOf));
  if (new Set(branches).size !== branches.length) throw new CascadeError('a branches trigger names the same branch twice');
  return { kind: 'outage', branches, text: `outage of ${refs.map((r) => `${r.from}-${r.to}`).join(', ')}` };
}

/** The one in-service branch between two buses (either direction); anything else is an error. */
export function findBranch(network: PowerNetwork, ref: BranchRef, indexOf?: IndexOf): number {
  const idx = indexOf ?? busIndexer(network);
  const a = idx(ref.from, `branch ${ref.from}-${ref.to}`);
  const b = idx(ref.to, `branch ${ref.from}-${ref.to}`);
  const matches: number[] = [];
  network.branches.forEach((br, k) => {
    if ((br.from === a && br.to === b) || (br.from === b && br.to === a)) matches.push(k);
  });
  const live = matches.filter((k) => network.branches[k]?.inService === true);
  if (matches.length === 0) throw new CascadeError(`there is no branch ${ref.from}-${ref.to} in ${network.name}`);
  if (live.length === 0) throw new CascadeError(`branch ${ref.from}-${ref.to} is already out of service`);
  if (live.length > 1) throw new CascadeError(`branch ${ref.from}-${ref.to} is ambiguous: ${live.length} in-service branches join these buses`);
  return live[0] as number;
}
