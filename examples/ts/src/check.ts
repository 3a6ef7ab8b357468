// Totals checks shared by the journeys: every figure of a cart or an order
// must add up the way the API defines it (docs/checkout.md, "Totals").
import type { Schemas } from "@storekeep/client";
import { amountOf, currencyOf } from "./money.js";

type Money = Schemas["Money"];

/** Checker collects the mismatches found along the journeys, so one run reports all of them. */
export class Checker {
  checks = 0;
  readonly failures: string[] = [];

  /** that records a check; message describes the failure. */
  that(ok: boolean, message: string): void {
    this.checks++;
    if (!ok) {
      this.failures.push(message);
    }
  }

  /** equal records a check that got equals want. */
  equal(what: string, got: number, want: number): void {
    this.that(got === want, `${what}: got ${got}, want ${want}`);
  }

  /** minor returns m's amount in minor units, recording a failure if the server left it out. */
  minor(what: string, m: Money): number {
    const a = amountOf(m);
    if (a === undefined) {
      this.that(false, `${what}: amount missing`);
      return 0;
    }
    return a;
  }

  /** money checks that m is in currency. */
  money(what: string, currency: string, m: Money): void {
    this.that(currencyOf(m) === currency, `${what}: currency ${currencyOf(m)}, want ${currency}`);
  }

  /**
   * addUp checks that t's figures add up the way the API defines them:
   *
   *   line subtotal = unit price × quantity; subtotal = Σ line subtotals
   *   discount_total = Σ applied codes = Σ line discounts (no free-shipping code here)
   *   line tax = (line subtotal − line discount) × rate, per line, rounded half away from zero
   *   tax_total = Σ tax lines; items' tax line = Σ line taxes
   *   line total = subtotal − discount (+ tax when prices exclude it)
   *   total = subtotal − discount + shipping (+ tax_total when prices exclude it)
   *
   * and that every amount is in the cart's currency.
   */
  addUp(what: string, t: Totals): void {
    const cur = t.currency;
    this.money(`${what} subtotal`, cur, t.subtotal);
    this.money(`${what} discount_total`, cur, t.discount_total);
    this.money(`${what} shipping_total`, cur, t.shipping_total);
    this.money(`${what} tax_total`, cur, t.tax_total);
    this.money(`${what} total`, cur, t.total);
    const sub = this.minor(`${what} subtotal`, t.subtotal);
    const disc = this.minor(`${what} discount_total`, t.discount_total);
    const ship = this.minor(`${what} shipping_total`, t.shipping_total);
    const tax = this.minor(`${what} tax_total`, t.tax_total);
    const inclusive = t.tax_inclusive;
    const itemsLine = t.tax_lines.find((tl) => tl.applies_to === "items");
    const rate = itemsLine?.rate ?? 0;

    let lineSubs = 0;
    let lineDiscs = 0;
    let lineTaxes = 0;
    for (const l of t.items) {
      const lw = `${what} line ${l.sku}`;
      this.money(`${lw} unit_price`, cur, l.unit_price);
      const ls = this.minor(`${lw} subtotal`, l.subtotal);
      const ld = this.minor(`${lw} discount_total`, l.discount_total);
      const lt = this.minor(`${lw} tax_total`, l.tax_total);
      this.equal(`${lw} subtotal = unit_price × quantity`, ls, this.minor(`${lw} unit_price`, l.unit_price) * l.quantity);
      this.equal(`${lw} tax_total at the region's rate`, lt, taxOn(ls - ld, rate, inclusive));
      this.equal(`${lw} total = subtotal − discount${plusTax(inclusive)}`, this.minor(`${lw} total`, l.total),
        ls - ld + (inclusive ? 0 : lt));
      lineSubs += ls;
      lineDiscs += ld;
      lineTaxes += lt;
    }
    this.equal(`${what} subtotal = Σ line subtotals`, sub, lineSubs);
    this.equal(`${what} discount_total = Σ line discounts`, disc, lineDiscs);
    this.equal(`${what} discount_total = Σ applied codes`, disc,
      t.discounts.reduce((n, d) => n + this.minor(`${what} discount ${d.code}`, d.amount), 0));

    let taxLines = 0;
    let itemTax = 0;
    for (const tl of t.tax_lines) {
      const a = this.minor(`${what} tax line`, tl.amount);
      taxLines += a;
      if (tl.applies_to === "items") {
        itemTax += a;
      } else {
        this.equal(`${what} shipping tax line at the region's rate`, a, taxOn(ship, tl.rate, inclusive));
      }
    }
    this.equal(`${what} tax_total = Σ tax lines`, tax, taxLines);
    this.equal(`${what} items' tax line = Σ line taxes`, itemTax, lineTaxes);
    this.equal(`${what} total = subtotal − discount + shipping${plusTax(inclusive)}`,
      this.minor(`${what} total`, t.total), sub - disc + ship + (inclusive ? 0 : tax));
  }

  /** sameTotals checks that the order kept the cart's figures exactly. */
  sameTotals(cart: Totals, order: Totals): void {
    const names: MoneyField[] = ["subtotal", "discount_total", "shipping_total", "tax_total", "total"];
    for (const name of names) {
      this.equal(`order ${name} = cart's`, this.minor(`order ${name}`, order[name]), this.minor(`cart ${name}`, cart[name]));
    }
    this.that(order.tax_inclusive === cart.tax_inclusive, "order tax_inclusive differs from the cart's");
  }

  /** verdict prints the result and tells whether every check passed. */
  verdict(): boolean {
    if (this.failures.length === 0) {
      console.log(`all ${this.checks} checks passed`);
      return true;
    }
    for (const f of this.failures) {
      console.log("MISMATCH", f);
    }
    console.error(`${this.failures.length} of ${this.checks} checks failed`);
    return false;
  }
}

/** MoneyField names the totals a cart and an order share. */
type MoneyField = "subtotal" | "discount_total" | "shipping_total" | "tax_total" | "total";

/** Totals are the figures a cart and an order share (both schemas have them under these names). */
export type Totals = Pick<Schemas["Cart"] & Schemas["Order"], "currency" | "tax_inclusive" | MoneyField> & {
  items: Line[];
  discounts: { code: string; amount: Money }[];
  tax_lines: Schemas["TaxLine"][];
};

/** Line is what a cart line and an order line share. */
type Line = Pick<Schemas["CartItem"] & Schemas["OrderItem"], "sku" | "quantity" | "unit_price" | "subtotal"
  | "discount_total" | "tax_total" | "total">;

/** taxOn is the tax on amount at rate (basis points): contained in it when prices include tax, due on top otherwise. */
export function taxOn(amount: number, rate: number, inclusive: boolean): number {
  return roundDiv(amount * rate, inclusive ? 10000 + rate : 10000);
}

/** percentOf is bp basis points of amount, rounded half away from zero. */
export function percentOf(amount: number, bp: number): number {
  return roundDiv(amount * bp, 10000);
}

/** roundDiv is n/d rounded half away from zero, for n ≥ 0 and d > 0 (integers). */
function roundDiv(n: number, d: number): number {
  return Math.floor((2 * n + d) / (2 * d));
}

function plusTax(inclusive: boolean): string {
  return inclusive ? " (tax included)" : " + tax";
}
