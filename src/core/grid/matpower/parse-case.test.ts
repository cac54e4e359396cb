import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GridmeshError } from '../../errors.js';
import type { PowerNetwork } from '../network.js';
import { CaseFileError, parseMatpowerCase } from './parse-case.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/matpower/', import.meta.url));
const CASE_FILES = readdirSync(FIXTURES).filter((f) => f.endsWith('.m')).sort();

function fixture(name: string): PowerNetwork {
  return parseMatpowerCase(readFileSync(`${FIXTURES}${name}.m`, 'utf8'), name);
}

function busById(network: PowerNetwork, id: number): PowerNetwork['buses'][number] {
  const bus = network.buses.find((b) => b.id === id);
  if (bus === undefined) throw new Error(`no bus ${id}`);
  return bus;
}

interface CaseParts {
  version?: string;
  baseMva?: string;
  bus?: readonly string[];
  gen?: readonly string[];
  branch?: readonly string[];
  after?: readonly string[];
}

/** A small valid case: a 3-bus feeder in kW and ohms, like the MATPOWER distribution cases. */
function aCase(parts: CaseParts = {}): string {
  return [
    'function mpc = tiny',
    `mpc.version = ${parts.version ?? "'2'"};`,
    `mpc.baseMVA = ${parts.baseMva ?? '10'};`,
    'mpc.bus = [',
    ...(parts.bus ?? [
      '\t1\t3\t0\t0\t0\t0\t1\t1\t0\t12.66\t1\t1\t1;',
      '\t2\t1\t100\t60\t0\t0\t1\t1\t0\t12.66\t1\t1.1\t0.9;',
      '\t3\t1\t90\t40\t0\t0\t1\t1\t0\t12.66\t1\t1.1\t0.9;',
    ]),
    '];',
    'mpc.gen = [',
    ...(parts.gen ?? ['\t1\t0\t0\t10\t-10\t1\t100\t1\t10\t0;']),
    '];',
    'mpc.branch = [',
    ...(parts.branch ?? [
      '\t1\t2\t0.0922\t0.0470\t0\t0\t0\t0\t0\t0\t1\t-360\t360;',
      '\t2\t3\t0.4930\t0.2511\t0\t0\t0\t0\t0\t0\t1\t-360\t360;',
    ]),
    '];',
    ...(parts.after ?? []),
  ].join('\n');
}

/** 1-based line of the first line containing `snippet`. */
function lineOf(text: string, snippet: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(snippet));
  if (index < 0) throw new Error(`"${snippet}" not in text`);
  return index + 1;
}

function errorOf(text: string): CaseFileError {
  try {
    parseMatpowerCase(text);
  } catch (error) {
    if (error instanceof CaseFileError) return error;
    throw error;
  }
  throw new Error('expected a CaseFileError');
}

const VBASE = 12.66e3;
const SBASE = 10e6;
const ZBASE = VBASE ** 2 / SBASE;

