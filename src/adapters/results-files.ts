/**
 * Writes a run's outputs into a folder: results.json, timeseries.csv and report.html. Files are
 * written to temporary names first and renamed at the end, so a failed run leaves no partial output.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../core/sim/results-types.js';
import { renderReport } from './report/report-html.js';

export const RESULTS_FILE = 'results.json';
export const TIMESERIES_FILE = 'timeseries.csv';
export const REPORT_FILE = 'report.html';

/** results.json: one run's object (without its series), or `{ ..., runs: { autonomous, baseline } }`. */
export function resultsJson(runs: readonly RunResult[]): unknown {
  const strip = ({ series: _series, ...rest }: RunResult): Omit<RunResult, 'series'> => rest;
  const first = runs[0];
  if (first === undefined) throw new Error('no runs to write');
  if (runs.length === 1) return strip(first);
  return {
    scenario: first.scenario, seed: first.seed, mode: 'both', start: first.start, slotMinutes: first.slotMinutes,
    slots: first.slots, sites: first.sites,
    runs: Object.fromEntries(runs.map((r) => [r.mode, strip(r)])),
  };
}

/** timeseries.csv: one row per mode and slot; powers in kW (slot means). */
export function timeSeriesCsv(runs: readonly RunResult[]): string {
  const first = runs[0];
  if (first === undefined) return '';
  const columns = Object.keys(first.series).filter((k) => k !== 'timeMs') as (keyof RunResult['series'])[];
  const lines = [['mode', 'slot', 'time', ...columns].join(',')];
  for (const run of runs) {
    const s = run.series;
    for (let slot = 0; slot < run.slots; slot++) {
      const time = new Date(s.timeMs[slot] as number).toISOString();
      lines.push([run.mode, slot, time, ...columns.map((c) => csvNumber(s[c]?.[slot]))].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** A CSV cell: empty for a missing value (e.g. a price in a slot where nothing traded). */
function csvNumber(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '' : String(value);
}

export async function writeRunOutputs(dir: string, runs: readonly RunResult[], generatedBy: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    [RESULTS_FILE, JSON.stringify(resultsJson(runs), null, 2) + '\n'],
    [TIMESERIES_FILE, timeSeriesCsv(runs)],
    [REPORT_FILE, renderReport({ runs: [...runs], generatedBy })],
  ];
  const suffix = `.tmp-${process.pid}`;
  for (const [name, content] of files) await writeFile(join(dir, name + suffix), content);
  for (const [name] of files) await rename(join(dir, name + suffix), join(dir, name));
  return files.map(([name]) => join(dir, name));
}
