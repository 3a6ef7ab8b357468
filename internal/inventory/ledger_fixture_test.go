package inventory

import (
	"context"
	"fmt"
	"testing"

	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Actors shared by the package's tests (purchasing tests may use them too).
var (
	admin     = auth.Actor{Kind: auth.Staff, ID: "stf_admin", Role: auth.RoleAdmin}
	manager   = auth.Actor{Kind: auth.Staff, ID: "stf_mgr", Role: auth.RoleManager}
	keeper    = auth.Actor{Kind: auth.Staff, ID: "stf_wh", Role: auth.RoleWarehouse}
	support   = auth.Actor{Kind: auth.Staff, ID: "stf_sup", Role: auth.RoleSupport}
	shopper   = auth.Actor{Kind: auth.Customer, ID: "cus_test"}
	systemAct = auth.Actor{Kind: auth.Staff, ID: "system", Role: auth.RoleAdmin}
)

// fixture is a migrated database with the catalog and inventory services.
type fixture struct {
	inv *Service
	cat *catalog.Service
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	d := dbtest.New(t)
	cat := catalog.NewService(d)
	return fixture{inv: NewService(d, cat), cat: cat}
}

// variant creates a published product with n variants and returns their ids.
func (f fixture) variants(t testing.TB, n int, backorder bool) []string {
	t.Helper()
	in := catalog.ProductInput{Title: fmt.Sprintf("Product %d", seq()), Status: "published"}
	vals := make([]string, n)
	for i := range n {
		vals[i] = fmt.Sprintf("v%d", i)
	}
	in.Options = []catalog.OptionInput{{Name: "Size", Values: vals}}
	for i := range n {
		in.Variants = append(in.Variants, catalog.VariantInput{
			SKU: fmt.Sprintf("SKU-%d-%d", seq(), i), Options: map[string]string{"Size": vals[i]},
			Prices: []money.Amount{{Minor: 1000, Currency: "EUR"}}, AllowBackorder: backorder})
	}
	p, err := f.cat.CreateProduct(context.Background(), admin, in)
	if err != nil {
		t.Fatalf("create product: %v", err)
	}
	ids := make([]string, n)
	for i, v := range p.Variants {
		ids[i] = v.ID
	}
	return ids
}

// warehouse creates an active warehouse with the given priority.
func (f fixture) warehouse(t testing.TB, priority int) string {
	t.Helper()
	w, err := f.inv.CreateWarehouse(context.Background(), admin, WarehouseInput{
		Code: fmt.Sprintf("WH-%d", seq()), Name: "Warehouse", CountryCode: "FR", Priority: &priority})
	if err != nil {
		t.Fatalf("create warehouse: %v", err)
	}
	return w.ID
}

// stock adds qty units to a level through the ledger.
func (f fixture) stock(t testing.TB, variantID, whID string, qty int64) Level {
	t.Helper()
	lvl, _, err := f.inv.Move(context.Background(), Move{VariantID: variantID, WarehouseID: whID,
		Delta: qty, Kind: KindAdjustment, Reason: "test stock", Actor: admin})
	if err != nil {
		t.Fatalf("stock %s@%s +%d: %v", variantID, whID, qty, err)
	}
	return lvl
}

// level reads a level (zero Level if missing).
func (f fixture) level(t testing.TB, variantID, whID string) Level {
	t.Helper()
	r, err := f.inv.levelRow(context.Background(), variantID, whID)
	if err != nil {
		return Level{VariantID: variantID, WarehouseID: whID}
	}
	return r.level()
}

// storeAvailable reads the catalog's available figure of a variant.
func (f fixture) storeAvailable(t testing.TB, variantID string) int64 {
	t.Helper()
	var n int64
	if err := f.inv.db.Conn(context.Background()).Raw(`SELECT available FROM variants WHERE id = ?`, variantID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// checkLedger asserts on_hand equals the ledger sum for every level, that
// reserved matches active reservation lines, and that the catalog's available
// equals the sum over active warehouses.
func (f fixture) checkLedger(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	var bad []struct {
		VariantID, WarehouseID string
		OnHand, Sum            int64
	}
	err := f.inv.db.Conn(ctx).Raw(`SELECT l.variant_id, l.warehouse_id, l.on_hand,
		COALESCE((SELECT SUM(m.delta) FROM stock_movements m
		          WHERE m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id), 0) AS sum
		FROM stock_levels l`).Scan(&bad).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		if b.OnHand != b.Sum {
			t.Errorf("level %s@%s: on_hand %d != ledger sum %d", b.VariantID, b.WarehouseID, b.OnHand, b.Sum)
		}
	}
	var res []struct {
		VariantID, WarehouseID string
		Reserved, Held         int64
	}
	err = f.inv.db.Conn(ctx).Raw(`SELECT l.variant_id, l.warehouse_id, l.reserved,
		COALESCE((SELECT SUM(rl.quantity) FROM reservation_lines rl JOIN reservations r ON r.id = rl.reservation_id
		          WHERE r.status = 'active' AND rl.variant_id = l.variant_id AND rl.warehouse_id = l.warehouse_id), 0) AS held
		FROM stock_levels l`).Scan(&res).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Reserved != r.Held {
			t.Errorf("level %s@%s: reserved %d != active reservation lines %d", r.VariantID, r.WarehouseID, r.Reserved, r.Held)
		}
	}
	var avail []struct {
		ID               string
		Available, Stock int64
	}
	err = f.inv.db.Conn(ctx).Raw(`SELECT v.id, v.available,
		COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
		          WHERE l.variant_id = v.id AND w.active), 0) AS stock
		FROM variants v`).Scan(&avail).Error
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range avail {
		if a.Available != a.Stock {
			t.Errorf("variant %s: catalog available %d != stock %d", a.ID, a.Available, a.Stock)
		}
	}
}

var seqN struct {
	ch chan int
}

func init() {
	seqN.ch = make(chan int, 1)
	seqN.ch <- 0
}

// seq returns a process-unique number for codes and SKUs.
func seq() int {
	n := <-seqN.ch + 1
	seqN.ch <- n
	return n
}

func pr(limit int) page.Request { return page.Request{Limit: limit} }
