/**
 * Builds the ordered FLISR steps and keeps the simulated clock: the fault and the breaker trip at
 * t = 0, then one remote switch operation after another (timing.ts).
 */
import type { PowerNetwork } from '../network.js';
import { branchLabel } from './branch-ref.js';
import { busGroup } from './bus-groups.js';
import type { FlisrAction, FlisrStep, StepPurpose, SwitchKind } from './flisr-result.js';
import type { FlisrTiming } from './timing.js';

export class StepLog {
  readonly steps: FlisrStep[] = [];
  private operations = 0;

  constructor(
    private readonly network: PowerNetwork,
    private readonly timing: FlisrTiming,
  ) {}

  /** Time of the last step, s. */
  get timeS(): number {
    return this.steps.at(-1)?.timeS ?? 0;
  }

  /** The fault or the protection trip, at t = 0. */
  event(action: 'fault' | 'trip', branch: number, kind: SwitchKind | null, buses: readonly number[], note: string): void {
    this.push(0, action, action === 'fault' ? 'fault' : 'protection', branch, kind, buses, note);
  }

  /** A remote switch operation, one switchOperationS after the previous one. */
  operate(action: 'open' | 'close', purpose: StepPurpose, branch: number, kind: SwitchKind, buses: readonly number[], note: string): number {
    this.operations++;
    const timeS = this.timing.faultLocationS + this.operations * this.timing.switchOperationS;
    this.push(timeS, action, purpose, branch, kind, buses, note);
    return timeS;
  }

  /** A section left de-energised, reported when switching is over. */
  leave(action: 'island' | 'unserved', buses: readonly number[], note: string): void {
    this.push(this.timeS, action, 'left', null, null, buses, note);
  }

  private push(
    timeS: number,
    action: FlisrAction,
    purpose: StepPurpose,
    branch: number | null,
    switchKind: SwitchKind | null,
    buses: readonly number[],
    note: string,
  ): void {
    this.steps.push({
      step: this.steps.length + 1,
      timeS,
      action,
      purpose,
      branch: branch === null ? null : branchLabel(this.network, branch),
      switchKind,
      note,
      ...busGroup(this.network, buses),
    });
  }
}
