/**
 * Browser code shared by the report's and the dashboard's uPlot charts: x values are a wall-clock
 * time read as UTC (seconds), shown as that wall-clock time whatever the browser's time zone, with
 * 24-hour ticks and the date under the first tick of each day (the date only, for ticks a day apart).
 * Defines `wallClock`, `fmtDay`, `fmtTime` and `timeTicks` in the script it is pasted into.
 */
export const UPLOT_TIME_AXIS_SCRIPT = String.raw`
// uPlot formats the Date this returns with local getters, which then show the wall-clock time.
function wallClock(ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); }
var fmtDay = uPlot.fmtDate('{YYYY}-{MM}-{DD}');
var fmtTime = uPlot.fmtDate('{HH}:{mm}');

function timeTicks(u, splits, axisIdx, space, incrSec) {
  var previousDay = null;
  return splits.map(function (ts) {
    if (ts == null) return null;
    var date = wallClock(ts);
    var day = fmtDay(date);
    if (incrSec >= 86400) return day;
    var label = fmtTime(date);
    if (day !== previousDay) label += '\n' + day;
    previousDay = day;
    return label;
  });
}
`;
