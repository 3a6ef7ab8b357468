package webhooks

import (
	"fmt"
	"slices"
	"strings"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
)

// EventTypes are the event types an endpoint may subscribe to: every type
// recorded in the events outbox.
var EventTypes = events.Types

// TestEventType is the type of the test ping (POST /v1/admin/webhooks/{id}/test).
// It is not an event: no endpoint subscribes to it, it is sent on demand.
const TestEventType = "webhook.test"

// Limits of an endpoint's subscription list.
const maxEventTypes = 50

// matches reports whether pattern selects typ: "*" selects every type,
// "order.*" every type that starts with "order.", anything else itself.
func matches(pattern, typ string) bool {
	if pattern == "*" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(typ, prefix)
	}
	return pattern == typ
}

// subscribed reports whether any of patterns selects typ.
func subscribed(patterns []string, typ string) bool {
	for _, p := range patterns {
		if matches(p, typ) {
			return true
		}
	}
	return false
}

// checkEventTypes validates a subscription list and returns it without
// duplicates, in the order given. Each entry is a known type, "*", or a
// prefix ending in ".*" that selects at least one known type.
func checkEventTypes(in []string) ([]string, []errs.FieldError) {
	var fe []errs.FieldError
	if len(in) == 0 {
		return nil, []errs.FieldError{{Field: "event_types", Message: "list at least one event type, or \"*\" for all"}}
	}
	if len(in) > maxEventTypes {
		return nil, []errs.FieldError{{Field: "event_types", Message: fmt.Sprintf("must list at most %d entries", maxEventTypes)}}
	}
	out := make([]string, 0, len(in))
	for i, p := range in {
		if !validPattern(p) {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("event_types[%d]", i),
				Message: fmt.Sprintf("%q is not a known event type or pattern (such as \"*\" or \"order.*\")", p)})
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, fe
}

func validPattern(p string) bool {
	if p == "*" || slices.Contains(EventTypes, p) {
		return true
	}
	prefix, ok := strings.CutSuffix(p, ".*")
	if !ok || prefix == "" || strings.Contains(prefix, "*") {
		return false
	}
	return slices.ContainsFunc(EventTypes, func(t string) bool { return strings.HasPrefix(t, prefix+".") })
}
