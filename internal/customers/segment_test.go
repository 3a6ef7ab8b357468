package customers

import (
	"errors"
	"testing"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

func TestSegmentRules(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	last := now.AddDate(0, 0, -40)
	f := facts{orderCount: 3, spent: []money.Amount{{Minor: 12000, Currency: "EUR"}, {Minor: 500, Currency: "USD"}},
		lastOrderAt: &last, channel: "instagram", skinType: "dry", country: "fr"}
	eur := func(v float64) map[string]any { return map[string]any{"amount": v, "currency": "EUR"} }
	tests := []struct {
		name string
		rule Rule
		want bool
	}{
		{"spent gte", Rule{"total_spent", "gte", eur(12000)}, true},
		{"spent gt", Rule{"total_spent", "gt", eur(12000)}, false},
		{"spent in a currency never used", Rule{"total_spent", "lt", map[string]any{"amount": float64(1), "currency": "GBP"}}, true},
		{"count eq", Rule{"order_count", "eq", float64(3)}, true},
		{"count lt", Rule{"order_count", "lt", float64(3)}, false},
		{"within 30 days", Rule{"last_order_at", "within_days", float64(30)}, false},
		{"within 60 days", Rule{"last_order_at", "within_days", float64(60)}, true},
		{"lapsed 30 days", Rule{"last_order_at", "older_than_days", float64(30)}, true},
		{"before", Rule{"last_order_at", "before", "2026-05-01T00:00:00Z"}, true},
		{"after", Rule{"last_order_at", "after", "2026-05-01T00:00:00Z"}, false},
		{"channel any case", Rule{"acquisition_channel", "eq", "Instagram"}, true},
		{"skin in", Rule{"skin_type", "in", []any{"oily", "dry"}}, true},
		{"skin ne", Rule{"skin_type", "ne", "dry"}, false},
		{"country upper case", Rule{"country", "eq", "FR"}, true},
	}
	for _, tc := range tests {
		rs, err := parseRules([]Rule{tc.rule})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := matches(rs, f, now); got != tc.want {
			t.Errorf("%s: matches = %v, want %v", tc.name, got, tc.want)
		}
	}
	// No orders: neither recent nor lapsed; an empty rule set is no one.
	rs, _ := parseRules([]Rule{{"last_order_at", "older_than_days", float64(30)}})
	if matches(rs, facts{}, now) || matches(nil, f, now) {
		t.Error("a customer without orders or an empty rule set matched")
	}
	// AND: one failing rule is enough.
	rs, _ = parseRules([]Rule{{"country", "eq", "FR"}, {"order_count", "gte", float64(4)}})
	if matches(rs, f, now) {
		t.Error("rules are not combined with AND")
	}
}

// Profile facts (skin quiz, acquisition channel) decide memberships through
// RecomputeSegments and RecomputeCustomer; archived customers leave.
func TestRecomputeSegmentsFromProfile(t *testing.T) {
	t.Parallel()
	s, ada := newTestService(t)
	ctx := t.Context()
	manager := auth.Actor{Kind: auth.Staff, ID: "stf_m", Role: auth.RoleManager}
	bob, err := s.Create(ctx, CreateInput{Email: "bob@example.com", Password: "correct-horse-battery",
		FirstName: "Bob", LastName: "Jones"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.CreateGroup(ctx, manager, GroupInput{Name: "Dry skin from Instagram", Rules: []Rule{
		{"skin_type", "eq", "dry"}, {"acquisition_channel", "in", []any{"instagram", "tiktok"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSkinProfile(ctx, ada.ID, SkinProfile{SkinType: "Dry"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSkinProfile(ctx, bob.ID, SkinProfile{SkinType: "dry"}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Conn(ctx).Exec("UPDATE customers SET acquisition_channel = ? WHERE id = ?", "Instagram", ada.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.RecomputeSegments(ctx, ""); err != nil {
		t.Fatal(err)
	}
	members := func() []string {
		t.Helper()
		var ids []string
		if err := s.db.Conn(ctx).Model(&member{}).Where("group_id = ?", g.ID).Order("customer_id").
			Pluck("customer_id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := members(); len(got) != 1 || got[0] != ada.ID {
		t.Fatalf("members = %v, want ada only", got)
	}
	p, err := s.PreviewSegment(ctx, support, PreviewInput{Rules: []Rule{{"skin_type", "eq", "dry"}}})
	if err != nil || p.Size != 2 {
		t.Fatalf("preview = %+v, %v; want 2", p, err)
	}
	if err := s.Archive(ctx, manager, ada.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RecomputeCustomer(ctx, ada.ID); err != nil {
		t.Fatal(err)
	}
	if got := members(); len(got) != 0 {
		t.Fatalf("members after archiving = %v", got)
	}
	d, err := s.Detail(ctx, support, bob.ID)
	if err != nil || len(d.Segments) != 0 || len(d.Groups) != 0 || d.LifetimeValue == nil {
		t.Fatalf("bob's detail: segments %v groups %v lifetime %v (%v)", d.Segments, d.Groups, d.LifetimeValue, err)
	}
	// Hand-made memberships are refused.
	if err := s.AddToGroup(ctx, manager, g.ID, bob.ID); !errors.Is(err, ErrRuleBasedGroup) {
		t.Fatalf("AddToGroup on a segment: %v", err)
	}
}
