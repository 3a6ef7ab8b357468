package main

import (
	"flag"
	"testing"
	"time"

	"storekeep/internal/checkout"
)

func TestCheckoutSettings(t *testing.T) {
	load := func(t *testing.T, env map[string]string) (config, error) {
		t.Helper()
		for k, v := range env {
			t.Setenv(k, v)
		}
		return loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), nil)
	}
	t.Run("defaults", func(t *testing.T) {
		c, err := load(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.CheckoutClaimTimeout != checkout.DefaultClaimTimeout || c.Pending != checkout.DefaultPendingPolicy {
			t.Errorf("claim timeout %s, pending %+v", c.CheckoutClaimTimeout, c.Pending)
		}
	})
	t.Run("set", func(t *testing.T) {
		c, err := load(t, map[string]string{"STOREKEEP_CHECKOUT_CLAIM_TIMEOUT": "5s",
			"STOREKEEP_PENDING_PAYMENT_HOLD": "10m", "STOREKEEP_PENDING_ORDERS_PER_IP": "0",
			"STOREKEEP_PENDING_ORDERS_PER_EMAIL": "4", "STOREKEEP_PENDING_ORDERS_PER_CUSTOMER": "2"})
		if err != nil {
			t.Fatal(err)
		}
		want := checkout.PendingPolicy{Hold: 10 * time.Minute, PerIP: 0, PerEmail: 4, PerCustomer: 2}
		if c.CheckoutClaimTimeout != 5*time.Second || c.Pending != want {
			t.Errorf("claim timeout %s, pending %+v; want 5s, %+v", c.CheckoutClaimTimeout, c.Pending, want)
		}
	})
	for _, bad := range []map[string]string{
		{"STOREKEEP_CHECKOUT_CLAIM_TIMEOUT": "soon"}, {"STOREKEEP_PENDING_PAYMENT_HOLD": "-1m"},
		{"STOREKEEP_PENDING_ORDERS_PER_IP": "-3"}, {"STOREKEEP_PENDING_ORDERS_PER_EMAIL": "lots"},
	} {
		t.Run("refused", func(t *testing.T) {
			if _, err := load(t, bad); err == nil {
				t.Errorf("%v accepted", bad)
			}
		})
	}
}
