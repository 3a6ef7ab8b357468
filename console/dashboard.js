// The KPI dashboard for managers and admins: a period, interval,
// acquisition channel, sales channel and currency; KPI cards with the change against the previous period of
// the same length; line charts of the series (uPlot, vendored, loaded the
// first time the page is shown); the funnel; experiment results; the
// low-stock list and the conversations waiting. Everything goes through the
// public API (docs/console.md, "Dashboard").
import { $, fill, h } from './dom.js';

const DAY = 86400000;
const UPLOT = '/console/assets/vendor/uplot/';

// The cards, in order. kind: rate (a fraction, shown as %; its change in
// points), money (one amount per currency), count, number, seconds, score.
// lowerIsBetter colours a fall as good news.
const CARDS = [
  { key: 'revenue', label: 'Revenue', kind: 'money' },
  { key: 'orders', label: 'Orders', kind: 'count' },
  { key: 'conversion_rate', label: 'Conversion rate', kind: 'rate' },
  { key: 'average_order_value', label: 'Average order value', kind: 'money' },
  { key: 'unique_users', label: 'Unique users', kind: 'count' },
  { key: 'sessions', label: 'Sessions', kind: 'count' },
  { key: 'bounce_rate', label: 'Bounce rate', kind: 'rate', lowerIsBetter: true },
  { key: 'cart_abandonment_rate', label: 'Cart abandonment', kind: 'rate', lowerIsBetter: true },
  { key: 'customer_acquisition_cost', label: 'Acquisition cost (CAC)', kind: 'money', lowerIsBetter: true },
  { key: 'customer_retention_rate', label: 'Retention', kind: 'rate' },
  { key: 'customer_lifetime_value', label: 'Lifetime value (CLV)', kind: 'money' },
  { key: 'inventory_turnover', label: 'Inventory turnover', kind: 'number' },
  { key: 'first_response_seconds', label: 'First response', kind: 'seconds', lowerIsBetter: true },
  { key: 'csat', label: 'CSAT', kind: 'score' },
];

// The charts: one or more series of the report's buckets each.
const CHARTS = [
  { title: 'Revenue', lines: [{ key: 'revenue', label: 'Revenue', kind: 'money' }] },
  { title: 'Orders', lines: [{ key: 'orders', label: 'Orders', kind: 'count' }] },
  { title: 'Sessions and users', lines: [{ key: 'sessions', label: 'Sessions', kind: 'count' }, { key: 'unique_users', label: 'Unique users', kind: 'count' }] },
  { title: 'Conversion and bounce (%)', lines: [{ key: 'conversion_rate', label: 'Conversion', kind: 'rate' }, { key: 'bounce_rate', label: 'Bounce', kind: 'rate' }] },
];
const COLORS = ['#2456d6', '#c2410c', '#17803d', '#7c3aed'];

const NONE = '—';

export class Dashboard {
  constructor(session, onError) {
    this.session = session;
    this.message = onError;
    this.seq = 0;
    this.charts = [];
    this.report = null;
    this.previous = null;
    this.channels = new Set();
    this.salesChannels = [];
    this.filter = { period: '30', from: '', to: '', interval: 'day', channel: '', salesChannel: '', currency: '' };
    this.resizer = new ResizeObserver(() => this.resizeCharts());
    this.bind();
  }

