/**
 * Browser script, part 2: the live series and the uPlot charts. Each series keeps at most
 * MAX_POINTS points (the oldest drop off). x is the slot's start in the twin's own wall-clock time,
 * read as UTC, so the axis shows the twin's clock whatever the browser's time zone. Each chart
 * container gets `data-rendered="true"` once drawn, and `data-points` / `data-first-slot` /
 * `data-last-slot` describing what it holds (tests read these).
 */
import { UPLOT_TIME_AXIS_SCRIPT } from '../adapters/report/uplot-time-axis.js';

export const SCRIPT_CHARTS = String.raw`
var INK = '#222222', BLUE = '#1f77b4', ORANGE = '#ff7f0e', GREEN = '#2ca02c', RED = '#d62728';
var PURPLE = '#9467bd', BROWN = '#8c564b', AMBER = '#e6a700';
var CHART_HEIGHT = 220;

var series = { slot: [], x: [], demand: [], pv: [], wind: [], imp: [], exp: [], unserved: [], price: [], island: [], soc: [] };
var SERIES_KEYS = Object.keys(series);

function fromZero(u, min, max) { return [0, isNumber(max) && max > 0 ? max * 1.05 : 1]; }
function priceRange(u, min, max) { return [Math.min(0, isNumber(min) ? min : 0), isNumber(max) && max > 0 ? max * 1.05 : 1]; }

function line(label, key, color, extra) { return Object.assign({ label: label, key: key, stroke: color, width: 1.5 }, extra || {}); }

var CHART_SPECS = [
  { id: 'chart-power', unit: 'kW', range: fromZero, series: [
    line('Demand', 'demand', INK, { width: 2 }),
    line('PV', 'pv', AMBER),
    line('Wind', 'wind', GREEN),
    line('Import', 'imp', BLUE),
    line('Export', 'exp', PURPLE),
    line('Not served', 'unserved', RED, { dash: [5, 4] })
  ] },
  { id: 'chart-prices', unit: 'minor/kWh', range: priceRange, series: [
    line('TSO price', 'price', BROWN, { width: 2 }),
    line('Island price', 'island', RED, { width: 2 })
  ] },
  { id: 'chart-soc', unit: '%', range: [0, 100], series: [
    line('Battery SoC', 'soc', BLUE, { width: 2, fill: BLUE + '2e' })
  ] }
];

var charts = [];

/** Seconds of the twin's wall clock, read as UTC (the ISO's own offset is added back). */
function twinSeconds(iso) {
  if (!isString(iso)) return null;
  var ms = Date.parse(iso);
  if (!isFinite(ms)) return null;
  var zone = /([+-])(\d\d):?(\d\d)$/.exec(iso);
  var offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 3600 + Number(zone[3]) * 60) : 0;
  return ms / 1000 + offset;
}

function value(v) { return isNumber(v) ? v : null; }

/** Appends one slot; returns false (and keeps nothing) when its time does not follow the last point. */
function pushPoint(s) {
  var x = twinSeconds(s.twinIso);
  var last = series.x.length > 0 ? series.x[series.x.length - 1] : null;
  if (x === null || (last !== null && x <= last)) return false;
  series.slot.push(s.slot);
  series.x.push(x);
  series.demand.push(value(s.demandKw));
  series.pv.push(value(s.pvKw));
  series.wind.push(value(s.windKw));
  series.imp.push(value(s.importKw));
  series.exp.push(value(s.exportKw));
  series.unserved.push(value(s.unservedKw));
  series.price.push(value(s.priceMinorPerKwh));
  series.island.push(value(s.islandPriceMinorPerKwh));
  series.soc.push(value(s.batterySocPct));
  var excess = series.x.length - MAX_POINTS;
  if (excess > 0) SERIES_KEYS.forEach(function (key) { series[key].splice(0, excess); });
  return true;
}

function clearSeries() { SERIES_KEYS.forEach(function (key) { series[key].length = 0; }); }

function chartData(spec) {
  return [series.x.slice()].concat(spec.series.map(function (s) { return series[s.key].slice(); }));
}

${UPLOT_TIME_AXIS_SCRIPT}
var fmtStamp = uPlot.fmtDate('{YYYY}-{MM}-{DD} {HH}:{mm}');

function chartOptions(container, spec) {
  return {
    width: Math.max(container.clientWidth, 320),
    height: CHART_HEIGHT,
    tzDate: wallClock,
    cursor: { sync: { key: 'gridmesh-dashboard' } },
    scales: { x: { time: true }, y: { range: spec.range } },
    axes: [{ values: timeTicks, size: 48 }, { label: spec.unit, size: 56, labelSize: 18 }],
    series: [{ label: 'Twin time', value: function (u, ts) { return ts == null ? '--' : fmtStamp(wallClock(ts)); } }]
      .concat(spec.series.map(function (s) {
        var copy = Object.assign({ value: function (u, v) { return v == null ? '--' : v.toFixed(1) + ' ' + spec.unit; } }, s);
        delete copy.key;
        return copy;
      })),
    hooks: { draw: [function () { container.setAttribute('data-rendered', 'true'); }] }
  };
}

function describeChart(container) {
  container.setAttribute('data-points', String(series.x.length));
  container.setAttribute('data-first-slot', series.slot.length > 0 ? String(series.slot[0]) : '');
  container.setAttribute('data-last-slot', series.slot.length > 0 ? String(series.slot[series.slot.length - 1]) : '');
}

function createCharts() {
  CHART_SPECS.forEach(function (spec) {
    var container = $(spec.id);
    try {
      var plot = new uPlot(chartOptions(container, spec), chartData(spec), container);
      charts.push({ spec: spec, el: container, plot: plot });
      describeChart(container);
    } catch (error) {
      container.setAttribute('data-rendered', 'error');
      container.textContent = 'This chart could not be drawn: ' + errorText(error);
      console.error('gridmesh dashboard: chart ' + spec.id + ' failed', error);
    }
  });
}

function redrawCharts() {
  charts.forEach(function (c) {
    c.plot.setData(chartData(c.spec));
    describeChart(c.el);
  });
}

var resizeTimer = 0;
window.addEventListener('resize', function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () {
    charts.forEach(function (c) { c.plot.setSize({ width: Math.max(c.el.clientWidth, 320), height: CHART_HEIGHT }); });
  }, 100);
});
`;
