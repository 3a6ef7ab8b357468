package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"storekeep/api"
)

// Outbound webhook settings (docs/webhooks.md):
//   - STOREKEEP_WEBHOOKS_ALLOW_PRIVATE=true lets webhooks reach loopback,
//     private, link-local and other internal addresses (development, tests);
//   - STOREKEEP_WEBHOOKS_ALLOW_HTTP=true accepts http URLs besides https;
//   - STOREKEEP_WEBHOOKS_RETRY_SCHEDULE replaces the waits between attempts
//     (comma-separated durations; the 24 h horizon stays).

// webhookConfig is the outbound webhooks part of config.
type webhookConfig struct {
	AllowPrivate bool
	AllowHTTP    bool
	// RetryDelays is nil for the default schedule.
	RetryDelays []time.Duration
}

// loadWebhooks reads the STOREKEEP_WEBHOOKS_* settings.
func (c *config) loadWebhooks() error {
	var err error
	if c.Webhooks.AllowPrivate, err = envBool("STOREKEEP_WEBHOOKS_ALLOW_PRIVATE"); err != nil {
		return err
	}
	if c.Webhooks.AllowHTTP, err = envBool("STOREKEEP_WEBHOOKS_ALLOW_HTTP"); err != nil {
		return err
	}
	v := os.Getenv("STOREKEEP_WEBHOOKS_RETRY_SCHEDULE")
	if v == "" {
		return nil
	}
	for _, p := range strings.Split(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(p))
		if err != nil || d < 0 || d > 24*time.Hour {
			return fmt.Errorf("STOREKEEP_WEBHOOKS_RETRY_SCHEDULE must be comma-separated durations from 0s to 24h such as 5s,5m,30m, not %q", v)
		}
		c.Webhooks.RetryDelays = append(c.Webhooks.RetryDelays, d)
	}
	return nil
}

// envBool reads true or false (unset: false).
func envBool(key string) (bool, error) {
	v := os.Getenv(key)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s must be true or false, not %q", key, v)
	}
	return b, nil
}

// webhookOptions maps the settings onto api.WebhookOptions.
func (c config) webhookOptions() api.WebhookOptions {
	return api.WebhookOptions{AllowPrivate: c.Webhooks.AllowPrivate, AllowHTTP: c.Webhooks.AllowHTTP,
		RetryDelays: c.Webhooks.RetryDelays}
}

// webhooksString is the webhooks part of the printed config.
func (c config) webhooksString() string {
	sched := "default"
	if c.Webhooks.RetryDelays != nil {
		parts := make([]string, len(c.Webhooks.RetryDelays))
		for i, d := range c.Webhooks.RetryDelays {
			parts[i] = d.String()
		}
		sched = strings.Join(parts, ",")
	}
	return fmt.Sprintf(" webhooks_allow_private=%t webhooks_allow_http=%t webhooks_retry_schedule=%s",
		c.Webhooks.AllowPrivate, c.Webhooks.AllowHTTP, sched)
}