  bind() {
    $('#dash-period').addEventListener('change', (ev) => {
      this.filter.period = ev.target.value;
      const custom = ev.target.value === 'custom';
      $('#dash-custom').hidden = !custom;
      if (custom) {
        const p = this.period();
        $('#dash-from').value = $('#dash-from').value || p.from;
        $('#dash-to').value = $('#dash-to').value || addDays(p.to, -1);
        $('#dash-from').focus();
        return;
      }
      this.load();
    });
    $('#dash-controls').addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.filter.from = $('#dash-from').value;
      this.filter.to = $('#dash-to').value;
      this.load();
    });
    $('#dash-interval').addEventListener('change', (ev) => { this.filter.interval = ev.target.value; this.load(); });
    $('#dash-channel').addEventListener('change', (ev) => { this.filter.channel = ev.target.value; this.load(); });
    $('#dash-sales-channel').addEventListener('change', (ev) => { this.filter.salesChannel = ev.target.value; this.load(); });
    $('#dash-currency').addEventListener('change', (ev) => { this.filter.currency = ev.target.value; this.render(); });
  }

  /** Forgets what the last staff member saw. */
  reset() {
    this.seq++;
    this.report = null;
    this.previous = null;
    this.channels = new Set();
    this.destroyCharts();
    for (const id of ['#kpi-cards', '#funnel', '#experiments', '#low-stock', '#waiting', '#dash-status']) fill($(id));
    fill($('#dash-channel'), h('option', { value: '', text: 'All channels' }));
    this.filter.channel = '';
    this.salesChannels = [];
    fill($('#dash-sales-channel'), h('option', { value: '', text: 'All sales channels' }));
    this.filter.salesChannel = '';
  }

  /**
   * The selected period as dates [from, to) in the browser's time zone:
   * "last N days" ends with today.
   */
  period() {
    const f = this.filter;
    if (f.period === 'custom' && f.from && f.to && f.from <= f.to) return { from: f.from, to: addDays(f.to, 1) };
    const n = f.period === 'custom' ? 30 : Number(f.period);
    const to = addDays(today(), 1);
    return { from: addDays(to, -n), to };
  }

  query(path, from, to, extra = {}) {
    const q = new URLSearchParams({ from, to, time_zone: timeZone(), ...extra });
    for (const [k, v] of [...q]) if (!v) q.delete(k);
    return `${path}?${q}`;
  }

  /** Loads everything the page shows; a newer load makes older answers moot. */
  async load() {
    const seq = ++this.seq;
    const { from, to } = this.period();
    const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY);
    const prevFrom = addDays(from, -days);
    const f = this.filter;
    const kpis = (a, b) => this.session.request('GET', this.query('/v1/admin/metrics/kpis', a, b,
      { interval: f.interval, channel: f.channel, sales_channel: f.salesChannel }));
    $('#dash-status').textContent = 'Loading…';
    const chartsReady = loadUPlot().catch(() => null);
    this.loadSide(seq, from, to);
    try {
      const [report, previous] = await Promise.all([kpis(from, to), kpis(prevFrom, from)]);
      if (seq !== this.seq) return;
      this.report = report;
      this.previous = previous;
      this.pickCurrency();
      this.render();
      $('#dash-status').textContent = `${label(from)} – ${label(addDays(to, -1))} · ${report.series.length} ${f.interval}${report.series.length === 1 ? '' : 's'} · ${f.channel ? `channel ${f.channel}` : 'all channels'}${f.salesChannel ? ` · ${this.salesChannelName(f.salesChannel)}` : ''} · compared with the ${days} days before`;
      if (await chartsReady && seq === this.seq) this.renderCharts();
    } catch (err) {
      if (seq === this.seq && err.status !== 401) $('#dash-status').textContent = `Could not load the KPIs: ${this.message(err)}`;
    }
  }

  /** The panels that do not depend on the interval or acquisition channel. */
  loadSide(seq, from, to) {
    const req = (path) => this.session.request('GET', path);
    const show = (id, fn) => (res) => { if (seq === this.seq) fn(res); };
    const fail = (id, what) => (err) => {
      if (seq === this.seq && err.status !== 401) fill($(id), h('p', { class: 'error', text: `Could not load ${what}: ${this.message(err)}` }));
    };
    req(this.query('/v1/admin/metrics/funnel', from, to, { sales_channel: this.filter.salesChannel })).then(show('#funnel', (r) => this.renderFunnel(r)), fail('#funnel', 'the funnel'));
    req('/v1/admin/support/conversations?status=open&limit=100').then(show('#waiting', (r) => {
      const n = (r.data || []).length;
      fill($('#waiting'), h('strong', { text: r.next_cursor ? `${n}+` : n }), ` conversation${n === 1 ? '' : 's'} waiting`);
    }), fail('#waiting', 'the conversations'));
    this.loadLowStock().then(show('#low-stock', (r) => this.renderLowStock(r)), fail('#low-stock', 'the stock levels'));
    this.loadExperiments(seq).catch(fail('#experiments', 'the experiments'));
    // The channels to filter by are those marketing spends money on.
    req('/v1/admin/marketing/spend?limit=100').then(show('#dash-channel', (r) => {
      for (const s of r.data || []) this.channels.add(s.channel);
      this.renderChannels();
    }), () => {});
    // The sales channels (web store, app, point of sale...) to filter by.
    req('/v1/admin/sales-channels?limit=100').then(show('#dash-sales-channel', (r) => {
      this.salesChannels = r.data || [];
      this.renderSalesChannels();
    }), () => {});
  }

  renderSalesChannels() {
    const sel = $('#dash-sales-channel');
    fill(sel, h('option', { value: '', text: 'All sales channels' }),
      this.salesChannels.map((c) => h('option', { value: c.id, text: c.name })));
    sel.value = this.filter.salesChannel;
  }

  salesChannelName(id) {
    const c = this.salesChannels.find((x) => x.id === id);
    return c ? c.name : id;
  }

  renderChannels() {
    const sel = $('#dash-channel');
    if (this.filter.channel) this.channels.add(this.filter.channel);
    const names = [...this.channels].sort();
    fill(sel, h('option', { value: '', text: 'All channels' }), names.map((c) => h('option', { value: c, text: c })));
    sel.value = this.filter.channel;
  }

  /** The currencies the report has money in; a choice when there are several. */
  pickCurrency() {
    const seen = new Set();
    const s = this.report.summary;
    for (const k of ['revenue', 'average_order_value', 'marketing_spend', 'customer_lifetime_value']) {
      for (const m of s[k] || []) seen.add(m.currency);
    }
    const list = [...seen].sort();
    if (!list.includes(this.filter.currency)) this.filter.currency = list[0] || '';
    $('#dash-currency-box').hidden = list.length < 2;
    fill($('#dash-currency'), list.map((c) => h('option', { value: c, text: c })));
    $('#dash-currency').value = this.filter.currency;
  }

  render() {
    if (!this.report) return;
    const now = this.report.summary;
    const before = this.previous && this.previous.summary;
    fill($('#kpi-cards'), CARDS.map((c) => {
      const v = this.value(now, c);
      const p = before ? this.value(before, c) : null;
      const ch = change(v, p, c);
      return h('li', { class: 'kpi', dataset: { kpi: c.key } },
        h('span', { class: 'kpi-label', text: c.label }),
        h('span', { class: 'kpi-value', text: format(v, c.kind, this.filter.currency) }),
        h('span', {
          class: `kpi-change${ch.good === null ? '' : ch.good ? ' good' : ' bad'}`,
          title: `previous period: ${format(p, c.kind, this.filter.currency)}`,
          text: ch.text,
        }));
    }));
    if (window.uPlot) this.renderCharts();
  }

  /** A figure of a summary or bucket as a number, or null. */
  value(fig, c) {
    const v = fig[c.key];
    if (c.kind !== 'money') return typeof v === 'number' ? v : null;
    if (!Array.isArray(v)) return null;
    const m = v.find((x) => x.currency === this.filter.currency);
    if (m) return m.amount;
    // No amount in the currency: zero for sums, unknown for means.
    return c.key === 'revenue' ? 0 : null;
  }

  // ---- charts ---------------------------------------------------------

  destroyCharts() {
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
    this.resizer.disconnect();
    fill($('#charts'));
  }

  renderCharts() {
    this.destroyCharts();
    const series = this.report.series;
    const x = series.map((b) => Date.parse(b.start) / 1000);
    for (const def of CHARTS) {
      const box = h('figure', { class: 'chart' }, h('figcaption', { text: def.title + (def.lines[0].kind === 'money' && this.filter.currency ? ` (${this.filter.currency})` : '') }));
      $('#charts').append(box);
      const data = [x, ...def.lines.map((l) => series.map((b) => chartValue(this.value(b, l), l.kind)))];
      const opts = {
        width: chartWidth(box),
        height: 180,
        legend: { show: def.lines.length > 1 },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [{}, { size: 56 }],
        series: [{}, ...def.lines.map((l, i) => ({ label: l.label, stroke: COLORS[i], width: 2, spanGaps: false, points: { show: x.length < 40 } }))],
      };
      const plot = new window.uPlot(opts, data, box);
      this.charts.push({ plot, box });
      this.resizer.observe(box);
    }
  }

  resizeCharts() {
    for (const c of this.charts) {
      const w = chartWidth(c.box);
      if (Math.abs(c.plot.width - w) > 1) c.plot.setSize({ width: w, height: 180 });
    }
  }

  // ---- the other panels -----------------------------------------------

  renderFunnel(r) {
    const steps = r.steps || [];
    const top = Math.max(1, ...steps.map((s) => s.sessions));
    const names = { sessions: 'Sessions', product_views: 'Product views', add_to_cart: 'Added to cart', checkout_start: 'Checkout started', orders: 'Orders' };
    fill($('#funnel'), steps.map((s, i) => {
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${(100 * s.sessions) / top}%`; // CSSOM, which the CSP allows
      return h('li', { dataset: { step: s.step } },
        h('span', { class: 'funnel-label', text: names[s.step] || s.step }),
        h('span', { class: 'funnel-count', text: s.sessions.toLocaleString() }),
        h('span', { class: 'bar-track' }, bar),
        i > 0 ? h('span', { class: 'funnel-drop muted', text: `−${s.drop.toLocaleString()}${s.drop_rate === null ? '' : ` (${pct(s.drop_rate)})`}` }) : null);
    }));
  }

  /**
   * The low stock levels with the names of their variants and warehouses
   * (from the first 100 products and warehouses; beyond, the ids show).
   */
  async loadLowStock() {
    const req = (path) => this.session.request('GET', path);
    const [levels, products, warehouses] = await Promise.all([
      req('/v1/admin/inventory/levels?below_reorder_point=true&limit=20'),
      req('/v1/admin/products?limit=100').catch(() => ({ data: [] })),
      req('/v1/admin/warehouses?limit=100').catch(() => ({ data: [] })),
    ]);
    const variants = new Map();
    for (const p of products.data || []) {
      for (const v of p.variants || []) variants.set(v.id, `${p.title}${v.title ? ` · ${v.title}` : ''} (${v.sku})`);
    }
    const places = new Map((warehouses.data || []).map((w) => [w.id, w.name]));
    return (levels.data || []).map((l) => ({ ...l, variant: variants.get(l.variant_id) || l.variant_id, warehouse: places.get(l.warehouse_id) || l.warehouse_id }));
  }

  renderLowStock(levels) {
    fill($('#low-stock'), levels.length
      ? levels.map((l) => h('li', { dataset: { variant: l.variant_id } },
        h('strong', { text: l.variant }), ' ',
        h('span', { class: 'muted', text: `${l.warehouse} · ${l.available} available, reorder at ${l.reorder_point}` })))
      : h('li', { class: 'muted', text: 'Nothing at or below its reorder point.' }));
  }

  async loadExperiments(seq) {
    const list = await this.session.request('GET', '/v1/admin/experiments?limit=100');
    const shown = (list.data || []).filter((e) => e.status !== 'draft').reverse(); // newest first
    const results = await Promise.all(shown.slice(0, 5).map((e) =>
      this.session.request('GET', `/v1/admin/experiments/${encodeURIComponent(e.id)}/results`).catch(() => null)));
    if (seq !== this.seq) return;
    const tables = results.filter(Boolean).map((r) => this.experimentTable(r));
    fill($('#experiments'), tables.length ? tables : h('p', { class: 'muted', text: 'No running or finished experiments.' }));
  }

  experimentTable(r) {
    const e = r.experiment;
    const cur = this.filter.currency;
    const aov = (list) => {
      const m = (list || []).find((x) => x.currency === cur) || (list || [])[0];
      return m ? format(m.amount, 'money', m.currency) : NONE;
    };
    return h('div', { class: 'table-wrap' }, h('table', { class: 'experiment', dataset: { key: e.key } },
      h('caption', {}, h('strong', { text: e.name }), ' ', h('span', { class: 'muted', text: `${e.key} · ${e.status} · ${e.metric.replaceAll('_', ' ')}` })),
      h('thead', {}, h('tr', {}, ['Arm', 'Sessions', 'Conversion', 'AOV', 'Lift', 'p-value', 'Verdict'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, r.arms.map((a, i) => {
        const vs = a.vs_control;
        let verdict = i === 0 && !vs ? 'control' : NONE;
        // The note (too few sessions or conversions) is the experiment's.
        if (vs) verdict = r.note ? 'too small to call' : vs.significant ? 'significant' : 'not significant';
        return h('tr', {},
          h('th', { scope: 'row', text: a.key }),
          h('td', { text: a.sessions.toLocaleString() }),
          h('td', { text: a.conversion_rate === null ? NONE : pct(a.conversion_rate) }),
          h('td', { text: aov(a.average_order_value) }),
          h('td', { text: vs && vs.lift !== null ? signed(vs.lift * 100, 1, '%') : NONE }),
          h('td', { text: vs && vs.p_value !== null ? vs.p_value.toFixed(4) : NONE }),
          h('td', { class: vs && vs.significant && !r.note ? 'good' : null, text: verdict }));
      })),
      r.note ? h('tfoot', {}, h('tr', {}, h('td', { colspan: 7, class: 'muted note', text: r.note }))) : null));
  }
}

// ---- helpers ------------------------------------------------------------

let uplotLoading = null;

/** Loads the vendored uPlot once: its script and style sheet, from this origin. */
function loadUPlot() {
  if (window.uPlot) return Promise.resolve(true);
  if (!uplotLoading) {
    uplotLoading = new Promise((ok, fail) => {
      document.head.append(h('link', { rel: 'stylesheet', href: `${UPLOT}uPlot.min.css` }));
      const s = h('script', { src: `${UPLOT}uPlot.iife.min.js` });
      s.addEventListener('load', () => ok(true));
      s.addEventListener('error', () => { uplotLoading = null; fail(new Error('the chart library did not load')); });
      document.head.append(s);
    });
  }
  return uplotLoading;
}

function chartWidth(box) {
  return Math.max(200, Math.floor(box.clientWidth || 300));
}

function chartValue(v, kind) {
  if (v === null) return null;
  if (kind === 'money') return v / 100;
  if (kind === 'rate') return v * 100;
  return v;
}

/** The change from p to v: relative for amounts, in points for rates. */
function change(v, p, c) {
  if (v === null || p === null) return { text: `${NONE} vs previous`, good: null };
  let d;
  let text;
  if (c.kind === 'rate') {
    d = (v - p) * 100;
    text = `${signed(d, 1, ' pts')} vs previous`;
  } else {
    if (p === 0) return { text: v === 0 ? '±0% vs previous' : `${NONE} vs previous`, good: null };
    d = ((v - p) / Math.abs(p)) * 100;
    text = `${signed(d, 1, '%')} vs previous`;
  }
  if (Math.abs(d) < 0.05) return { text, good: null };
  return { text, good: c.lowerIsBetter ? d < 0 : d > 0 };
}

function signed(n, digits, unit) {
  const s = Math.abs(n).toFixed(digits);
  if (Number(s) === 0) return `±0${unit}`;
  return `${n > 0 ? '+' : '−'}${s}${unit}`;
}

function pct(f) {
  return `${(f * 100).toFixed(1)}%`;
}

function format(v, kind, currency) {
  if (v === null || v === undefined) return NONE;
  switch (kind) {
    case 'rate': return pct(v);
    case 'money':
      if (!currency) return NONE;
      try {
        return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(v / 100);
      } catch {
        return `${(v / 100).toFixed(2)} ${currency}`;
      }
    case 'number': return v.toFixed(2);
    case 'score': return `${v.toFixed(2)} / 5`;
    case 'seconds': return duration(v);
    default: return v.toLocaleString();
  }
}

function duration(s) {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Today's date in the browser's time zone, YYYY-MM-DD. */
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Adds n days to a YYYY-MM-DD date (calendar arithmetic, in UTC). */
function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function label(date) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
