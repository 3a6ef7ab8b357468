// The support inbox: sign-in, the conversation list (filters, unread
// counts, live over the inbox socket), the thread with the customer beside
// it, and the agent's actions; managers and admins also get the KPI
// dashboard (dashboard.js). Everything goes through the public API.
import { ApiError, Session } from './api.js';
import { Dashboard } from './dashboard.js';
import { $, fill, h, money, when } from './dom.js';
import { InboxSocket } from './socket.js';

const ADMIN = '/v1/admin/support';
const PAGE = 50;

const session = new Session(showSignIn);
const state = {
  filter: { status: 'open', assignee: 'anyone', tag: '' },
  conversations: new Map(), // id -> conversation, the listed ones
  nextCursor: null,
  selected: null, // id
  thread: null, // {conversation, messages: Map id -> message}
  canned: [],
  loadSeq: 0,
};

const dashboard = new Dashboard(session, (err) => message(err));
let view = 'inbox';

const socket = new InboxSocket({
  token: () => session.token(),
  refresh: () => session.refresh(),
  onFrame,
  onState: showConnection,
  onConnected: () => { reloadInbox(); if (state.selected) openConversation(state.selected, { quiet: true }); },
});

// ---- sign-in --------------------------------------------------------------

function showSignIn(notice) {
  socket.stop();
  resetView();
  $('#console').hidden = true;
  $('#signin').hidden = false;
  $('#signin-error').textContent = notice || '';
  $('#signin-email').focus();
}

// resetView forgets what the last staff member saw.
function resetView() {
  state.conversations = new Map();
  state.nextCursor = null;
  state.selected = null;
  state.thread = null;
  state.loadSeq++;
  fill($('#conversation-list'));
  fill($('#messages'));
  $('#inbox-summary').textContent = '';
  $('#thread-body').hidden = true;
  $('#thread-empty').hidden = false;
  $('#context').hidden = true;
  $('#layout').classList.remove('thread-open');
  $('#reply-body').value = '';
  dashboard.reset();
  view = 'inbox';
}

$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const email = $('#signin-email').value.trim();
  const password = $('#signin-password').value;
  const button = ev.submitter || $('#signin-form button');
  $('#signin-error').textContent = '';
  button.disabled = true;
  try {
    await session.signIn(email, password);
    $('#signin-password').value = '';
    start();
  } catch (err) {
    $('#signin-error').textContent = err.status === 401
      ? 'Wrong e-mail or password.'
      : err.status === 429 ? 'Too many attempts: wait a few minutes.' : message(err);
  } finally {
    button.disabled = false;
  }
});

$('#signout').addEventListener('click', async () => {
  socket.stop();
  await session.signOut();
  showSignIn('Signed out.');
});

function start() {
  $('#signin').hidden = true;
  $('#console').hidden = false;
  const me = session.staff;
  $('#me').textContent = me ? `${me.email} (${me.role})` : '';
  socket.start(); // its onConnected loads the inbox
  reloadInbox();
  loadCanned();
  // Managers and admins land on the dashboard and may switch to the inbox;
  // support agents (and warehouse staff, whom the inbox answers 403) see
  // the inbox only.
  const manages = !!me && (me.role === 'manager' || me.role === 'admin');
  $('#views').hidden = !manages;
  showView(manages ? 'dashboard' : 'inbox', { reload: manages });
}

// ---- pages ----------------------------------------------------------------

function showView(name, { reload = false } = {}) {
  const first = view !== name || reload;
  view = name;
  const dash = name === 'dashboard';
  $('#layout').hidden = dash;
  $('#dashboard').hidden = !dash;
  $('#view-title').textContent = dash ? 'Dashboard' : 'Support inbox';
  for (const b of document.querySelectorAll('#views button')) b.setAttribute('aria-pressed', String(b.dataset.view === name));
  if (dash && first) dashboard.load();
}

for (const b of document.querySelectorAll('#views button')) {
  b.addEventListener('click', () => showView(b.dataset.view));
}

// ---- the list -------------------------------------------------------------

