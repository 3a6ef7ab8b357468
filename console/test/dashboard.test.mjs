// The KPI dashboard in a real browser (Debian's chromium driven by
// playwright-core) against `storekeep serve --demo`: the test seeds a small
// data set of its own over the public API (storefront events from shoppers
// who arrived through the channel "console-test", spend on that channel, a
// running experiment, a low-stock level), the demo admin signs in, and the
// cards show the figures worked out by hand for that channel; interval and
// channel switches reach the API. Screenshots at desktop and phone sizes go
// to $CI_ARTIFACTS (or ./artifacts). Run: npm test (docs/console.md).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { adminLogin, startServer } from './server.mjs';

const artifacts = resolve(process.env.CI_ARTIFACTS || 'artifacts');
mkdirSync(artifacts, { recursive: true });
const WAIT = 15000; // ms: the longest any single step may take
const CHANNEL = 'console-test';

let server;
let browser;
let page;
let token; // the admin's, for seeding
const seeded = {};

async function api(method, path, body, auth = token) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth) headers.Authorization = `Bearer ${auth}`;
  const res = await fetch(server.url + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return data;
}

let broken = false;
function step(name, fn) {
  it(name, async (t) => {
    if (broken) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn();
    } catch (err) {
      broken = true;
      throw err;
    }
  });
}

const shot = (name) => page.screenshot({ path: join(artifacts, `dashboard-${name}.png`), fullPage: false });
const card = (key) => page.locator(`#kpi-cards li[data-kpi="${key}"]`);
const cardValue = (key) => card(key).locator('.kpi-value');

/**
 * The next KPI report the page asks for whose query matches all of want.
 * The page asks for two at once (the period and the one before it, which
 * ends where the period starts): this is the period's, the later one.
 */
async function kpiRequest(want) {
  const seen = [];
  await page.waitForResponse((r) => {
    const u = new URL(r.url());
    if (u.pathname !== '/v1/admin/metrics/kpis' || r.status() !== 200 ||
      !Object.entries(want).every(([k, v]) => (u.searchParams.get(k) || '') === v)) return false;
    seen.push({ r, to: u.searchParams.get('to') });
    return seen.length === 2;
  }, { timeout: WAIT });
  seen.sort((a, b) => a.to.localeCompare(b.to));
  return seen[1].r;
}

