/**
 * Test and benchmark fixtures for the power-flow solvers: builders for small hand-made networks
 * (`aBus`, `aBranch`, `aNetwork`) and a deterministic synthetic radial feeder of any size.
 *
 * The feeder: bus 1 is the source (REF, 1.0 pu). Each further bus hangs off the bus before it
 * (continuing the current lateral) or, less often, off a random earlier bus (starting a new
 * lateral), so the tree is deep like a real feeder rather than bushy. Branches are cable sections
 * (r 0.1–0.6 Ω/km, x 0.07–0.12 Ω/km, ~250 nF/km) of random length; every non-source bus carries a
 * load with a power factor of 0.9–0.98, scaled so the whole feeder draws `totalLoadMw`.
 */
import { Rng } from '../../rng.js';
import type { NetworkBranch, NetworkBus, NetworkGen, PowerNetwork } from '../network.js';

/** A PQ bus at 1 pu with no load, numbered `id`; override any field. */
export function aBus(id: number, fields: Partial<NetworkBus> = {}): NetworkBus {
  return {
    id, type: 'PQ', pdPu: 0, qdPu: 0, gsPu: 0, bsPu: 0, vmPu: 1, vaDeg: 0, baseKv: 12.66, vmaxPu: 1.1, vminPu: 0.9,
    ...fields,
  };
}

/** An in-service unrated line between bus indices `from` and `to`; override any field. */
export function aBranch(from: number, to: number, fields: Partial<NetworkBranch> = {}): NetworkBranch {
  return { from, to, rPu: 0.01, xPu: 0.02, bPu: 0, rateAMva: 0, tap: 1, shiftDeg: 0, inService: true, ...fields };
}

/** A network on a 10 MVA base; with no gens given, each REF bus gets a 1.0 pu source. */
export function aNetwork(parts: { buses: NetworkBus[]; branches: NetworkBranch[]; gens?: NetworkGen[]; name?: string }): PowerNetwork {
  const gens = parts.gens ?? parts.buses.flatMap((b, i) => (b.type === 'REF' ? [{ bus: i, pgPu: 0, qgPu: 0, vgPu: 1, inService: true }] : []));
  return { name: parts.name ?? 'hand-made', baseMva: 10, buses: parts.buses, branches: parts.branches, gens };
}

export interface RadialFeederSpec {
  /** Number of buses including the source (≥ 2). */
  readonly buses: number;
  readonly seed: number;
  /** Total active load, MW (default 8). */
  readonly totalLoadMw?: number;
  /** Probability that a bus continues the current lateral (default 0.9). */
  readonly continueProbability?: number;
  /** Section length range, km (default 0.05–0.25). */
  readonly sectionKmMin?: number;
  readonly sectionKmMax?: number;
}

const BASE_MVA = 10;
const BASE_KV = 12.66;

export function aRadialFeeder(spec: RadialFeederSpec): PowerNetwork {
  if (!Number.isInteger(spec.buses) || spec.buses < 2) throw new RangeError(`a feeder needs ≥ 2 buses, got ${spec.buses}`);
  const rng = new Rng(spec.seed);
  const zBaseOhm = (BASE_KV * BASE_KV) / BASE_MVA;
  const continueProbability = spec.continueProbability ?? 0.9;
  const kmMin = spec.sectionKmMin ?? 0.05;
  const kmMax = spec.sectionKmMax ?? 0.25;

  const branches: NetworkBranch[] = [];
  for (let i = 1; i < spec.buses; i++) {
    const from = i === 1 || rng.chance(continueProbability) ? i - 1 : rng.int(0, i - 2);
    const km = rng.uniform(kmMin, kmMax);
    branches.push({
      from,
      to: i,
      rPu: (rng.uniform(0.1, 0.6) * km) / zBaseOhm,
      xPu: (rng.uniform(0.07, 0.12) * km) / zBaseOhm,
      // ~250 nF/km of cable: b = ωC·Zbase.
      bPu: 2 * Math.PI * 50 * 250e-9 * km * zBaseOhm,
      rateAMva: 0,
      tap: 1,
      shiftDeg: 0,
      inService: true,
    });
  }

  const weights = Array.from({ length: spec.buses }, (_, i) => (i === 0 ? 0 : rng.uniform(0.2, 1.8)));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const totalLoadPu = (spec.totalLoadMw ?? 8) / BASE_MVA;
  const buses: NetworkBus[] = weights.map((w, i) => {
    const pdPu = (totalLoadPu * w) / weightSum;
    const pf = rng.uniform(0.9, 0.98);
    return {
      id: i + 1,
      type: i === 0 ? 'REF' : 'PQ',
      pdPu,
      qdPu: pdPu * Math.tan(Math.acos(pf)),
      gsPu: 0,
      bsPu: 0,
      vmPu: 1,
      vaDeg: 0,
      baseKv: BASE_KV,
      vmaxPu: 1.1,
      vminPu: 0.9,
    };
  });

  return {
    name: `radial-feeder-${spec.buses}-seed${spec.seed}`,
    baseMva: BASE_MVA,
    buses,
    branches,
    gens: [{ bus: 0, pgPu: 0, qgPu: 0, vgPu: 1, inService: true }],
  };
}
