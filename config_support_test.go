package main

import (
	"flag"
	"testing"

	"storekeep/api"
	"storekeep/internal/support"
)

func TestSupportLimitSettings(t *testing.T) {
	tests := []struct {
		name, conv, perConv, perIP string
		want                       support.Limits
		bad                        bool
	}{
		{name: "defaults", want: support.DefaultLimits},
		{name: "set", conv: "3", perConv: "40", perIP: "90", want: support.Limits{ConversationsPerIP: 3,
			MessagesPerConversation: 40, MessagesPerIP: 90}},
		{name: "zero turns each off", conv: "0", perConv: "0", perIP: "0", want: support.Limits{ConversationsPerIP: -1,
			MessagesPerConversation: -1, MessagesPerIP: -1}},
		{name: "negative", conv: "-2", bad: true},
		{name: "not a number", perIP: "many", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("STOREKEEP_SUPPORT_CONVERSATIONS_PER_IP", tc.conv)
			t.Setenv("STOREKEEP_SUPPORT_MESSAGES_PER_CONVERSATION", tc.perConv)
			t.Setenv("STOREKEEP_SUPPORT_MESSAGES_PER_IP", tc.perIP)
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
			if got := apiOptions(c, nil, nil, nil).Support; got != (api.SupportOptions{Limits: tc.want}) {
				t.Errorf("SupportOptions = %+v, want %+v", got, tc.want)
			}
		})
	}
}
