/**
 * The node's live dashboard: one self-contained HTML page, served by the node at `/`. It needs
 * nothing but the node: uPlot, the stylesheet and the script are inline, and the
 * Content-Security-Policy lets the page talk only to its own origin (JSON API and WebSocket stream).
 */
import { escapeHtml, inlineScriptCode, inlineStyleCode } from '../adapters/report/html-escape.js';
import { readUplotAssets, type UplotAssets } from '../adapters/report/uplot-assets.js';
import { dashboardLayout } from './dashboard-layout.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_CSS } from './dashboard-styles.js';

export interface DashboardOptions {
  /** The page's title and heading, as given (e.g. `gridmesh: node-1`); default `gridmesh node dashboard`. */
  title?: string;
}

/**
 * Inline code only, and connections only to this origin: `'self'` for the API, `ws:`/`wss:` for the
 * stream (a CSP 2 browser does not match `ws:` against `'self'`). `img-src data:` is for the empty
 * favicon that keeps browsers from asking the node for /favicon.ico.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let uplot: UplotAssets | undefined;

export function dashboardHtml(options: DashboardOptions = {}): string {
  uplot ??= readUplotAssets();
  const title = options.title ?? 'gridmesh node dashboard';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${DASHBOARD_CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${inlineStyleCode(uplot.css)}</style>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
${dashboardLayout(headingHtml(title), escapeHtml(uplot.version))}
<script>${inlineScriptCode(uplot.script)}</script>
<script>${inlineScriptCode(DASHBOARD_SCRIPT)}</script>
</body>
</html>
`;
}

/** The title as the page's heading, with a leading "gridmesh" in the brand's colour. */
function headingHtml(title: string): string {
  const brand = /^gridmesh\b/.exec(title);
  return brand === null ? escapeHtml(title) : `<span class="brand">gridmesh</span>${escapeHtml(title.slice(brand[0].length))}`;
}
