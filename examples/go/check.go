package main

import (
	"fmt"
	"io"
	"strings"

	storekeep "storekeep/clients/go"
)

// checker collects the mismatches found along the journeys, so one run
// reports all of them.
type checker struct {
	checks   int
	failures []string
}

// equal records a check that got equals want.
func (c *checker) equal(what string, got, want int) {
	c.that(got == want, "%s: got %d, want %d", what, got, want)
}

// that records a check; format and args describe the failure.
func (c *checker) that(ok bool, format string, args ...any) {
	c.checks++
	if !ok {
		c.failures = append(c.failures, fmt.Sprintf(format, args...))
	}
}

// minor returns m's amount in minor units, recording a failure if the
// server left it out.
func (c *checker) minor(what string, m storekeep.Money) int {
	a, ok := amountOf(m)
	if !ok {
		c.that(false, "%s: amount missing", what)
	}
	return a
}

// verdict prints the result and returns an error if any check failed.
func (c *checker) verdict(out io.Writer) error {
	if len(c.failures) == 0 {
		fmt.Fprintf(out, "all %d checks passed\n", c.checks)
		return nil
	}
	for _, f := range c.failures {
		fmt.Fprintln(out, "MISMATCH", f)
	}
	return fmt.Errorf("%d of %d checks failed", len(c.failures), c.checks)
}

// line is what a cart line and an order line share.
type line struct {
	sku                                  string
	quantity                             int
	unit, subtotal, discount, tax, total storekeep.Money
}

// taxLine is one line of a tax breakdown.
type taxLine struct {
	onShipping bool // else on the items
	rate       int  // basis points
	amount     storekeep.Money
}

// totals are the figures a cart and an order share.
type totals struct {
	currency                                 string
	taxInclusive                             bool
	subtotal, discount, shipping, tax, total storekeep.Money
	codes                                    []storekeep.Money // each applied code's amount
	lines                                    []line
	taxLines                                 []taxLine
}

func cartTotals(ct *storekeep.Cart) totals {
	t := totals{currency: ct.Currency, taxInclusive: ct.TaxInclusive, subtotal: ct.Subtotal,
		discount: ct.DiscountTotal, shipping: ct.ShippingTotal, tax: ct.TaxTotal, total: ct.Total}
	for _, d := range ct.Discounts {
		t.codes = append(t.codes, d.Amount)
	}
	for _, it := range ct.Items {
		t.lines = append(t.lines, line{it.Sku, it.Quantity, it.UnitPrice, it.Subtotal, it.DiscountTotal, it.TaxTotal, it.Total})
	}
	for _, tl := range ct.TaxLines {
		t.taxLines = append(t.taxLines, taxLine{tl.AppliesTo == storekeep.TaxLineAppliesToShipping, tl.Rate, tl.Amount})
	}
	return t
}

func orderTotals(o *storekeep.Order) totals {
	t := totals{currency: o.Currency, taxInclusive: o.TaxInclusive, subtotal: o.Subtotal,
		discount: o.DiscountTotal, shipping: o.ShippingTotal, tax: o.TaxTotal, total: o.Total}
	for _, d := range o.Discounts {
		t.codes = append(t.codes, d.Amount)
	}
	for _, it := range o.Items {
		t.lines = append(t.lines, line{it.Sku, it.Quantity, it.UnitPrice, it.Subtotal, it.DiscountTotal, it.TaxTotal, it.Total})
	}
	for _, tl := range o.TaxLines {
		t.taxLines = append(t.taxLines, taxLine{tl.AppliesTo == storekeep.OrderTaxLineAppliesToShipping, tl.Rate, tl.Amount})
	}
	return t
}