function listQuery(cursor) {
  const q = new URLSearchParams({ status: state.filter.status, limit: String(PAGE) });
  const me = session.staff;
  if (state.filter.assignee === 'me' && me) q.set('assignee', me.id);
  if (state.filter.assignee === 'unassigned') q.set('assignee', 'none');
  if (state.filter.tag) q.set('tag', state.filter.tag);
  if (cursor) q.set('cursor', cursor);
  return `${ADMIN}/conversations?${q}`;
}

async function reloadInbox() {
  const seq = ++state.loadSeq; // a newer reload makes older answers moot
  try {
    const page = await session.request('GET', listQuery());
    if (seq !== state.loadSeq) return;
    state.conversations = new Map(page.data.map((c) => [c.id, c]));
    state.nextCursor = page.next_cursor || null;
    renderList();
  } catch (err) {
    if (seq === state.loadSeq) showListError(err);
  }
}

$('#load-more').addEventListener('click', async () => {
  if (!state.nextCursor) return;
  try {
    const page = await session.request('GET', listQuery(state.nextCursor));
    for (const c of page.data) state.conversations.set(c.id, c);
    state.nextCursor = page.next_cursor || null;
    renderList();
  } catch (err) {
    showListError(err);
  }
});

function showListError(err) {
  if (err.status === 401) return; // signed out
  fill($('#inbox-summary'), `Could not load conversations: ${message(err)}`);
}

/** Whether c belongs in the list under the current filter. */
function matches(c) {
  const f = state.filter;
  const me = session.staff;
  if (c.status !== f.status) return false;
  if (f.assignee === 'me' && (!me || c.assignee_id !== me.id)) return false;
  if (f.assignee === 'unassigned' && c.assignee_id) return false;
  if (f.tag && !(c.tags || []).includes(f.tag)) return false;
  return true;
}

function unread(c) {
  return c.unread || 0;
}

function sorted() {
  return [...state.conversations.values()].sort((a, b) =>
    (b.updated_at || '').localeCompare(a.updated_at || ''));
}

function renderList() {
  const list = sorted();
  const items = list.map((c) => {
    const n = unread(c);
    return h('li', { class: n > 0 ? 'unread' : null, dataset: { id: c.id } },
      h('button', {
        type: 'button',
        'aria-current': c.id === state.selected ? 'true' : null,
        'aria-label': `${c.subject || 'Conversation'}${n ? `, ${n} unread` : ''}`,
        onclick: () => openConversation(c.id),
      },
      h('span', { class: 'subject', text: c.subject || '(no subject)' }),
      n > 0 ? h('span', { class: 'badge', 'aria-hidden': 'true', text: n }) : h('span', { class: 'time', text: when(c.updated_at) }),
      h('span', { class: 'who', text: who(c) }),
      h('span', { class: 'time', text: c.assignee_id ? assigneeName(c.assignee_id) : 'unassigned' }),
      c.last_message ? h('span', { class: 'preview', text: c.last_message.body }) : null,
      (c.tags || []).length ? h('span', { class: 'preview' }, c.tags.map((t) => h('span', { class: 'tag', text: t }))) : null));
  });
  // Live updates rebuild the list: keep the keyboard focus on its row.
  const focused = document.activeElement && document.activeElement.closest('#conversation-list li');
  fill($('#conversation-list'), items);
  if (focused) {
    const again = $(`#conversation-list li[data-id="${CSS.escape(focused.dataset.id)}"] button`);
    if (again) again.focus();
  }
  const total = list.reduce((s, c) => s + unread(c), 0);
  $('#inbox-summary').textContent = `${list.length} conversation${list.length === 1 ? '' : 's'}${total ? ` · ${total} unread` : ''}`;
  $('#load-more').hidden = !state.nextCursor;
  document.title = `${total ? `(${total}) ` : ''}Support inbox · Storekeep`;
}

function who(c) {
  return c.customer_name || c.email || (c.customer_id ? 'customer' : 'guest');
}

// No route lists staff to the support role, so other agents show as
// "another agent" and an agent assigns conversations to themselves.
function assigneeName(id) {
  const me = session.staff;
  return me && id === me.id ? 'you' : 'another agent';
}

