import { describe, expect, it } from 'vitest';
import { CRITICAL, ESSENTIAL, NORMAL, SlotBuffers } from '../sim/slot-buffers.js';
import { RollingShedder, shedProRata } from './load-shedding.js';

/** Buffers whose sites import `imports[i]` Wh of class `cls`. */
function someImports(cls: number, imports: readonly number[]): SlotBuffers {
  const b = new SlotBuffers(imports.length);
  imports.forEach((wh, i) => { (b.importWh[cls] as Float64Array)[i] = wh; });
  return b;
}

const allSites = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const list = (a: Float64Array): number[] => Array.from(a);

/** Indices of the sites whose class `cls` import was shed. */
const shedSites = (b: SlotBuffers, cls: number): number[] =>
  list(b.unservedWh[cls] as Float64Array).flatMap((x, i) => (x > 0 ? [i] : []));

describe('RollingShedder', () => {
  it('sheds whole sites until the amount is met', () => {
    const b = someImports(NORMAL, [100, 100, 100, 100]);
    const shed = new RollingShedder(8).shed(b, 'r', allSites(4), 4, NORMAL, 150, 0);
    expect(shed).toBe(200);
    expect(list(b.unservedWh[NORMAL])).toEqual([100, 100, 0, 0]);
    expect(list(b.importWh[NORMAL])).toEqual([0, 0, 100, 100]);
  });

  it('adds the shed import to unserved and only touches the given class', () => {
    const b = someImports(NORMAL, [100, 100]);
    (b.importWh[CRITICAL] as Float64Array)[0] = 50;
    (b.unservedWh[NORMAL] as Float64Array)[0] = 7;
    new RollingShedder(8).shed(b, 'r', allSites(2), 2, NORMAL, 1, 0);
    expect(b.unservedWh[NORMAL][0]).toBe(107);
    expect(b.importWh[CRITICAL][0]).toBe(50);
    expect(b.unservedWh[CRITICAL][0]).toBe(0);
  });

  it('sheds at most the class imports when the amount is larger', () => {
    const b = someImports(ESSENTIAL, [30, 0, 20]);
    expect(new RollingShedder(8).shed(b, 'r', allSites(3), 3, ESSENTIAL, 1_000, 0)).toBe(50);
    expect(list(b.importWh[ESSENTIAL])).toEqual([0, 0, 0]);
  });

  it('skips sites that import nothing of the class', () => {
    const b = someImports(NORMAL, [0, 0, 80, 80]);
    new RollingShedder(8).shed(b, 'r', allSites(4), 4, NORMAL, 10, 0);
    expect(shedSites(b, NORMAL)).toEqual([2]);
  });

  it('sheds nothing when the amount is zero or negative, or there are no sites', () => {
    const shedder = new RollingShedder(8);
    const b = someImports(NORMAL, [100, 100]);
    expect(shedder.shed(b, 'r', allSites(2), 2, NORMAL, 0, 0)).toBe(0);
    expect(shedder.shed(b, 'r', allSites(2), 2, NORMAL, -5, 0)).toBe(0);
    expect(shedder.shed(b, 'r', allSites(2), 0, NORMAL, 50, 0)).toBe(0);
    expect(list(b.importWh[NORMAL])).toEqual([100, 100]);
    expect(list(b.unservedWh[NORMAL])).toEqual([0, 0]);
  });

  it('sheds the same sites in every slot of a rotation block', () => {
    const shedder = new RollingShedder(8);
    for (let slot = 0; slot < 8; slot++) {
      const b = someImports(NORMAL, [100, 100, 100, 100]);
      shedder.shed(b, 'r', allSites(4), 4, NORMAL, 150, slot);
      expect(shedSites(b, NORMAL)).toEqual([0, 1]);
    }
  });

  it('moves on to the next sites in the next block, wrapping around', () => {
    const shedder = new RollingShedder(8);
    const dark = [0, 8, 16].map((slot) => {
      const b = someImports(NORMAL, [100, 100, 100, 100, 100]);
      shedder.shed(b, 'r', allSites(5), 5, NORMAL, 150, slot);
      return shedSites(b, NORMAL);
    });
    expect(dark).toEqual([[0, 1], [2, 3], [0, 4]]);
  });

  it('keeps a separate rotation per region', () => {
    const shedder = new RollingShedder(8);
    const b1 = someImports(NORMAL, [100, 100, 100]);
    shedder.shed(b1, 'a', allSites(3), 3, NORMAL, 100, 0);
    const b2 = someImports(NORMAL, [100, 100, 100]);
    shedder.shed(b2, 'b', allSites(3), 3, NORMAL, 100, 8);
    expect(shedSites(b2, NORMAL)).toEqual([0]);
    const b3 = someImports(NORMAL, [100, 100, 100]);
    shedder.shed(b3, 'a', allSites(3), 3, NORMAL, 100, 8);
    expect(shedSites(b3, NORMAL)).toEqual([1]);
  });

  it('rotates over positions in the given site list, not site indices', () => {
    const shedder = new RollingShedder(4);
    const sites = Int32Array.from([3, 1, 2]);
    const first = someImports(NORMAL, [0, 100, 100, 100]);
    shedder.shed(first, 'r', sites, 3, NORMAL, 100, 0);
    expect(shedSites(first, NORMAL)).toEqual([3]);
    const next = someImports(NORMAL, [0, 100, 100, 100]);
    shedder.shed(next, 'r', sites, 3, NORMAL, 100, 4);
    expect(shedSites(next, NORMAL)).toEqual([1]);
  });

  it('starts the next block after the furthest site shed in the previous block', () => {
    const shedder = new RollingShedder(8);
    shedder.shed(someImports(NORMAL, [100, 100, 100, 100]), 'r', allSites(4), 4, NORMAL, 250, 0);
    shedder.shed(someImports(NORMAL, [100, 100, 100, 100]), 'r', allSites(4), 4, NORMAL, 50, 1);
    const b = someImports(NORMAL, [100, 100, 100, 100]);
    shedder.shed(b, 'r', allSites(4), 4, NORMAL, 50, 8);
    expect(shedSites(b, NORMAL)).toEqual([3]);
  });
});

