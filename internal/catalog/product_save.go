package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// save validates st against the database (handle, SKUs, categories and
// collections) and writes it: the product row, then its children replaced
// whole, variants kept by id. prev is the stored product, nil when creating.
// It runs inside the caller's transaction and returns the product id.
func (s *Service) save(ctx context.Context, st *productState, prev *Product) (string, error) {
	if err := s.checkRefs(ctx, st); err != nil {
		return "", err
	}
	if err := s.checkSKUs(ctx, st); err != nil {
		return "", err
	}
	now := s.now()
	row := productRow{
		Title: st.Title, Description: st.Description, Status: st.Status,
		Tags: mustJSON(st.Tags), Attributes: mustJSON(st.Attributes),
		SEOTitle: st.SEO.Title, SEODescription: st.SEO.Description,
		SortTitle: sortTitle(st.Title), UpdatedAt: now,
	}
	row.SearchA, row.SearchB = searchText(st)
	if st.Status == StatusArchived {
		row.ArchivedAt = &now
		if prev != nil && prev.ArchivedAt != nil {
			row.ArchivedAt = prev.ArchivedAt
		}
	}
	conn := s.db.Conn(ctx)
	if prev == nil {
		h, err := s.handleFor(ctx, "products", st.Handle, st.Title, "product")
		if err != nil {
			return "", err
		}
		st.ID = id.New("prod")
		row.ID, row.Handle, row.CreatedAt = st.ID, h, now
		if err := conn.Create(&row).Error; err != nil {
			return "", dbErr(err)
		}
	} else {
		row.ID, row.Handle = prev.ID, prev.Handle
		if st.HandleChanged && st.Handle != prev.Handle {
			taken, err := s.handleTaken(ctx, "products", st.Handle, prev.ID)
			if err != nil {
				return "", err
			}
			if taken {
				return "", ErrHandleTaken.WithFields(fieldError("handle", "is already used by another product"))
			}
			row.Handle = st.Handle
		}
		err := conn.Model(&productRow{ID: prev.ID}).Select("handle", "title", "description", "status", "tags",
			"attributes", "seo_title", "seo_description", "sort_title", "search_a", "search_b", "updated_at",
			"archived_at").Updates(&row).Error
		if err != nil {
			return "", dbErr(err)
		}
	}
	if err := s.saveChildren(ctx, st); err != nil {
		return "", dbErr(err)
	}
	if err := s.saveVariants(ctx, st, prev); err != nil {
		return "", dbErr(err)
	}
	return st.ID, nil
}

// saveChildren replaces options, images, category and collection links and
// translations. None of them is referenced from elsewhere, so replacing is safe.
func (s *Service) saveChildren(ctx context.Context, st *productState) error {
	conn := s.db.Conn(ctx)
	for _, m := range []any{&optionRow{}, &imageRow{}, &productCategoryRow{}, &productCollectionRow{}, &productChannelRow{}} {
		if err := conn.Where("product_id = ?", st.ID).Delete(m).Error; err != nil {
			return err
		}
	}
	var opts []optionRow
	for i, o := range st.Options {
		opts = append(opts, optionRow{ProductID: st.ID, Position: i, Name: o.Name, Vals: mustJSON(o.Values)})
	}
	var imgs []imageRow
	for i, im := range st.Images {
		imgs = append(imgs, imageRow{ProductID: st.ID, Position: i, URL: im.URL, Alt: im.Alt})
	}
	var cats []productCategoryRow
	for _, c := range st.CategoryIDs {
		cats = append(cats, productCategoryRow{ProductID: st.ID, CategoryID: c})
	}
	var cols []productCollectionRow
	for _, c := range st.CollectionIDs {
		cols = append(cols, productCollectionRow{ProductID: st.ID, CollectionID: c})
	}
	var chans []productChannelRow
	for _, c := range st.SalesChannelIDs {
		chans = append(chans, productChannelRow{ProductID: st.ID, SalesChannelID: c})
	}
	for _, rows := range []any{opts, imgs, cats, cols, chans} {
		if err := createAll(conn, rows); err != nil {
			return err
		}
	}
	return s.replaceTranslations(ctx, entityProduct, st.ID, st.Translations)
}

// createAll inserts a slice of rows, doing nothing for an empty one.
func createAll(conn *gorm.DB, rows any) error {
	switch r := rows.(type) {
	case []optionRow:
		if len(r) == 0 {
			return nil
		}
		return conn.Create(&r).Error
	case []imageRow:
		if len(r) == 0 {
			return nil
		}
		return conn.Create(&r).Error
	case []productCategoryRow:
		if len(r) == 0 {
			return nil
		}
		return conn.Create(&r).Error
	case []productCollectionRow:
		if len(r) == 0 {
			return nil
		}
		return conn.Create(&r).Error
	case []productChannelRow:
		if len(r) == 0 {
			return nil
		}
		return conn.Create(&r).Error
	case []priceRow:
		if len(r) == 0 {
			return nil
		}
		return conn.Create(&r).Error
	}
	return fmt.Errorf("createAll: unexpected %T", rows)
}

