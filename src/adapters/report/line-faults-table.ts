/** The line faults of a run and the self-healing switching sequence of each. */
import type { RunResult } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger } from './number-format.js';
import { formatScenarioTime, type ScenarioTime } from './scenario-time.js';

export function lineFaultsTable(run: RunResult, time: ScenarioTime): string {
  const faults = run.metrics.lineFaults;
  if (faults.length === 0) return '<p class="note">No line fault in this run.</p>';
  const slotMs = run.slotMinutes * 60_000;
  const at = (slot: number): string => formatScenarioTime((run.series.timeMs[0] ?? 0) + slot * slotMs, time);
  const columns = [
    { label: 'Feeder' }, { label: 'Fault at' }, { label: `Fault (${escapeHtml(time.label)})` }, { label: `Repaired (${escapeHtml(time.label)})` },
    { label: 'Isolated', numeric: true }, { label: 'Restored (via tie)', numeric: true }, { label: 'Islanded', numeric: true }, { label: 'Dark', numeric: true },
    { label: 'Switching sequence' },
  ];
  const rows = faults.map((f) => ({
    cells: [
      escapeHtml(f.area), f.branch === null ? `section ${formatInteger(f.section ?? 0)}` : `branch ${escapeHtml(f.branch)}`, at(f.startSlot), f.endSlot >= run.slots ? 'after the run' : at(f.endSlot),
      formatInteger(f.isolatedSites), `${formatInteger(f.restoredSites)} (${formatInteger(f.restoredViaTieSites)})`, formatInteger(f.islandedSites), formatInteger(f.darkSites),
      f.steps.map((s) => `${s.timeS} s ${escapeHtml(s.action)}: ${escapeHtml(s.note)}`).join('<br>'),
    ],
  }));
  return htmlTable(columns, rows, 'line-faults');
}
