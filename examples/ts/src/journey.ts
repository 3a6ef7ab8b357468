// A shopper and a staff journey through a Storekeep server with the
// TypeScript client only (@storekeep/client), as an integrator would: a
// shopper browses, searches, reads a product in French, registers, fills a
// cart, applies the WELCOME15 code, gives an address, picks shipping and
// checks out with an Idempotency-Key (then replays it); staff fulfil, ship
// and partly refund the order. Every total is checked on the way; any
// mismatch exits 1.
//
//   STOREKEEP_URL=http://127.0.0.1:8080 node dist/journey.js
//
// It expects the demo shop (`storekeep serve --demo`): its products, its
// WELCOME15 code, the test payment provider and the demo admin login.
import { Checker } from "./check.js";
import { shop } from "./shopper.js";
import { manage } from "./staff.js";

/** Config is what the journey needs to know about the server. */
export interface Config {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** The product the shopper buys. */
  handle: string;
  /** The percentage code the shopper applies, and its percentage in basis points. */
  code: string;
  codePercent: number;
}

const env = process.env;
const config: Config = {
  baseUrl: env["STOREKEEP_URL"] ?? "http://localhost:8080",
  adminEmail: env["STOREKEEP_ADMIN_EMAIL"] ?? "admin@skincare.test",
  adminPassword: env["STOREKEEP_ADMIN_PASSWORD"] ?? "demo-admin-password",
  handle: "gentle-foaming-cleanser",
  code: "WELCOME15",
  codePercent: 1500,
};

async function main(): Promise<boolean> {
  const chk = new Checker();
  const order = await shop(config, chk);
  await manage(config, order, chk);
  return chk.verdict();
}

main().then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (err: unknown) => {
    console.error("journey:", err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
