// The page of deja ui (data from the server's JSON endpoints) and deja report
// (the same page with its data inline in window.DEJA_REPORT). Guest bytes
// (console lines, SQL results, names) only ever reach the DOM as text
// (textContent), never as HTML; ECharts draws on a canvas.
import * as echarts from 'echarts/core';
import { CustomChart, LineChart, BarChart } from 'echarts/charts';
import { GridComponent, DataZoomComponent, TooltipComponent, MarkLineComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([CustomChart, LineChart, BarChart, GridComponent, DataZoomComponent, TooltipComponent, MarkLineComponent,
  LegendComponent, CanvasRenderer]);

const REPORT = window.DEJA_REPORT || null;
const $ = (id) => document.getElementById(id);
const state = { run: 0, lanes: [], rows: [], counters: [], startNs: 0, endNs: 1, names: new Map(), view: null,
  chart: null, generation: 0, draws: 0, marker: null, from: 0, to: 1 };
window.deja = state; // for the browser tests

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function api(path, options) {
  const r = await fetch(path, options);
  let body;
  try { body = await r.json(); } catch (e) { throw new Error(`${path}: HTTP ${r.status}`); }
  if (!r.ok) throw new Error(body && body.error ? body.error : `${path}: HTTP ${r.status}`);
  return body;
}
const runApi = (what) => api(`api/run/${state.run}/${what}`);

function fmtNum(n) { return typeof n === 'number' ? n.toLocaleString('en-US') : String(n); }

/** Virtual nanoseconds as text: the unit of the span shown, with the decimals that tell its ticks apart. */
function fmtNs(ns, span) {
  const s = span === undefined ? ns : span;
  const units = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];
  const [scale, unit] = units.find(([u]) => s >= u) || units[3];
  // a narrow window far into the run: keep the unit of the position, add the decimals the span needs
  const [posScale, posUnit] = units.find(([u]) => Math.abs(ns) >= u) || units[3];
  if (posScale > scale) {
    const digits = Math.min(9, Math.max(3, Math.ceil(Math.log10(posScale / Math.max(1, s))) + 2));
    return (ns / posScale).toFixed(digits) + ' ' + posUnit;
  }
  return scale === 1 ? Math.round(ns) + ' ns' : (ns / scale).toFixed(3) + ' ' + unit;
}

function table(columns, rows, numeric) {
  const t = el('table');
  const head = el('tr');
  columns.forEach((c) => head.appendChild(el('th', c)));
  t.appendChild(head);
  rows.forEach((r) => {
    const tr = el('tr');
    r.forEach((v, i) => {
      const td = el('td', v === null || v === undefined ? '' : (typeof v === 'number' ? fmtNum(v) : v));
      if (numeric && numeric[i]) td.className = 'num';
      tr.appendChild(td);
    });
    t.appendChild(tr);
  });
  return t;
}

function objectsTable(list) {
  if (!Array.isArray(list) || list.length === 0) return el('div', '(none)', 'muted');
  const cols = Object.keys(list[0]);
  return table(cols, list.map((o) => cols.map((c) => (typeof o[c] === 'object' && o[c] !== null ? JSON.stringify(o[c]) : o[c]))),
    cols.map((c) => typeof list[0][c] === 'number'));
}

