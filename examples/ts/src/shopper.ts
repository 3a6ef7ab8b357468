// The shopper journey: browse, search, the product in French, register,
// cart, code, address, shipping, checkout and its replay, order history.
import { createStorekeepClient } from "@storekeep/client";
import type { Schemas, StorekeepClient } from "@storekeep/client";
import { expect } from "./answer.js";
import { Checker, percentOf } from "./check.js";
import type { Config } from "./journey.js";
import { show } from "./money.js";

/** shop runs the shopper journey and returns the order placed. */
export async function shop(cfg: Config, chk: Checker): Promise<Schemas["Order"]> {
  const guest = createStorekeepClient(cfg.baseUrl);
  const currency = "EUR";

  // Browse: the first page of the catalog, priced in euros.
  const limit = 5;
  const page = await expect("browse products", 200,
    guest.GET("/v1/store/products", { params: { query: { currency, limit } } }));
  chk.that(page.data.length > 0, "browse: the catalog is empty");
  chk.that(page.data.length <= limit, `browse: ${page.data.length} products for limit ${limit}`);
  console.log(`browse: ${page.data.length} products on the first page`);

  // Search: the product to buy is among the answers to a word of its title.
  const q = "cleanser";
  const found = await expect("search products", 200,
    guest.GET("/v1/store/products", { params: { query: { q, currency } } }));
  const hit = found.data.find((p) => p.handle === cfg.handle);
  if (hit === undefined) {
    throw new Error(`search q=${q}: ${cfg.handle} not among ${found.data.length} results`);
  }
  console.log(`search q=${q}: ${found.data.length} results, "${hit.title}" among them`);

  // The product page in French, by its handle.
  const p = await expect("product by handle", 200, guest.GET("/v1/store/products/{id_or_handle}", {
    params: { path: { id_or_handle: cfg.handle }, query: { locale: "fr", currency } },
  }));
  chk.that(p.locale === "fr", `product locale ${p.locale}, want fr`);
  chk.that(p.title !== hit.title, `product title in French "${p.title}" is the English one`);
  const variant = p.variants.find((v) => v.in_stock && v.available >= 2);
  if (variant === undefined) {
    throw new Error(`${cfg.handle}: no variant with 2 in stock`);
  }
  console.log(`product ${cfg.handle} in French: "${p.title}", variant ${variant.sku}`);

  // Register: a new customer, so the once-per-customer code applies.
  const email = `journey-ts-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const auth = await expect("register", 201, guest.POST("/v1/auth/customers/register", {
    body: { email, password: `journey-password-${crypto.randomUUID()}`, first_name: "Camille", last_name: "Martin" },
  }));
  // (string | undefined: the contract does not yet mark the tokens required.)
  const token: string | undefined = auth.access_token;
  if (token === undefined) {
    throw new Error("register: no access_token");
  }
  const customer = createStorekeepClient(cfg.baseUrl, { token });
  console.log(`registered ${email}`);

  const cart = await fillCart(cfg, customer, variant.id, chk);
  const order = await checkout(customer, cart, chk);

  // Order history: the new order is in the customer's list.
  const hist = await expect("order history", 200, customer.GET("/v1/store/orders", {}));
  chk.that(hist.data.some((o) => o.id === order.id), `order history: ${order.number} missing from ${hist.data.length} orders`);
  console.log(`order history: ${hist.data.length} order(s), ${order.number} among them`);
  return order;
}

/**
 * fillCart creates the customer's cart, adds two of the variant, applies the
 * code, sets a French address and the first shipping option, checking the
 * totals after each change.
 */
async function fillCart(cfg: Config, c: StorekeepClient, variantId: string, chk: Checker): Promise<Schemas["Cart"]> {
  const created = await expect("create cart", 201, c.POST("/v1/store/carts", { body: { currency: "EUR" } }));
  const id = created.id;
  const path = { id };

  const added = await expect("add item", 200, c.POST("/v1/store/carts/{id}/items", {
    params: { path }, body: { variant_id: variantId, quantity: 2 },
  }));
  chk.addUp("cart with an item", added);

  const coded = await expect(`apply ${cfg.code}`, 200, c.POST("/v1/store/carts/{id}/discounts", {
    params: { path }, body: { code: cfg.code },
  }));
  chk.that(coded.discounts.length === 1 && coded.discounts[0]?.code === cfg.code,
    `cart discounts: ${JSON.stringify(coded.discounts)}, want ${cfg.code}`);
  const sub = chk.minor("cart subtotal", coded.subtotal);
  chk.equal(`${cfg.code} discount = ${cfg.codePercent} bp of the subtotal`,
    chk.minor("cart discount_total", coded.discount_total), percentOf(sub, cfg.codePercent));
  chk.addUp(`cart with ${cfg.code}`, coded);

  const address: Schemas["Address"] = {
    first_name: "Camille", last_name: "Martin", line1: "12 rue de Rivoli",
    city: "Paris", postal_code: "75001", country_code: "FR",
  };
  const placed = await expect("set address", 200, c.PATCH("/v1/store/carts/{id}", {
    params: { path }, body: { shipping_address: address, billing_address: address },
  }));
  chk.that(placed.region_id !== null, "cart has no region after a French address");

  const opts = await expect("shipping options", 200, c.GET("/v1/store/carts/{id}/shipping-options", { params: { path } }));
  const opt = opts.data[0];
  if (opt === undefined) {
    throw new Error("shipping options: none for a French address");
  }
  const ready = await expect("shipping method", 200, c.POST("/v1/store/carts/{id}/shipping-method", {
    params: { path }, body: { shipping_option_id: opt.id },
  }));
  chk.equal("shipping_total = the option's price", chk.minor("cart shipping_total", ready.shipping_total),
    chk.minor("option", opt.amount));
  chk.addUp("cart ready", ready);
  console.log(`cart ${ready.id}: subtotal ${show(ready.subtotal)} − discount ${show(ready.discount_total)} + shipping `
    + `${show(ready.shipping_total)} (${opt.name}) = total ${show(ready.total)}, tax ${show(ready.tax_total)} `
    + (ready.tax_inclusive ? "included" : "added"));
  return ready;
}

/**
 * checkout places the order with a fresh Idempotency-Key, then sends the same
 * request again: the replay must answer the same order, marked replayed.
 */
async function checkout(c: StorekeepClient, cart: Schemas["Cart"], chk: Checker): Promise<Schemas["Order"]> {
  const body: Schemas["CheckoutRequest"] = { payment: { provider: "test", method: "card", token: "tok_visa" } };
  const params = { path: { id: cart.id }, header: { "Idempotency-Key": `journey-${crypto.randomUUID()}` } };
  const first = await c.POST("/v1/store/carts/{id}/checkout", { params, body });
  const placed = await expect("checkout", 201, Promise.resolve(first));
  // 201 is the order; a payment that needs the shopper (3-D Secure, a
  // redirect) would be 202 with a next action instead, which tok_visa never is.
  if (!("order" in placed)) throw new Error(`checkout: payment needs the shopper (${placed.next_action.type})`);
  const order = placed.order;
  chk.that(!replayed(first.response), "first checkout answer is marked replayed");
  chk.that(order.status === "confirmed", `order status ${order.status}, want confirmed`);
  chk.that(order.payment_status === "authorized", `payment status ${order.payment_status}, want authorized`);
  chk.addUp("order", order);
  chk.sameTotals(cart, order);

  const again = await c.POST("/v1/store/carts/{id}/checkout", { params, body });
  const replay = await expect("checkout replay", 201, Promise.resolve(again));
  if (!("order" in replay)) throw new Error("checkout replay: answered a next action, want the order");
  chk.that(replayed(again.response), "replayed checkout lacks Idempotent-Replayed: true");
  chk.that(replay.order.id === order.id && replay.order.number === order.number,
    `replay answered order ${replay.order.number}, want ${order.number}`);
  console.log(`checkout: order ${order.number}, total ${show(order.total)}; replay with the same key: `
    + `order ${replay.order.number}, Idempotent-Replayed ${replayed(again.response)}`);
  return order;
}

/** replayed tells whether an answer carries Idempotent-Replayed: true. */
function replayed(res: Response): boolean {
  return res.headers.get("Idempotent-Replayed") === "true";
}