// saveVariants inserts new variants, overwrites kept ones, archives the ones
// left out (their SKUs stay reserved) and replaces all prices.
func (s *Service) saveVariants(ctx context.Context, st *productState, prev *Product) error {
	conn := s.db.Conn(ctx)
	now := s.now()
	prevSKU := map[string]string{}
	var keep []string
	if prev != nil {
		for _, v := range prev.Variants {
			prevSKU[v.ID] = v.SKU
		}
	}
	// Park changed SKUs on the variant's own id first, so two variants can
	// swap SKUs without tripping the unique index half way.
	var parked []string
	for _, v := range st.Variants {
		if old, ok := prevSKU[v.ID]; ok && old != v.SKU {
			parked = append(parked, v.ID)
		}
	}
	if len(parked) > 0 {
		if err := conn.Model(&variantRow{}).Where("id IN ?", parked).Update("sku", gorm.Expr("id")).Error; err != nil {
			return err
		}
	}
	var prices []priceRow
	for i := range st.Variants {
		v := &st.Variants[i]
		row := variantRow{
			ProductID: st.ID, SKU: v.SKU, Title: v.Title, Options: mustJSON(v.Options),
			WeightGrams: v.WeightGrams, Position: i, AllowBackorder: v.AllowBackorder, UpdatedAt: now,
		}
		if row.Title == "" {
			row.Title = variantTitle(st.Options, v.Options)
		}
		if v.Options == nil {
			row.Options = "{}"
		}
		if v.Cost != nil {
			row.CostAmount, row.CostCurrency = &v.Cost.Minor, &v.Cost.Currency
		}
		if v.ID == "" {
			v.ID = id.New("var")
			row.ID, row.CreatedAt = v.ID, now
			if err := conn.Create(&row).Error; err != nil {
				return err
			}
		} else {
			row.ID = v.ID
			keep = append(keep, v.ID)
			err := conn.Model(&variantRow{ID: v.ID}).Select("sku", "title", "options", "cost_amount", "cost_currency",
				"weight_grams", "position", "allow_backorder", "updated_at").Updates(&row).Error
			if err != nil {
				return err
			}
		}
		for _, p := range v.Prices {
			prices = append(prices, priceRow{VariantID: v.ID, ProductID: st.ID, Currency: p.Currency, Amount: p.Minor})
		}
	}
	if prev != nil {
		var gone []string
		for _, v := range prev.Variants {
			if !slices.Contains(keep, v.ID) {
				gone = append(gone, v.ID)
			}
		}
		if len(gone) > 0 {
			err := conn.Model(&variantRow{}).Where("id IN ?", gone).
				Updates(map[string]any{"archived_at": now, "updated_at": now}).Error
			if err != nil {
				return err
			}
		}
	}
	if err := conn.Where("product_id = ?", st.ID).Delete(&priceRow{}).Error; err != nil {
		return err
	}
	return createAll(conn, prices)
}

// checkRefs turns unknown category and collection ids into 422s.
func (s *Service) checkRefs(ctx context.Context, st *productState) error {
	c := &checker{}
	for _, ref := range []struct {
		field, table string
		ids          []string
	}{{"category_ids", "categories", st.CategoryIDs}, {"collection_ids", "collections", st.CollectionIDs}} {
		if len(ref.ids) == 0 {
			continue
		}
		var found []string
		if err := s.db.Conn(ctx).Table(ref.table).Where("id IN ?", ref.ids).Pluck("id", &found).Error; err != nil {
			return err
		}
		for i, v := range ref.ids {
			if !slices.Contains(found, v) {
				c.add(fmt.Sprintf("%s[%d]", ref.field, i), "does not exist")
			}
		}
	}
	if err := s.checkChannels(ctx, c, st.SalesChannelIDs); err != nil {
		return err
	}
	return c.err()
}

// checkSKUs answers 409 sku_taken when a SKU belongs to any other variant,
// live or removed.
func (s *Service) checkSKUs(ctx context.Context, st *productState) error {
	skus := make([]string, 0, len(st.Variants))
	for _, v := range st.Variants {
		skus = append(skus, v.SKU)
	}
	var rows []variantRow
	if err := s.db.Conn(ctx).Select("id", "sku").Where("sku IN ?", skus).Find(&rows).Error; err != nil {
		return err
	}
	var fields []errs.FieldError
	for _, r := range rows {
		for _, v := range st.Variants {
			if v.SKU == r.SKU && v.ID != r.ID {
				fields = append(fields, fieldError(v.field("sku"), "is already used by another variant"))
			}
		}
	}
	if len(fields) > 0 {
		return ErrSKUTaken.WithFields(fields...)
	}
	return nil
}

// searchText builds the text the search index reads, as plain folded words:
// titles in every language (weighted higher), and descriptions, tags and
// SKUs.
func searchText(st *productState) (a, b string) {
	as := searchWords(st.Title)
	bs := append(searchWords(st.Description), searchWords(strings.Join(st.Tags, " "))...)
	for _, v := range st.Variants {
		bs = append(bs, searchWords(v.SKU)...)
	}
	for _, l := range sortedKeys(st.Translations) {
		t := st.Translations[l]
		as = append(as, searchWords(t.Title)...)
		bs = append(bs, searchWords(t.Description)...)
	}
	return strings.Join(as, " "), strings.Join(bs, " ")
}

// dbErr maps constraint violations that slipped past the checks (a concurrent
// write) to a 409.
func dbErr(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrForeignKeyViolated) {
		return errs.ErrConflict.WithDetail("the catalog changed concurrently; retry the request")
	}
	return err
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only validated maps, slices and strings reach here.
		panic("catalog: marshal: " + err.Error())
	}
	return string(b)
}
