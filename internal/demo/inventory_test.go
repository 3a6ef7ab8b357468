package demo

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/page"
	"storekeep/internal/staff"
)

func TestLoadInventory(t *testing.T) {
	d := dbtest.New(t)
	ctx := t.Context()
	cat := catalog.NewService(d)
	inv := inventory.NewService(d, cat)
	svc := Services{DB: d, Catalog: cat, Checkout: checkout.NewService(d), Staff: staff.NewService(d, nil, nil, nil),
		Customers: customers.NewService(d, nil, nil, nil), Inventory: inv}
	if _, err := Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	var rows []struct{ SKU, ID string }
	if err := d.Conn(ctx).Raw(`SELECT sku, id FROM variants`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range rows {
		ids[r.SKU] = r.ID
	}
	system := auth.Actor{Kind: auth.Staff, ID: "demo-loader", Role: auth.RoleAdmin}

	low, err := inv.ListLevels(ctx, system, inventory.LevelQuery{BelowReorderPoint: true, Page: page.Request{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(low.Data) != 1 || low.Data[0].VariantID != ids[demoLowSKU] {
		t.Fatalf("levels below the reorder point = %+v, want only %s", low.Data, demoLowSKU)
	}
	pos, err := inv.ListPurchaseOrders(ctx, system, "draft", page.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(pos.Data) != 1 {
		t.Fatalf("%d draft purchase orders, want 1", len(pos.Data))
	}
	// Paris holds 2 of 3 units with reorder point 10 and safety stock 5: the
	// need is 10 + 5 - 3 = 12, a multiple of the MOQ 6.
	got := pos.Data[0].Items
	want := []inventory.PurchaseOrderItem{{VariantID: ids[demoLowSKU], Quantity: 12, UnitCost: got[0].UnitCost}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("draft items (-want +got)\n%s", d)
	}
	items, err := inv.SupplierItems(ctx, system, pos.Data[0].SupplierID, page.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(items.Data) != len(rows) {
		t.Fatalf("%d supplier items, want one per variant (%d)", len(items.Data), len(rows))
	}
	var onHand int64
	if err := d.Conn(ctx).Raw(`SELECT SUM(on_hand) FROM stock_levels`).Scan(&onHand).Error; err != nil {
		t.Fatal(err)
	}
	var want64 int64
	for _, p := range products {
		for _, v := range p.Variants {
			want64 += int64(v.Available)
		}
	}
	if onHand != want64 {
		t.Fatalf("on hand %d, want the demo's %d", onHand, want64)
	}
}
