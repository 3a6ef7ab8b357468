package customers

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/money"
)

// fakeOrders stands in for the orders domain (an external service to this
// package); only the wiring of its figures into Detail is under test here.
type fakeOrders struct {
	stats map[string]OrderStats
	err   error
}

func (f fakeOrders) CustomerOrderStats(_ context.Context, customerID string) (OrderStats, error) {
	return f.stats[customerID], f.err
}

var support = auth.Actor{Kind: auth.Staff, ID: "stf_x", Role: auth.RoleSupport}

func newTestService(t *testing.T) (*Service, Customer) {
	t.Helper()
	s := NewService(dbtest.New(t), nil, nil, nil)
	c, err := s.Create(t.Context(), CreateInput{Email: "ada@example.com", Password: "correct-horse-battery",
		FirstName: "Ada", LastName: "Lovelace"})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestDetailOrderStatsWiring(t *testing.T) {
	t.Parallel()
	s, c := newTestService(t)
	ctx := t.Context()

	d, err := s.Detail(ctx, support, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Orders.OrderCount != 0 || d.Orders.LastOrderAt != nil || d.Orders.LifetimeSpend == nil ||
		len(d.Orders.LifetimeSpend) != 0 {
		t.Fatalf("unwired stats = %+v, want zero with an empty (not null) spend list", d.Orders)
	}

	last := time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	spend := []money.Amount{{Minor: 12345, Currency: "EUR"}, {Minor: 999, Currency: "USD"}}
	s.SetOrderHistory(fakeOrders{stats: map[string]OrderStats{c.ID: {OrderCount: 3, LifetimeSpend: spend,
		LastOrderAt: &last}}})
	d, err = s.Detail(ctx, support, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	lastUTC := last.UTC()
	want := OrderSummary{OrderCount: 3, LifetimeSpend: spend, LastOrderAt: &lastUTC}
	if diff := cmp.Diff(want, d.Orders); diff != "" {
		t.Fatalf("stats (-want +got)\n%s", diff)
	}
	if d.Orders.LastOrderAt.Location() != time.UTC {
		t.Errorf("last_order_at in %v, want UTC", d.Orders.LastOrderAt.Location())
	}

	boom := errors.New("orders down")
	s.SetOrderHistory(fakeOrders{err: boom})
	if _, err := s.Detail(ctx, support, c.ID); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the order history's error", err)
	}
	s.SetOrderHistory(nil)
	if d, err = s.Detail(ctx, support, c.ID); err != nil || d.Orders.OrderCount != 0 {
		t.Fatalf("after SetOrderHistory(nil): %+v, %v", d.Orders, err)
	}
}

func TestDefaultAddressesAndGroupIDs(t *testing.T) {
	t.Parallel()
	s, c := newTestService(t)
	ctx := t.Context()

	ship, bill, err := s.DefaultAddresses(ctx, c.ID)
	if err != nil || ship != nil || bill != nil {
		t.Fatalf("no addresses: %v %v %v", ship, bill, err)
	}
	in := AddressInput{FirstName: "Ada", LastName: "Lovelace", Line1: "1 Main St", City: "London",
		PostalCode: "N1 1AA", CountryCode: "gb"}
	home, err := s.CreateAddress(ctx, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Line1, in.IsDefaultBilling = "2 Office Rd", true
	office, err := s.CreateAddress(ctx, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	ship, bill, err = s.DefaultAddresses(ctx, c.ID)
	if err != nil || ship == nil || bill == nil {
		t.Fatalf("defaults: %v %v %v", ship, bill, err)
	}
	if d := cmp.Diff(home.Postal(), *ship); d != "" {
		t.Errorf("shipping (-want +got)\n%s", d)
	}
	if d := cmp.Diff(office.Postal(), *bill); d != "" {
		t.Errorf("billing (-want +got)\n%s", d)
	}
	if ship.CountryCode != "GB" {
		t.Errorf("country %q, want normalized GB", ship.CountryCode)
	}

	manager := auth.Actor{Kind: auth.Staff, ID: "stf_m", Role: auth.RoleManager}
	var want []string
	for _, name := range []string{"VIP", "Wholesale"} {
		g, err := s.CreateGroup(ctx, manager, GroupInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddToGroup(ctx, manager, g.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		want = append(want, g.ID)
	}
	got, err := s.GroupIDs(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("group ids (-want +got)\n%s", d)
	}
	if got, err := s.GroupIDs(ctx, "cus_nobody"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("GroupIDs of a stranger = %#v, %v; want empty", got, err)
	}
	if _, err := s.CreateGroup(ctx, support, GroupInput{Name: "X"}); !errors.Is(err, ErrForbidden) {
		t.Errorf("support creating a group: err = %v, want forbidden", err)
	}
}
