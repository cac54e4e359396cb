/** The overload cascades of a run and their size (lines tripped, customers lost or shed). */
import type { RunResult } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';
import { htmlTable } from './html-table.js';
import { formatInteger, formatNumber } from './number-format.js';
import { formatScenarioTime, type ScenarioTime } from './scenario-time.js';

export function cascadesTable(run: RunResult, time: ScenarioTime): string {
  const cascades = run.metrics.cascades;
  if (cascades.length === 0) return '<p class="note">No overload cascade in this run.</p>';
  const slotMs = run.slotMinutes * 60_000;
  const at = (slot: number): string => formatScenarioTime((run.series.timeMs[0] ?? 0) + slot * slotMs, time);
  const columns = [
    { label: 'Feeder' }, { label: 'Trigger' }, { label: `Start (${escapeHtml(time.label)})` },
    { label: 'Lines tripped', numeric: true }, { label: 'Buses lost', numeric: true }, { label: 'Buses shed', numeric: true },
    { label: 'Load lost, kW', numeric: true }, { label: 'Load shed, kW', numeric: true },
    { label: 'Sites dark', numeric: true }, { label: 'Sites islanded', numeric: true },
  ];
  const rows = cascades.map((c) => ({
    cells: [
      escapeHtml(c.area), escapeHtml(c.trip), at(c.startSlot), formatInteger(c.linesTripped), formatInteger(c.busesLost), formatInteger(c.busesShed),
      formatNumber(c.loadLostKw, 1), formatNumber(c.loadShedKw, 1), formatInteger(c.darkSites), formatInteger(c.islandedSites),
    ],
  }));
  return htmlTable(columns, rows, 'cascades');
}
