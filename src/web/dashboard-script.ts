/**
 * The dashboard's browser script: its four parts (base, charts, views, stream) in one strict IIFE,
 * so they share names without leaking any to the page. Plain JavaScript that needs `uPlot` loaded
 * first; it errors loudly (console) only when the page itself is broken, never for a node that is
 * unreachable (that shows in the page).
 */
import { SCRIPT_BASE } from './dashboard-script-base.js';
import { SCRIPT_CHARTS } from './dashboard-script-charts.js';
import { SCRIPT_STREAM } from './dashboard-script-stream.js';
import { SCRIPT_VIEWS } from './dashboard-script-views.js';

export const DASHBOARD_SCRIPT = `(function () {
'use strict';
${SCRIPT_BASE}
${SCRIPT_CHARTS}
${SCRIPT_VIEWS}
${SCRIPT_STREAM}
})();
`;
