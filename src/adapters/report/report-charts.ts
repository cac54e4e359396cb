/**
 * The charts: a container per chart in the page, and the script that draws them with uPlot from the
 * embedded JSON (report-data.ts). The script is plain ES2017 kept as a string, so no build step or
 * bundler helper can leak into the page. After uPlot draws a chart, its container gets
 * `data-rendered="true"` (tests wait for that); if drawing fails, `data-rendered="error"` and a
 * console error.
 */
import { UPLOT_TIME_AXIS_SCRIPT } from './uplot-time-axis.js';
import type { SimulationMode } from '../../core/sim/results-types.js';
import { escapeHtml } from './html-escape.js';

export type ChartKind = 'load-generation' | 'battery-soc' | 'islanding' | 'not-served' | 'comparison' | 'market-prices' | 'forecast';

/** The id of the JSON block the chart script reads. */
export const REPORT_DATA_ID = 'report-data';

export interface ChartFigure {
  kind: ChartKind;
  title: string;
  caption: string;
  /** The run the chart draws; none for the comparison, which draws both. */
  mode?: SimulationMode;
}

export function chartFigure(chart: ChartFigure): string {
  const id = chart.mode === undefined ? `chart-${chart.kind}` : `chart-${chart.mode}-${chart.kind}`;
  const runAttr = chart.mode === undefined ? '' : ` data-run="${chart.mode}"`;
  return [
    '<figure class="chart">',
    `<figcaption><strong>${escapeHtml(chart.title)}</strong> ${escapeHtml(chart.caption)}</figcaption>`,
    `<div class="chart-area" id="${id}" data-chart="${chart.kind}"${runAttr}></div>`,
    '</figure>',
  ].join('\n');
}

export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var HEIGHT = 260;
  var data = JSON.parse(document.getElementById('${REPORT_DATA_ID}').textContent);
  var runs = {};
  data.runs.forEach(function (run) { runs[run.mode] = run; });

  var INK = '#222222';
  var BLUE = '#1f77b4';
  var ORANGE = '#ff7f0e';
  var GREEN = '#2ca02c';
  var RED = '#d62728';
  var PURPLE = '#9467bd';
  var BROWN = '#8c564b';
  var AMBER = '#e6a700';
  var GREY = '#7f7f7f';

  function runFor(mode) {
    var run = runs[mode];
    if (!run) throw new Error('no run with mode ' + mode + ' in the report data');
    return run;
  }

  function line(label, values, color, extra) {
    return Object.assign({ label: label, values: values, stroke: color, width: 1.5 }, extra || {});
  }

  function area(label, values, color, extra) {
    return line(label, values, color, Object.assign({ fill: color + '2e' }, extra || {}));
  }

  var stepped = uPlot.paths.stepped({ align: 1 });

  var SPECS = {
    'load-generation': function (run) {
      var c = run.columns;
      return { x: run.xSec, unit: 'kW', series: [
        line('Demand', c.demandKw, INK, { width: 2 }),
        area('Served', c.servedKw, BLUE),
        line('PV', c.pvKw, AMBER),
        line('Wind', c.windKw, GREEN),
        line('CHP', c.chpKw, PURPLE),
        line('Central plants', c.plantsKw, BROWN),
        line('Curtailed', c.curtailedKw, RED, { dash: [5, 4] })
      ] };
    },
    'battery-soc': function (run) {
      return { x: run.xSec, unit: '%', range: [0, 100], series: [
        area('Battery state of charge', run.columns.batterySocPct, BLUE, { width: 2 })
      ] };
    },
    'islanding': function (run) {
      var c = run.columns;
      return { x: run.xSec, unit: 'sites', series: [
        area('Islanded sites', c.islandedSites, GREEN, { paths: stepped }),
        area('Dark sites', c.darkSites, RED, { paths: stepped })
      ] };
    },
    'not-served': function (run) {
      var c = run.columns;
      return { x: run.xSec, unit: 'kW', series: [
        area('Critical', c.notServedCriticalKw, RED),
        area('Essential', c.notServedEssentialKw, ORANGE),
        area('Normal', c.notServedNormalKw, GREY)
      ] };
    },
    'market-prices': function (run) {
      var c = run.columns;
      return { x: run.xSec, unit: 'minor/kWh', range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; }, series: [
        line('TSO price', c.priceTsoMinorPerKwh, BROWN, { width: 2 }),
        line('Local price', c.priceLocalMinorPerKwh, GREEN, { width: 2 }),
        line('Island trades', c.priceIslandMinorPerKwh, PURPLE, { width: 2 }),
        line('Island storage offered at (scarcity)', c.islandScarcityMinorPerKwh, RED, { width: 1.5, dash: [5, 4] })
      ] };
    },
    'forecast': function (run) {
      var c = run.columns;
      return { x: run.xSec, unit: 'kW', series: [
        line('Demand', c.demandKw, INK, { width: 2 }),
        line('Demand, day-ahead forecast', c.forecastDemandKw, INK, { width: 1.5, dash: [5, 4] }),
        line('PV', c.pvKw, AMBER, { width: 2 }),
        line('PV, day-ahead forecast', c.forecastPvKw, AMBER, { width: 1.5, dash: [5, 4] })
      ] };
    },
    'comparison': function () {
      var a = runFor('autonomous');
      var b = runFor('baseline');
      return { x: a.xSec, unit: 'kW', series: [
        line('Demand', a.columns.demandKw, INK, { width: 1, dash: [2, 3] }),
        line('Served, autonomous', a.columns.servedKw, BLUE, { width: 2 }),
        line('Served, baseline', b.columns.servedKw, ORANGE, { width: 2 }),
        area('Not served, autonomous', a.columns.notServedKw, BLUE, { dash: [6, 3] }),
        area('Not served, baseline', b.columns.notServedKw, ORANGE, { dash: [6, 3] })
      ] };
    }
  };

  // x values are the scenario's wall-clock time read as UTC (report-data.ts).
