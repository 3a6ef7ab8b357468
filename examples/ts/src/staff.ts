// The staff journey on the shopper's order: staff login, fulfil every line
// (which captures the payment), ship, refund a third.
import { createStorekeepClient } from "@storekeep/client";
import type { Schemas, StorekeepClient } from "@storekeep/client";
import { expect } from "./answer.js";
import type { Checker } from "./check.js";
import type { Config } from "./journey.js";
import { money, show } from "./money.js";

/** manage runs the staff journey on order. */
export async function manage(cfg: Config, order: Schemas["Order"], chk: Checker): Promise<void> {
  const guest = createStorekeepClient(cfg.baseUrl);
  const auth = await expect("staff login", 200, guest.POST("/v1/auth/staff/login", {
    body: { email: cfg.adminEmail, password: cfg.adminPassword },
  }));
  // (string | undefined: the contract does not yet mark the tokens required.)
  const token: string | undefined = auth.access_token;
  if (token === undefined) {
    throw new Error("staff login: no access_token");
  }
  const staff = createStorekeepClient(cfg.baseUrl, { token });
  console.log(`staff login: ${cfg.adminEmail}`);
  const path = { id: order.id };

  // Fulfil every line from the default warehouse, then ship.
  const ful = await expect("fulfil", 201, staff.POST("/v1/admin/orders/{id}/fulfillments", {
    params: { path, header: { "Idempotency-Key": `journey-fulfil-${crypto.randomUUID()}` } },
    body: { items: order.items.map((it) => ({ item_id: it.id, quantity: it.quantity })) },
  }));
  const tracking = `6A${crypto.randomUUID().replaceAll("-", "").slice(0, 11).toUpperCase()}`;
  const shipped = await expect("ship", 200, staff.POST("/v1/admin/orders/{id}/fulfillments/{fid}/ship", {
    params: { path: { id: order.id, fid: ful.id } },
    body: { carrier: "colissimo", tracking_number: tracking },
  }));
  chk.that(shipped.status === "shipped", `fulfillment status ${shipped.status}, want shipped`);

  const after = await getOrder(staff, order.id);
  chk.that(after.fulfillment_status === "shipped", `order fulfillment status ${after.fulfillment_status}, want shipped`);
  chk.that(after.payment_status === "captured", `payment status ${after.payment_status} after full fulfilment, want captured`);
  console.log(`fulfilled and shipped ${order.number} (tracking ${shipped.tracking_number}): `
    + `${after.fulfillment_status}, payment ${after.payment_status}`);

  // Refund a third of the total.
  const total = chk.minor("order total", after.total);
  const part = Math.floor(total / 3);
  const amount = money(part, after.currency);
  const refund = await expect("refund", 201, staff.POST("/v1/admin/orders/{id}/refunds", {
    params: { path, header: { "Idempotency-Key": `journey-refund-${crypto.randomUUID()}` } },
    body: { amount, reason: "one bottle arrived damaged" },
  }));
  chk.equal("refund amount", chk.minor("refund amount", refund.amount), part);
  chk.that(refund.order_id === order.id, `refund is for order ${refund.order_id}, want ${order.id}`);

  const refunded = await getOrder(staff, order.id);
  chk.that(refunded.payment_status === "partially_refunded",
    `payment status ${refunded.payment_status} after a partial refund, want partially_refunded`);
  chk.equal("order total unchanged by the refund", chk.minor("order total", refunded.total), total);
  const list = await expect("list refunds", 200, staff.GET("/v1/admin/orders/{id}/refunds", { params: { path } }));
  chk.equal("order's refunds add up to the refund", list.data.reduce((n, r) => n + chk.minor("refund", r.amount), 0), part);
  console.log(`refunded ${show(amount)} of ${show(refunded.total)}: payment ${refunded.payment_status}, `
    + `${list.data.length} refund(s) on the order`);
}

/** getOrder reads an order as staff. */
function getOrder(staff: StorekeepClient, id: string): Promise<Schemas["Order"]> {
  return expect("get order", 200, staff.GET("/v1/admin/orders/{id}", { params: { path: { id } } }));
}