for (const b of document.querySelectorAll('#status-tabs button')) {
  b.addEventListener('click', () => {
    state.filter.status = b.dataset.status;
    for (const o of document.querySelectorAll('#status-tabs button')) o.setAttribute('aria-pressed', String(o === b));
    reloadInbox();
  });
}
$('#filter-assignee').addEventListener('change', (ev) => { state.filter.assignee = ev.target.value; reloadInbox(); });
let tagTimer;
$('#filter-tag').addEventListener('input', (ev) => {
  clearTimeout(tagTimer);
  tagTimer = setTimeout(() => { state.filter.tag = ev.target.value.trim().toLowerCase(); reloadInbox(); }, 300);
});

// ---- live frames ----------------------------------------------------------

function onFrame(f) {
  if (f.type === 'conversation' && f.conversation) upsertConversation(f.conversation);
  else if (f.type === 'message' && f.message) onMessage(f.message);
}

function upsertConversation(c) {
  const known = state.conversations.get(c.id);
  const merged = known ? { ...known, ...c } : { ...c };
  // The open conversation is being read: its count may predate the read
  // marker the page just sent.
  if (c.id === state.selected && document.visibilityState === 'visible') merged.unread = 0;
  if (matches(merged)) state.conversations.set(c.id, merged);
  else state.conversations.delete(c.id);
  renderList();
  if (state.thread && state.thread.conversation.id === c.id) {
    state.thread.conversation = { ...state.thread.conversation, ...c };
    renderThreadHead();
  }
}

// A message frame is followed by a conversation frame with the server's
// counts, which adds the conversation to the list when it belongs there;
// the message itself updates the open thread and the row's preview.
function onMessage(m) {
  const id = m.conversation_id;
  if (state.thread && state.thread.conversation.id === id) {
    state.thread.messages.set(m.id, m);
    renderMessages();
    markRead();
  }
  const c = state.conversations.get(id);
  if (c) {
    c.updated_at = m.created_at || c.updated_at;
    c.last_message = m;
    renderList();
  }
}

// ---- the thread -----------------------------------------------------------

async function openConversation(id, { quiet = false } = {}) {
  const changed = state.selected !== id;
  state.selected = id;
  $('#layout').classList.add('thread-open');
  $('#thread-empty').hidden = true;
  $('#thread-body').hidden = false;
  if (changed) {
    fill($('#messages'));
    $('#thread-title').textContent = 'Loading…';
    $('#thread-meta').textContent = '';
    $('#reply-error').textContent = '';
  }
  renderList();
  try {
    const res = await session.request('GET', `${ADMIN}/conversations/${encodeURIComponent(id)}`);
    if (state.selected !== id) return;
    const conversation = res.conversation || res;
    const messages = new Map((state.thread && state.thread.conversation.id === id && quiet) ? state.thread.messages : []);
    for (const m of res.messages || []) messages.set(m.id, m);
    state.thread = { conversation, messages };
    renderThreadHead();
    renderMessages();
    markRead();
    if (changed && !quiet) $('#reply-body').focus();
  } catch (err) {
    if (state.selected === id) $('#thread-title').textContent = `Could not open: ${message(err)}`;
  }
  loadContext(id);
}

$('#back').addEventListener('click', () => {
  $('#layout').classList.remove('thread-open');
  const li = document.querySelector(`#conversation-list li[data-id="${CSS.escape(state.selected || '')}"] button`);
  if (li) li.focus();
});

function renderThreadHead() {
  const c = state.thread.conversation;
  $('#thread-title').textContent = c.subject || '(no subject)';
  const bits = [c.status, who(c), c.channel, c.assignee_id ? `assigned to ${assigneeName(c.assignee_id)}` : 'unassigned'];
  if (c.tags && c.tags.length) bits.push(`tags: ${c.tags.join(', ')}`);
  if (c.rating) bits.push(`rated ${c.rating.score ?? c.rating}/5`);
  $('#thread-meta').textContent = bits.filter(Boolean).join(' · ');
  const closed = c.status === 'closed';
  $('#close').hidden = closed;
  $('#reopen').hidden = !closed;
  const me = session.staff;
  $('#assign-me').hidden = !!(me && c.assignee_id === me.id);
  $('#send').disabled = closed;
}