// ---- Summary --------------------------------------------------------------------------------------
function showSummary(s) {
  $('run-title').textContent = s.dir;
  const box = $('summary');
  box.replaceChildren();
  const left = el('div');
  const rows = [['stop', s.stop], ['instructions', fmtNum(s.instructions)], ['virtual time', s.virtual_seconds + ' s'],
    ['events on the timeline', fmtNum(s.events) + ' (exits, PSCI calls, interrupts, exceptions, ERETs, MMIO, console, checkpoints)']];
  Object.entries(s.header).forEach(([k, v]) => rows.push([k, v]));
  left.appendChild(table(['', ''], rows));
  const replay = el('div');
  replay.id = 'replay-box';
  if (s.replay) {
    replay.appendChild(el('div', 'replay proof:', 'muted'));
    replay.appendChild(el('div', s.replay, 'replay'));
  } else if (!REPORT) {
    const b = el('button', 'Replay and prove it bit-exact');
    b.id = 'replay';
    b.onclick = async () => {
      try { followReplay(await api(`api/run/${state.run}/replay`, { method: 'POST' })); } catch (e) {
        replay.appendChild(el('div', e.message, 'error'));
      }
    };
    replay.appendChild(b);
    // a replay started earlier (another tab, before a reload) is still followed
    runApi('replay').then((r) => { if (r.state === 'running') followReplay(r); }, () => {});
  } else {
    replay.appendChild(el('div', 'not replayed (deja report --replay adds the proof)', 'muted'));
  }
  left.appendChild(replay);
  const right = el('div');
  state.cpus = s.cpus || 1;
  document.body.dataset.cpus = String(state.cpus);
  const sqlCpus = $('sql-cpus');
  if (sqlCpus) sqlCpus.textContent = state.cpus > 1 ? `${state.cpus} CPUs: every table has a cpu column, e.g. SELECT cpu, count(*) FROM interrupts GROUP BY cpu` : '1 CPU';
  right.appendChild(el('div', 'events by kind', 'muted'));
  right.appendChild(table(['what', 'kind', 'count'], s.counts, [false, false, true]));
  if (!s.timeline.args_complete) right.appendChild(el('div', 'large run: later events keep no arguments in the timeline (the SQL tables have them)', 'muted'));
  box.append(left, right);
}

/** Shows a replay's progress until it ends; a Cancel button stops it (the server goes on answering meanwhile). */
let replayTimer = null;
function followReplay(r) {
  const box = $('replay-box');
  if (!box) return;
  clearTimeout(replayTimer);
  document.body.dataset.replayState = r.state;
  if (r.state === 'done') { runApi('summary').then(showSummary); return; }
  if (r.state === 'running') {
    // built once and updated in place: a Cancel button replaced under the pointer would swallow the click
    let ui = box.querySelector('#replay-progress') ? state.replayUi : null;
    if (!ui) {
      box.replaceChildren();
      ui = { text: el('div', '', 'muted'), bar: el('progress'), cancel: el('button', 'Cancel') };
      ui.bar.id = 'replay-progress';
      ui.bar.max = 1;
      ui.cancel.id = 'replay-cancel';
      ui.cancel.onclick = async () => { ui.cancel.disabled = true; followReplay(await api(`api/run/${state.run}/replay`, { method: 'DELETE' })); };
      box.append(ui.text, ui.bar, ui.cancel);
      state.replayUi = ui;
    }
    if (r.end > 0) ui.bar.value = Math.min(1, r.icount / r.end);
    const pct = r.end > 0 ? ` ${(100 * r.icount / r.end).toFixed(1)}%` : '';
    ui.text.textContent = `replaying: icount ${fmtNum(r.icount)} of ${r.end > 0 ? fmtNum(r.end) : '?'}${pct}, ${r.seconds.toFixed(1)} s`;
    const run = state.run;
    replayTimer = setTimeout(async () => { if (run === state.run) followReplay(await runApi('replay')); }, 400);
    return;
  }
  box.replaceChildren();
  const again = el('button', 'Replay and prove it bit-exact');
  again.id = 'replay';
  again.onclick = async () => followReplay(await api(`api/run/${state.run}/replay`, { method: 'POST' }));
  box.appendChild(el('div', r.state === 'cancelled' ? `replay cancelled at icount ${fmtNum(r.icount)} after ${r.seconds.toFixed(1)} s: nothing proven`
    : `replay failed: ${r.error}`, r.state === 'cancelled' ? 'muted' : 'error'));
  box.appendChild(again);
}

