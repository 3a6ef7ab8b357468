package demo

import (
	"context"
	"fmt"

	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

// The demo's stock setup: two warehouses (Paris is tried first), one
// supplier for everything, reorder points, and one variant already below its
// reorder point with a draft purchase order waiting to be sent.
const (
	demoSupplierName = "Lumière Labs"
	// demoLowSKU is the variant that starts below its reorder point.
	demoLowSKU = "CLN-BALM-100"
	// demoMOQ is the supplier's minimum order quantity for every item.
	demoMOQ = 6
)

var demoWarehouses = []struct {
	Code, Name, City, Postal string
	Priority                 int
}{
	{"PAR", "Paris", "Paris", "75011", 10},
	{"LYS", "Lyon", "Lyon", "69002", 20},
}

// loadInventory stocks the demo shop through the inventory service.
// variantIDs maps each demo SKU to the id of the variant created for it. Each
// variant's Available units are split between Paris (two thirds, rounded up)
// and Lyon; Paris levels get a reorder point of a quarter of their stock and
// half that as safety stock (none for variants with too little stock to
// bother). The low variant gets a reorder point above its stock, and the
// reorder job's own code drafts its purchase order.
//
// It must run after the catalog is loaded; stock moves keep the catalog's
// variants.available in sync themselves.
// It returns the warehouses' ids, Paris first.
func loadInventory(ctx context.Context, inv *inventory.Service, system auth.Actor, variantIDs map[string]string) ([]string, error) {
	whIDs := make([]string, len(demoWarehouses))
	for i, w := range demoWarehouses {
		prio := w.Priority
		wh, err := inv.CreateWarehouse(ctx, system, inventory.WarehouseInput{Code: w.Code, Name: w.Name,
			CountryCode: "FR", Priority: &prio,
			Address: &inventory.Address{Line1: "1 rue du Dépôt", City: w.City, PostalCode: w.Postal}})
		if err != nil {
			return nil, fmt.Errorf("demo warehouse %s: %w", w.Code, err)
		}
		whIDs[i] = wh.ID
	}
	sup, err := inv.CreateSupplier(ctx, system, inventory.SupplierInput{Name: demoSupplierName,
		Email: "orders@lumiere-labs.test", Phone: "+33 4 78 00 00 00", ContactName: "Inès Martin",
		LeadTimeDays: 10, Currency: "EUR"})
	if err != nil {
		return nil, fmt.Errorf("demo supplier: %w", err)
	}
	for _, p := range products {
		for _, v := range p.Variants {
			vid, ok := variantIDs[v.SKU]
			if !ok {
				return nil, fmt.Errorf("demo stock %s: variant not loaded", v.SKU)
			}
			if err := stockVariant(ctx, inv, system, vid, v, whIDs, sup.ID); err != nil {
				return nil, fmt.Errorf("demo stock %s: %w", v.SKU, err)
			}
		}
	}
	low, ok := variantIDs[demoLowSKU]
	if !ok {
		return nil, fmt.Errorf("demo low-stock variant %s not loaded", demoLowSKU)
	}
	rp, ss := int64(10), int64(5)
	if _, err := inv.UpdateLevel(ctx, system, low, whIDs[0], inventory.LevelPatch{ReorderPoint: &rp, SafetyStock: &ss}); err != nil {
		return nil, fmt.Errorf("demo reorder point %s: %w", demoLowSKU, err)
	}
	if _, err := inv.ReorderVariant(ctx, low); err != nil {
		return nil, fmt.Errorf("demo purchase order: %w", err)
	}
	return whIDs, nil
}

// stockVariant puts v's stock into the warehouses, sets its Paris reorder
// settings and makes the demo supplier its preferred source.
func stockVariant(ctx context.Context, inv *inventory.Service, system auth.Actor, vid string, v demoVariant, whIDs []string, supplierID string) error {
	lyon := int64(v.Available) / 3
	split := []int64{int64(v.Available) - lyon, lyon}
	for i, qty := range split {
		if qty == 0 {
			continue
		}
		_, err := inv.Adjust(ctx, system, inventory.AdjustmentInput{VariantID: vid, WarehouseID: whIDs[i],
			Delta: qty, Reason: "demo opening stock"})
		if err != nil {
			return err
		}
	}
	if rp := split[0] / 4; rp > 0 && v.SKU != demoLowSKU {
		ss := rp / 2
		if _, err := inv.UpdateLevel(ctx, system, vid, whIDs[0], inventory.LevelPatch{ReorderPoint: &rp, SafetyStock: &ss}); err != nil {
			return err
		}
	}
	_, err := inv.PutSupplierItem(ctx, system, supplierID, vid, inventory.SupplierItemInput{
		SupplierSKU: "LL-" + v.SKU, UnitCost: money.Amount{Minor: v.CostEUR, Currency: "EUR"},
		MOQ: demoMOQ, Preferred: true})
	return err
}
