/**
 * The Storekeep API client for TypeScript.
 *
 * The types come from openapi.yaml (`npm run generate` writes src/schema.d.ts
 * with openapi-typescript); requests are made by openapi-fetch, which checks
 * paths, parameters, bodies and answers against those types at compile time
 * and adds nothing at run time beyond `fetch`.
 */
import createClient from "openapi-fetch";
import type { Client, ClientOptions, Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

/** Schemas are the API's named shapes: `Schemas["Cart"]`, `Schemas["Money"]`, ... */
export type Schemas = components["schemas"];

/** StorekeepClient is an openapi-fetch client typed by the Storekeep contract. */
export type StorekeepClient = Client<paths>;

/** StorekeepClientOptions are the settings of createStorekeepClient. */
export interface StorekeepClientOptions {
  /**
   * A customer or staff access token (from the /v1/auth routes) or a secret
   * API key (`sk_...`), sent as `Authorization: Bearer <token>` on every
   * request. Without it the client is a guest.
   */
  token?: string;
  /** Headers sent on every request (for example `X-Publishable-Key`). */
  headers?: ClientOptions["headers"];
  /** The fetch implementation, when the global one is not the one to use. */
  fetch?: ClientOptions["fetch"];
}

/**
 * createStorekeepClient returns a client of the Storekeep API at baseUrl
 * (the server's origin, e.g. `http://localhost:8080`: paths start with /v1).
 */
export function createStorekeepClient(
  baseUrl: string,
  options: StorekeepClientOptions = {},
): StorekeepClient {
  const clientOptions: ClientOptions = { baseUrl };
  if (options.headers !== undefined) {
    clientOptions.headers = options.headers;
  }
  if (options.fetch !== undefined) {
    clientOptions.fetch = options.fetch;
  }
  const client = createClient<paths>(clientOptions);
  if (options.token !== undefined && options.token !== "") {
    client.use(bearerAuth(options.token));
  }
  return client;
}

/**
 * bearerAuth is a middleware that authenticates every request with token.
 * It sets the header itself rather than relying on the contract's security
 * scheme, which openapi-fetch does not apply.
 */
export function bearerAuth(token: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
}