// ---- Stages ---------------------------------------------------------------------------------------
function showStages(st) {
  const box = $('stages');
  box.replaceChildren();
  const reached = (st.stages || []).filter((x) => x.reached);
  if (reached.length === 0) { box.appendChild(el('div', `no stage of ${st.stage_file} reached`, 'muted')); return; }
  // several CPUs: icounts are the machine's, and each stage names the CPU that reached it
  const t = st.cpus > 1
    ? table(['stage', 'global icount', 'cpu', 'virtual time', 'since previous', 'what'],
      reached.map((x) => [x.name, x.icount, x.cpu === null ? 'all' : x.cpu, (x.time_exact ? '' : '>= ') + x.seconds + ' s', x.since_previous, x.detail]),
      [false, true, true, false, true, false])
    : table(['stage', 'icount', 'virtual time', 'since previous', 'what'],
      reached.map((x) => [x.name, x.icount, (x.time_exact ? '' : '>= ') + x.seconds + ' s', x.since_previous, x.detail]),
      [false, true, false, true, false]);
  // a click on a stage moves the timeline there
  Array.from(t.querySelectorAll('tr')).slice(1).forEach((tr, i) => {
    tr.style.cursor = 'pointer';
    tr.onclick = () => moveTo(Math.round(reached[i].cycles * 16), `stage ${reached[i].name}`);
  });
  box.appendChild(t);
  const missing = (st.stages || []).filter((x) => !x.reached).map((x) => x.name);
  if (missing.length) box.appendChild(el('div', `not reached: ${missing.join(', ')} (${st.stage_file})`, 'muted'));
}

// ---- Console --------------------------------------------------------------------------------------
function showConsole(c, append) {
  const box = $('console');
  if (!append) box.replaceChildren();
  const more = $('console-more');
  if (more) more.remove();
  c.lines.forEach(([number, icount, ns, text]) => {
    const d = el('div', null, 'line');
    d.appendChild(el('span', fmtNum(icount), 'icount'));
    d.appendChild(document.createTextNode(text));
    d.dataset.ns = ns;
    d.dataset.line = number;
    d.title = `line ${number}, icount ${fmtNum(icount)}, ${fmtNs(ns)} virtual: click to show it on the timeline`;
    d.onclick = () => moveTo(ns, `line ${number}`);
    box.appendChild(d);
  });
  const shown = c.offset + c.lines.length;
  $('console-info').textContent = `${fmtNum(c.total)} lines; click one to move the timeline there`;
  if (shown < c.total) {
    const b = el('button', REPORT ? `(${fmtNum(c.total - shown)} more lines not in the report)` : `load more (${fmtNum(c.total - shown)} left)`);
    b.id = 'console-more';
    b.disabled = !!REPORT;
    b.onclick = async () => showConsole(await runApi(`console?offset=${shown}&limit=5000`), true);
    box.appendChild(b);
  }
}

// ---- Timeline -------------------------------------------------------------------------------------
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
function colorOf(name) {
  if (name === 'EL0') return '#59a14f';
  if (name === 'EL1') return '#4e79a7';
  if (name === 'WFI') return '#bab0ac';
  // a CPU's power states: off is what is not drawn on a band (pale), a suspended CPU sleeps as in WFI but longer
  if (name === 'off') return '#dde1e7';
  if (name === 'suspended') return '#8c7aa9';
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length];
}

