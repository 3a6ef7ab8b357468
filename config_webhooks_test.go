package main

import (
	"flag"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
)

func TestWebhookSettings(t *testing.T) {
	tests := []struct {
		name                 string
		private, http, sched string
		want                 api.WebhookOptions
		bad                  bool
	}{
		{name: "default: https, public addresses, default schedule"},
		{name: "both flags", private: "true", http: "true", want: api.WebhookOptions{AllowPrivate: true, AllowHTTP: true}},
		{name: "false", private: "false", http: "0"},
		{name: "schedule", sched: "1s, 2s,0s", want: api.WebhookOptions{RetryDelays: []time.Duration{time.Second, 2 * time.Second, 0}}},
		{name: "not a boolean", private: "yes please", bad: true},
		{name: "bad schedule", sched: "5s,soon", bad: true},
		{name: "negative delay", sched: "-5s", bad: true},
		{name: "delay over a day", sched: "25h", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_WEBHOOKS_ALLOW_PRIVATE", tc.private)
			t.Setenv("STOREKEEP_WEBHOOKS_ALLOW_HTTP", tc.http)
			t.Setenv("STOREKEEP_WEBHOOKS_RETRY_SCHEDULE", tc.sched)
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
			if d := cmp.Diff(tc.want, apiOptions(c, nil, nil, nil).Webhooks); d != "" {
				t.Errorf("webhook options (-want +got):\n%s", d)
			}
		})
	}
}
