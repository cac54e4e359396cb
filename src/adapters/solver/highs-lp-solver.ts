/**
 * The site EMS's LP/MILP solver: HiGHS compiled to WebAssembly (npm `highs`), behind the core's
 * `LpSolver` interface. Loading is asynchronous (the wasm binary is compiled once per process and
 * instantiated per HiGHS instance); solving is synchronous, one fresh native model per call.
 *
 * Statuses map to the core's: Optimal → optimal; Time limit reached → time-limit; Infeasible and
 * "Primal infeasible or unbounded" → infeasible; Unbounded → unbounded; everything else (Empty,
 * Load/Model/Presolve/Solve/Postsolve error, Iteration limit reached, Unknown, …) → error, with
 * the HiGHS status as the message. Solver output is off (`output_flag: false`; the loader also
 * drops native prints unless given `print`).
 *
 * Reproducible budgets. A wall-clock time limit makes a simulation depend on the machine's speed
 * (a plan that times out on a busy machine falls back to the heuristic, and the run's results
 * change). Simulations therefore load the solver with `budget`: a limit on simplex iterations and
 * branch-and-bound nodes (HiGHS is deterministic, so the same problem always stops at the same
 * point), with the per-call wall-clock limit replaced by a generous safety net. A node limit that
 * stops a MILP before it proves optimality reports 'work-limit'. The runtime keeps the wall-clock
 * limit, which is what a controller on a deadline needs.
 *
 * A crash. A HiGHS abort or a wasm trap throws (the package's `solve` wraps a trap raised while
 * running as a plain `Error("Unable to solve the problem. HiGHS error RuntimeError: …")`, then frees
 * the native model in a `finally`). After that the instance's heap and its C stack pointer cannot be
 * trusted, and Emscripten marks an aborted runtime dead, so ANY exception from `solve` retires the
 * instance: the call returns status 'error', and the next call uses a spare instance loaded ahead of
 * time. A new spare then loads in the background. Loading is asynchronous, so a synchronous run (a
 * whole simulation in one call) survives one crash without a gap; after a second crash before the
 * event loop turns, solves return 'error' (the EMS plans heuristically) until the reload lands.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { LpResult, LpSolver } from '../../core/control/ems/site-plan.js';

/** The part of a loaded HiGHS runtime this adapter uses. */
export interface HighsRuntime {
  solve(problem: string, options: Readonly<Record<string, number | boolean | string>>): {
    Status: string;
    Columns: Record<string, { Primal?: number }>;
  };
}

export type HighsLoader = () => Promise<HighsRuntime>;

export interface HighsLpSolver extends LpSolver {
  /** Instances retired after a crash since loading. */
  readonly crashes: number;
  /** Resolves when no reload is under way (an instance and a spare are loaded, unless a load failed). */
  whenReady(): Promise<void>;
}

/**
 * A compiled WebAssembly module, opaque here. The project compiles against ES2023 and Node's types
 * only, which do not declare the `WebAssembly` global, so the one call needed is typed locally.
 */
type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

let compiledWasm: Promise<WasmModule> | undefined;

/** Compiles highs.wasm once per process; each instance then only instantiates it. */
function compileHighsWasm(): Promise<WasmModule> {
  compiledWasm ??= (async () => {
    const path = createRequire(import.meta.url).resolve('highs/runtime');
    return wasm.compile(await readFile(path));
  })();
  return compiledWasm;
}

type HighsFactory = (options: { wasmModule: WasmModule }) => Promise<HighsRuntime>;

/** The package's loader, sharing one compiled wasm module. */
export const loadHighsRuntime: HighsLoader = async () => {
  const [highsModule, wasmModule] = await Promise.all([import('highs'), compileHighsWasm()]);
  // The package ships one .d.ts for its CommonJS and ES builds, so under NodeNext TypeScript sees the
  // CommonJS shape; Node loads build/highs.mjs, whose default export is the loader.
  const loadHighs = highsModule.default as unknown as HighsFactory;
  return loadHighs({ wasmModule });
};