function setupTimeline(lanes, startNs, endNs) {
  state.lanes = lanes;
  state.startNs = startNs;
  state.endNs = endNs;
  state.from = startNs;
  state.to = endNs;
  state.rows = [];
  state.counters = [];
  lanes.forEach((l, i) => (l.kind === 'counter' ? state.counters : state.rows).push(i));
  const rowHeight = 22;
  const rowsPx = Math.max(1, state.rows.length) * rowHeight;
  const countersPx = state.counters.length ? 110 : 0;
  const div = $('timeline');
  div.style.height = `${rowsPx + countersPx + 110}px`;
  if (state.chart) state.chart.dispose();
  const chart = echarts.init(div, null, { renderer: 'canvas' });
  state.chart = chart;
  const grids = [{ left: 190, right: 30, top: 10, height: rowsPx }];
  const xAxes = [{ type: 'value', min: startNs, max: endNs, gridIndex: 0, axisLabel: { formatter: (v) => fmtNs(v, state.to - state.from) } }];
  const yAxes = [{ type: 'category', gridIndex: 0, inverse: true, data: state.rows.map((i) => lanes[i].label),
    axisLabel: { width: 180, overflow: 'truncate', fontSize: 11 }, splitLine: { show: true, lineStyle: { color: '#eef0f3' } } }];
  if (state.counters.length) {
    grids.push({ left: 190, right: 30, top: rowsPx + 40, height: countersPx - 30 });
    xAxes.push({ type: 'value', min: startNs, max: endNs, gridIndex: 1, axisLabel: { show: false } });
    yAxes.push({ type: 'value', gridIndex: 1, splitNumber: 2, axisLabel: { fontSize: 10 } });
  }
  const xIdx = xAxes.map((_, i) => i);
  // one band per track group (a CPU, the run), as Perfetto groups its tracks
  state.groups = [];
  state.rows.forEach((laneIdx, row) => {
    const g = lanes[laneIdx].group;
    const last = state.groups[state.groups.length - 1];
    if (last && last.name === g) last.to = row; else state.groups.push({ name: g, from: row, to: row });
  });
  document.body.dataset.trackGroups = state.groups.map((g) => g.name).join('|');
  chart.setOption({
    animation: false,
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    legend: state.counters.length ? { top: rowsPx + 18, left: 190, textStyle: { fontSize: 11 }, data: state.counters.map((i) => lanes[i].label) } : undefined,
    dataZoom: [
      { type: 'slider', xAxisIndex: xIdx, filterMode: 'none', bottom: 10, labelFormatter: (v) => fmtNs(v, state.to - state.from) },
      { type: 'inside', xAxisIndex: xIdx, filterMode: 'none' },
    ],
    tooltip: { trigger: 'item', confine: true, formatter: tooltip },
    series: [
      { id: 'groups', type: 'custom', xAxisIndex: 0, yAxisIndex: 0, renderItem: renderGroup, silent: true, z: 0,
        encode: { y: [0, 1] }, data: state.groups.map((g, k) => [g.from, g.to, k]) },
      { id: 'events', type: 'custom', z: 2, xAxisIndex: 0, yAxisIndex: 0, renderItem, encode: { x: [1, 2], y: 0 }, data: [],
        progressive: 0, clip: true, markLine: { symbol: 'none', silent: true, animation: false, data: [] } },
      ...state.counters.map((i) => ({ id: `counter-${i}`, name: lanes[i].label, type: 'line', step: 'end', showSymbol: false,
        xAxisIndex: 1, yAxisIndex: 1, data: [], lineStyle: { width: 1 } })),
    ],
  });
  chart.on('datazoom', () => {
    const [a, b] = currentRange();
    state.from = a;
    state.to = b;
    scheduleFetch();
  });
  chart.on('click', (p) => {
    if (p.seriesId !== 'events') return;
    showDetails(p.value);
  });
  chart.on('finished', () => {
    document.body.dataset.timelineDraws = String(++state.draws);
    // first paint: milliseconds from navigation to the first timeline drawn with data (README's figures)
    if (state.view && !document.body.dataset.firstPaintMs) document.body.dataset.firstPaintMs = String(Math.round(performance.now()));
    if (state.moveStart !== undefined) {
      document.body.dataset.lastMoveMs = String(Math.round(performance.now() - state.moveStart));
      state.moveStart = undefined;
    }
  });
  window.addEventListener('resize', () => chart.resize());
}

function currentRange() {
  const opt = state.chart.getOption();
  const dz = opt.dataZoom[0];
  const span = state.endNs - state.startNs;
  const a = dz.startValue !== undefined ? dz.startValue : state.startNs + span * dz.start / 100;
  const b = dz.endValue !== undefined ? dz.endValue : state.startNs + span * dz.end / 100;
  return [Math.floor(a), Math.ceil(b)];
}

function renderItem(params, api) {
  const row = api.value(0);
  const s = api.coord([api.value(1), row]);
  const e = api.coord([api.value(2), row]);
  const lane = state.lanes[api.value(6)];
  const h = api.size([0, 1])[1] * 0.7;
  const instant = lane.kind === 'instant';
  const count = api.value(4);
  const x = instant ? s[0] - 1 : s[0];
  const w = Math.max(e[0] - s[0], instant ? 3 : 1);
  const cs = params.coordSys;
  const rect = echarts.graphic.clipRectByRect({ x, y: s[1] - h / 2, width: w, height: h }, { x: cs.x, y: cs.y, width: cs.width, height: cs.height });
  if (!rect) return null;
  const name = state.names.get(api.value(3)) || '';
  const box = { type: 'rect', shape: rect, style: { fill: colorOf(name), opacity: count > 1 ? 0.55 : 0.9 } };
  // most items are a few pixels wide: a bare rectangle is much cheaper to draw than a group with a label
  if (rect.width <= 40) return box;
  return { type: 'group', children: [box, { type: 'text', style: { x: rect.x + 3, y: rect.y + rect.height / 2,
    text: count > 1 ? `${name} +${count - 1}` : name, fill: name === 'off' ? '#5b6472' : '#fff', fontSize: 10, verticalAlign: 'middle', width: rect.width - 6,
    overflow: 'truncate' }, silent: true }] };
}