function renderMessages() {
  const box = $('#messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const list = [...state.thread.messages.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) ||
    (a.created_at || '').localeCompare(b.created_at || ''));
  fill(box, list.map(renderMessage));
  if (atBottom || box.dataset.id !== state.thread.conversation.id) box.scrollTop = box.scrollHeight;
  box.dataset.id = state.thread.conversation.id;
}

// Keep the newest message in view when the window changes size (a phone
// turned, the keyboard shown).
new ResizeObserver(() => {
  const box = $('#messages');
  if (box.dataset.atBottom !== 'false') box.scrollTop = box.scrollHeight;
}).observe($('#messages'));
$('#messages').addEventListener('scroll', (ev) => {
  const box = ev.target;
  box.dataset.atBottom = String(box.scrollHeight - box.scrollTop - box.clientHeight < 40);
});

function renderMessage(m) {
  const label = m.internal ? 'Internal note' : { customer: 'Customer', agent: 'Agent', bot: 'Bot' }[m.author] || m.author;
  const by = m.author === 'agent' && m.author_id ? `${label} · ${assigneeName(m.author_id)}` : label;
  return h('li', { class: `message ${m.author}${m.internal ? ' internal' : ''}`, dataset: { id: m.id } },
    h('div', { class: 'by' }, h('span', { text: by }), ' · ', h('time', { datetime: m.created_at, text: when(m.created_at) })),
    h('p', { class: 'body', text: m.body }),
    m.order ? h('p', { class: 'extra', text: `Order ${m.order.number}: ${m.order.status}, ${m.order.fulfillment_status}` }) : null,
    (m.suggestions || []).length ? h('ul', { class: 'extra' }, m.suggestions.map((s) => h('li', { text: s.title }))) : null);
}

/** Marks the open conversation read up to its last message. */
function markRead() {
  const t = state.thread;
  if (!t || document.visibilityState !== 'visible') return;
  const seq = Math.max(0, ...[...t.messages.values()].map((m) => m.seq || 0));
  if (!seq || seq <= (t.readSeq || 0)) return;
  t.readSeq = seq;
  const id = t.conversation.id;
  session.request('POST', `${ADMIN}/conversations/${encodeURIComponent(id)}/read`, { seq }).catch(() => {});
  const c = state.conversations.get(id);
  if (c && unread(c)) {
    c.unread = 0;
    renderList();
  }
}
document.addEventListener('visibilitychange', markRead);

// ---- the agent's actions --------------------------------------------------

async function act(path, body) {
  const id = state.selected;
  $('#reply-error').textContent = '';
  try {
    const res = await session.request('POST', `${ADMIN}/conversations/${encodeURIComponent(id)}${path}`, body);
    return res;
  } catch (err) {
    $('#reply-error').textContent = message(err);
    return null;
  }
}

function applyConversation(res) {
  const c = res && (res.conversation || (res.id && res.status ? res : null));
  if (c) upsertConversation(c);
}

$('#assign-me').addEventListener('click', async () => {
  const me = session.staff;
  if (me) applyConversation(await act('/assign', { staff_id: me.id }));
});
$('#close').addEventListener('click', async () => applyConversation(await act('/close')));
$('#reopen').addEventListener('click', async () => applyConversation(await act('/reopen')));

$('#reply-internal').addEventListener('change', (ev) => {
  $('#reply-form').classList.toggle('internal', ev.target.checked);
  $('#send').textContent = ev.target.checked ? 'Add note' : 'Send';
});

$('#canned').addEventListener('change', (ev) => {
  const r = state.canned.find((x) => x.id === ev.target.value);
  const box = $('#reply-body');
  // A canned reply is sent by id, so the server fills in its placeholders
  // ({{first_name}}, {{order_number}}); the box shows what will go.
  box.disabled = !!r;
  box.placeholder = r ? r.body : 'Write a reply… (Ctrl+Enter sends)';
  if (r) box.value = '';
});

