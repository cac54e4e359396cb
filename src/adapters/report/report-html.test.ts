import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/sim/results-types.js';
import { renderReport } from './report-html.js';
import { ReportError } from './report-error.js';
import { aRunResult } from './run-result.fixture.js';

const HOSTILE = '</script><script>alert(1)</script>';

function bothRuns(overrides: Parameters<typeof aRunResult>[0] = {}): RunResult[] {
  return [aRunResult({ ...overrides, mode: 'autonomous' }), aRunResult({ ...overrides, mode: 'baseline' })];
}

/** The embedded JSON block, cut at the first `</script>` as an HTML parser would. */
function embeddedData(html: string): { scenario: string; runs: { mode: string; xSec: number[] }[] } {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (match?.[1] === undefined) throw new Error('no report-data block');
  return JSON.parse(match[1]) as ReturnType<typeof embeddedData>;
}

function summaryHeader(html: string): string {
  return /<table class="summary">\s*<thead>(.*?)<\/thead>/s.exec(html)?.[1] ?? '';
}

describe('renderReport', () => {
  it('opens offline: loads no script, stylesheet or other resource from anywhere', () => {
    const html = renderReport({ runs: bothRuns() });
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
    // uPlot itself is inlined.
    expect(html).toMatch(/<script>[^<]*var uPlot/);
    expect(html).toContain('.uplot');
  });

  it('escapes a hostile scenario name and area id everywhere', () => {
    const runs = bothRuns({ scenario: HOSTILE });
    for (const run of runs) run.areas[0] = { ...(run.areas[0] as RunResult['areas'][number]), id: `<img src=x onerror=alert(2)>` };
    const html = renderReport({ runs, generatedBy: '<b>me</b>' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>me</b>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    // The JSON block is not cut short by the name, and still reads back as the same text.
    expect(embeddedData(html).scenario).toBe(HOSTILE);
    // Exactly the three script elements the report writes: data, uPlot, charts.
    expect(html.match(/<script[\s>]/g)).toHaveLength(3);
  });

  it('shows the autonomous and baseline runs side by side when both are given', () => {
    const html = renderReport({ runs: [aRunResult({ mode: 'baseline' }), aRunResult({ mode: 'autonomous' })] });
    const header = summaryHeader(html);
    expect(header).toMatch(/Autonomous \(gridmesh\).*Baseline \(today&#39;s grid\)/);
    expect(html).toContain('data-chart="comparison"');
    expect(html).toContain('id="run-autonomous"');
    expect(html).toContain('id="run-baseline"');
    expect(html.match(/data-chart="/g)).toHaveLength(9);
    expect(embeddedData(html).runs.map((r) => r.mode)).toEqual(['autonomous', 'baseline']);
  });

  it('works with one run and says how to compare with the other mode', () => {
    const html = renderReport({ runs: [aRunResult({ mode: 'baseline' })] });
    const header = summaryHeader(html);
    expect(header).toContain('Baseline');
    expect(header).not.toContain('Autonomous');
    expect(html).not.toContain('data-chart="comparison"');
    expect(html).toContain('gridmesh simulate --mode both');
    expect(html.match(/data-chart="/g)).toHaveLength(4);
  });

  it('names the scenario, seed, slots and slot length in the title', () => {
    const html = renderReport({ runs: [aRunResult({ scenario: 'Riverside', seed: 7, slots: 96, slotMinutes: 15 })] });
    expect(html).toContain('<title>gridmesh report: Riverside</title>');
    expect(html).toContain('seed 7');
    expect(html).toContain('96 slots × 15 min (24 h)');
    expect(html).toContain('from 2025-06-01 00:00 (UTC+02:00)');
  });

  it('embeds slot times shifted to the scenario time for the chart script', () => {
    const html = renderReport({ runs: [aRunResult({ slots: 4 })] });
    const data = embeddedData(html);
    expect(data.runs[0]?.xSec[0]).toBe((Date.parse('2025-06-01T00:00:00+02:00') + 2 * 3_600_000) / 1000);
    expect(data.runs[0]?.xSec).toHaveLength(4);
  });

  it('lists the islanding periods with their start and end in scenario time', () => {
    const html = renderReport({ runs: [aRunResult({ mode: 'autonomous' })] });
    expect(html).toMatch(/<th scope="row">nb-north<\/th><td>2025-06-01 18:00<\/td><td>2025-06-02 06:00<\/td>/);
  });

  it('lists at most 200 areas and says how many were left out', () => {
    const html = renderReport({ runs: [aRunResult({ areaCount: 250 })] });
    const areaRows = /<table class="areas">([\s\S]*?)<\/table>/.exec(html)?.[1]?.match(/<tr>/g) ?? [];
    expect(areaRows).toHaveLength(200 + 1); // + the header row
    expect(html).toContain('Showing the first 200 of 250 areas');
  });

  it('is the same for the same runs', () => {
    expect(renderReport({ runs: bothRuns() })).toBe(renderReport({ runs: bothRuns() }));
  });

  it('error: needs at least one run', () => {
    expect(() => renderReport({ runs: [] })).toThrow(ReportError);
  });

  it('error: rejects two runs of the same mode', () => {
    expect(() => renderReport({ runs: [aRunResult(), aRunResult()] })).toThrow(/one autonomous and one baseline/);
  });

  it('error: rejects runs of different scenarios or seeds', () => {
    const runs = [aRunResult({ mode: 'autonomous', seed: 1 }), aRunResult({ mode: 'baseline', seed: 2 })];
    expect(() => renderReport({ runs })).toThrow(ReportError);
  });

  it('error: rejects more than two runs', () => {
    expect(() => renderReport({ runs: [...bothRuns(), aRunResult()] })).toThrow(/at most 2 runs/);
  });
});