describe('parseMatpowerCase on the MATPOWER fixtures', () => {
  it.each(CASE_FILES)('imports %s into a valid per-unit network', (file) => {
    const network = parseMatpowerCase(readFileSync(`${FIXTURES}${file}`, 'utf8'), file.replace(/\.m$/, ''));
    expect(network.name).toBe(file.replace(/\.m$/, ''));
    expect(network.baseMva).toBeGreaterThan(0);
    expect(network.buses.length).toBeGreaterThan(0);
    expect(network.buses.some((b) => b.type === 'REF')).toBe(true);
    for (const bus of network.buses) expect(Object.values(bus).every((v) => typeof v === 'string' || Number.isFinite(v))).toBe(true);
    for (const br of network.branches) {
      expect(br.from).toBeLessThan(network.buses.length);
      expect(br.to).toBeLessThan(network.buses.length);
      expect([br.rPu, br.xPu, br.bPu, br.tap, br.shiftDeg, br.rateAMva].every(Number.isFinite)).toBe(true);
      expect(br.tap).not.toBe(0);
    }
    for (const gen of network.gens) expect(gen.bus).toBeLessThan(network.buses.length);
  });

  it('case33bw: converts kW to pu and ohms to pu with the trailing statements', () => {
    const network = fixture('case33bw');
    expect(network.baseMva).toBe(10);
    expect(network.buses).toHaveLength(33);
    expect(network.branches).toHaveLength(37);
    expect(network.branches.filter((b) => b.inService)).toHaveLength(32);
    expect(busById(network, 2).pdPu).toBeCloseTo(0.1 / 10, 15);
    expect(busById(network, 2).qdPu).toBeCloseTo(0.06 / 10, 15);
    expect(network.branches[0]?.rPu).toBeCloseTo(0.0922 / ZBASE, 15);
    expect(network.branches[0]?.xPu).toBeCloseTo(0.047 / ZBASE, 15);
    expect(network.buses.reduce((sum, b) => sum + b.pdPu, 0) * network.baseMva).toBeCloseTo(3.715, 9);
    expect(network.gens).toEqual([{ bus: 0, pgPu: 0, qgPu: 0, vgPu: 1, inService: true }]);
    expect(busById(network, 1).type).toBe('REF');
  });

  it('case33bw: the five tie lines are out of service', () => {
    const ties = fixture('case33bw').branches.filter((b) => !b.inService);
    expect(ties.map((b) => [b.from + 1, b.to + 1])).toEqual([[21, 8], [9, 15], [12, 22], [18, 33], [25, 29]]);
  });

  it('case141: splits kVA loads at power factor 0.85 into P and Q', () => {
    const bus8 = busById(fixture('case141'), 8); // 75 kVA in the file
    expect(bus8.pdPu).toBeCloseTo((0.075 * 0.85) / 10, 15);
    expect(bus8.qdPu).toBeCloseTo((0.075 * Math.sin(Math.acos(0.85))) / 10, 15);
    expect(bus8.qdPu).toBeCloseTo((0.075 * Math.sqrt(1 - 0.85 ** 2)) / 10, 15);
  });

  it("case18: keeps the transformer's tap and reads the other branches' tap 0 as 1", () => {
    const network = fixture('case18');
    const transformer = network.branches.find((b) => network.buses[b.from]?.id === 50 && network.buses[b.to]?.id === 1);
    expect(transformer).toMatchObject({ tap: 1, rPu: 0.00312, xPu: 0.06753, bPu: 0 });
    expect(network.branches.every((b) => b.tap === 1)).toBe(true);
    expect(busById(network, 50).baseKv).toBe(138);
    expect(busById(network, 2).bsPu).toBeCloseTo(1.05 / 10, 15);
    expect(busById(network, 51).type).toBe('REF');
  });

  it('case4_dist: an off-nominal tap, a PV bus and bus numbers that are not 1..n', () => {
    const network = fixture('case4_dist');
    expect(network.buses.map((b) => b.id)).toEqual([1, 2, 3, 400]);
    expect(network.branches[2]).toMatchObject({ from: 3, to: 0, tap: 1.025 });
    expect(busById(network, 400).type).toBe('PV');
    expect(network.gens[1]).toEqual({ bus: 3, pgPu: 0, qgPu: 0, vgPu: 1.05, inService: true });
  });

  it('case533mt_lo: evaluates expressions inside the matrices (50/3, 12/sqrt(3), -50/3)', () => {
    const network = fixture('case533mt_lo');
    expect(network.baseMva).toBeCloseTo(50 / 3, 12);
    expect(busById(network, 1).baseKv).toBeCloseTo(135 / Math.sqrt(3), 12);
    expect(busById(network, 2).baseKv).toBeCloseTo(12 / Math.sqrt(3), 12);
    expect(busById(network, 6).pdPu).toBeCloseTo(-0.015666667 / (50 / 3), 15);
    expect(network.branches).toHaveLength(577);
  });

  it('case15nbr: converts only the loads when the file converts only the loads', () => {
    const network = fixture('case15nbr');
    expect(network.branches[0]?.rPu).toBe(0.7766);
    expect(network.buses.reduce((sum, b) => sum + b.pdPu, 0) * network.baseMva).toBeCloseTo(1.2264, 9);
  });

  it('case1197 and case16ci: no conversion statements; several sources on the meshed case', () => {
    expect(fixture('case1197').buses).toHaveLength(1197);
    expect(fixture('case16ci').gens).toHaveLength(3);
    expect(fixture('case70da').gens).toHaveLength(2);
  });
});

