/**
 * Browser script, part 1: limits, DOM helpers, formatting and the JSON API client. The parts are
 * plain JavaScript kept as strings (the build has no DOM types and no bundler) and run inside one
 * IIFE, so they share these names (see dashboard-script.ts). Text from the API only ever reaches
 * the page through `textContent` and `setAttribute`, never as HTML.
 */
export const SCRIPT_BASE = String.raw`
var API = '/api/v1';
var MAX_POINTS = 2000;
var MAX_ALERTS = 100;
var INITIAL_SLOTS = 96;
var STATEMENT_ROWS = 50;
var MAX_DEVICE_ROWS = 500;
var MAX_OUTAGE_SLOTS = 672;
var REFRESH_MIN_MS = 1000;
var DEVICES_MIN_MS = 5000;
var BACKOFF_MIN_MS = 500;
var BACKOFF_MAX_MS = 15000;
var DASH = '\u2014';

function $(id) {
  var node = document.getElementById(id);
  if (node === null) throw new Error('gridmesh dashboard: no element #' + id);
  return node;
}

/** An element with text content, optional class, attributes and children. */
function el(tag, options, children) {
  var node = document.createElement(tag);
  var o = options || {};
  if (o.className) node.className = o.className;
  if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
  if (o.title) node.title = String(o.title);
  if (o.attrs) Object.keys(o.attrs).forEach(function (name) { node.setAttribute(name, String(o.attrs[name])); });
  (children || []).forEach(function (child) { if (child) node.appendChild(child); });
  return node;
}

function setText(id, text) { $(id).textContent = text; }

function isNumber(v) { return typeof v === 'number' && isFinite(v); }
function isString(v) { return typeof v === 'string'; }
function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
function asArray(v) { return Array.isArray(v) ? v : []; }

function fixed(v, decimals, unit) {
  if (!isNumber(v)) return DASH;
  return v.toFixed(decimals) + (unit ? ' ' + unit : '');
}

function whole(v) { return isNumber(v) ? Math.round(v).toLocaleString('en-GB') : DASH; }

/** The wall-clock part of an ISO time, in the twin's own offset: 2025-06-01 14:45. */
function twinTime(iso) {
  if (!isString(iso) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso)) return DASH;
  return iso.slice(0, 10) + ' ' + iso.slice(11, 16);
}

function shorten(text, keep) {
  var s = String(text);
  return s.length > keep * 2 + 1 ? s.slice(0, keep) + '\u2026' + s.slice(-keep) : s;
}

function showProblem(text) {
  var p = $('problem');
  p.textContent = text;
  p.hidden = text === '';
}

function errorText(error) { return error && error.message ? String(error.message) : String(error); }

/** JSON from the node's API; a non-2xx answer throws an Error with the API's {error, message}. */
async function api(path, init) {
  var request = Object.assign({ cache: 'no-store', credentials: 'same-origin' }, init || {});
  request.headers = Object.assign({ accept: 'application/json' }, (init && init.headers) || {});
  var response = await fetch(API + path, request);
  var text = await response.text();
  var body = null;
  if (text !== '') {
    try { body = JSON.parse(text); } catch (e) { body = null; }
  }
  if (!response.ok) {
    var message = isObject(body) && isString(body.message) ? body.message : response.status + ' ' + response.statusText;
    var error = new Error(message);
    error.status = response.status;
    error.code = isObject(body) && isString(body.error) ? body.error : null;
    throw error;
  }
  if (body === null && text !== '') throw new Error(path + ': the node answered with something that is not JSON');
  return body;
}

/**
 * A list route with ?limit=. The node bounds limit by its configured history and answers a larger
 * one with 400, so on a 400 the limit is halved until the node accepts it, and remembered per route.
 */
var listLimitCap = {};
async function apiList(path, limit) {
  var n = Math.min(limit, listLimitCap[path] || limit);
  for (;;) {
    try {
      return asArray(await api(path + '?limit=' + n));
    } catch (error) {
      if (error.status !== 400 || n <= 1) throw error;
      n = Math.floor(n / 2);
      listLimitCap[path] = n;
    }
  }
}

/** Shows a section's load failure in that section (or clears it), so the rest of the page keeps working. */
function sectionProblem(id, error) { setText(id, error ? 'Could not load: ' + errorText(error) : ''); }
`;
