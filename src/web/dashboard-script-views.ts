/**
 * Browser script, part 3: what each section shows: header figures, the area tree, alerts, devices,
 * ledger statements with their proofs, and the demo outage control. Lists are rebuilt only when
 * their data changed, so a click on a row is not lost to a refresh.
 */
export const SCRIPT_VIEWS = String.raw`
var nodeInfo = null;
var renderedKeys = {};

function changed(name, data) {
  var key = JSON.stringify(data);
  if (renderedKeys[name] === key) return false;
  renderedKeys[name] = key;
  return true;
}

function renderNode(info) {
  if (!isObject(info)) return;
  nodeInfo = info;
  setText('node-id', isString(info.nodeId) ? info.nodeId : DASH);
  setText('node-area', isString(info.area) ? info.area : DASH);
  setText('node-scenario', isString(info.scenario) ? info.scenario : DASH);
  setText('node-chain', isObject(info.chain) ? 'chain ' + info.chain.kind + ' #' + info.chain.chainId : DASH);
  setText('node-mqtt', isObject(info.mqtt) ? 'MQTT ' + info.mqtt.url + (info.mqtt.embedded ? ' (embedded)' : '') : DASH);
  setText('state', isString(info.state) ? info.state : DASH);
  var wall = isNumber(info.slotWallMs) ? ' (' + fixed(info.slotWallMs / 1000, info.slotWallMs < 10000 ? 1 : 0, 's') + ' per slot)' : '';
  setText('speed', isNumber(info.speed) ? info.speed + '\u00d7' + wall : DASH);
  var thisNode = areaNodes.get(info.area);
  areaNodes.forEach(function (n) { n.li.classList.toggle('this-node', n === thisNode); });
  renderOutageControl();
}

function renderSummary(s) {
  var slot = $('last-slot');
  slot.textContent = s.slot + ' \u00b7 ' + twinTime(s.twinIso);
  slot.setAttribute('data-slot', String(s.slot));
  setText('price', fixed(s.priceMinorPerKwh, 1));
  var islanded = asArray(s.islands).length > 0;
  setText('island-price', isNumber(s.islandPriceMinorPerKwh) ? fixed(s.islandPriceMinorPerKwh, 1) : islanded ? 'no island trades' : 'not islanded');
  $('island-price-figure').classList.toggle('islanded', islanded);
  setText('battery-soc', s.batterySocPct === null ? 'no batteries' : fixed(s.batterySocPct, 1, '%'));
  setText('ev-paused', whole(s.evPaused));
  var r = isObject(s.readings) ? s.readings : {};
  setText('readings', whole(r.accepted) + ' / ' + whole(r.rejected) + ' / ' + whole(r.missing));
  $('readings-figure').title = whole(r.external) + ' external readings';
  var st = isObject(s.statements) ? s.statements : {};
  setText('statement-counts', whole(st.final) + ' / ' + whole(st.queued) + ' / ' + whole(st.committed));
  setText('latency', fixed(s.latencyMs, 0, 'ms'));
}

/* ---- area tree ---- */

var areaNodes = new Map();
var lastAreas = [];
var areaShape = '';
var AREA_STATUSES = ['connected', 'islanded', 'dark'];

function renderAreas(areas) {
  var list = asArray(areas).filter(function (a) { return isObject(a) && isString(a.id); });
  var shape = JSON.stringify(list.map(function (a) { return [a.id, a.parent, a.level]; }));
  if (shape !== areaShape) {
    buildAreaTree(list);
    lastAreas = list;
    renderOutageAreas(list);
    areaShape = shape;
  }
  list.forEach(updateArea);
}

function buildAreaTree(list) {
  var root = $('area-tree');
  root.replaceChildren();
  areaNodes.clear();
  var ids = new Set(list.map(function (a) { return a.id; }));
  var children = new Map();
  list.forEach(function (a) {
    var parent = isString(a.parent) && a.parent !== a.id && ids.has(a.parent) ? a.parent : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(a);
  });
  function add(ul, area) {
    if (areaNodes.has(area.id)) return;
    var row = el('div', { className: 'area-row' }, [
      el('span', { className: 'area-id', text: area.id }),
      el('span', { className: 'area-level', text: isString(area.level) ? area.level : '' }),
      el('span', { className: 'area-status' }),
      el('span', { className: 'area-sites' }),
      el('span', { className: 'area-kw', title: 'net import, kW (negative: export to the parent)' })
    ]);
    var li = el('li', { attrs: { 'data-area': area.id } }, [row]);
    areaNodes.set(area.id, { li: li, parent: ids.has(area.parent) ? area.parent : null, status: row.children[2], sites: row.children[3], kw: row.children[4] });
    ul.appendChild(li);
    var kids = children.get(area.id) || [];
    if (kids.length > 0) {
      var sub = el('ul');
      li.appendChild(sub);
      kids.forEach(function (kid) { add(sub, kid); });
    }
  }
  (children.get('') || []).forEach(function (a) { add(root, a); });
  // Areas on a parent cycle are reached from no root: list them at the top rather than lose them.
  list.forEach(function (a) { add(root, a); });
  if (nodeInfo) renderNode(nodeInfo);
}

function updateArea(area) {
  var n = areaNodes.get(area.id);
  if (!n) return;
  var status = AREA_STATUSES.indexOf(area.status) >= 0 ? area.status : 'unknown';
  n.li.setAttribute('data-status', status);
  n.li.classList.toggle('islanded', status === 'islanded');
  n.li.classList.toggle('dark', status === 'dark');
  n.status.textContent = status;
  n.sites.textContent = isNumber(area.sites) ? whole(area.sites) + (area.sites === 1 ? ' site' : ' sites') : '';
  n.kw.textContent = isNumber(area.netImportKw) ? (area.netImportKw > 0 ? '+' : '') + area.netImportKw.toFixed(1) + ' kW' : DASH;
}

/* ---- alerts ---- */

/** Newest first, whichever order the API lists them in; stable within a slot. */
function newestFirst(alerts) {
  var list = alerts.filter(function (a) { return isObject(a) && isNumber(a.slot); });
  if (list.length > 1 && list[0].slot < list[list.length - 1].slot) list.reverse();
  return list
    .map(function (a, i) { return { a: a, i: i }; })
    .sort(function (p, q) { return q.a.slot - p.a.slot || p.i - q.i; })
    .slice(0, MAX_ALERTS)
    .map(function (p) { return p.a; });
}

function renderAlerts(alerts) {
  var list = newestFirst(asArray(alerts));
  $('alerts-empty').hidden = list.length > 0;
  if (!changed('alerts', list)) return;
  $('alerts').replaceChildren.apply($('alerts'), list.map(function (a) {
    var attrs = { 'data-kind': String(a.kind), 'data-slot': a.slot };
    if (isString(a.area)) attrs['data-area'] = a.area;
    var where = [isString(a.area) ? 'area ' + a.area : '', isString(a.device) ? 'device ' + shorten(a.device, 14) : ''].filter(Boolean).join(', ');
    return el('li', { attrs: attrs, title: isString(a.device) ? a.device : '' }, [
      el('span', { className: 'alert-slot', text: 'slot ' + a.slot }),
      el('span', { className: 'alert-kind', text: String(a.kind) }),
      el('span', { className: 'alert-message', text: String(a.message) + (where ? ' (' + where + ')' : '') })
    ]);
  }));
}

/* ---- devices ---- */

function credentialText(c) {
  if (!isObject(c)) return 'none';
  var parts = [c.revoked ? 'REVOKED' : 'valid', 'by ' + shorten(c.issuer, 12), 'until ' + twinTime(c.expiresAtIso)];
  if (isNumber(c.ratedPowerW)) parts.push(fixed(c.ratedPowerW / 1000, 1, 'kW'));
  if (isNumber(c.authorisedImportWh)) parts.push('import \u2264 ' + whole(c.authorisedImportWh) + ' Wh');
  return parts.join(', ');
}

function renderDevices(devices) {
  var all = asArray(devices).filter(isObject);
  var list = all.slice(0, MAX_DEVICE_ROWS);
  setText('device-count', all.length > list.length ? '(first ' + list.length + ' of ' + all.length + ')' : '(' + all.length + ')');
  if (!changed('devices', list)) return;
  $('devices').replaceChildren.apply($('devices'), list.map(function (d) {
    var connected = d.connected === true;
    return el('tr', { attrs: { 'data-did': String(d.did) } }, [
      el('td', {}, [el('code', { text: shorten(d.did, 16), title: d.did })]),
      el('td', { text: d.kind }),
      el('td', { text: d.site }),
      el('td', { text: d.area }),
      el('td', { text: d.protocol }),
      el('td', { className: connected ? 'yes' : 'no', text: connected ? 'yes' : 'no' }),
      el('td', { className: isObject(d.credential) && d.credential.revoked ? 'no' : '', text: credentialText(d.credential), title: isObject(d.credential) ? d.credential.id : '' }),
      el('td', { className: 'num', text: isNumber(d.lastReadingSlot) ? 'slot ' + d.lastReadingSlot : DASH })
    ]);
  }));
}

/* ---- ledger statements and proofs ---- */

var settlementUnits = new Set();

function renderStatements(statements) {
  var list = asArray(statements).filter(function (s) { return isObject(s) && isNumber(s.slot); })
    .map(function (s, i) { return { s: s, i: i }; })
    .sort(function (p, q) { return q.s.slot - p.s.slot || p.i - q.i; })
    .slice(0, STATEMENT_ROWS)
    .map(function (p) { return p.s; });
  settlementUnits = new Set(list.filter(function (s) { return isString(s.microgrid); }).map(function (s) { return s.microgrid; }));
  if (!outageAreaChosen) {
    var preferred = defaultOutageArea(lastAreas);
    if (preferred) $('outage-area').value = preferred;
  }
  if (!changed('statements', list)) return;
  $('statements').replaceChildren.apply($('statements'), list.map(function (s) {
    var button = el('button', { className: 'proof-button', text: 'proof', attrs: { type: 'button' } });
    if (!(isNumber(s.readings) && s.readings > 0)) {
      button.disabled = true;
      button.title = 'this statement has no readings';
    } else {
      button.title = 'Merkle proof of reading 0 of ' + s.microgrid + ', slot ' + s.slot;
      button.addEventListener('click', function () { showProof(s); });
    }
    return el('tr', { attrs: { 'data-microgrid': String(s.microgrid), 'data-slot': s.slot, 'data-status': String(s.status) } }, [
      el('td', { text: s.microgrid }),
      el('td', { className: 'num', text: s.slot }),
      el('td', { text: s.status }),
      el('td', { className: 'num', text: whole(s.signatures) }),
      el('td', { className: 'num', text: whole(s.readings) }),
      el('td', { className: 'num', text: whole(s.orders) }),
      el('td', { className: 'num', text: whole(s.trades) }),
      el('td', {}, [el('code', { text: shorten(s.hash, 8), title: s.hash })]),
      el('td', {}, [button])
    ]);
  }));
}

var proofRequest = 0;

async function showProof(s) {
  var ticket = ++proofRequest;
  setText('proof-title', 'Proof of reading 0 in the statement of ' + s.microgrid + ', slot ' + s.slot + ':');
  setText('proof', 'loading\u2026');
  var query = '?microgrid=' + encodeURIComponent(s.microgrid) + '&slot=' + encodeURIComponent(s.slot) + '&kind=readings&index=0';
  var text;
  try {
    text = JSON.stringify(await api('/proofs' + query), null, 2);
  } catch (error) {
    text = 'error: ' + errorText(error);
  }
  if (ticket === proofRequest) setText('proof', text);
}

/* ---- demo outage ---- */

var outageBusy = false;
/** Set once the user picks an area; until then the default follows what the node tells us. */
var outageAreaChosen = false;

function renderOutageAreas(list) {
  var select = $('outage-area');
  var chosen = outageAreaChosen ? select.value : '';
  select.replaceChildren.apply(select, list.map(function (a) {
    return el('option', { text: a.id + (isString(a.level) ? ' (' + a.level + ')' : ''), attrs: { value: a.id } });
  }));
  var preferred = list.some(function (a) { return a.id === chosen; }) ? chosen : defaultOutageArea(list);
  if (preferred) select.value = preferred;
}

/**
 * The node's own area unless it is the root; else the first of the deepest areas that settle
 * statements (a microgrid: cutting it islands it, while cutting a DSO darkens it).
 */
function defaultOutageArea(list) {
  var own = nodeInfo ? list.filter(function (a) { return a.id === nodeInfo.area && a.parent !== null; })[0] : undefined;
  if (own) return own.id;
  var best = '';
  var bestDepth = 0;
  list.forEach(function (a) {
    if (a.parent === null || !settlementUnits.has(a.id)) return;
    var depth = areaDepth(a.id);
    if (depth > bestDepth) { best = a.id; bestDepth = depth; }
  });
  return best;
}

function areaDepth(id) {
  var depth = 0;
  for (var n = areaNodes.get(id); n && n.parent && depth < areaNodes.size; n = areaNodes.get(n.parent)) depth++;
  return depth;
}

function renderOutageControl() {
  var open = nodeInfo !== null && nodeInfo.demoOutageOpen === true;
  $('outage-area').disabled = !open;
  $('outage-slots').disabled = !open;
  $('outage-button').disabled = !open || outageBusy;
  setText('outage-note', open
    ? 'Demo mode: cuts the chosen area off its parent from the next slot on; it islands and the charts, tree and alerts show how it copes.'
    : 'Disabled: on this node an outage needs an operator signature (a signed POST /api/v1/outages, see docs/api.md).');
}

function outageResult(outcome, text) {
  var result = $('outage-result');
  result.setAttribute('data-outcome', outcome);
  result.textContent = text;
}

async function triggerOutage() {
  var area = $('outage-area').value;
  var slots = Number($('outage-slots').value);
  if (!area) { outageResult('error', 'Choose an area.'); return; }
  if (!Number.isInteger(slots) || slots < 1 || slots > MAX_OUTAGE_SLOTS) {
    outageResult('error', 'The duration must be a whole number of slots from 1 to ' + MAX_OUTAGE_SLOTS + '.');
    return;
  }
  outageBusy = true;
  renderOutageControl();
  outageResult('pending', 'Sending\u2026');
  try {
    var accepted = await api('/outages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ area: area, durationSlots: slots })
    });
    outageResult('accepted', 'Outage accepted: ' + accepted.area + ' is cut off from slot ' + accepted.fromSlot + ' to slot ' + (accepted.toSlot - 1) + '.');
    scheduleRefresh();
  } catch (error) {
    outageResult('error', 'Refused: ' + errorText(error));
  } finally {
    outageBusy = false;
    renderOutageControl();
  }
}

$('outage-area').addEventListener('change', function () { outageAreaChosen = true; });
$('outage-button').addEventListener('click', function () { triggerOutage(); });
`;
