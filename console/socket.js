// InboxSocket holds the agent inbox WebSocket (/v1/admin/support/ws): it
// authenticates with the first frame (a browser cannot set headers on a
// WebSocket, and a token never goes in the URL), keeps the connection alive
// with application pings, and reconnects with exponential backoff and
// jitter. After every (re)connection it calls onConnected, which reloads the
// inbox over REST: whatever happened while the socket was down is picked up
// there, and frames arriving meanwhile are merged by id.

const PING_EVERY = 20000; // ms
const SILENCE_LIMIT = 50000; // no frame at all for this long: the link is dead
const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 30000;

export class InboxSocket {
  /**
   * @param {{token: () => Promise<string>, refresh: () => Promise<void>,
   *   onFrame: (f: object) => void, onState: (s: string, detail?: string) => void,
   *   onConnected: () => void}} opts
   */
  constructor(opts) {
    this.opts = opts;
    this.ws = null;
    this.stopped = true;
    this.attempt = 0;
    this.timer = null;
    this.pinger = null;
    this.lastFrame = 0;
    this.openedAt = 0;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'signed out');
    }
    this.opts.onState('offline');
  }

  async connect() {
    if (this.stopped) return;
    this.opts.onState('connecting');
    let token;
    try {
      token = await this.opts.token();
    } catch {
      return; // signed out: the session handler takes over
    }
    if (this.stopped) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/admin/support/ws`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      this.lastFrame = this.openedAt = Date.now();
      this.opts.onState('live');
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.heartbeat(ws), PING_EVERY);
      this.opts.onConnected();
    };
    ws.onmessage = (ev) => {
      this.lastFrame = Date.now();
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      if (frame && frame.type !== 'pong') this.opts.onFrame(frame);
    };
    ws.onclose = (ev) => this.closed(ws, ev.code);
  }

  heartbeat(ws) {
    if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastFrame > SILENCE_LIMIT) {
      ws.close(4000, 'no answer to pings');
      return;
    }
    ws.send(JSON.stringify({ type: 'ping' }));
  }

  /** Tells the server the agent has read a conversation up to seq. */
  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  async closed(ws, code) {
    if (ws !== this.ws) return; // replaced or stopped
    this.ws = null;
    clearInterval(this.pinger);
    if (this.stopped) return;
    if (code === 4403) {
      this.stopped = true;
      this.opts.onState('offline', 'Your role cannot use the support inbox.');
      return;
    }
    if (code === 4401) {
      // The access token expired or was revoked: refresh, then reconnect.
      try {
        await this.opts.refresh();
      } catch {
        this.stopped = true;
        return;
      }
    }
    // A connection that lived a while was good: start the backoff afresh.
    if (Date.now() - this.openedAt > 10000) this.attempt = 0;
    this.attempt++;
    let delay = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** (this.attempt - 1));
    if (code === 4429) delay = BACKOFF_MAX; // too many sockets: do not hammer
    delay = delay / 2 + Math.random() * (delay / 2);
    this.opts.onState('offline', `Reconnecting in ${Math.round(delay / 1000)} s`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
