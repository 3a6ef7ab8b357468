// The contract does not yet mark Money's amount and currency required, so
// the generated properties are optional. Every read and write of a Money
// goes through these functions, so the day the contract is exact they
// become plain property accesses here and nowhere else.
import type { Schemas } from "@storekeep/client";

type Money = Schemas["Money"];

/** amountOf returns m's amount in minor units, undefined when absent. */
export function amountOf(m: Money): number | undefined {
  return m.amount;
}

/** currencyOf returns m's currency, "" when absent. */
export function currencyOf(m: Money): string {
  return m.currency ?? "";
}

/** money builds an amount in minor units of currency. */
export function money(amount: number, currency: string): Money {
  return { amount, currency };
}

/** show formats m for the summary (two decimals, as EUR and USD have). */
export function show(m: Money): string {
  const a = amountOf(m);
  if (a === undefined) {
    return `? ${currencyOf(m)}`;
  }
  return `${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")} ${currencyOf(m)}`;
}
