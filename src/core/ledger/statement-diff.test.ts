import { describe, expect, it } from 'vitest';
import { aPayout, aStatement } from './statement.fixture.js';
import { diffStatements } from './statement-diff.js';
import { idOf } from './statement.js';

describe('diffStatements', () => {
  it('finds no difference between equal statements', () => {
    expect(diffStatements(aStatement(), aStatement())).toEqual({ fields: [], moreFields: 0 });
  });

  it('names differing roots, list items and payout fields', () => {
    const a = aStatement();
    const b = aStatement({
      tradesRoot: idOf('other'),
      deltasMinor: [120n, -45n, -99n, 24n],
      payouts: [aPayout({ verifiedWh: 1n })],
    });
    expect(diffStatements(a, b).fields).toEqual(['tradesRoot', 'deltasMinor[2]', 'deltasMinor[3]', 'payouts[0].verifiedWh']);
  });

  it('reports a different list length and compares the common items', () => {
    const a = aStatement();
    const b = aStatement({ payouts: [aPayout(), aPayout()], accounts: a.accounts.slice(0, 3), deltasMinor: a.deltasMinor.slice(0, 3) });
    expect(diffStatements(a, b).fields).toEqual(['accounts.length', 'deltasMinor.length', 'payouts.length']);
  });

  it('treats hex case as the same bytes', () => {
    const a = aStatement();
    const b = aStatement({ tradesRoot: a.tradesRoot.toUpperCase().replace('0X', '0x') as `0x${string}` });
    expect(diffStatements(a, b).fields).toEqual([]);
  });

  it('bounds the number of reported fields', () => {
    const a = aStatement({ accounts: [], deltasMinor: Array.from({ length: 50 }, () => 0n) });
    const b = aStatement({ accounts: [], deltasMinor: Array.from({ length: 50 }, () => 1n) });
    const diff = diffStatements(a, b, 10);
    expect(diff.fields).toHaveLength(10);
    expect(diff.moreFields).toBe(40);
  });
});
