/**
 * Simulated times of the FLISR sequence, seconds after the fault. FLISR switches one remotely
 * controlled switch at a time, each after the previous one has confirmed its new state:
 * - t = 0: protection detects the fault and the feeder breaker trips (relay and breaker times,
 *   ~0.1 s, are below the resolution that matters for restoration);
 * - t = faultLocationS: the FLISR controller has read the fault passage indicators and the relay
 *   and located the faulted section;
 * - each switch operation (open, close, reclose) then takes switchOperationS: command over the
 *   communication network, motor operation, status confirmation.
 * Power-flow checks are taken to be instantaneous. Sections that cannot be restored are reported at
 * the time of the last operation.
 */
export interface FlisrTiming {
  readonly faultLocationS: number;
  readonly switchOperationS: number;
}

/** Typical figures for remote-controlled feeder automation (SCADA/DMS): tens of seconds end to end. */
export const DEFAULT_FLISR_TIMING: FlisrTiming = {
  faultLocationS: 10,
  switchOperationS: 5,
};
