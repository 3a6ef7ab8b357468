// Starts and stops `storekeep serve --demo` for the browser test: the binary
// built from this checkout (or $STOREKEEP_BIN), a fresh SQLite file in a
// temporary directory, a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startServer(logPath) {
  const dir = mkdtempSync(join(tmpdir(), 'storekeep-console-'));
  let bin = process.env.STOREKEEP_BIN;
  if (!bin) {
    bin = join(dir, 'storekeep');
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: repo, stdio: 'inherit' });
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const log = createWriteStream(logPath, { flags: attempt === 1 ? 'w' : 'a' });
    const child = spawn(bin, ['serve', '--demo', '--addr', `127.0.0.1:${port}`,
      '--database-url', `sqlite:${join(dir, 'console.db')}`], {
      env: { ...process.env, STOREKEEP_LOG_FORMAT: 'text', STOREKEEP_ACCESS_LOG: 'errors' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let exited = false;
    child.stdout.on('data', (b) => { out += b; log.write(b); });
    child.stderr.on('data', (b) => { out += b; log.write(b); });
    child.on('exit', () => { exited = true; });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline && !exited) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok && !exited) {
          return {
            url, pid: child.pid, output: () => out,
            stop: () => stop(child, dir, log),
          };
        }
      } catch { /* not up yet */ }
      await sleep(250);
    }
    if (!exited) {
      await stop(child, dir, log);
      throw new Error(`the server did not come up within a minute; log in ${logPath}`);
    }
    log.end();
    // A port found free can be taken before the server binds it: retry.
    if (!/address already in use/.test(out)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the server exited:\n${out.slice(-3000)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('no free port after 3 tries');
}

// stop ends the server by its PID: TERM, then KILL if it lingers.
async function stop(child, dir, log) {
  if (child.exitCode === null && child.signalCode === null) {
    const done = new Promise((r) => child.once('exit', r));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10000);
    await done;
    clearTimeout(timer);
  }
  log.end();
  rmSync(dir, { recursive: true, force: true });
}

/** The demo's support agent login, as `serve --demo` prints it. */
export function supportLogin(output) {
  // "  support agent  support@skincare.test / demo-support-password   POST ..."
  for (const line of output.split('\n')) {
    const m = /^\s+support agent\s+(\S+@\S+)\s+\/\s+(\S+)/.exec(line);
    if (m) return { email: m[1], password: m[2] };
  }
  return null;
}


/** The demo's admin login (a manager and more), as `serve --demo` prints it. */
export function adminLogin(output) {
  // "  staff admin    admin@skincare.test / demo-admin-password   POST ..."
  for (const line of output.split('\n')) {
    const m = /^\s+staff admin\s+(\S+@\S+)\s+\/\s+(\S+)/.exec(line);
    if (m) return { email: m[1], password: m[2] };
  }
  return null;
}
