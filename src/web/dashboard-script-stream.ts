/**
 * Browser script, part 4: loading and following the node. The page loads the node, areas, the last
 * INITIAL_SLOTS slots and the lists, then follows /api/v1/stream. Summaries are applied one at a
 * time in slot order: a gap (missed while reconnecting) is filled from /api/v1/slots first, a repeat
 * is ignored, and a hello whose latest slot is older than ours (the node restarted) reloads
 * everything. A closed stream reconnects with exponential backoff; `#connection` says "live" or
 * "reconnecting" (`data-state`), and counts reconnections in `data-reconnects`. Lists (node, alerts,
 * statements, devices) are re-fetched after slots, at most once a second (devices every 5 s).
 */
export const SCRIPT_STREAM = String.raw`
var lastSlot = -1;
var GAP_FETCH_SLACK = 64;
var ingestQueue = Promise.resolve();

function isSummary(s) { return isObject(s) && isNumber(s.slot) && isString(s.twinIso); }

function applySummary(s, draw) {
  if (!pushPoint(s)) return;
  lastSlot = s.slot;
  renderSummary(s);
  renderAreas(s.areas);
  if (draw) redrawCharts();
}

async function ingest(s, fromHello) {
  if (!isSummary(s)) return;
  if (s.slot <= lastSlot) {
    if (fromHello && s.slot < lastSlot) await reload();
    return;
  }
  if (lastSlot >= 0 && s.slot > lastSlot + 1) {
    // The newest slots: with room for those the node settles while this request is on its way, so
    // the oldest missed ones are still among them.
    var missed = await apiList('/slots', Math.min(s.slot - lastSlot + GAP_FETCH_SLACK, MAX_POINTS));
    missed.forEach(function (m) { if (isSummary(m) && m.slot > lastSlot && m.slot < s.slot) applySummary(m, false); });
  }
  applySummary(s, true);
  scheduleRefresh();
}

function enqueue(s, fromHello) {
  ingestQueue = ingestQueue.then(function () { return ingest(s, fromHello); }).then(
    function () { showProblem(''); },
    function (error) { showProblem('Could not apply slot ' + (isObject(s) ? s.slot : '?') + ': ' + errorText(error)); }
  );
}

/* ---- lists, refreshed after slots ---- */

var refreshTimer = 0;
var refreshRunning = false;
var refreshWanted = false;
var lastRefreshMs = 0;
var lastDevicesMs = 0;

async function loadSection(load, render, problemId) {
  try {
    render(await load());
    if (problemId) sectionProblem(problemId, null);
  } catch (error) {
    if (problemId) sectionProblem(problemId, error);
    else throw error;
  }
}

function refreshLists(withDevices) {
  var jobs = [
    loadSection(function () { return api('/node'); }, renderNode, null).catch(function (error) { showProblem('Could not load the node: ' + errorText(error)); }),
    loadSection(function () { return apiList('/alerts', MAX_ALERTS); }, renderAlerts, 'alerts-problem'),
    loadSection(function () { return apiList('/statements', STATEMENT_ROWS); }, renderStatements, 'statements-problem')
  ];
  if (withDevices) {
    lastDevicesMs = Date.now();
    jobs.push(loadSection(function () { return api('/devices'); }, renderDevices, 'devices-problem'));
  }
  return Promise.all(jobs);
}

function scheduleRefresh() {
  refreshWanted = true;
  if (refreshTimer !== 0 || refreshRunning) return;
  refreshTimer = setTimeout(runRefresh, Math.max(0, lastRefreshMs + REFRESH_MIN_MS - Date.now()));
}

async function runRefresh() {
  refreshTimer = 0;
  refreshWanted = false;
  refreshRunning = true;
  lastRefreshMs = Date.now();
  try {
    await refreshLists(Date.now() - lastDevicesMs >= DEVICES_MIN_MS);
  } finally {
    refreshRunning = false;
    if (refreshWanted) scheduleRefresh();
  }
}

/* ---- initial load ---- */

async function loadAll() {
  var loaded = await Promise.all([api('/node'), apiList('/slots', INITIAL_SLOTS)]);
  renderNode(loaded[0]);
  asArray(loaded[1]).forEach(function (s) { if (isSummary(s) && s.slot > lastSlot) applySummary(s, false); });
  redrawCharts();
  await Promise.all([loadSection(function () { return api('/areas'); }, renderAreas, 'areas-problem'), refreshLists(true)]);
  lastRefreshMs = Date.now();
}

async function reload() {
  clearSeries();
  lastSlot = -1;
  renderedKeys = {};
  await loadAll();
}

/* ---- the stream ---- */

var socket = null;
var backoffMs = BACKOFF_MIN_MS;
var reconnects = 0;

function setConnection(state, text, detail) {
  var c = $('connection');
  c.setAttribute('data-state', state);
  c.setAttribute('data-reconnects', String(reconnects));
  c.textContent = text;
  c.title = detail || '';
}

function streamUrl() { return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + API + '/stream'; }

function connect() {
  var ws;
  try {
    ws = new WebSocket(streamUrl());
  } catch (error) {
    scheduleReconnect(errorText(error));
    return;
  }
  socket = ws;
  ws.onmessage = function (event) {
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (!isObject(message)) return;
    if (message.type === 'hello') {
      backoffMs = BACKOFF_MIN_MS;
      setConnection('live', 'live', 'following ' + streamUrl());
      renderNode(message.node);
      if (message.latest === null && lastSlot >= 0) ingestQueue = ingestQueue.then(reload).catch(function (error) { showProblem(errorText(error)); });
      else if (message.latest) enqueue(message.latest, true);
    } else if (message.type === 'slot') {
      enqueue(message.summary, false);
    }
  };
  ws.onclose = function (event) {
    if (socket !== ws) return;
    socket = null;
    scheduleReconnect('stream closed' + (event.code ? ' (' + event.code + (event.reason ? ': ' + event.reason : '') + ')' : ''));
  };
}

function scheduleReconnect(reason) {
  var delay = Math.round(backoffMs * (1 + Math.random() * 0.2));
  backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
  reconnects++;
  setConnection('reconnecting', 'reconnecting', reason + '; next try in ' + (delay / 1000).toFixed(1) + ' s');
  setTimeout(connect, delay);
}

/* ---- start ---- */

async function start() {
  createCharts();
  var delay = BACKOFF_MIN_MS;
  for (;;) {
    try {
      await loadAll();
      showProblem('');
      break;
    } catch (error) {
      showProblem('Could not load the node: ' + errorText(error) + '. Retrying in ' + Math.round(delay / 1000) + ' s.');
      await new Promise(function (resolve) { setTimeout(resolve, delay); });
      delay = Math.min(delay * 2, BACKOFF_MAX_MS);
    }
  }
  connect();
}

start();
`;
