package main

import (
	"flag"
	"testing"

	"storekeep/internal/metrics"
)

func TestEventBatchLimitSetting(t *testing.T) {
	tests := []struct {
		name, env string
		want      int
		bad       bool
	}{
		{name: "default", want: metrics.DefaultEventBatchesPerIP},
		{name: "set", env: "40", want: 40},
		{name: "zero turns it off", env: "0", want: -1},
		{name: "negative", env: "-1", bad: true},
		{name: "not a number", env: "lots", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_EVENT_BATCHES_PER_IP", tc.env)
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
			if got := apiOptions(c, nil, nil, nil).MetricsIngest.EventBatchesPerIP; got != tc.want {
				t.Errorf("EventBatchesPerIP = %d, want %d", got, tc.want)
			}
		})
	}
}
