package events_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/events"
)

func TestRecordCommitsAndRollsBackWithTheCaller(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := t.Context()
	boom := errors.New("boom")
	err := d.WithTx(ctx, func(ctx context.Context) error {
		if err := events.Record(ctx, d, "inventory.low_stock", "lvl_rolledback", map[string]int{"available": 1}); err != nil {
			t.Fatal(err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WithTx = %v, want boom", err)
	}
	err = d.WithTx(ctx, func(ctx context.Context) error {
		return events.Record(ctx, d, "inventory.low_stock", "lvl_1", map[string]int{"available": 2})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := events.Record(ctx, d, "other.thing", "x_1", nil); err != nil {
		t.Fatal(err)
	}
	got, err := events.List(ctx, d, events.Filter{Type: "inventory.low_stock"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d events, want 1 (the rolled-back one must not exist): %+v", len(got), got)
	}
	if diff := cmp.Diff(`{"available":2}`, string(got[0].Payload)); diff != "" {
		t.Errorf("payload (-want +got):\n%s", diff)
	}
	if got[0].SubjectID != "lvl_1" || got[0].DeliveredAt != nil || len(got[0].ID) < 5 || got[0].ID[:4] != "evt_" {
		t.Errorf("unexpected event %+v", got[0])
	}
	all, err := events.List(ctx, d, events.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Errorf("List all = %d events, want 2", len(all))
	}
}