// addUp checks that t's figures add up the way the API defines them:
//
//	line subtotal = unit price × quantity; subtotal = Σ line subtotals
//	discount_total = Σ applied codes = Σ line discounts (no free-shipping code here)
//	line tax = (line subtotal − line discount) × rate, per line, rounded half away from zero
//	tax_total = Σ tax lines; items' tax line = Σ line taxes
//	line total = subtotal − discount (+ tax when prices exclude it)
//	total = subtotal − discount + shipping (+ tax_total when prices exclude it)
//
// and that every amount is in the cart's currency.
func (c *checker) addUp(what string, t totals) {
	c.money(what+" subtotal", t.currency, t.subtotal)
	c.money(what+" discount_total", t.currency, t.discount)
	c.money(what+" shipping_total", t.currency, t.shipping)
	c.money(what+" tax_total", t.currency, t.tax)
	c.money(what+" total", t.currency, t.total)
	sub, disc := c.minor(what+" subtotal", t.subtotal), c.minor(what+" discount_total", t.discount)
	ship, tax := c.minor(what+" shipping_total", t.shipping), c.minor(what+" tax_total", t.tax)

	var lineSubs, lineDiscs, lineTaxes int
	rate := c.itemsRate(what, t.taxLines)
	for _, l := range t.lines {
		lw := what + " line " + l.sku
		c.money(lw+" unit_price", t.currency, l.unit)
		ls, ld, lt := c.minor(lw+" subtotal", l.subtotal), c.minor(lw+" discount_total", l.discount), c.minor(lw+" tax_total", l.tax)
		c.equal(lw+" subtotal = unit_price × quantity", ls, c.minor(lw+" unit_price", l.unit)*l.quantity)
		c.equal(lw+" tax_total at the region's rate", lt, taxOn(ls-ld, rate, t.taxInclusive))
		c.equal(lw+" total = subtotal − discount"+plusTax(t.taxInclusive), c.minor(lw+" total", l.total), ls-ld+exclusive(lt, t.taxInclusive))
		lineSubs, lineDiscs, lineTaxes = lineSubs+ls, lineDiscs+ld, lineTaxes+lt
	}
	c.equal(what+" subtotal = Σ line subtotals", sub, lineSubs)
	c.equal(what+" discount_total = Σ line discounts", disc, lineDiscs)
	c.equal(what+" discount_total = Σ applied codes", disc, c.sum(what+" discount", t.codes))

	var taxLines, itemTax int
	for _, tl := range t.taxLines {
		a := c.minor(what+" tax line", tl.amount)
		taxLines += a
		if !tl.onShipping {
			itemTax += a
		} else {
			c.equal(what+" shipping tax line at the region's rate", a, taxOn(ship, tl.rate, t.taxInclusive))
		}
	}
	c.equal(what+" tax_total = Σ tax lines", tax, taxLines)
	c.equal(what+" items' tax line = Σ line taxes", itemTax, lineTaxes)
	c.equal(what+" total = subtotal − discount + shipping"+plusTax(t.taxInclusive),
		c.minor(what+" total", t.total), sub-disc+ship+exclusive(tax, t.taxInclusive))
}

// itemsRate is the tax rate (basis points) of the items' tax line, 0 when
// there is none (a region without tax).
func (c *checker) itemsRate(what string, tls []taxLine) int {
	for _, tl := range tls {
		if !tl.onShipping {
			return tl.rate
		}
	}
	return 0
}

// money checks that m is in currency.
func (c *checker) money(what, currency string, m storekeep.Money) {
	c.that(currencyOf(m) == currency, "%s: currency %q, want %q", what, currencyOf(m), currency)
}

// sum adds up amounts in minor units.
func (c *checker) sum(what string, ms []storekeep.Money) int {
	n := 0
	for _, m := range ms {
		n += c.minor(what, m)
	}
	return n
}

// taxOn is the tax on amount at rate (basis points): contained in it when
// prices include tax, due on top otherwise; rounded half away from zero.
func taxOn(amount, rate int, inclusive bool) int {
	if inclusive {
		return roundDiv(amount*rate, 10000+rate)
	}
	return roundDiv(amount*rate, 10000)
}

// percentOf is bp basis points of amount, rounded half away from zero.
func percentOf(amount, bp int) int { return roundDiv(amount*bp, 10000) }

// roundDiv is n/d rounded half away from zero, for n ≥ 0 and d > 0.
func roundDiv(n, d int) int { return (2*n + d) / (2 * d) }

// exclusive is tax when prices exclude it, else 0 (it is already inside).
func exclusive(tax int, inclusive bool) int {
	if inclusive {
		return 0
	}
	return tax
}

func plusTax(inclusive bool) string {
	if inclusive {
		return " (tax included)"
	}
	return " + tax"
}

// answer is what every generated ...Response has: its status and raw body.
type answer interface {
	StatusCode() int
	GetBody() []byte
}

// expect returns an error unless the call succeeded with status want; the
// error carries the problem+json the server answered.
func expect(op string, res answer, err error, want int) error {
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if res.StatusCode() != want {
		return fmt.Errorf("%s: status %d, want %d: %s", op, res.StatusCode(), want,
			strings.TrimSpace(string(res.GetBody())))
	}
	return nil
}
