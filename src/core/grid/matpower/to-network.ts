/**
 * Converts the interpreted case (MATPOWER units: MW, MVAr, p.u. impedances) into the per-unit
 * PowerNetwork: powers and shunts divided by baseMVA, bus numbers resolved to indices, a tap of 0
 * read as 1 (MATPOWER's convention for lines), statuses > 0 in service (as MATPOWER's ext2int).
 */
import type { BusType, NetworkBranch, NetworkBus, NetworkGen, PowerNetwork } from '../network.js';
import { CaseFileError, lineError } from './case-file-error.js';
import { cell, rowCount, type CaseData, type CaseMatrix, type MatrixName } from './case-data.js';
import { BRANCH, BUS, GEN, MIN_COLUMNS } from './constants.js';

const BUS_TYPES: Readonly<Record<number, BusType>> = { 1: 'PQ', 2: 'PV', 3: 'REF', 4: 'ISOLATED' };

export function toNetwork(data: CaseData, name: string): PowerNetwork {
  if (data.version === undefined) {
    throw new CaseFileError("not a MATPOWER case format version 2 file: no mpc.version = '2' statement");
  }
  if (data.baseMva === undefined) throw new CaseFileError('no mpc.baseMVA statement');
  const baseMva = data.baseMva.value;
  const busMatrix = requireMatrix(data, 'bus');
  const genMatrix = requireMatrix(data, 'gen');
  const branchMatrix = requireMatrix(data, 'branch');
  const { buses, indexOf } = readBuses(busMatrix, baseMva);
  if (!buses.some((bus) => bus.type === 'REF')) {
    throw lineError(busMatrix.line, 'mpc.bus has no reference bus (type 3); a power flow needs at least one');
  }
  return {
    name,
    baseMva,
    buses,
    branches: readBranches(branchMatrix, indexOf),
    gens: readGens(genMatrix, indexOf, baseMva),
  };
}

function requireMatrix(data: CaseData, name: MatrixName): CaseMatrix {
  const matrix = data.matrices[name];
  if (matrix === undefined) throw new CaseFileError(`no mpc.${name} matrix`);
  const min = MIN_COLUMNS[name];
  if (rowCount(matrix) > 0 && matrix.cols < min) {
    throw lineError(matrix.line, `mpc.${name} has ${matrix.cols} columns; MATPOWER case format version 2 needs at least ${min}`);
  }
  return matrix;
}

function readBuses(m: CaseMatrix, baseMva: number): { buses: NetworkBus[]; indexOf: (id: number, row: number, what: string) => number } {
  const index = new Map<number, number>();
  const buses: NetworkBus[] = [];
  for (let row = 0; row < rowCount(m); row++) {
    const line = m.rowLines[row] as number;
    const id = cell(m, row, BUS.I);
    if (!Number.isInteger(id) || id <= 0) throw lineError(line, `bus number ${id} is not a positive integer`);
    const previous = index.get(id);
    if (previous !== undefined) throw lineError(line, `bus ${id} is defined twice (also on line ${m.rowLines[previous]})`);
    const type = BUS_TYPES[cell(m, row, BUS.TYPE)];
    if (type === undefined) throw lineError(line, `bus ${id} has type ${cell(m, row, BUS.TYPE)}; expected 1 (PQ), 2 (PV), 3 (REF) or 4 (isolated)`);
    index.set(id, row);
    buses.push({
      id,
      type,
      pdPu: cell(m, row, BUS.PD) / baseMva,
      qdPu: cell(m, row, BUS.QD) / baseMva,
      gsPu: cell(m, row, BUS.GS) / baseMva,
      bsPu: cell(m, row, BUS.BS) / baseMva,
      vmPu: cell(m, row, BUS.VM),
      vaDeg: cell(m, row, BUS.VA),
      baseKv: cell(m, row, BUS.BASE_KV),
      vmaxPu: cell(m, row, BUS.VMAX),
      vminPu: cell(m, row, BUS.VMIN),
    });
  }
  const indexOf = (id: number, line: number, what: string): number => {
    const i = index.get(id);
    if (i === undefined) throw lineError(line, `${what} refers to bus ${id}, which is not in mpc.bus`);
    return i;
  };
  return { buses, indexOf };
}

type IndexOf = (id: number, line: number, what: string) => number;

function readBranches(m: CaseMatrix, indexOf: IndexOf): NetworkBranch[] {
  const branches: NetworkBranch[] = [];
  for (let row = 0; row < rowCount(m); row++) {
    const line = m.rowLines[row] as number;
    const tap = cell(m, row, BRANCH.TAP);
    branches.push({
      from: indexOf(cell(m, row, BRANCH.F_BUS), line, 'branch'),
      to: indexOf(cell(m, row, BRANCH.T_BUS), line, 'branch'),
      rPu: cell(m, row, BRANCH.R),
      xPu: cell(m, row, BRANCH.X),
      bPu: cell(m, row, BRANCH.B),
      rateAMva: cell(m, row, BRANCH.RATE_A),
      tap: tap === 0 ? 1 : tap,
      shiftDeg: cell(m, row, BRANCH.SHIFT),
      inService: cell(m, row, BRANCH.STATUS) > 0,
    });
  }
  return branches;
}

function readGens(m: CaseMatrix, indexOf: IndexOf, baseMva: number): NetworkGen[] {
  const gens: NetworkGen[] = [];
  for (let row = 0; row < rowCount(m); row++) {
    gens.push({
      bus: indexOf(cell(m, row, GEN.BUS), m.rowLines[row] as number, 'generator'),
      pgPu: cell(m, row, GEN.PG) / baseMva,
      qgPu: cell(m, row, GEN.QG) / baseMva,
      vgPu: cell(m, row, GEN.VG),
      inService: cell(m, row, GEN.STATUS) > 0,
    });
  }
  return gens;
}
