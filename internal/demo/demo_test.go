package demo

import (
	"context"
	"testing"

	"storekeep/internal/automations"
	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
	"storekeep/internal/staff"
)

func TestLoadFillsAnEmptyShopOnce(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	svc := Services{DB: d, Catalog: cat, Checkout: checkout.NewService(d), Staff: staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil), Inventory: inventory.NewService(d, cat)}
	res, err := Load(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Loaded || res.Products != len(products) || res.Categories < 4 || res.Products < 12 {
		t.Fatalf("Load = %+v", res)
	}
	again, err := Load(ctx, svc)
	if err != nil || again.Loaded {
		t.Fatalf("second Load = %+v, %v; want a no-op", again, err)
	}
	// The store shows only published products: every demo product but the draft.
	list, err := svc.Catalog.ListProducts(ctx, catalog.ListQuery{Page: page.Request{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(list.Data), len(products)-1; got != want {
		t.Errorf("store lists %d products, want %d", got, want)
	}
}

func TestLoadConfiguresCheckout(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	chk := checkout.NewService(d)
	svc := Services{DB: d, Catalog: cat, Checkout: chk, Staff: staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil), Inventory: inventory.NewService(d, cat)}
	if _, err := Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	p, err := chk.PromotionByCode(ctx, "welcome15")
	if err != nil || p.Type != "percentage" || p.Percentage != 1500 {
		t.Fatalf("WELCOME15 = %+v, %v", p, err)
	}
	for _, c := range []struct{ currency, country string }{{"EUR", "FR"}, {"EUR", "DE"}, {"USD", "US"}} {
		r, err := chk.RegionFor(ctx, c.currency, c.country)
		if err != nil {
			t.Fatalf("region for %s in %s: %v", c.country, c.currency, err)
		}
		opts, err := chk.ShippingOptionsFor(ctx, r.ID)
		if err != nil || len(opts) == 0 {
			t.Fatalf("shipping options of %s: %d, %v", r.Name, len(opts), err)
		}
	}
}

func TestLoadCreatesTheDemoAutomations(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	auto := automations.NewService(d)
	svc := Services{DB: d, Catalog: cat, Checkout: checkout.NewService(d), Staff: staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil), Inventory: inventory.NewService(d, cat), Automations: auto}
	res, err := Load(ctx, svc)
	if err != nil || res.Automations != 2 {
		t.Fatalf("Load = %+v, %v; want 2 automations", res, err)
	}
	admin := auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleAdmin}
	l, err := auto.List(ctx, admin, automations.Filter{}, page.Request{Limit: 10})
	if err != nil || len(l.Data) != 2 {
		t.Fatalf("automations = %+v, %v", l.Data, err)
	}
	first, reminder := l.Data[0], l.Data[1]
	if first.Trigger != "order.delivered" || !first.Active || len(first.Actions) != 1 ||
		first.Actions[0].Type != "issue_discount" || *first.Actions[0].Percentage != 1500 ||
		*first.Actions[0].ExpiresInDays != 30 || len(first.Actions[0].CategoryIDs) != 1 {
		t.Errorf("first-order rule: %+v", first)
	}
	cats, err := cat.AdminCategory(ctx, admin, first.Actions[0].CategoryIDs[0])
	if err != nil || cats.Handle != "cleansers" {
		t.Errorf("the code's category is %+v, %v; want cleansers", cats, err)
	}
	if reminder.Trigger != "cart.abandoned" || reminder.Actions[0].Template != "cart_reminder" {
		t.Errorf("reminder rule: %+v", reminder)
	}
}

// The demo's rule-based segment selects the demo customer once she has her
// past orders (three or more; the orders domain is a stand-in here).
func TestLoadCreatesTheDemoSegment(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	cus := customers.NewService(d, nil, nil, nil)
	svc := Services{DB: d, Catalog: cat, Checkout: checkout.NewService(d), Staff: staff.NewService(d, nil, nil, nil),
		Customers: cus, Inventory: inventory.NewService(d, cat)}
	if _, err := Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	admin := auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleAdmin}
	l, err := cus.Groups(ctx, admin, page.Request{Limit: 10})
	if err != nil || len(l.Data) != 1 || l.Data[0].Name != SegmentName || len(l.Data[0].Rules) != 2 {
		t.Fatalf("groups = %+v, %v", l.Data, err)
	}
	cus.SetOrderHistory(fiveOrders{})
	if err := cus.RecomputeSegments(ctx, ""); err != nil {
		t.Fatal(err)
	}
	p, err := cus.PreviewSegment(ctx, admin, customers.PreviewInput{Rules: l.Data[0].Rules})
	if err != nil || p.Size != 1 {
		t.Fatalf("preview = %+v, %v; want the demo customer", p, err)
	}
	d2, err := cus.Detail(ctx, admin, p.Sample[0])
	if err != nil || d2.Email != CustomerEmail || len(d2.Segments) != 1 || d2.Segments[0].ID != l.Data[0].ID {
		t.Fatalf("demo customer's segments = %+v, %v", d2.Segments, err)
	}
}

type fiveOrders struct{}

func (fiveOrders) CustomerOrderStats(context.Context, string) (customers.OrderStats, error) {
	return customers.OrderStats{OrderCount: 5, LifetimeSpend: []money.Amount{{Minor: 15000, Currency: "EUR"}}}, nil
}