describe('shedProRata', () => {
  it('sheds the normal class first, pro-rata to each site import', () => {
    const b = someImports(NORMAL, [100, 300]);
    (b.importWh[ESSENTIAL] as Float64Array).set([50, 50]);
    const shed = shedProRata(b, allSites(2), 2, 200, new Float64Array(2));
    expect(shed).toBe(200);
    expect(list(b.unservedWh[NORMAL])).toEqual([50, 150]);
    expect(list(b.importWh[NORMAL])).toEqual([50, 150]);
    expect(list(b.unservedWh[ESSENTIAL])).toEqual([0, 0]);
    expect(list(b.importWh[ESSENTIAL])).toEqual([50, 50]);
  });

  it('moves on to essential, then critical, when the lower class is not enough', () => {
    const b = someImports(NORMAL, [100, 100]);
    (b.importWh[ESSENTIAL] as Float64Array).set([40, 60]);
    (b.importWh[CRITICAL] as Float64Array).set([100, 100]);
    const shed = shedProRata(b, allSites(2), 2, 350, new Float64Array(2));
    expect(shed).toBe(350);
    expect(list(b.unservedWh[NORMAL])).toEqual([100, 100]);
    expect(list(b.unservedWh[ESSENTIAL])).toEqual([40, 60]);
    expect(list(b.unservedWh[CRITICAL])).toEqual([25, 25]);
    expect(list(b.importWh[CRITICAL])).toEqual([75, 75]);
  });

  it('adds to unserved already counted', () => {
    const b = someImports(NORMAL, [100]);
    (b.unservedWh[NORMAL] as Float64Array)[0] = 10;
    shedProRata(b, allSites(1), 1, 30, new Float64Array(1));
    expect(b.unservedWh[NORMAL][0]).toBe(40);
    expect(b.importWh[NORMAL][0]).toBe(70);
  });

  it('sheds at most all imports of the group', () => {
    const b = someImports(NORMAL, [10, 20]);
    (b.importWh[CRITICAL] as Float64Array).set([5, 0]);
    expect(shedProRata(b, allSites(2), 2, 1_000, new Float64Array(2))).toBe(35);
    expect(b.totalImportWh(0) + b.totalImportWh(1)).toBe(0);
    expect(b.totalUnservedWh(0) + b.totalUnservedWh(1)).toBe(35);
  });

  it('leaves sites outside the group alone', () => {
    const b = someImports(NORMAL, [100, 100, 100]);
    shedProRata(b, Int32Array.from([0, 2]), 2, 100, new Float64Array(3));
    expect(list(b.unservedWh[NORMAL])).toEqual([50, 0, 50]);
    expect(b.importWh[NORMAL][1]).toBe(100);
  });

  it('sheds nothing when the amount is zero or negative', () => {
    const b = someImports(NORMAL, [100, 100]);
    expect(shedProRata(b, allSites(2), 2, 0, new Float64Array(2))).toBe(0);
    expect(shedProRata(b, allSites(2), 2, -50, new Float64Array(2))).toBe(0);
    expect(list(b.importWh[NORMAL])).toEqual([100, 100]);
    expect(list(b.unservedWh[NORMAL])).toEqual([0, 0]);
  });
});
