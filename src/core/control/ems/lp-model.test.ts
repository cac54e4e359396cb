import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../assert.js';
import { LpModel } from './lp-model.js';

describe('LP model', () => {
  it('writes a small MILP as CPLEX LP text', () => {
    const m = new LpModel();
    const x = m.variable('x', { upper: 10, cost: 2 });
    const y = m.variable('y', { lower: -Infinity, cost: -1 });
    m.variable('u', { lower: -Infinity, upper: 7 });
    const b = m.variable('b', { binary: true, cost: 5 });
    m.variable('t', { lower: -Infinity, upper: Infinity });
    m.variable('f', { lower: 3, upper: 3 });
    m.row('c1', [{ coef: 1, name: x }, { coef: -1, name: y }], '>=', -4);
    m.row('c2', [{ coef: 1, name: x }, { coef: -10, name: b }], '<=', 0);
    expect(m.toLpText()).toBe([
      'Minimize',
      ' obj: 2 x - y + 5 b',
      'Subject To',
      ' c1: x - y >= -4',
      ' c2: x - 10 b <= 0',
      'Bounds',
      ' 0 <= x <= 10',
      ' y free',
      ' -inf <= u <= 7',
      ' t free',
      ' f = 3',
      'Binaries',
      ' b',
      'End',
      '',
    ].join('\n'));
    expect(m.hasBinaries).toBe(true);
    expect(m.variableCount).toBe(6);
    expect(m.rowCount).toBe(2);
  });

  it('writes a range as two one-sided rows', () => {
    const m = new LpModel();
    m.variable('x');
    m.rangeRow('r', [{ coef: 1, name: 'x' }], 1, 2);
    m.rangeRow('s', [{ coef: 1, name: 'x' }], -Infinity, 5);
    const text = m.toLpText();
    expect(text).toContain(' r_lo: x >= 1\n r_hi: x <= 2\n');
    expect(text).toContain(' s_hi: x <= 5\n');
    expect(text).not.toContain('s_lo');
  });

  it('merges repeated terms and leaves out the ones that cancel', () => {
    const m = new LpModel();
    m.variable('x');
    m.variable('y');
    m.row('c', [{ coef: 1, name: 'x' }, { coef: 2, name: 'y' }, { coef: 2, name: 'x' }, { coef: -2, name: 'y' }], '=', 3);
    expect(m.toLpText()).toContain(' c: 3 x = 3\n');
  });

  it('adds to a variable\'s cost', () => {
    const m = new LpModel();
    m.variable('x', { cost: 1 });
    m.addCost('x', 0.5);
    expect(m.toLpText()).toContain(' obj: 1.5 x\n');
  });

  it('gives the same text for the same model', () => {
    const build = (): string => {
      const m = new LpModel();
      for (let i = 0; i < 20; i++) m.variable(`v${i}`, { upper: i, cost: i / 7 });
      m.row('sum', Array.from({ length: 20 }, (_, i) => ({ coef: i % 3 === 0 ? -1 : 1.25, name: `v${i}` })), '>=', 2);
      return m.toLpText();
    };
    expect(build()).toBe(build());
  });

  it('error: refuses duplicate or undeclared names, bad bounds and empty rows', () => {
    const m = new LpModel();
    m.variable('x');
    expect(() => m.variable('x')).toThrow(InvariantError);
    expect(() => m.variable('bad name')).toThrow(InvariantError);
    expect(() => m.variable('y', { lower: 2, upper: 1 })).toThrow(InvariantError);
    expect(() => m.variable('z', { cost: NaN })).toThrow(InvariantError);
    expect(() => m.row('c', [{ coef: 1, name: 'nope' }], '<=', 1)).toThrow(InvariantError);
    expect(() => m.row('c', [{ coef: 1, name: 'x' }], '<=', Infinity)).toThrow(InvariantError);
    expect(() => m.row('c', [{ coef: 0, name: 'x' }], '<=', 1)).toThrow(InvariantError);
    m.row('c', [{ coef: 1, name: 'x' }], '<=', 1);
    expect(() => m.row('c', [{ coef: 1, name: 'x' }], '<=', 1)).toThrow(InvariantError);
    expect(() => m.addCost('nope', 1)).toThrow(InvariantError);
  });
});
