// The console's HTTP client: the staff member's session (tokens in
// sessionStorage, so they end with the tab) and JSON requests to the public
// API that refresh an expired access token once, transparently.

const KEY = 'storekeep.console.session';

/** An answer that was not 2xx, with the problem+json fields when there are some. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.code = problem && problem.code;
    this.errors = (problem && problem.errors) || [];
  }
}

export class Session {
  constructor(onSignedOut) {
    this.onSignedOut = onSignedOut;
    this.refreshing = null;
    try {
      this.data = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    } catch {
      this.data = null;
    }
  }

  get signedIn() { return !!(this.data && this.data.access_token); }
  get staff() { return this.data && this.data.staff; }

  save(tokens, staff) {
    this.data = {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      // A little early, so a request never leaves with a token about to die.
      expires_at: Date.now() + (tokens.expires_in - 30) * 1000,
      staff: staff || (this.data && this.data.staff),
    };
    sessionStorage.setItem(KEY, JSON.stringify(this.data));
  }

  clear() {
    this.data = null;
    sessionStorage.removeItem(KEY);
  }

  async signIn(email, password) {
    const res = await call('POST', '/v1/auth/staff/login', { email, password });
    this.save(res, res.staff);
    return res.staff;
  }

  async signOut() {
    const refresh = this.data && this.data.refresh_token;
    this.clear();
    if (refresh) {
      // Revokes the refresh token's family; the answer does not matter.
      await call('POST', '/v1/auth/logout', { refresh_token: refresh }).catch(() => {});
    }
  }

  /** A valid access token, refreshed first when it has expired. */
  async token() {
    if (!this.data) throw new ApiError(401, { detail: 'signed out' });
    if (Date.now() >= this.data.expires_at) await this.refresh();
    return this.data.access_token;
  }

  /**
   * Trades the refresh token for a new pair. Refreshes are serialized: the
   * server treats a second use of one refresh token as theft and revokes the
   * whole session, so concurrent callers share one request.
   */
  refresh() {
    if (!this.refreshing) {
      const rt = this.data && this.data.refresh_token;
      this.refreshing = (async () => {
        try {
          if (!rt) throw new ApiError(401, { detail: 'signed out' });
          this.save(await call('POST', '/v1/auth/refresh', { refresh_token: rt }));
        } catch (err) {
          if (err.status === 401 || err.status === 400 || err.status === 422) {
            this.clear();
            this.onSignedOut('Your session has ended: please sign in again.');
          }
          throw err;
        } finally {
          this.refreshing = null;
        }
      })();
    }
    return this.refreshing;
  }

  /** An authenticated JSON request; a 401 refreshes the token and retries once. */
  async request(method, path, body) {
    const first = await this.token();
    try {
      return await call(method, path, body, first);
    } catch (err) {
      if (err.status !== 401) throw err;
      // Someone else may have refreshed meanwhile; otherwise refresh now.
      if (this.data && this.data.access_token === first) await this.refresh();
      return call(method, path, body, await this.token());
    }
  }
}

async function call(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}
