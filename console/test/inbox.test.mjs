// The staff console in a real browser (Debian's chromium driven by
// playwright-core) against `storekeep serve --demo`: the demo support agent
// signs in; a customer, over the API, starts a conversation and asks for a
// person; it shows up in the open page without a reload; the agent answers
// from the page and the customer's WebSocket receives the answer, but never
// the internal note. Screenshots at desktop and phone sizes go to
// $CI_ARTIFACTS (or ./artifacts). Run: npm test (docs/console.md).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer, supportLogin } from './server.mjs';

const artifacts = resolve(process.env.CI_ARTIFACTS || 'artifacts');
mkdirSync(artifacts, { recursive: true });
const WAIT = 15000; // ms: the longest any single step may take

let server;
let browser;
let agent; // the agent's page
let customerPage; // a second browser context holding the customer's socket
const customer = {};
// The agent page's inbox socket goes through this route, so the test can
// cut the link and hold reconnections (test 'reconnects ...').
const link = { held: null, release: null, server: null };

async function api(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(server.url + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return data;
}

/** The customer socket's frames so far (collected in the customer's page). */
const frames = () => customerPage.evaluate(() => window.frames_);

async function waitForFrame(pred, what) {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const got = (await frames()).find(pred);
    if (got) return got;
    if (Date.now() > deadline) assert.fail(`the customer's socket did not receive ${what}; got ${JSON.stringify(await frames())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The steps are one journey: after a failure the rest are skipped, not
// failed again for the same cause.
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

const shot = (name) => agent.screenshot({ path: join(artifacts, `console-${name}.png`), fullPage: false });

describe('staff console', { timeout: 180000 }, () => {
  before(async () => {
    server = await startServer(join(artifacts, 'console-server.log'));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      // CI runs as root, where chromium's sandbox cannot start.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });

  after(async () => {
    if (agent) await agent.screenshot({ path: join(artifacts, 'console-last.png') }).catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  });

  step('signs the demo support agent in', async () => {
    const login = supportLogin(server.output());
    assert.ok(login, `serve --demo printed no support agent login:\n${server.output()}`);
    // A canned reply of the test's own, with a placeholder, made over the
    // API before the page loads the list.
    const staff = await api('POST', '/v1/auth/staff/login', login);
    customer.canned = await api('POST', '/v1/admin/support/canned-replies',
      { title: 'Console test greeting', body: 'Hello {{first_name}}, thanks for waiting!', locale: 'en' }, staff.access_token);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    agent = await ctx.newPage();
    const errors = [];
    agent.on('pageerror', (e) => errors.push(e.message));
    // (A 4xx answer the page handles is logged as "Failed to load resource".)
    agent.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    agent.errors = errors;
    await agent.routeWebSocket(/\/v1\/admin\/support\/ws$/, async (ws) => {
      if (link.held) await link.held; // the page's socket stays "connecting"
      link.server = ws.connectToServer();
    });
    await agent.goto(`${server.url}/console`);
    await agent.getByLabel('E-mail').fill(login.email);
    await agent.getByLabel('Password').fill(login.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.locator('#connection.live').waitFor({ timeout: WAIT });
    await agent.locator('#me', { hasText: login.email }).waitFor({ timeout: WAIT });
  });

  step('shows a customer asking for a person without a reload', async () => {
    const email = `shopper-${Date.now()}@example.com`;
    const reg = await api('POST', '/v1/auth/customers/register',
      { email, password: 'console-test-password', first_name: 'Zoé', last_name: 'Test' });
    customer.token = reg.access_token;
    customer.subject = `Help with my order ${Date.now()}`;
    const created = await api('POST', '/v1/store/support/conversations',
      { subject: customer.subject, message: 'Hello, I have a question about my order.' }, customer.token);
    customer.conversation = created.conversation;
    // Asking for a person hands the conversation over to the inbox.
    await api('POST', `/v1/store/support/conversations/${customer.conversation.id}/messages`,
      { body: 'I want to talk to a human agent please' }, customer.token);

    const row = agent.locator('#conversation-list li', { hasText: customer.subject });
    await row.waitFor({ timeout: WAIT });
    await row.locator('.badge').waitFor({ timeout: WAIT }); // unread
  });

  step('holds the customer socket', async () => {
    const ctx = await browser.newContext();
    customerPage = await ctx.newPage();
    // Any page of this origin will do: the console's CSP allows sockets to it.
    await customerPage.goto(`${server.url}/console`);
    await customerPage.evaluate(({ id, token }) => new Promise((ready, fail) => {
      window.frames_ = [];
      const ws = new WebSocket(`ws://${location.host}/v1/store/support/conversations/${id}/ws`);
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
      ws.onmessage = (ev) => {
        const f = JSON.parse(ev.data);
        window.frames_.push(f);
        if (f.type === 'ready') ready();
      };
      ws.onclose = (ev) => fail(new Error(`customer socket closed: ${ev.code}`));
    }), { id: customer.conversation.id, token: customer.token });
  });

  step('opens the thread beside the customer', async () => {
    await agent.locator('#conversation-list li', { hasText: customer.subject }).getByRole('button').click();
    const messages = agent.locator('#messages');
    await messages.locator('.message.customer', { hasText: 'talk to a human' }).waitFor({ timeout: WAIT });
    await agent.locator('#customer', { hasText: 'Zoé' }).waitFor({ timeout: WAIT });
    // Viewed: the unread badge goes.
    await agent.locator('#conversation-list li', { hasText: customer.subject }).locator('.badge')
      .waitFor({ state: 'detached', timeout: WAIT });
  });

  step('shows a new customer message in the open thread, as text', async () => {
    const body = 'Are you there? <img src=x onerror="document.title=1"> <b>bold</b>';
    await api('POST', `/v1/store/support/conversations/${customer.conversation.id}/messages`, { body }, customer.token);
    const m = agent.locator('#messages .message.customer', { hasText: 'Are you there?' });
    await m.waitFor({ timeout: WAIT });
    assert.equal(await m.locator('.body').textContent(), body);
    assert.equal(await agent.locator('#messages img, #messages b').count(), 0, 'a message body was parsed as HTML');
  });

  step("sends the agent's reply to the customer's socket", async () => {
    await agent.getByRole('button', { name: 'Assign to me' }).click();
    await agent.locator('#thread-meta', { hasText: 'assigned to you' }).waitFor({ timeout: WAIT });
    const reply = 'Hello Zoé, I am looking at your order now.';
    await agent.getByLabel('Reply', { exact: true }).fill(reply);
    await agent.getByRole('button', { name: 'Send' }).click();
    await agent.locator('#messages .message.agent', { hasText: reply }).waitFor({ timeout: WAIT });
    const f = await waitForFrame((x) => x.type === 'message' && x.message.body === reply, 'the reply');
    assert.equal(f.message.author, 'agent');
    // Answered, the conversation waits on the customer: it moves from the
    // Open tab to Pending, live, while its thread stays open.
    await agent.locator('#thread-meta', { hasText: 'pending' }).waitFor({ timeout: WAIT });
    await agent.locator('#conversation-list li', { hasText: customer.subject }).waitFor({ state: 'detached', timeout: WAIT });
    await shot('desktop');
  });

  step('keeps internal notes from the customer', async () => {
    const note = 'Internal: VIP customer, offer free shipping.';
    await agent.getByLabel('Internal note').check();
    await agent.getByLabel('Reply', { exact: true }).fill(note);
    await agent.getByRole('button', { name: 'Add note' }).click();
    await agent.locator('#messages .message.internal', { hasText: note }).waitFor({ timeout: WAIT });
    await agent.getByLabel('Internal note').uncheck();

    // A canned reply after the note: once the customer has it, the socket
    // (which delivers in order) has had every chance to deliver the note.
    await agent.getByLabel('Canned reply').selectOption({ label: 'Console test greeting' });
    await agent.getByRole('button', { name: 'Send' }).click();
    await waitForFrame((x) => x.type === 'message' && x.message.body === 'Hello Zoé, thanks for waiting!',
      'the canned reply, its placeholder filled');
    const leaked = (await frames()).filter((x) => x.type === 'message' && (x.message.internal || x.message.body === note));
    assert.deepEqual(leaked, [], 'the internal note reached the customer');
    const seen = await api('GET', `/v1/store/support/conversations/${customer.conversation.id}/messages`, undefined, customer.token);
    assert.ok(!seen.data.some((m) => m.body === note), 'the internal note is in the customer\'s messages');
  });

  step('works at desktop and phone sizes', async () => {
    await agent.getByRole('button', { name: 'Pending' }).click();
    await agent.locator('#conversation-list li', { hasText: customer.subject }).waitFor({ timeout: WAIT });
    await shot('desktop');
    await agent.setViewportSize({ width: 390, height: 844 });
    await agent.locator('#messages').waitFor();
    await shot('phone-thread');
    await agent.getByRole('button', { name: '← Inbox', exact: true }).click();
    await agent.locator('#conversation-list li', { hasText: customer.subject }).waitFor({ timeout: WAIT });
    await shot('phone-inbox');
    await agent.locator('#conversation-list li', { hasText: customer.subject }).getByRole('button').click();
    await agent.locator('#messages').waitFor();
    await agent.setViewportSize({ width: 1280, height: 800 });
  });

  step('reconnects after a drop and catches up over REST', async () => {
    const row = agent.locator('#conversation-list li', { hasText: customer.subject });
    await agent.getByRole('button', { name: 'Open', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: WAIT }); // pending: not in the Open tab
    await agent.evaluate(() => { window.sameDocument = true; });
    // Cut the link and hold the page's reconnections.
    link.held = new Promise((r) => { link.release = r; });
    link.server.close();
    await agent.locator('#connection:not(.live)').waitFor({ timeout: WAIT });
    // Meanwhile the customer writes: the conversation is open again.
    const missed = 'Still there? I wrote this while your link was down.';
    await api('POST', `/v1/store/support/conversations/${customer.conversation.id}/messages`, { body: missed }, customer.token);
    // Let the page reconnect: it reloads the list and the thread over REST.
    link.release();
    link.held = null;
    await agent.locator('#connection.live').waitFor({ timeout: 2 * WAIT }); // backoff up to 2 s here
    await row.waitFor({ timeout: WAIT });
    await agent.locator('#messages .message.customer', { hasText: missed }).waitFor({ timeout: WAIT });
    assert.equal(await agent.evaluate(() => window.sameDocument), true, 'the page was reloaded');
  });

  step('closes and reopens the conversation', async () => {
    const row = agent.locator('#conversation-list li', { hasText: customer.subject });
    await agent.getByRole('button', { name: 'Close', exact: true }).click();
    await agent.getByRole('button', { name: 'Reopen' }).waitFor({ timeout: WAIT });
    await row.waitFor({ state: 'detached', timeout: WAIT }); // it leaves the Open tab
    await agent.getByRole('button', { name: 'Closed' }).click();
    await row.waitFor({ timeout: WAIT });
    await agent.getByRole('button', { name: 'Reopen' }).click();
    await agent.getByRole('button', { name: 'Close', exact: true }).waitFor({ timeout: WAIT });
    await agent.locator('#thread-meta', { hasText: 'open' }).waitFor({ timeout: WAIT });
    await row.waitFor({ state: 'detached', timeout: WAIT }); // and the Closed tab
  });

  step('refreshes an expired access token', async () => {
    // The session lives in sessionStorage: a reload keeps it. Make its access
    // token unusable and expired, then reload: the page must refresh it.
    await agent.evaluate(() => {
      const key = 'storekeep.console.session';
      const data = JSON.parse(sessionStorage.getItem(key));
      sessionStorage.setItem(key, JSON.stringify({ ...data, access_token: 'expired', expires_at: 0 }));
    });
    const refreshed = agent.waitForResponse((r) => r.url().endsWith('/v1/auth/refresh') && r.status() === 200);
    await agent.reload();
    await refreshed;
    await agent.locator('#connection.live').waitFor({ timeout: WAIT });
    await agent.locator('#inbox-summary', { hasText: 'conversation' }).waitFor({ timeout: WAIT });
  });

  step('is usable from the keyboard', async () => {
    // A row of the list opens with Enter and puts the cursor in the reply
    // box; Ctrl+Enter sends.
    const row = agent.locator('#conversation-list li', { hasText: customer.subject }).getByRole('button');
    await row.focus();
    // A live update rebuilds the list; the focus stays on the row.
    await api('POST', `/v1/store/support/conversations/${customer.conversation.id}/messages`,
      { body: 'One more thing.' }, customer.token);
    await row.locator('.badge').waitFor({ timeout: WAIT });
    assert.equal(await row.evaluate((b) => b === document.activeElement), true, 'the live update took the focus away');
    await agent.keyboard.press('Enter');
    await agent.locator('#reply-body:focus').waitFor({ timeout: WAIT });
    await agent.keyboard.type('Typed from the keyboard.');
    await agent.keyboard.press('Control+Enter');
    await waitForFrame((x) => x.type === 'message' && x.message.body === 'Typed from the keyboard.',
      'the reply typed from the keyboard');
  });

  step('signs out', async () => {
    assert.deepEqual(agent.errors, [], 'errors in the page');
    const loggedOut = agent.waitForResponse((r) => r.url().endsWith('/v1/auth/logout') && r.status() === 204);
    await agent.getByRole('button', { name: 'Sign out' }).click();
    await agent.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    await loggedOut;
    assert.equal(await agent.evaluate(() => sessionStorage.length), 0, 'tokens left in sessionStorage');
  });
});