describe('parseMatpowerCase syntax', () => {
  it('names the network after the function unless a name is given', () => {
    expect(parseMatpowerCase(aCase()).name).toBe('tiny');
    expect(parseMatpowerCase(aCase(), 'feeder').name).toBe('feeder');
  });

  it('reads comments, continuations, commas, one-line rows and CRLF line endings', () => {
    const text = [
      '%{',
      'a block comment: mpc.version = 1',
      '%}',
      "function mpc = commented % trailing comment",
      "mpc.version = '2'; %% the format",
      'mpc.baseMVA = 20 / ...  a continuation',
      '   2;',
      'mpc.bus = [1, 3, 0, 0, 0, 0, 1, 1, 0, 10, 1, 1, 1; 2 1 50 ...',
      '  20 0 0 1 1 0 10 1 1.1 0.9   % second row',
      ']; mpc.gen = [1 0 0 10 -10 1.02 100 1 10 0]',
      'mpc.branch = [1 2 0.01 0.02 0 0 0 0 0 0 1]',
    ].join('\r\n');
    const network = parseMatpowerCase(text);
    expect(network).toMatchObject({ name: 'commented', baseMva: 10 });
    expect(network.buses[1]).toMatchObject({ id: 2, pdPu: 5, qdPu: 2, vmaxPu: 1.1 });
    expect(network.gens[0]).toMatchObject({ vgPu: 1.02, inService: true });
    expect(network.branches[0]).toMatchObject({ from: 0, to: 1, rPu: 0.01, tap: 1, inService: true });
  });

  it('separates matrix elements by whitespace the way MATLAB does', () => {
    const network = parseMatpowerCase(aCase({ gen: ['1 0 0 10 -10 1 - 0.02 100 1 10 0;'] }));
    // `10 -10` is two elements, `1 - 0.02` is one
    expect(network.gens[0]?.vgPu).toBeCloseTo(0.98, 15);
  });

  it('evaluates MATLAB precedence: ^ before unary minus, left-associative ^, 10^-3', () => {
    const text = aCase({
      baseMva: '2^3^2 / 6.4',
      after: ['k = -2^2;', 'mpc.bus(:, PD) = mpc.bus(:, PD) * k * 10^-3;', 'mpc.bus(:, QD) = -(mpc.bus(:, QD) ./ 2 .^ 2) + 1 - 1;'],
    });
    const network = parseMatpowerCase(text);
    expect(network.baseMva).toBe(10);
    expect(network.buses[1]?.pdPu).toBeCloseTo((100 * -4 * 1e-3) / 10, 15);
    expect(network.buses[1]?.qdPu).toBeCloseTo(-60 / 4 / 10, 15);
  });

  it('runs the conversion statements of the distribution cases, in order', () => {
    const text = aCase({
      after: [
        '[PQ, PV, REF, NONE, BUS_I, BUS_TYPE, PD, QD, GS, BS, BUS_AREA, VM, ...',
        '    VA, BASE_KV, ZONE, VMAX, VMIN, LAM_P, LAM_Q, MU_VMAX, MU_VMIN] = idx_bus;',
        '[F_BUS, T_BUS, BR_R, BR_X] = idx_brch;',
        'define_constants;',
        'Vbase = mpc.bus(1, BASE_KV) * 1e3;      %% in Volts',
        'Sbase = mpc.baseMVA * 1e6;              %% in VA',
        'mpc.branch(:, [BR_R BR_X]) = mpc.branch(:, [BR_R BR_X]) / (Vbase^2 / Sbase);',
        'mpc.bus(:, [PD, QD]) = mpc.bus(:, [PD, QD]) / 1e3;',
        'mpc.bus(1, VM) = 1.02;',
      ],
    });
    const network = parseMatpowerCase(text);
    expect(network.buses[1]?.pdPu).toBeCloseTo(0.01, 15);
    expect(network.buses[2]?.qdPu).toBeCloseTo(0.004, 15);
    expect(network.branches[1]?.xPu).toBeCloseTo(0.2511 / ZBASE, 15);
    expect(network.buses[0]?.vmPu).toBe(1.02);
    expect(network.buses[1]?.vmPu).toBe(1);
  });

  it('skips gencost and other case fields without reading them', () => {
    const text = aCase({
      after: [
        'mpc.gencost = [',
        '\t2\t0\t0\t3\t0\t20\t0;',
        '];',
        "mpc.bus_name = { 'Feeder head'; 'Bus 2'; 'Bus 3' };",
        'mpc.gencost(:, 6) = mpc.gencost(:, 6) * 2;',
      ],
    });
    expect(parseMatpowerCase(text).buses).toHaveLength(3);
  });

  it('converts loads and shunts to pu, reads statuses and a tap of 0 as 1', () => {
    const network = parseMatpowerCase(
      aCase({
        bus: ['1 3 0 0 0 0 1 1 0 12.66 1 1 1;', '2 1 4 2 1 -3 1 1 0 12.66 1 1.1 0.9;', '3 4 0 0 0 0 1 1 0 12.66 1 1.1 0.9;'],
        gen: ['1 5 1 10 -10 1 100 0 10 0;'],
        branch: ['1 2 0.01 0.02 0.001 12 0 0 0 0 1;', '2 3 0.01 0.02 0 0 0 0 0.95 -30 0;'],
      }),
    );
    expect(network.buses[1]).toMatchObject({ pdPu: 0.4, qdPu: 0.2, gsPu: 0.1, bsPu: -0.3 });
    expect(network.buses[2]?.type).toBe('ISOLATED');
    expect(network.gens[0]).toEqual({ bus: 0, pgPu: 0.5, qgPu: 0.1, vgPu: 1, inService: false });
    expect(network.branches[0]).toMatchObject({ tap: 1, bPu: 0.001, rateAMva: 12, inService: true });
    expect(network.branches[1]).toMatchObject({ tap: 0.95, shiftDeg: -30, inService: false });
  });
});

