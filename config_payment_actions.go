package main

import (
	"fmt"
	"regexp"
	"strings"

	"storekeep/internal/checkout"
)

// Payments that wait for the shopper (docs/checkout.md, docs/payments.md):
// how long they keep the cart's stock, and which app schemes a return_url
// may use besides https.

// appScheme is a custom URL scheme (RFC 3986), optionally with a prefix the
// return_url must start with after "://".
var appScheme = regexp.MustCompile(`^[a-z][a-z0-9+.-]*(://\S+)?$`)

// unsafeSchemes are never an app's return_url: http is not private to the
// app, the others run or read things in the browser.
var unsafeSchemes = map[string]bool{"http": true, "https": true, "javascript": true, "data": true, "file": true,
	"about": true, "blob": true, "vbscript": true}

// loadPaymentActions reads STOREKEEP_PAYMENT_ACTION_TIMEOUT,
// STOREKEEP_PAYMENT_SESSION_TTL and STOREKEEP_PAYMENT_RETURN_URLS (comma-separated: "myshop" allows every
// myshop:// URL, "myshop://checkout/" only those starting so).
func (c *config) loadPaymentActions() error {
	var err error
	if c.PaymentActionTimeout, err = envDuration("STOREKEEP_PAYMENT_ACTION_TIMEOUT", checkout.DefaultActionTimeout); err != nil {
		return err
	}
	if c.PaymentSessionTTL, err = envDuration("STOREKEEP_PAYMENT_SESSION_TTL", checkout.DefaultSessionTTL); err != nil {
		return err
	}
	c.PaymentReturnURLs, err = parseReturnURLs(envOr("STOREKEEP_PAYMENT_RETURN_URLS", ""))
	return err
}

func parseReturnURLs(v string) ([]string, error) {
	var out []string
	for e := range strings.SplitSeq(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		scheme, _, _ := strings.Cut(e, "://")
		scheme = strings.ToLower(scheme)
		if !appScheme.MatchString(scheme+e[len(scheme):]) || unsafeSchemes[scheme] {
			return nil, fmt.Errorf("STOREKEEP_PAYMENT_RETURN_URLS: %q is not an app scheme (such as myshop or myshop://checkout/); https is always allowed, http never", e)
		}
		out = append(out, scheme+e[len(scheme):])
	}
	return out, nil
}
