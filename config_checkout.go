package main

import (
	"fmt"
	"time"

	"storekeep/internal/checkout"
)

// Checkout and cart settings (docs/checkout.md): recovery of interrupted
// checkouts, the pending-payment policy, cart creation limits, the guest
// cart cleanup and when an idle cart is abandoned (docs/events.md). Unset settings keep checkout's defaults.

// checkoutConfig reads the checkout recovery and pending-order settings;
// unset ones keep checkout's defaults.
func checkoutConfig(c *config) error {
	var err error
	if c.CheckoutClaimTimeout, err = envDuration("STOREKEEP_CHECKOUT_CLAIM_TIMEOUT", checkout.DefaultClaimTimeout); err != nil {
		return err
	}
	d := checkout.DefaultPendingPolicy
	if c.Pending.Hold, err = envDuration("STOREKEEP_PENDING_PAYMENT_HOLD", d.Hold); err != nil {
		return err
	}
	for _, s := range []struct {
		key string
		dst *int
		def int
	}{{"STOREKEEP_PENDING_ORDERS_PER_IP", &c.Pending.PerIP, d.PerIP},
		{"STOREKEEP_PENDING_ORDERS_PER_EMAIL", &c.Pending.PerEmail, d.PerEmail},
		{"STOREKEEP_PENDING_ORDERS_PER_CUSTOMER", &c.Pending.PerCustomer, d.PerCustomer}} {
		if *s.dst, err = envCount(s.key, s.def); err != nil {
			return err
		}
	}
	return c.loadPaymentActions()
}

// loadCartLimits reads STOREKEEP_CART_CREATE_LIMIT, STOREKEEP_GUEST_CART_TTL
// and STOREKEEP_CART_ABANDONED_AFTER.
func (c *config) loadCartLimits() error {
	n, err := envCount("STOREKEEP_CART_CREATE_LIMIT", checkout.DefaultCartCreateLimit)
	if err != nil {
		return err
	}
	ttl, err := time.ParseDuration(envOr("STOREKEEP_GUEST_CART_TTL", checkout.DefaultGuestCartTTL.String()))
	if err != nil || (ttl != 0 && ttl < time.Hour) {
		return fmt.Errorf("STOREKEEP_GUEST_CART_TTL must be a duration of at least 1h, such as 720h, or 0 (never delete)")
	}
	c.CartCreateLimit, c.GuestCartTTL = n, ttl
	abandoned, err := time.ParseDuration(envOr("STOREKEEP_CART_ABANDONED_AFTER", checkout.DefaultAbandonedAfter.String()))
	if err != nil || abandoned < 0 || (abandoned != 0 && abandoned < time.Minute) {
		return fmt.Errorf("STOREKEEP_CART_ABANDONED_AFTER must be a duration of at least 1m, such as 1h, or 0 (no cart.abandoned events)")
	}
	c.CartAbandonedAfter = abandoned
	return nil
}

// offIfZero maps a setting where 0 means off to api.CartOptions, where 0
// means the default and a negative value off.
func offIfZero[T int | time.Duration](v T) T {
	if v == 0 {
		return -1
	}
	return v
}
