package main

import (
	"flag"
	"testing"
	"time"

	"storekeep/api"
	"storekeep/internal/checkout"
)

func TestCartLimitSettings(t *testing.T) {
	tests := []struct {
		name, limit, ttl string
		want             api.CartOptions
		bad              bool
	}{
		{name: "defaults", want: api.CartOptions{CreateLimit: checkout.DefaultCartCreateLimit, GuestTTL: checkout.DefaultGuestCartTTL,
			AbandonedAfter: checkout.DefaultAbandonedAfter}},
		{name: "set", limit: "500", ttl: "168h", want: api.CartOptions{CreateLimit: 500, GuestTTL: 168 * time.Hour,
			AbandonedAfter: checkout.DefaultAbandonedAfter}},
		{name: "zero turns both off", limit: "0", ttl: "0", want: api.CartOptions{CreateLimit: -1, GuestTTL: -1,
			AbandonedAfter: checkout.DefaultAbandonedAfter}},
		{name: "negative limit", limit: "-1", bad: true},
		{name: "not a number", limit: "lots", bad: true},
		{name: "ttl too short", ttl: "10m", bad: true},
		{name: "ttl in days is not a duration", ttl: "30d", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_CART_CREATE_LIMIT", tc.limit)
			t.Setenv("STOREKEEP_GUEST_CART_TTL", tc.ttl)
			c, err := loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), nil)
			if tc.bad {
				if err == nil {
					t.Fatal("loadConfig accepted a bad setting")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := apiOptions(c, nil, nil, nil).Carts; got != tc.want {
				t.Errorf("CartOptions = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCartAbandonedSetting(t *testing.T) {
	tests := []struct {
		name, value string
		want        time.Duration
		bad         bool
	}{
		{name: "default", want: checkout.DefaultAbandonedAfter},
		{name: "set", value: "3h", want: 3 * time.Hour},
		{name: "zero turns it off", value: "0", want: -1},
		{name: "too short", value: "30s", bad: true},
		{name: "negative", value: "-1h", bad: true},
		{name: "not a duration", value: "1d", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_CART_ABANDONED_AFTER", tc.value)
			c, err := loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), nil)
			if tc.bad {
				if err == nil {
					t.Fatal("loadConfig accepted a bad setting")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := apiOptions(c, nil, nil, nil).Carts.AbandonedAfter; got != tc.want {
				t.Errorf("AbandonedAfter = %v, want %v", got, tc.want)
			}
		})
	}
}