function renderGroup(params, api) {
  const cs = params.coordSys;
  const band = api.size([0, 1])[1];
  const top = api.coord([state.startNs, api.value(0)])[1] - band / 2;
  const bottom = api.coord([state.startNs, api.value(1)])[1] + band / 2;
  const k = api.value(2);
  return { type: 'group', children: [
    { type: 'rect', shape: { x: cs.x, y: top, width: cs.width, height: bottom - top }, style: { fill: k % 2 ? '#ffffff' : '#f3f6fb' } },
    { type: 'line', shape: { x1: cs.x - 185, y1: top, x2: cs.x + cs.width, y2: top }, style: { stroke: '#aab3c2', lineWidth: k ? 1 : 0 } },
  ] };
}

function tooltip(p) {
  if (p.seriesId !== 'events') return `${p.seriesName}: ${p.value[1]} at ${fmtNs(p.value[0])}`;
  const [, s, e, nameId, count] = p.value;
  const name = state.names.get(nameId) || '';
  const lane = state.lanes[p.value[6]];
  const div = el('div');
  div.appendChild(el('div', lane.label, 'muted'));
  div.appendChild(el('b', count > 1 ? `${count} events from ${name}` : name));
  div.appendChild(el('div', e > s ? `${fmtNs(s)} .. ${fmtNs(e)} (${fmtNs(e - s)})` : fmtNs(s)));
  if (count > 1) div.appendChild(el('div', 'zoom in to see them one by one', 'muted'));
  return div;
}

async function showDetails(v) {
  const [, s, e, nameId, count, index, laneIdx] = v;
  const lane = state.lanes[laneIdx];
  let text = `${lane.label}: ${state.names.get(nameId)}${count > 1 ? ` and ${count - 1} more (zoom in)` : ''}\n${fmtNs(s)}${e > s ? ` .. ${fmtNs(e)}` : ''} virtual`;
  if (!REPORT) {
    try {
      const d = await runApi(`event?lane=${laneIdx}&index=${index}`);
      if (d.args) text += '\n' + Object.entries(d.args).map(([k, x]) => `${k}=${x}`).join('  ');
      if (d.note) text += '\n' + d.note;
    } catch (err) { text += '\n' + err.message; }
  }
  $('details').textContent = text;
}

let fetchTimer = null;
function scheduleFetch() {
  if (REPORT) { showWindow(); return; }
  clearTimeout(fetchTimer);
  fetchTimer = setTimeout(fetchView, 120);
}

async function fetchView(zoom) {
  const gen = ++state.generation;
  // a bucket of two pixels: instants are drawn 3 px wide anyway, and half the items draw in half the time
  const width = Math.max(100, Math.min(4000, Math.round((state.chart.getWidth() - 220) / 2)));
  const v = await runApi(`timeline?from=${state.from}&to=${Math.max(state.to, state.from + 1)}&buckets=${width}`);
  if (gen !== state.generation) return;
  drawView(v, zoom);
}

/** Draws a view; zoom: also move the axes to its window (in the same redraw). */
function drawView(v, zoom) {
  state.view = v;
  v.names.forEach(([id, text]) => state.names.set(id, text));
  const data = [];
  const rowOf = new Map(state.rows.map((lane, row) => [lane, row]));
  let items = 0;
  v.lanes.forEach((list, laneIdx) => {
    if (state.lanes[laneIdx].kind === 'counter') return;
    const row = rowOf.get(laneIdx);
    list.forEach(([s, e, name, count, index]) => { data.push([row, s, e, name, count, index, laneIdx]); });
    items += list.length;
  });
  const series = [{ id: 'events', data, markLine: { data: state.marker ? [{ xAxis: state.marker.ns, label: { formatter: state.marker.label } }] : [] } }];
  state.counters.forEach((laneIdx) => series.push({ id: `counter-${laneIdx}`, data: v.lanes[laneIdx] }));
  const option = { series };
  if (zoom) option.dataZoom = [{ startValue: state.from, endValue: state.to }, { startValue: state.from, endValue: state.to }];
  state.chart.setOption(option);
  state.items = items;
  document.body.dataset.timelineItems = String(items);
  showWindow();
}

