package automations

import (
	"slices"
	"testing"

	"storekeep/internal/platform/events"
)

// A rule may start on exactly the event types the domains record.
func TestTriggersAreTheEventCatalogue(t *testing.T) {
	want := slices.Clone(events.Types)
	slices.Sort(want)
	if got := Triggers(); !slices.Equal(got, want) {
		t.Fatalf("triggers %v\nevent catalogue %v", got, want)
	}
}