$('#reply-body').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
    ev.preventDefault();
    $('#reply-form').requestSubmit();
  }
});

$('#reply-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const box = $('#reply-body');
  const canned = $('#canned').value;
  const internal = $('#reply-internal').checked;
  const body = box.value.trim();
  if (!canned && !body) {
    $('#reply-error').textContent = 'Write a reply first.';
    return;
  }
  $('#send').disabled = true;
  const res = await act('/messages', canned ? { canned_reply_id: canned, internal } : { body, internal });
  $('#send').disabled = state.thread && state.thread.conversation.status === 'closed';
  if (!res) return;
  const m = res.message || res;
  if (m && m.id && state.thread && m.conversation_id === state.thread.conversation.id) {
    state.thread.messages.set(m.id, m);
    renderMessages();
  }
  box.value = '';
  if (canned) {
    $('#canned').value = '';
    $('#canned').dispatchEvent(new Event('change'));
  }
  box.focus();
});

// ---- side data ------------------------------------------------------------

async function loadContext(id) {
  const aside = $('#context');
  try {
    const ctx = await session.request('GET', `${ADMIN}/conversations/${encodeURIComponent(id)}/context`);
    if (state.selected !== id) return;
    aside.hidden = false;
    const cu = ctx.customer;
    fill($('#customer'), cu
      ? h('dl', {},
        h('dt', { text: 'Name' }), h('dd', { text: [cu.first_name, cu.last_name].filter(Boolean).join(' ') || '—' }),
        h('dt', { text: 'E-mail' }), h('dd', { text: cu.email || '—' }),
        cu.created_at ? [h('dt', { text: 'Since' }), h('dd', { text: when(cu.created_at) })] : null,
        cu.order_count !== undefined ? [h('dt', { text: 'Orders' }), h('dd', { text: cu.order_count })] : null,
        cu.total_spent ? [h('dt', { text: 'Spent' }), h('dd', { text: money(cu.total_spent) })] : null)
      : h('p', { class: 'muted', text: `Guest${ctx.email ? ` · ${ctx.email}` : ''}` }));
    const orders = ctx.recent_orders || ctx.orders || [];
    fill($('#orders'), orders.length ? orders.map((o) => h('li', {},
      h('strong', { text: o.number || o.id }), ' ',
      h('span', { text: [o.status, o.fulfillment_status, money(o.total)].filter(Boolean).join(' · ') }),
      h('div', { class: 'muted', text: when(o.created_at) })))
      : h('li', { class: 'muted', text: 'No orders.' }));
    const prev = (ctx.previous_conversations || []).filter((c) => c.id !== id);
    fill($('#previous'), prev.length ? prev.map((c) => h('li', {},
      h('button', { type: 'button', class: 'link', text: c.subject || '(no subject)', onclick: () => openConversation(c.id) }),
      h('div', { class: 'muted', text: `${c.status} · ${when(c.created_at)}` })))
      : h('li', { class: 'muted', text: 'None.' }));
  } catch (err) {
    if (state.selected !== id) return;
    aside.hidden = false;
    fill($('#customer'), h('p', { class: 'error', text: `Could not load the customer: ${message(err)}` }));
    fill($('#orders'));
    fill($('#previous'));
  }
}

async function loadCanned() {
  try {
    const page = await session.request('GET', `${ADMIN}/canned-replies?limit=100`);
    state.canned = page.data || [];
  } catch {
    state.canned = [];
  }
  fill($('#canned'), h('option', { value: '', text: 'Canned reply…' }),
    state.canned.map((r) => h('option', { value: r.id, text: r.title })));
}

// ---- misc -----------------------------------------------------------------

function showConnection(s, detail) {
  const el = $('#connection');
  el.textContent = s === 'live' ? 'live' : detail || s;
  el.classList.toggle('live', s === 'live');
}

function message(err) {
  if (err instanceof ApiError) {
    const field = err.errors && err.errors[0];
    return field ? `${field.field}: ${field.message}` : err.message;
  }
  return 'The server cannot be reached.';
}

if (session.signedIn) start();
else showSignIn();
