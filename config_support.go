package main

import (
	"fmt"

	"storekeep/api"
	"storekeep/internal/support"
)

// Support chat settings (docs/support.md, "Limits"): how many conversations
// one client IP may start and how many messages one conversation and one
// client IP may take, per 15-minute window. 0 turns a limit off; unset
// settings keep support.DefaultLimits.

// loadSupportLimits reads the STOREKEEP_SUPPORT_* limits.
func (c *config) loadSupportLimits() error {
	d := support.DefaultLimits
	for _, s := range []struct {
		key string
		dst *int
		def int
	}{{"STOREKEEP_SUPPORT_CONVERSATIONS_PER_IP", &c.SupportLimits.ConversationsPerIP, d.ConversationsPerIP},
		{"STOREKEEP_SUPPORT_MESSAGES_PER_CONVERSATION", &c.SupportLimits.MessagesPerConversation, d.MessagesPerConversation},
		{"STOREKEEP_SUPPORT_MESSAGES_PER_IP", &c.SupportLimits.MessagesPerIP, d.MessagesPerIP}} {
		n, err := envCount(s.key, s.def)
		if err != nil {
			return err
		}
		*s.dst = n
	}
	return nil
}

// supportOptions maps the settings onto api.SupportOptions, where 0 means
// the default and a negative value off.
func (c config) supportOptions() api.SupportOptions {
	l := c.SupportLimits
	return api.SupportOptions{Limits: support.Limits{ConversationsPerIP: offIfZero(l.ConversationsPerIP),
		MessagesPerConversation: offIfZero(l.MessagesPerConversation), MessagesPerIP: offIfZero(l.MessagesPerIP)},
		BotLLM: c.BotLLM}
}

// supportString is the support part of the printed config.
func (c config) supportString() string {
	l := c.SupportLimits
	return fmt.Sprintf(" support_limits=conversations_per_ip:%d,messages_per_conversation:%d,messages_per_ip:%d",
		l.ConversationsPerIP, l.MessagesPerConversation, l.MessagesPerIP)
}