describe('KPI dashboard', { timeout: 180000 }, () => {
  before(async () => {
    server = await startServer(join(artifacts, 'dashboard-server.log'));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });

  after(async () => {
    if (page) await page.screenshot({ path: join(artifacts, 'dashboard-last.png') }).catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  });

  step('seeds a known data set over the API', async () => {
    const login = adminLogin(server.output());
    assert.ok(login, `serve --demo printed no admin login:\n${server.output()}`);
    seeded.login = login;
    token = (await api('POST', '/v1/auth/staff/login', login)).access_token;
    // Three shoppers arrive through the channel, each in one session, a
    // few minutes ago (well inside "last 7 days" in any time zone the
    // page uses, UTC here):
    //   a: page view, product view, add to cart  -> not bounced
    //   b: one page view                         -> bounced
    //   c: page view, product view               -> not bounced
    // so for the channel: 3 sessions, 3 unique users, bounce 1/3, no
    // orders (conversion 0/3), no carts (abandonment null), no new
    // customers (CAC null). A fourth shopper came eight and a half days
    // earlier, in the previous 7 days whatever the time of day, and left
    // after one page:
    //   d: one page view                         -> bounced
    // so the changes are 1 -> 3 sessions (+200 %) and a bounce rate of
    // 100 % -> 33.3 % (-66.7 points, good news).
    const run = Date.now().toString(36);
    // All on one UTC day (not before its midnight), so that a period of
    // dates around it is known whatever the time of day.
    seeded.today = new Date().toISOString().slice(0, 10);
    const t0 = Math.max(Date.now() - 10 * 60000, Date.parse(`${seeded.today}T00:00:01Z`));
    const at = (s) => new Date(t0 + s * 1000).toISOString();
    const ev = (who, type, s, extra = {}) => ({
      event_id: `${run}-${who}-${s}`, type, anonymous_id: `${run}-anon-${who}`, session_id: `${run}-sess-${who}`,
      occurred_at: at(s), ...extra,
    });
    const first = { utm_source: CHANNEL, utm_medium: 'test' };
    const events = [
      ev('a', 'session_start', 0, first), ev('a', 'page_view', 1, { path: '/' }), ev('a', 'product_view', 2), ev('a', 'add_to_cart', 3),
      ev('b', 'session_start', 10, first), ev('b', 'page_view', 11, { path: '/' }),
      ev('c', 'session_start', 20, first), ev('c', 'page_view', 21, { path: '/' }), ev('c', 'product_view', 22),
      ev('d', 'session_start', -8.5 * 86400, first), ev('d', 'page_view', -8.5 * 86400 + 1, { path: '/' }),
    ];
    const res = await api('POST', '/v1/store/events', { events }, null);
    assert.equal(res.accepted, events.length, JSON.stringify(res));
    // Spend on the channel, so it is offered in the channel filter.
    const day = new Date().toISOString().slice(0, 10);
    await api('POST', '/v1/admin/marketing/spend',
      { channel: CHANNEL, period_start: day, period_end: day, amount: { amount: 4500, currency: 'EUR' } });
    // A running experiment with no traffic yet: too small to call.
    seeded.experiment = await api('POST', '/v1/admin/experiments', {
      key: `dash-${run}`, name: 'Dashboard test experiment', metric: 'conversion_rate', status: 'running',
      arms: [{ key: 'control', weight: 50 }, { key: 'green', weight: 50 }],
    });
    // One stock level raised to its reorder point: it is low.
    const levels = await api('GET', '/v1/admin/inventory/levels?limit=1');
    const l = levels.data[0];
    await api('PATCH', `/v1/admin/inventory/levels/${l.variant_id}/${l.warehouse_id}`, { reorder_point: l.available + 5 });
    const products = await api('GET', '/v1/admin/products?limit=100');
    const v = products.data.flatMap((p) => p.variants).find((x) => x.id === l.variant_id);
    assert.ok(v, 'the low variant is not among the first 100 products');
    seeded.low = { id: l.variant_id, sku: v.sku };
  });

  step('signs the demo admin in on the dashboard', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-US' });
    page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.errors = errors;
    await page.goto(`${server.url}/console`);
    await page.getByLabel('E-mail').fill(seeded.login.email);
    await page.getByLabel('Password').fill(seeded.login.password);
    const loaded = kpiRequest({ interval: 'day', channel: '' });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await loaded;
    await page.locator('#view-title', { hasText: 'Dashboard' }).waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Inbox', exact: true }).waitFor({ timeout: WAIT });
    await cardValue('sessions').waitFor({ timeout: WAIT });
    // The charts are drawn by the vendored uPlot, from this origin.
    await page.locator('#charts .uplot').first().waitFor({ timeout: WAIT });
    assert.equal(await page.locator('#charts .uplot').count(), 4);
  });

  step('shows the seeded figures for the channel', async () => {
    await page.getByLabel('Period').selectOption('7');
    await page.locator('#dash-channel option', { hasText: CHANNEL }).waitFor({ state: 'attached', timeout: WAIT });
    const filtered = kpiRequest({ channel: CHANNEL, interval: 'day' });
    await page.locator('#dash-channel').selectOption(CHANNEL);
    await filtered;
    await page.locator('#dash-status', { hasText: `channel ${CHANNEL}` }).waitFor({ timeout: WAIT });
    const want = {
      sessions: '3', unique_users: '3', bounce_rate: '33.3%', conversion_rate: '0.0%', orders: '0',
      cart_abandonment_rate: '—', customer_acquisition_cost: '—', revenue: '€0.00',
    };
    for (const [k, v] of Object.entries(want)) {
      await card(k).locator('.kpi-value', { hasText: v }).waitFor({ timeout: WAIT }).catch(async () => {
        assert.fail(`card ${k}: ${await cardValue(k).textContent()}, want ${v}`);
      });
    }
    for (const [k, v] of Object.entries(want)) assert.equal(await cardValue(k).textContent(), v, `card ${k}`);
    // Against the previous 7 days.
    const changes = { sessions: '+200.0% vs previous', unique_users: '+200.0% vs previous',
      bounce_rate: '−66.7 pts vs previous', conversion_rate: '±0 pts vs previous', cart_abandonment_rate: '— vs previous' };
    for (const [k, v] of Object.entries(changes)) assert.equal(await card(k).locator('.kpi-change').textContent(), v, `change of ${k}`);
    assert.equal(await card('bounce_rate').locator('.kpi-change.good').count(), 1, 'a lower bounce rate is good news');
    assert.equal(await card('sessions').locator('.kpi-change.good').count(), 1, 'more sessions are good news');
    // The status line says what is shown.
    assert.match(await page.locator('#dash-status').textContent(), /7 days/);
  });

  step('switches the interval and back to all channels', async () => {
    const weekly = kpiRequest({ channel: CHANNEL, interval: 'week' });
    await page.getByLabel('Interval').selectOption('week');
    const res = await (await weekly).json();
    await page.locator('#dash-status', { hasText: /weeks? ·/ }).waitFor({ timeout: WAIT });
    assert.equal(res.summary.sessions, 3);
    assert.ok(res.series.length >= 1 && res.series.length <= 2, `${res.series.length} weekly buckets in 7 days`);
    const all = kpiRequest({ channel: '', interval: 'week' });
    await page.locator('#dash-channel').selectOption('');
    const everyone = await (await all).json();
    // All channels count the demo's shoppers too: at least the seeded three.
    assert.ok(everyone.summary.sessions >= 3);
    await cardValue('sessions').filter({ hasText: everyone.summary.sessions.toLocaleString('en-US') }).waitFor({ timeout: WAIT });
  });

  step('takes a custom period', async () => {
    // The nine days before the seeded day, both ends included: the fourth
    // shopper only, 9 days compared with the 9 before.
    const day = (n) => new Date(Date.parse(`${seeded.today}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
    const daily = kpiRequest({ channel: '', interval: 'day' });
    await page.getByLabel('Interval').selectOption('day');
    await daily;
    const filtered = kpiRequest({ channel: CHANNEL, interval: 'day' });
    await page.locator('#dash-channel').selectOption(CHANNEL);
    await filtered;
    await page.getByLabel('Period').selectOption('custom');
    await page.locator('#dash-from').fill(day(-9));
    await page.locator('#dash-to').fill(day(-1));
    const custom = kpiRequest({ channel: CHANNEL, interval: 'day' });
    await page.getByRole('button', { name: 'Apply' }).click();
    const answer = await custom;
    const q = new URL(answer.url()).searchParams;
    assert.deepEqual([q.get('from'), q.get('to')], [day(-9), day(0)], 'the custom period, its last day included');
    const res = await answer.json();
    assert.equal(res.series.length, 9);
    await page.locator('#dash-status', { hasText: '9 days ·' }).waitFor({ timeout: WAIT });
    await cardValue('sessions').filter({ hasText: /^1$/ }).waitFor({ timeout: WAIT });
    assert.equal(await cardValue('bounce_rate').textContent(), '100.0%');
    await page.locator('#dash-channel').selectOption('');
    await page.getByLabel('Period').selectOption('7');
    await page.locator('#dash-status', { hasText: /7 days ·.*all channels/ }).waitFor({ timeout: WAIT });
  });

  step('shows the funnel, experiments, low stock and the conversations waiting', async () => {
    await page.locator('#funnel li[data-step="orders"]').waitFor({ timeout: WAIT });
    assert.equal(await page.locator('#funnel li').count(), 5);
    const exp = page.locator(`table.experiment[data-key="${seeded.experiment.key}"]`);
    await exp.waitFor({ timeout: WAIT });
    await exp.locator('tr', { hasText: 'green' }).locator('td', { hasText: 'too small to call' }).waitFor({ timeout: WAIT });
    // Named by its product and SKU, not by its id.
    const low = page.locator(`#low-stock li[data-variant="${seeded.low.id}"]`);
    await low.waitFor({ timeout: WAIT });
    assert.match(await low.textContent(), new RegExp(`\\(${seeded.low.sku}\\)`));
    // The demo leaves one conversation waiting for an agent.
    await page.locator('#waiting', { hasText: /\d+\+? conversations? waiting/ }).waitFor({ timeout: WAIT });
  });

  step('works at desktop and phone sizes', async () => {
    await shot('desktop');
    // The panels below the fold: funnel, operations, experiments.
    await page.locator('.dash-grid').screenshot({ path: join(artifacts, 'dashboard-panels.png') });
    await page.locator('#experiments').screenshot({ path: join(artifacts, 'dashboard-experiments.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    // The charts follow the narrower width; the cards stack.
    await page.waitForFunction(() => [...document.querySelectorAll('#charts .uplot')].every((u) => u.getBoundingClientRect().width <= 390), null, { timeout: WAIT });
    const cards = await page.locator('#kpi-cards li').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    assert.ok(Math.max(...cards) <= 390, `a card overflows the phone screen: ${Math.max(...cards)}`);
    await shot('phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('switches to the inbox and back', async () => {
    await page.getByRole('button', { name: 'Inbox', exact: true }).click();
    await page.locator('#inbox-summary', { hasText: 'conversation' }).waitFor({ timeout: WAIT });
    assert.equal(await page.locator('#dashboard').isHidden(), true);
    const again = kpiRequest({});
    await page.getByRole('button', { name: 'Dashboard', exact: true }).click();
    await again;
    await cardValue('sessions').waitFor({ timeout: WAIT });
    assert.deepEqual(page.errors, [], 'errors in the page');
  });
});
