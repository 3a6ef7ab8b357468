package checkout

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Guest cart cleanup (docs/checkout.md "Guest cart cleanup"). Anyone can
// make a guest cart and most are never checked out, so open guest carts
// untouched for longer than the TTL are deleted, with their lines and
// codes, in batches of purgeBatch carts, each batch in its own short
// transaction, at most purgeBatches batches per run (the next run goes on).
// Carts of customers, and carts that are or were being checked out, are
// never deleted: orders and their owners refer to them.
const (
	purgeBatch   = 500
	purgeBatches = 20
)

// PurgeGuestCarts deletes open guest carts (no customer) not updated for
// longer than the guest cart TTL (WithCartLimits), and returns how many
// went. Before they go, the same transaction adds them to cart_purge_counts
// (per UTC hour of creation and currency: carts, carts with at least one
// item, the items' value before discounts), which is what the cart
// abandonment KPI needs of carts that no longer exist. Every change to a
// cart moves its updated_at under the cart's lock, and the delete re-checks
// every condition, so a cart a shopper touches meanwhile is kept (and not
// counted). Idempotent: a rerun finds nothing more to delete or count.
func (s *Service) PurgeGuestCarts(ctx context.Context) (int, error) {
	ttl := s.guestTTL()
	if ttl <= 0 {
		return 0, nil
	}
	cutoff := s.now().Add(-ttl)
	total := 0
	for range purgeBatches {
		found, deleted, err := s.purgeBatch(ctx, cutoff)
		total += deleted
		if err != nil || found < purgeBatch {
			return total, err
		}
	}
	return total, nil
}

// purgeBatch deletes up to purgeBatch carts idle since before cutoff; found
// is how many were candidates, deleted how many went.
func (s *Service) purgeBatch(ctx context.Context, cutoff time.Time) (found, deleted int, err error) {
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		var carts []cartRow
		if err := conn.Select("id", "currency", "created_at").
			Where("customer_id IS NULL AND status = ? AND updated_at < ?", CartOpen, cutoff).
			Order("updated_at, id").Limit(purgeBatch).Find(&carts).Error; err != nil {
			return fmt.Errorf("find abandoned carts: %w", err)
		}
		found = len(carts)
		if found == 0 {
			return nil
		}
		ids := make([]string, found)
		for i, c := range carts {
			ids[i] = c.ID
		}
		var items []cartSubtotal
		if err := conn.Model(&cartItemRow{}).Select("cart_id, SUM(quantity * unit_price) AS subtotal").
			Where("cart_id IN ?", ids).Group("cart_id").Scan(&items).Error; err != nil {
			return fmt.Errorf("sum abandoned cart items: %w", err)
		}
		channelOf, err := s.cartChannels(ctx, ids)
		if err != nil {
			return err
		}
		// Lines and codes go with their cart (ON DELETE CASCADE).
		var gone []string
		if err := conn.Raw(`DELETE FROM carts WHERE id IN ? AND customer_id IS NULL AND status = ? AND updated_at < ?
RETURNING id`, ids, CartOpen, cutoff).Scan(&gone).Error; err != nil {
			return fmt.Errorf("delete abandoned carts: %w", err)
		}
		deleted = len(gone)
		if err := s.countPurged(ctx, carts, gone, items); err != nil {
			return err
		}
		return s.countPurgedByChannel(ctx, carts, gone, items, channelOf)
	})
	return found, deleted, err
}

// cartSubtotal is a cart's items' value before discounts.
type cartSubtotal struct {
	CartID   string
	Subtotal int64
}

// purgeCount is one row of cart_purge_counts, or the increment to it.
type purgeCount struct {
	CreatedHour    time.Time
	Currency       string
	Carts          int64
	CartsWithItems int64
	ItemsSubtotal  int64
}

// countPurged adds the deleted carts (gone, among carts) to
// cart_purge_counts with one upsert per (creation hour, currency).
func (s *Service) countPurged(ctx context.Context, carts []cartRow, gone []string, items []cartSubtotal) error {
	subtotal := make(map[string]int64, len(items))
	for _, it := range items {
		subtotal[it.CartID] = it.Subtotal
	}
	deleted := make(map[string]bool, len(gone))
	for _, id := range gone {
		deleted[id] = true
	}
	type key struct {
		hour     time.Time
		currency string
	}
	var order []key
	counts := map[key]*purgeCount{}
	for _, c := range carts {
		if !deleted[c.ID] {
			continue
		}
		k := key{c.CreatedAt.UTC().Truncate(time.Hour), c.Currency}
		n, ok := counts[k]
		if !ok {
			n = &purgeCount{CreatedHour: k.hour, Currency: k.currency}
			counts[k] = n
			order = append(order, k)
		}
		n.Carts++
		if v, ok := subtotal[c.ID]; ok {
			n.CartsWithItems++
			n.ItemsSubtotal += v
		}
	}
	// A fixed order of upserts: concurrent runs take the rows' locks alike.
	slices.SortFunc(order, func(a, b key) int {
		return cmp.Or(a.hour.Compare(b.hour), strings.Compare(a.currency, b.currency))
	})
	for _, k := range order {
		n := counts[k]
		if err := s.db.Conn(ctx).Exec(`INSERT INTO cart_purge_counts (created_hour, currency, carts, carts_with_items, items_subtotal)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (created_hour, currency) DO UPDATE SET carts = cart_purge_counts.carts + excluded.carts,
    carts_with_items = cart_purge_counts.carts_with_items + excluded.carts_with_items,
    items_subtotal = cart_purge_counts.items_subtotal + excluded.items_subtotal`,
			n.CreatedHour, n.Currency, n.Carts, n.CartsWithItems, n.ItemsSubtotal).Error; err != nil {
			return fmt.Errorf("count purged carts: %w", err)
		}
	}
	return nil
}
