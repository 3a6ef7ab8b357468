package inventory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// SupplierItem is one supplier's terms for one variant.
type SupplierItem struct {
	SupplierID  string `json:"supplier_id" binding:"required" example:"sup_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID   string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	SupplierSKU string `json:"supplier_sku" binding:"required" example:"LL-CLN-150"`
	// UnitCost is in the supplier's currency.
	UnitCost money.Amount `json:"unit_cost" binding:"required"`
	// MOQ is the minimum order quantity; orders are sized in multiples of it.
	MOQ int64 `json:"moq" binding:"required" example:"12"`
	// Preferred marks the supplier reordering buys this variant from; at most
	// one supplier is preferred per variant.
	Preferred bool      `json:"preferred" binding:"required" example:"true"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name SupplierItem

// SupplierItemInput creates or replaces a supplier item (PUT semantics).
type SupplierItemInput struct {
	SupplierSKU string `json:"supplier_sku,omitempty" maxLength:"64" example:"LL-CLN-150"`
	// UnitCost must be in the supplier's currency.
	UnitCost money.Amount `json:"unit_cost" binding:"required"`
	// MOQ defaults to 1.
	MOQ int64 `json:"moq,omitempty" minimum:"1" maximum:"1000000" example:"12"`
	// Preferred makes this supplier the variant's preferred one; any other
	// supplier's preferred flag for the variant is cleared.
	Preferred bool `json:"preferred,omitempty" example:"true"`
} // @name SupplierItemInput

// supplierItemRow is a supplier_items row.
type supplierItemRow struct {
	SupplierID  string `gorm:"primaryKey"`
	VariantID   string `gorm:"primaryKey"`
	SupplierSKU string `gorm:"column:supplier_sku"`
	UnitCost    int64
	MOQ         int64 `gorm:"column:moq"`
	Preferred   bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (supplierItemRow) TableName() string { return "supplier_items" }

func (r supplierItemRow) item(currency string) SupplierItem {
	return SupplierItem{SupplierID: r.SupplierID, VariantID: r.VariantID, SupplierSKU: r.SupplierSKU,
		UnitCost: money.Amount{Minor: r.UnitCost, Currency: currency}, MOQ: r.MOQ, Preferred: r.Preferred,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// PutSupplierItem creates or replaces the supplier's terms for a variant.
// Marking it preferred clears the flag on the variant's other suppliers in
// the same transaction.
func (s *Service) PutSupplierItem(ctx context.Context, actor auth.Actor, supplierID, variantID string, in SupplierItemInput) (SupplierItem, error) {
	if err := canBuy(actor); err != nil {
		return SupplierItem{}, err
	}
	if in.MOQ == 0 {
		in.MOQ = 1
	}
	in.SupplierSKU = strings.TrimSpace(in.SupplierSKU)
	var out SupplierItem
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		sup, err := s.supplier(ctx, supplierID)
		if err != nil {
			return err
		}
		if err := s.variantExists(ctx, variantID); err != nil {
			return err
		}
		c := &fieldChecks{}
		c.text("supplier_sku", in.SupplierSKU, MaxSupplierSKULen, false)
		c.between("moq", in.MOQ, 1, MaxMOQ)
		checkCost(c, "unit_cost", in.UnitCost, sup.Currency)
		if err := c.err(); err != nil {
			return err
		}
		now := s.now()
		conn := s.db.Conn(ctx)
		if in.Preferred {
			err := conn.Model(&supplierItemRow{}).
				Where("variant_id = ? AND supplier_id <> ? AND preferred", variantID, supplierID).
				Updates(map[string]any{"preferred": false, "updated_at": now}).Error
			if err != nil {
				return fmt.Errorf("clear preferred supplier: %w", err)
			}
		}
		// ON CONFLICT ... DO UPDATE is portable (SQLite >= 3.24, PostgreSQL)
		// and keeps created_at of an existing item.
		var rows []supplierItemRow
		err = conn.Raw(`INSERT INTO supplier_items
			(supplier_id, variant_id, supplier_sku, unit_cost, moq, preferred, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (supplier_id, variant_id) DO UPDATE SET supplier_sku = excluded.supplier_sku,
				unit_cost = excluded.unit_cost, moq = excluded.moq, preferred = excluded.preferred,
				updated_at = excluded.updated_at
			RETURNING supplier_id, variant_id, supplier_sku, unit_cost, moq, preferred, created_at, updated_at`,
			supplierID, variantID, in.SupplierSKU, in.UnitCost.Minor, in.MOQ, in.Preferred, now, now).
			Scan(&rows).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrPreferredTaken
		}
		if err != nil {
			return fmt.Errorf("upsert supplier item: %w", err)
		}
		out = rows[0].item(sup.Currency)
		return nil
	})
	return out, err
}

// DeleteSupplierItem removes the supplier's terms for a variant. Purchase
// orders already made keep their own copy of the cost.
func (s *Service) DeleteSupplierItem(ctx context.Context, actor auth.Actor, supplierID, variantID string) error {
	if err := canBuy(actor); err != nil {
		return err
	}
	if !id.Valid("sup", supplierID) {
		return ErrSupplierNotFound
	}
	res := s.db.Conn(ctx).Where("supplier_id = ? AND variant_id = ?", supplierID, variantID).
		Delete(&supplierItemRow{})
	if res.Error != nil {
		return fmt.Errorf("delete supplier item: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.supplier(ctx, supplierID); err != nil {
			return err
		}
		return ErrSupplierItemNotFound
	}
	return nil
}

// SupplierItems lists what a supplier sells us, by variant id.
func (s *Service) SupplierItems(ctx context.Context, actor auth.Actor, supplierID string, pr page.Request) (page.List[SupplierItem], error) {
	if err := canReadPurchasing(actor); err != nil {
		return page.List[SupplierItem]{}, err
	}
	sup, err := s.supplier(ctx, supplierID)
	if err != nil {
		return page.List[SupplierItem]{}, err
	}
	var rows []supplierItemRow
	q := s.db.Conn(ctx).Where("supplier_id = ?", supplierID).Order("variant_id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("variant_id > ?", pr.Cursor.ID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[SupplierItem]{}, fmt.Errorf("list supplier items: %w", err)
	}
	l := page.Build(rows, pr.Limit, func(r supplierItemRow) page.Cursor { return page.Cursor{ID: r.VariantID} })
	out := page.List[SupplierItem]{Data: make([]SupplierItem, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		out.Data[i] = r.item(sup.Currency)
	}
	return out, nil
}

// preferredItem returns the variant's preferred supplier item and its active
// supplier; ok is false when there is none (or the supplier is inactive).
func (s *Service) preferredItem(ctx context.Context, variantID string) (supplierItemRow, Supplier, bool, error) {
	var items []supplierItemRow
	err := s.db.Conn(ctx).Where("variant_id = ? AND preferred", variantID).Limit(1).Find(&items).Error
	if err != nil {
		return supplierItemRow{}, Supplier{}, false, fmt.Errorf("read preferred supplier: %w", err)
	}
	if len(items) == 0 {
		return supplierItemRow{}, Supplier{}, false, nil
	}
	sup, err := s.supplier(ctx, items[0].SupplierID)
	if err != nil || !sup.Active {
		return supplierItemRow{}, Supplier{}, false, err
	}
	return items[0], sup, true, nil
}

// variantExists returns ErrVariantNotFound unless variantID is a live
// variant. It is for ids in paths and queries (404); bodies use checkVariants (422).
func (s *Service) variantExists(ctx context.Context, variantID string) error {
	if !id.Valid("var", variantID) {
		return ErrVariantNotFound
	}
	live, err := s.cat.LiveVariants(ctx, []string{variantID})
	if err != nil {
		return err
	}
	if _, ok := live[variantID]; !ok {
		return ErrVariantNotFound
	}
	return nil
}

// checkCost checks a unit cost: the given currency, 0 <= amount <= MaxUnitCost.
func checkCost(c *fieldChecks, field string, a money.Amount, currency string) {
	if a.Currency != currency {
		c.add(field+".currency", "must be the supplier's currency %s", currency)
	}
	c.between(field+".amount", a.Minor, 0, MaxUnitCost)
}
