/**
 * The report shows times in the scenario's own time: the UTC offset written in the run's `start`
 * (e.g. `2025-06-01T00:00:00+02:00`), not the time zone of whoever opens the file.
 */

const OFFSET_PATTERN = /(?:([+-])(\d{2}):?(\d{2})|Z)$/i;

export interface ScenarioTime {
  offsetMs: number;
  /** e.g. `UTC+02:00`, or `UTC`. */
  label: string;
}

export function scenarioTime(start: string): ScenarioTime {
  const match = OFFSET_PATTERN.exec(start.trim());
  if (match === null || match[1] === undefined) return { offsetMs: 0, label: 'UTC' };
  const sign = match[1] === '-' ? -1 : 1;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return { offsetMs: sign * minutes * 60_000, label: `UTC${match[1]}${match[2]}:${match[3]}` };
}

/** `YYYY-MM-DD HH:MM` of an epoch time, in the scenario's time. */
export function formatScenarioTime(epochMs: number, time: ScenarioTime): string {
  if (!Number.isFinite(epochMs)) return '–';
  return new Date(epochMs + time.offsetMs).toISOString().slice(0, 16).replace('T', ' ');
}
