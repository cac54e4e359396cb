/**
 * The report in a real browser: it draws every chart from the file alone, with no errors and no
 * network access. Needs Chromium (see test/support/chromium.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderReport } from '../src/adapters/report/report-html.js';
import { aRunResult } from '../src/adapters/report/run-result.fixture.js';
import type { RunResult } from '../src/core/sim/results-types.js';
import { aScenario } from '../src/core/sim/scenario.fixture.js';
import { simulate } from '../src/core/sim/simulate.js';
import { describeWithChromium, launchChromium } from './support/chromium.js';

interface ChartPixels {
  id: string;
  chart: string;
  rendered: string | null;
  canvases: number;
  /** Pixels not fully transparent: series, grid and axes. */
  paintedPixels: number;
  /** Clearly coloured pixels (not grey): only the data series are drawn in colour. */
  colouredPixels: number;
}

/**
 * The few DOM shapes the in-page functions use: the project compiles without the DOM library, so
 * they reach `document` through `globalThis` with these types instead.
 */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageElement {
  id: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: 'canvas'): ArrayLike<PageCanvas>;
}
interface PageGlobal {
  document: { querySelectorAll(selector: string): ArrayLike<PageElement> };
}

interface OpenedReport {
  charts: ChartPixels[];
  problems: string[];
  networkRequests: string[];
}

describeWithChromium('report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'gridmesh-report-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function openReport(name: string, runs: RunResult[]): Promise<OpenedReport> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderReport({ runs, generatedBy: 'gridmesh test' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const problems: string[] = [];
      const networkRequests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        networkRequests.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(
        () => Array.from((globalThis as unknown as PageGlobal).document.querySelectorAll('[data-chart]'))
          .every((el) => el.getAttribute('data-rendered') !== null),
        null,
        { timeout: 15_000 },
      );
      return { charts: await chartPixels(page), problems, networkRequests };
    } finally {
      await page.close();
    }
  }

  it('draws every chart of a two-run report, offline and without errors', async () => {
    const report = await openReport('both', [aRunResult({ mode: 'autonomous' }), aRunResult({ mode: 'baseline' })]);
    expect(report.problems).toEqual([]);
    expect(report.networkRequests).toEqual([]);
    expect(report.charts.map((c) => c.id).sort()).toEqual([
      'chart-autonomous-battery-soc', 'chart-autonomous-islanding', 'chart-autonomous-load-generation',
      'chart-autonomous-not-served', 'chart-baseline-battery-soc', 'chart-baseline-islanding',
      'chart-baseline-load-generation', 'chart-baseline-not-served', 'chart-comparison',
    ]);
    expectDrawn(report.charts);
  });

  it('draws the charts of a simulated run: forecast vs actual, and market prices with an island\'s scarcity price', async () => {
    const scenario = aScenario({ days: 3, events: [{ kind: 'outage', area: 'city', startHour: 30, durationHours: 12 }] });
    const run = simulate(scenario, { mode: 'autonomous' });
    expect(run.series.islandScarcityMinorPerKwh?.some((p) => Number.isFinite(p))).toBe(true);
    const report = await openReport('simulated', [run]);
    expect(report.problems).toEqual([]);
    expect(report.charts.map((c) => c.chart)).toEqual(expect.arrayContaining(['forecast', 'market-prices']));
    expectDrawn(report.charts);
  });

  it('draws a one-run report', async () => {
    const report = await openReport('one', [aRunResult({ mode: 'baseline', slots: 96 })]);
    expect(report.problems).toEqual([]);
    expect(report.networkRequests).toEqual([]);
    expect(report.charts.map((c) => c.chart).sort()).toEqual(['battery-soc', 'islanding', 'load-generation', 'not-served']);
    expectDrawn(report.charts);
  });
});

function expectDrawn(charts: ChartPixels[]): void {
  for (const chart of charts) {
    expect({ id: chart.id, rendered: chart.rendered }).toEqual({ id: chart.id, rendered: 'true' });
    expect(chart.canvases, chart.id).toBe(1);
    expect(chart.paintedPixels, `${chart.id}: painted pixels`).toBeGreaterThan(5_000);
    expect(chart.colouredPixels, `${chart.id}: pixels of data series`).toBeGreaterThan(500);
  }
}

/** Reads back every chart's canvas in the page and counts what was drawn on it. */
async function chartPixels(page: Page): Promise<ChartPixels[]> {
  return page.evaluate(() =>
    Array.from((globalThis as unknown as PageGlobal).document.querySelectorAll('[data-chart]')).map((el) => {
      const canvases = Array.from(el.querySelectorAll('canvas'));
      let paintedPixels = 0;
      let colouredPixels = 0;
      for (const canvas of canvases) {
        const context = canvas.getContext('2d');
        if (context === null || canvas.width === 0 || canvas.height === 0) continue;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
          if (a === 0) continue;
          paintedPixels++;
          if (a > 40 && Math.max(r, g, b) - Math.min(r, g, b) > 40) colouredPixels++;
        }
      }
      return {
        id: el.id, chart: el.getAttribute('data-chart') ?? '', rendered: el.getAttribute('data-rendered'),
        canvases: canvases.length, paintedPixels, colouredPixels,
      };
    }),
  );
}
