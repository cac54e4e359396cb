/**
 * The dashboard's static markup: every element the browser script fills has an id here. Nothing in
 * it comes from the API; the only dynamic text, the title, is escaped by the caller.
 */

/** Most outage slots the control offers: seven days of 15-minute slots, as in OutageRequest. */
export const MAX_OUTAGE_SLOTS = 96 * 7;

function figure(id: string, label: string): string {
  return `<div class="figure" id="${id}-figure"><dt>${label}</dt><dd id="${id}">—</dd></div>`;
}

function chart(id: string, title: string, caption: string): string {
  return `<figure class="chart"><figcaption><strong>${title}</strong> ${caption}</figcaption>` +
    `<div class="chart-area" id="${id}" data-chart="${id.replace(/^chart-/, '')}"></div></figure>`;
}

/** The `<body>` content; `titleHtml` must already be escaped. */
export function dashboardLayout(titleHtml: string, uplotVersionHtml: string): string {
  return `<main id="dashboard">
<header>
<div class="title-row">
<h1>${titleHtml}</h1>
<span id="connection" data-state="connecting" data-reconnects="0" role="status" aria-live="polite">connecting</span>
</div>
<p class="meta"><span>node <b id="node-id">—</b></span><span>area <b id="node-area">—</b></span><span>scenario <b id="node-scenario">—</b></span><span id="node-chain">—</span><span id="node-mqtt">—</span></p>
<p id="problem" class="problem" role="alert" hidden></p>
<dl class="figures" aria-label="Latest settled slot">
${figure('last-slot', 'Last slot (twin time)')}
${figure('state', 'Node state')}
${figure('speed', 'Speed')}
${figure('price', 'TSO price, minor/kWh')}
${figure('island-price', 'Island price, minor/kWh')}
${figure('battery-soc', 'Battery state of charge')}
${figure('ev-paused', 'EV chargers paused')}
${figure('readings', 'Readings accepted / rejected / missing')}
${figure('statement-counts', 'Statements final / queued / committed')}
${figure('latency', 'Latency, slot close to setpoints')}
</dl>
</header>
<div class="layout">
<div>
<section id="areas-section">
<h2>Areas</h2>
<p class="note">Status per area and net import, kW (negative: export to the parent).</p>
<p class="section-problem" id="areas-problem"></p>
<ul id="area-tree"></ul>
</section>
<section id="outage-section">
<h2>Demo outage</h2>
<div class="outage">
<label for="outage-area">Area<select id="outage-area" disabled></select></label>
<label for="outage-slots">Slots<input id="outage-slots" type="number" min="1" max="${MAX_OUTAGE_SLOTS}" step="1" value="8" disabled></label>
<button id="outage-button" type="button" disabled>Cut upstream supply</button>
</div>
<p class="note" id="outage-note">Waiting for the node…</p>
<p id="outage-result" role="status" aria-live="polite"></p>
</section>
</div>
<section id="charts-section" class="charts" aria-label="Live charts">
<h2>Live</h2>
${chart('chart-power', 'Power, kW.', 'Demand, PV, wind, import from and export to the TSO; not served dashed.')}
${chart('chart-prices', 'Prices, minor units per kWh.', 'TSO price, and the island\'s scarcity price while islanded.')}
${chart('chart-soc', 'Battery state of charge, %.', 'Mean over the microgrid\'s batteries.')}
</section>
</div>
<div class="lower">
<section id="alerts-section">
<h2>Alerts</h2>
<p class="note">Newest first, at most 100.</p>
<p class="section-problem" id="alerts-problem"></p>
<p class="note" id="alerts-empty" hidden>No alerts.</p>
<ul id="alerts"></ul>
</section>
<section id="statements-section">
<h2>Ledger statements</h2>
<p class="note">Settlement statements of the newest slots; “proof” fetches the Merkle proof of the statement’s first reading.</p>
<p class="section-problem" id="statements-problem"></p>
<div class="table-scroll"><table>
<thead><tr><th>Microgrid</th><th>Slot</th><th>Status</th><th>Signatures</th><th>Readings</th><th>Orders</th><th>Trades</th><th>Hash</th><th></th></tr></thead>
<tbody id="statements"></tbody>
</table></div>
<p class="note" id="proof-title"></p>
<pre id="proof"></pre>
</section>
</div>
<section id="devices-section">
<h2>Devices <span class="note" id="device-count"></span></h2>
<p class="section-problem" id="devices-problem"></p>
<div class="table-scroll"><table>
<thead><tr><th>Device</th><th>Kind</th><th>Site</th><th>Area</th><th>Protocol</th><th>Connected</th><th>Credential</th><th>Last reading</th></tr></thead>
<tbody id="devices"></tbody>
</table></div>
</section>
<footer>gridmesh node dashboard. Charts drawn with uPlot ${uplotVersionHtml} (MIT licence), inlined so the page needs nothing but this node.</footer>
</main>
<noscript><p class="note">The dashboard needs JavaScript; the same data is served as JSON under /api/v1/.</p></noscript>`;
}