/** The window shown, on the page and for the tests. */
function showWindow() {
  const v = state.view;
  $('timeline-info').textContent = `${fmtNs(state.from)} .. ${fmtNs(state.to)} virtual, ${fmtNum(state.items)} items drawn (bucket ${fmtNs(v.bucket)}${REPORT ? ', fixed in a report' : ''})`;
  document.body.dataset.timelineFrom = String(state.from);
  document.body.dataset.timelineTo = String(state.to);
}

/** Moves the timeline to show ns in the middle of a window of 1% of the run (at least 20 µs). */
function moveTo(ns, label) {
  state.moveStart = performance.now();
  const span = Math.max((state.endNs - state.startNs) / 100, 20000);
  const b = Math.min(state.endNs, Math.max(state.startNs, ns - span / 2) + span);
  const a = Math.max(state.startNs, b - span);
  state.marker = { ns, label };
  state.from = Math.floor(a);
  state.to = Math.ceil(b);
  // one redraw: the data of the new window and the axes moved there together
  if (REPORT) drawView(REPORT.view, true); else fetchView(true);
  $('timeline-section').scrollIntoView({ block: 'nearest' });
}

// ---- SQL ------------------------------------------------------------------------------------------
let sqlChart = null;
let lastResult = null;
async function runSql() {
  $('sql-error').textContent = '';
  $('sql-info').textContent = 'running (the first query exports the tables)...';
  try {
    const r = await api(`api/run/${state.run}/sql`, { method: 'POST', body: $('sql-text').value, headers: { 'Content-Type': 'text/plain' } });
    lastResult = r;
    const box = $('sql-result');
    box.replaceChildren(table(r.columns, r.rows.slice(0, 2000), r.rows.length ? r.rows[0].map((x) => typeof x === 'number') : []));
    $('sql-info').textContent = `${fmtNum(r.rows.length)} rows${r.truncated ? ` (first ${fmtNum(r.max_rows)} only)` : ''}${r.rows.length > 2000 ? ', 2,000 shown' : ''} in ${r.millis} ms`;
    const numeric = r.columns.filter((c, i) => r.rows.some((row) => typeof row[i] === 'number'));
    const sel = $('sql-column');
    sel.replaceChildren(...numeric.map((c) => { const o = el('option', c); o.value = c; return o; }));
    $('sql-chart-controls').classList.toggle('hidden', numeric.length === 0);
    document.body.dataset.sqlRows = String(r.rows.length);
  } catch (e) {
    $('sql-info').textContent = '';
    $('sql-error').textContent = e.message;
    document.body.dataset.sqlError = e.message;
  }
}

function chartColumn(kind) {
  if (!lastResult) return;
  const col = lastResult.columns.indexOf($('sql-column').value);
  const values = lastResult.rows.map((r) => r[col]).filter((x) => typeof x === 'number');
  const div = $('sql-chart');
  div.style.display = 'block';
  if (!sqlChart) sqlChart = echarts.init(div);
  let option;
  if (kind === 'line') {
    option = { xAxis: { type: 'value', name: 'row' }, yAxis: { type: 'value' }, tooltip: { trigger: 'axis' },
      series: [{ type: 'line', showSymbol: values.length < 200, data: values.map((y, i) => [i, y]) }] };
  } else {
    const min = Math.min(...values), max = Math.max(...values);
    const bins = Math.min(50, Math.max(1, Math.ceil(Math.sqrt(values.length))));
    const w = (max - min) / bins || 1;
    const counts = new Array(bins).fill(0);
    values.forEach((x) => { counts[Math.min(bins - 1, Math.floor((x - min) / w))]++; });
    option = { xAxis: { type: 'category', data: counts.map((_, i) => fmtNum(+(min + i * w).toPrecision(6))) }, yAxis: { type: 'value', name: 'rows' },
      tooltip: { trigger: 'axis' }, series: [{ type: 'bar', data: counts }] };
  }
  option.animation = false;
  option.title = undefined;
  sqlChart.setOption(option, true);
}