describe('parseMatpowerCase errors', () => {
  it('is a GridmeshError with the line number', () => {
    const text = aCase({ after: ['mpc.bus(3:5, PD) = mpc.bus(3:5, PD) * 2;'] });
    const error = errorOf(text);
    expect(error).toBeInstanceOf(GridmeshError);
    expect(error.name).toBe('CaseFileError');
    expect(error.line).toBe(lineOf(text, '3:5'));
  });

  it('error: an unknown statement, naming the line and the text', () => {
    const text = aCase({ after: ['', 'mpc.bus(3:5, PD) = mpc.bus(3:5, PD) * 2;  % scale'] });
    const line = lineOf(text, '3:5');
    expect(errorOf(text).message).toBe(
      `line ${line}: cannot interpret "mpc.bus(3:5, PD) = mpc.bus(3:5, PD) * 2": a row range; only ":" (all rows) or one row number is supported`,
    );
  });

  it.each([
    ['a call', 'disp(mpc.baseMVA);', /cannot interpret "disp\(mpc.baseMVA\)": not an assignment/],
    ['an unknown function', 'x = max(3, 4);', /unknown function "max"/],
    ['an unknown name', 'mpc.bus(:, PD) = mpc.bus(:, PD) * factor;', /unknown name "factor"/],
    ['a matrix product', 'mpc.bus(:, [PD QD]) = mpc.bus(:, [PD QD]) * mpc.bus(:, [PD QD]);', /matrix product/],
    ['a column out of range', 'mpc.bus(:, 14) = 0;', /column 14 is not an integer between 1 and 13/],
    ['a control statement', 'if true', /cannot interpret "if true"/],
    ['a transpose', "mpc.bus(:, PD) = mpc.bus(:, PD)';", /unexpected "'"/],
    ['a read of gencost', 'x = mpc.gencost(1, 1);', /only functions and bus, gen or branch matrices can be indexed/],
  ])('error: %s', (_what, statement, pattern) => {
    const text = aCase({ after: ['x0 = 1;', statement] });
    const error = errorOf(text);
    expect(error.message).toMatch(new RegExp(`^line ${lineOf(text, statement)}: `));
    expect(error.message).toMatch(pattern);
  });

  it("error: a version other than '2'", () => {
    expect(errorOf(aCase({ version: "'1'" })).message).toBe("line 2: unsupported MATPOWER case format version '1': only version '2' is supported");
    expect(errorOf(aCase({ version: '2' })).message).toBe("line 2: mpc.version must be the string '2' (MATPOWER case format version 2)");
  });

  it('error: no version at all', () => {
    const text = aCase().replace("mpc.version = '2';", '');
    expect(errorOf(text).message).toMatch(/no mpc.version = '2' statement/);
  });

  it('error: a branch to an unknown bus', () => {
    const text = aCase({ branch: ['1 2 0.01 0.02 0 0 0 0 0 0 1;', '2 99 0.01 0.02 0 0 0 0 0 0 1;'] });
    expect(errorOf(text).message).toBe(`line ${lineOf(text, '2 99')}: branch refers to bus 99, which is not in mpc.bus`);
  });

  it('error: a generator at an unknown bus', () => {
    const text = aCase({ gen: ['7 0 0 10 -10 1 100 1 10 0;'] });
    expect(errorOf(text).message).toBe(`line ${lineOf(text, '7 0 0 10')}: generator refers to bus 7, which is not in mpc.bus`);
  });

  it('error: no reference bus', () => {
    const text = aCase({ bus: ['1 2 0 0 0 0 1 1 0 12.66 1 1 1;', '2 1 0 0 0 0 1 1 0 12.66 1 1 1;', '3 1 0 0 0 0 1 1 0 12.66 1 1 1;'] });
    expect(errorOf(text).message).toBe(`line ${lineOf(text, 'mpc.bus = [')}: mpc.bus has no reference bus (type 3); a power flow needs at least one`);
  });

  it('error: a matrix row with the wrong number of values', () => {
    const text = aCase({ bus: ['1 3 0 0 0 0 1 1 0 12.66 1 1 1;', '2 1 100 60 0 0 1 1 0 12.66 1 1.1;', '3 1 0 0 0 0 1 1 0 12.66 1 1 1;'] });
    const line = lineOf(text, '2 1 100 60');
    expect(errorOf(text).message).toBe(`line ${line}: mpc.bus row has 12 values, expected 13 like the first row (line ${line - 1})`);
  });

  it('error: too few columns for the format', () => {
    const text = aCase({ branch: ['1 2 0.01 0.02 0 0 0 0 0 0;', '2 3 0.01 0.02 0 0 0 0 0 0;'] });
    expect(errorOf(text).message).toBe(`line ${lineOf(text, 'mpc.branch = [')}: mpc.branch has 10 columns; MATPOWER case format version 2 needs at least 11`);
  });

  it.each([
    ['a name', '2 1 100 sixty 0 0 1 1 0 12.66 1 1.1 0.9;', /unknown name "sixty"/],
    ['a string', "2 1 100 '60' 0 0 1 1 0 12.66 1 1.1 0.9;", /a string \('60'\) where a number is expected/],
    ['a malformed number', '2 1 100 6.0.1 0 0 1 1 0 12.66 1 1.1 0.9;', /unexpected "\.1"/],
    ['a number glued to a name', '2 1 100 60kvar 0 0 1 1 0 12.66 1 1.1 0.9;', /unexpected "kvar"/],
    ['an overflow', '2 1 100 1e999 0 0 1 1 0 12.66 1 1.1 0.9;', /mpc.bus value 4 is not a finite number \(Infinity\)/],
  ])('error: a non-numeric value in a matrix (%s)', (_what, row, pattern) => {
    const text = aCase({ bus: ['1 3 0 0 0 0 1 1 0 12.66 1 1 1;', row, '3 1 0 0 0 0 1 1 0 12.66 1 1 1;'] });
    const error = errorOf(text);
    expect(error.message).toMatch(new RegExp(`^line ${lineOf(text, '2 1 100')}: `));
    expect(error.message).toMatch(pattern);
  });

  it('error: a conversion that divides by zero', () => {
    const text = aCase({ after: ['Vbase = 0;', 'mpc.branch(:, 3) = mpc.branch(:, 3) / Vbase;'] });
    expect(errorOf(text).message).toBe(`line ${lineOf(text, '/ Vbase')}: the result for row 1, column 3 is not a finite number (Infinity)`);
  });

  it.each([
    ['zero', '0'],
    ['negative', '-10'],
  ])('error: a %s baseMVA', (_what, base) => {
    expect(errorOf(aCase({ baseMva: base })).message).toBe(`line 3: baseMVA must be a positive number (got ${Number(base)})`);
  });

  it('error: a bus defined twice, and a bad bus type', () => {
    const twice = aCase({ bus: ['1 3 0 0 0 0 1 1 0 12.66 1 1 1;', '2 1 0 0 0 0 1 1 0 12.66 1 1 1;', '2 1 0 0 0 0 1 1 0 12.66 1 1 1;'] });
    expect(errorOf(twice).message).toBe('line 7: bus 2 is defined twice (also on line 6)');
    const badType = aCase({ bus: ['1 3 0 0 0 0 1 1 0 12.66 1 1 1;', '2 7 0 0 0 0 1 1 0 12.66 1 1 1;', '3 1 0 0 0 0 1 1 0 12.66 1 1 1;'] });
    expect(errorOf(badType).message).toMatch(/^line 6: bus 2 has type 7/);
  });

  it('error: an unclosed matrix, a stray character and an unterminated string', () => {
    const unclosed = aCase().replace('mpc.gen = [\n\t1\t0\t0\t10\t-10\t1\t100\t1\t10\t0;\n];', 'mpc.gen = [\n1 0 0 10 -10 1 100 1 10 0;');
    expect(errorOf(unclosed).message).toBe('line 9: "[" is never closed');
    expect(errorOf(aCase({ after: ['x = 3 $ 4;'] })).message).toBe('line 16: unexpected character "$"');
    expect(errorOf(aCase({ version: "'2" })).message).toBe('line 2: unterminated string');
  });

  it('error: an expression too long to evaluate', () => {
    const text = aCase({ after: [`x = ${Array.from({ length: 300_000 }, () => '1').join('+')};`] });
    expect(errorOf(text).message).toMatch(/^line 16: cannot interpret "x = 1\+1\+.*\.\.\.": expression too complex$/);
  });

  it('error: a matrix read before it is defined', () => {
    const text = aCase().replace('mpc.baseMVA = 10;', 'mpc.baseMVA = mpc.bus(1, 10);');
    expect(errorOf(text).message).toMatch(/^line 3: cannot interpret "mpc.baseMVA = mpc.bus\(1, 10\)": mpc.bus is used before it is set/);
  });

  it('error: missing matrices', () => {
    const text = aCase().replace(/mpc\.branch = \[[^\]]*\];/, '');
    expect(errorOf(text).message).toBe('no mpc.branch matrix');
  });
});
