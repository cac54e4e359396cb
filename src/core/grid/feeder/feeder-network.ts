/**
 * The electrical network of a feeder generated from its area's layout (scenario `feeder`): bus 0 is
 * the upstream connection (the slack, 1.0 pu), a transformer to bus 1, then one radial cable with a
 * member every `spacingM` (bus 2 is the first member). Per-unit on a 1 MVA base at the cable's
 * voltage; the transformer is modelled on the same voltage (ratio 1), with its short-circuit
 * impedance and rating.
 */
import type { FeederSpec } from '../../sim/scenario-schema.js';
import type { NetworkBranch, NetworkBus, PowerNetwork } from '../network.js';

export const FEEDER_BASE_MVA = 1;
/** Index of the first member's bus. */
export const FIRST_MEMBER_BUS = 2;

export function buildFeederNetwork(name: string, spec: FeederSpec, members: number, transformerKva: number): PowerNetwork {
  const zBaseOhm = (spec.voltageKv * spec.voltageKv) / FEEDER_BASE_MVA;
  const bus = (id: number, type: NetworkBus['type']): NetworkBus => ({
    id, type, pdPu: 0, qdPu: 0, gsPu: 0, bsPu: 0, vmPu: 1, vaDeg: 0, baseKv: spec.voltageKv, vmaxPu: spec.vmaxPu, vminPu: spec.vminPu,
  });
  const buses = [bus(1, 'REF'), bus(2, 'PQ')];
  for (let m = 0; m < members; m++) buses.push(bus(FIRST_MEMBER_BUS + m + 1, 'PQ'));

  const transformerMva = transformerKva / 1000;
  const zPu = (spec.transformerImpedancePct / 100) * (FEEDER_BASE_MVA / transformerMva);
  const rTransformer = zPu / Math.sqrt(1 + spec.transformerXrRatio ** 2);
  const sectionKm = spec.spacingM / 1000;
  const cableMva = (Math.sqrt(3) * spec.voltageKv * spec.ampacityA) / 1000;
  const branch = (from: number, to: number, rPu: number, xPu: number, rateAMva: number): NetworkBranch => ({
    from, to, rPu, xPu, bPu: 0, rateAMva, tap: 1, shiftDeg: 0, inService: true,
  });
  const branches = [branch(0, 1, rTransformer, rTransformer * spec.transformerXrRatio, transformerMva)];
  for (let m = 0; m < members; m++) {
    const from = m === 0 ? 1 : FIRST_MEMBER_BUS + m - 1;
    branches.push(branch(from, FIRST_MEMBER_BUS + m, (spec.rOhmPerKm * sectionKm) / zBaseOhm, (spec.xOhmPerKm * sectionKm) / zBaseOhm, cableMva));
  }
  return {
    name, baseMva: FEEDER_BASE_MVA, buses, branches,
    gens: [{ bus: 0, pgPu: 0, qgPu: 0, vgPu: 1, inService: true }],
  };
}