// ---- Diff -----------------------------------------------------------------------------------------
function showDiff(d) {
  const box = $('diff');
  box.replaceChildren();
  box.appendChild(el('div', `${d.equivalent ? 'equivalent' : 'different'}${d.failed ? ' (fails the gate)' : ''}: A ${d.a.dir} (${fmtNum(d.a.events)} events, ${fmtNum(d.a.instructions)} instructions), B ${d.b.dir} (${fmtNum(d.b.events)} events, ${fmtNum(d.b.instructions)} instructions)`));
  if (d.header && d.header.length) { box.appendChild(el('h3', 'header differences')); box.appendChild(objectsTable(d.header)); }
  box.appendChild(el('h3', 'first divergence'));
  if (d.divergence) {
    const v = d.divergence;
    box.appendChild(el('div', `event #${v.index} at icount ${fmtNum(v.icount)}`));
    box.appendChild(table(['', 'event'], [['A', JSON.stringify(v.a)], ['B', JSON.stringify(v.b)]]));
    if (v.registers && v.registers.length) box.appendChild(objectsTable(v.registers));
  } else box.appendChild(el('div', 'none: the event streams are identical', 'muted'));
  if (d.stages) { box.appendChild(el('h3', 'stages side by side')); box.appendChild(d.stages.rows ? objectsTable(d.stages.rows) : el('pre', JSON.stringify(d.stages, null, 1))); }
  box.appendChild(el('h3', 'events by kind'));
  box.appendChild(objectsTable(d.counts));
  box.appendChild(el('h3', 'console lines'));
  box.appendChild(objectsTable(d.console));
}

// ---- Start ----------------------------------------------------------------------------------------
async function loadRun(n) {
  state.run = n;
  state.marker = null;
  if (REPORT) {
    showSummary(REPORT.summary);
    showStages(REPORT.stages);
    setupTimeline(REPORT.lanes, REPORT.summary.timeline.start_ns, REPORT.summary.timeline.end_ns);
    drawView(REPORT.view);
    showConsole(REPORT.console, false);
    return;
  }
  const [summary, lanes] = await Promise.all([runApi('summary'), runApi('lanes')]);
  showSummary(summary);
  setupTimeline(lanes, summary.timeline.start_ns, summary.timeline.end_ns);
  await fetchView();
  const [stages, consoleLines] = await Promise.all([runApi('stages'), runApi('console?offset=0&limit=5000')]);
  showStages(stages);
  showConsole(consoleLines, false);
}

async function start() {
  try {
    if (!REPORT) {
      $('sql-section').classList.remove('hidden');
      $('sql-run').onclick = runSql;
      $('sql-examples').onchange = () => {
        if ($('sql-examples').value) $('sql-text').value = $('sql-examples').value;
        $('sql-examples').value = '';
      };
      $('sql-hist').onclick = () => chartColumn('histogram');
      $('sql-line').onclick = () => chartColumn('line');
      const runs = await api('api/runs');
      if (runs.runs.length > 1) {
        runs.runs.forEach((dir, i) => {
          const b = el('button', `${i === 0 ? 'A' : 'B'}: ${dir}`);
          b.onclick = async () => {
            document.querySelectorAll('#runs button').forEach((x) => x.classList.remove('active'));
            b.classList.add('active');
            await loadRun(i);
          };
          if (i === 0) b.classList.add('active');
          $('runs').appendChild(b);
        });
        $('diff-section').classList.remove('hidden');
        api('api/diff').then(showDiff, (e) => $('diff').replaceChildren(el('div', e.message, 'error')));
      }
    } else {
      document.title = 'Deja report: ' + REPORT.summary.dir;
    }
    await loadRun(0);
    document.body.dataset.ready = '1';
  } catch (e) {
    document.body.dataset.error = e.message;
    $('summary').replaceChildren(el('div', e.message, 'error'));
  }
}

start();