${UPLOT_TIME_AXIS_SCRIPT}
  function timeValue(u, ts) {
    if (ts == null) return '--';
    var date = wallClock(ts);
    return fmtDay(date) + ' ' + fmtTime(date);
  }

  function legendValue(unit) {
    var decimals = unit === 'sites' ? 0 : 1;
    return function (u, v) { return v == null ? '--' : v.toFixed(decimals) + ' ' + unit; };
  }

  function fromZero(u, min, max) {
    return [0, max > 0 ? max * 1.05 : 1];
  }

  function options(el, spec) {
    return {
      width: Math.max(el.clientWidth, 320),
      height: HEIGHT,
      tzDate: wallClock,
      cursor: { sync: { key: 'gridmesh-report' } },
      scales: { x: { time: true }, y: { range: spec.range || fromZero } },
      axes: [
        { label: 'time (' + data.timeLabel + ')', labelSize: 20, values: timeTicks, size: 56 },
        { label: spec.unit, size: 56, labelSize: 20 }
      ],
      series: [{ label: 'Time', value: timeValue }].concat(spec.series.map(function (s) {
        var copy = Object.assign({ value: legendValue(spec.unit) }, s);
        delete copy.values;
        return copy;
      })),
      hooks: { draw: [function () { el.setAttribute('data-rendered', 'true'); }] }
    };
  }

  var plots = [];

  function render(el) {
    var kind = el.getAttribute('data-chart');
    try {
      var build = SPECS[kind];
      if (!build) throw new Error('unknown chart kind ' + kind);
      var mode = el.getAttribute('data-run');
      var spec = build(mode ? runFor(mode) : null);
      var columns = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
      plots.push({ el: el, plot: new uPlot(options(el, spec), columns, el) });
    } catch (error) {
      el.setAttribute('data-rendered', 'error');
      el.textContent = 'This chart could not be drawn: ' + error.message;
      console.error('gridmesh report: chart ' + el.id + ' failed', error);
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-chart]'), render);

  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(p.el.clientWidth, 320), height: HEIGHT }); });
    }, 100);
  });
})();
`;
