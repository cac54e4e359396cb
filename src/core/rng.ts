/**
 * Seeded pseudo-random numbers (ADR 0003). The core never calls Math.random.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state), seeded through
 * splitmix32. `fork(label)` derives an independent stream from the parent seed and a label, so adding
 * an asset to a scenario does not shift the random numbers of any other asset.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = NaN;

  constructor(readonly seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A new generator whose stream depends only on this generator's seed and the label. */
  fork(label: string): Rng {
    return new Rng(hashString(label, this.seed));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Weibull-distributed sample with shape k and scale lambda. */
  weibull(shape: number, scale: number): number {
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    return scale * Math.pow(-Math.log(u), 1 / shape);
  }

  /** Picks one element (the array must not be empty). */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('Rng.pick on an empty array');
    return item;
  }
}

/**
 * A stationary AR(1) sequence with unit variance, x' = ρx + √(1 − ρ²)·ε, drawn from `rng`: the
 * weather's slowly changing processes and the weather forecast's errors.
 */
export function ar1(rng: Rng, correlation: number): () => number {
  const innovation = Math.sqrt(1 - correlation * correlation);
  let x = rng.normal();
  return () => {
    x = correlation * x + innovation * rng.normal();
    return x;
  };
}

/** FNV-1a of a string mixed with a seed: a stable 32-bit hash for deriving streams. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
