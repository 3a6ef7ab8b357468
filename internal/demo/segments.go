package demo

import (
	"context"
	"fmt"

	"storekeep/internal/customers"
	"storekeep/internal/platform/auth"
)

// SegmentName is the demo's rule-based customer group.
const SegmentName = "Skincare enthusiasts"

// demoSegment is a rule-based group (docs/customers.md, "Segments"):
// customers who took the skin quiz and came back at least three times.
// The demo customer answered the quiz (dry skin) and has five past orders,
// so she joins it once the served process's segment jobs run (the seeded
// orders' events, or the recompute at start).
func demoSegment() customers.GroupInput {
	return customers.GroupInput{Name: SegmentName,
		Description: "Took the skin quiz and ordered at least three times",
		Rules: []customers.Rule{
			{Field: "skin_type", Op: "in", Value: []any{"dry", "oily", "combination", "sensitive", "normal"}},
			{Field: "order_count", Op: "gte", Value: float64(3)},
		}}
}

// loadSegments creates the demo segment and the demo customer's quiz answers.
func loadSegments(ctx context.Context, svc *customers.Service, system auth.Actor, customerID string) error {
	if err := svc.SaveSkinProfile(ctx, customerID, customers.SkinProfile{SkinType: "dry", Concern: "dehydration",
		Preferences: []string{"fragrance-free"}}); err != nil {
		return fmt.Errorf("skin profile: %w", err)
	}
	if _, err := svc.CreateGroup(ctx, system, demoSegment()); err != nil {
		return fmt.Errorf("segment %q: %w", SegmentName, err)
	}
	return nil
}