/** Deterministic limits for reproducible runs (see the module comment). */
export interface SolverBudget {
  readonly simplexIterations: number;
  readonly mipNodes: number;
  /** Wall-clock safety net per solve, s, instead of the caller's time limit. */
  readonly safetySeconds: number;
}

/** Enough for a site's 24 h plan at 15 min with a washer many times over (docs/ems.md). */
export const SIMULATION_BUDGET: SolverBudget = { simplexIterations: 200_000, mipNodes: 5_000, safetySeconds: 120 };

export function mapHighsStatus(status: string, budgeted = false): LpResult['status'] {
  switch (status) {
    case 'Optimal': return 'optimal';
    case 'Time limit reached': return 'time-limit';
    case 'Iteration limit reached': return 'work-limit';
    // HiGHS reports a MIP stopped by its node limit as Unknown.
    case 'Unknown': return budgeted ? 'work-limit' : 'error';
    case 'Infeasible':
    case 'Primal infeasible or unbounded': return 'infeasible';
    case 'Unbounded': return 'unbounded';
    default: return 'error';
  }
}

function valuesOf(columns: Record<string, { Primal?: number }>): Map<string, number> {
  const values = new Map<string, number>();
  for (const [name, column] of Object.entries(columns)) if (column.Primal !== undefined) values.set(name, column.Primal);
  return values;
}

class HighsInstances implements HighsLpSolver {
  private spare: HighsRuntime | undefined;
  private loading: Promise<void> | undefined;
  private crashCount = 0;

  constructor(private current: HighsRuntime | undefined, spare: HighsRuntime, private readonly load: HighsLoader, private readonly budget: SolverBudget | undefined) {
    this.spare = spare;
  }

  get crashes(): number { return this.crashCount; }

  async whenReady(): Promise<void> {
    while (this.loading !== undefined) await this.loading;
  }

  solve(lp: string, options: { timeLimitSeconds: number }): LpResult {
    const highs = this.current;
    if (highs === undefined) {
      this.reload();
      return { status: 'error', message: 'HiGHS is reloading after a crash', values: new Map() };
    }
    try {
      const b = this.budget;
      const limits: Record<string, number> = b === undefined ? { time_limit: options.timeLimitSeconds } : { time_limit: b.safetySeconds, simplex_iteration_limit: b.simplexIterations, mip_max_nodes: b.mipNodes };
      const r = highs.solve(lp, { ...limits, output_flag: false });
      const status = mapHighsStatus(r.Status, b !== undefined);
      return { status, ...(status === 'error' ? { message: `HiGHS status: ${r.Status}` } : {}), values: valuesOf(r.Columns) };
    } catch (e) {
      this.retire();
      return { status: 'error', message: `HiGHS crashed, instance replaced: ${e instanceof Error ? e.message : String(e)}`, values: new Map() };
    }
  }

  private retire(): void {
    this.crashCount++;
    this.current = this.spare;
    this.spare = undefined;
    this.reload();
  }

  /** Loads a spare (or a current one, if none is left) in the background; a failed load is retried on a later solve. */
  private reload(): void {
    if (this.loading !== undefined || this.spare !== undefined) return;
    this.loading = this.load().then(
      (runtime) => {
        if (this.current === undefined) this.current = runtime;
        else this.spare = runtime;
        this.loading = undefined;
        if (this.spare === undefined) this.reload();
      },
      () => { this.loading = undefined; },
    );
  }
}

/**
 * Loads HiGHS (an instance and a spare); `load` is for tests. With `budget` (simulations), solves are
 * limited by work instead of the caller's wall-clock time limit, so runs are reproducible.
 */
export async function loadHighsSolver(options: { load?: HighsLoader; budget?: SolverBudget } = {}): Promise<HighsLpSolver> {
  const load = options.load ?? loadHighsRuntime;
  const [current, spare] = await Promise.all([load(), load()]);
  return new HighsInstances(current, spare, load, options.budget);
}
