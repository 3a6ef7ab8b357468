package catalog

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm/clause"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// maxChannelProducts bounds one bulk change (add and remove each), so it
// stays one bounded transaction.
const maxChannelProducts = 500

// ErrChannelNotFound: a bulk change names a sales channel that does not
// exist (the channels routes' own code).
var ErrChannelNotFound = errs.New(errs.NotFound, "sales_channel_not_found", "the sales channel does not exist")

// ChannelProducts adds products to one sales channel and removes others,
// in one transaction.
type ChannelProducts struct {
	// Add lists products to sell on the channel (already on it: no change).
	Add []string `json:"add,omitempty" example:"prod_06h1wbq289tcsfkv0n05e2brnc"`
	// Remove lists products to take off the channel (not on it: no change).
	Remove []string `json:"remove,omitempty"`
} // @name ChannelProductsInput

// ChannelProductsResult says what a bulk change did.
type ChannelProductsResult struct {
	SalesChannelID string
	// Added and Removed count the links actually created and deleted.
	Added, Removed int
}

// SetChannelProducts applies a bulk change to the products sold on a
// channel: all of it or, on any unknown channel or product, nothing. Each
// product that changed gets a product.updated event with its new
// sales_channel_ids. Managers and admins.
func (s *Service) SetChannelProducts(ctx context.Context, actor auth.Actor, channelID string, in ChannelProducts) (ChannelProductsResult, error) {
	if err := canWrite(actor); err != nil {
		return ChannelProductsResult{}, err
	}
	if err := s.channelExists(ctx, channelID); err != nil {
		return ChannelProductsResult{}, err
	}
	c := &checker{}
	add := c.productIDs("add", in.Add)
	remove := c.productIDs("remove", in.Remove)
	for i, p := range in.Remove {
		if slices.Contains(add, p) {
			c.add(fmt.Sprintf("remove[%d]", i), "is also in add")
		}
	}
	if err := c.err(); err != nil {
		return ChannelProductsResult{}, err
	}
	out := ChannelProductsResult{SalesChannelID: channelID}
	err := s.write(ctx, func(ctx context.Context) error {
		if err := s.checkProductsExist(ctx, in.Add, in.Remove); err != nil {
			return err
		}
		conn := s.db.Conn(ctx)
		var on []string
		if err := conn.Model(&productChannelRow{}).Where("sales_channel_id = ? AND product_id IN ?", channelID,
			append(slices.Clone(add), remove...)).Pluck("product_id", &on).Error; err != nil {
			return fmt.Errorf("channel products: %w", err)
		}
		var rows []productChannelRow
		var changed []string
		for _, p := range add {
			if !slices.Contains(on, p) {
				rows = append(rows, productChannelRow{ProductID: p, SalesChannelID: channelID})
				changed = append(changed, p)
			}
		}
		if len(rows) > 0 {
			// A concurrent change may have added the same link since the read:
			// the link exists either way.
			res := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
			if res.Error != nil {
				return fmt.Errorf("add channel products: %w", res.Error)
			}
			out.Added = int(res.RowsAffected)
		}
		var gone []string
		for _, p := range remove {
			if slices.Contains(on, p) {
				gone = append(gone, p)
			}
		}
		if len(gone) > 0 {
			res := conn.Where("sales_channel_id = ? AND product_id IN ?", channelID, gone).Delete(&productChannelRow{})
			if res.Error != nil {
				return fmt.Errorf("remove channel products: %w", res.Error)
			}
			out.Removed = int(res.RowsAffected)
			changed = append(changed, gone...)
		}
		return s.recordChanged(ctx, changed)
	})
	if err != nil {
		return ChannelProductsResult{}, err
	}
	return out, nil
}

// channelExists answers ErrChannelNotFound for an unknown channel.
func (s *Service) channelExists(ctx context.Context, channelID string) error {
	if !id.Valid("sc", channelID) {
		return ErrChannelNotFound
	}
	if s.channels == nil { // not wired (package tests): only the default exists
		if channelID != channel.DefaultID {
			return ErrChannelNotFound
		}
		return nil
	}
	known, err := s.channels.Known(ctx, []string{channelID})
	if err != nil {
		return err
	}
	if !known[channelID] {
		return ErrChannelNotFound
	}
	return nil
}

// productIDs checks one list of a bulk change: at most maxChannelProducts
// well-formed product ids; it returns them de-duplicated.
func (c *checker) productIDs(field string, in []string) []string {
	if len(in) > maxChannelProducts {
		c.add(field, "must have at most %d entries", maxChannelProducts)
		return nil
	}
	out := make([]string, 0, len(in))
	for i, v := range in {
		if !id.Valid("prod", v) {
			c.add(fmt.Sprintf("%s[%d]", field, i), "must be a prod_ id")
			continue
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// checkProductsExist answers 422 naming every id of add and remove that is
// not a product.
func (s *Service) checkProductsExist(ctx context.Context, add, remove []string) error {
	all := append(slices.Clone(add), remove...)
	if len(all) == 0 {
		return nil
	}
	var found []string
	if err := s.db.Conn(ctx).Model(&productRow{}).Where("id IN ?", all).Pluck("id", &found).Error; err != nil {
		return fmt.Errorf("channel products: %w", err)
	}
	c := &checker{}
	for _, l := range []struct {
		field string
		ids   []string
	}{{"add", add}, {"remove", remove}} {
		for i, v := range l.ids {
			if !slices.Contains(found, v) {
				c.add(fmt.Sprintf("%s[%d]", l.field, i), "product %s does not exist", v)
			}
		}
	}
	return c.err()
}

// recordChanged touches the products whose channels changed and records a
// product.updated event for each, carrying its new sales_channel_ids.
func (s *Service) recordChanged(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	conn := s.db.Conn(ctx)
	if err := conn.Model(&productRow{}).Where("id IN ?", ids).UpdateColumn("updated_at", s.now()).Error; err != nil {
		return fmt.Errorf("touch products: %w", err)
	}
	res, err := conn.Raw("SELECT "+productCols+" FROM products p WHERE p.id IN ? ORDER BY p.id", ids).Rows()
	if err != nil {
		return err
	}
	rows, err := scanProducts(res, false)
	if err != nil {
		return err
	}
	ps, err := s.assemble(ctx, rows, view{admin: true})
	if err != nil {
		return err
	}
	for _, p := range ps {
		if err := s.recordProduct(ctx, EventProductUpdated, p); err != nil {
			return err
		}
	}
	return nil
}
