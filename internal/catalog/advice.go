package catalog

import (
	"context"
	"encoding/json"
	"fmt"
)

// maxAdviceCandidates bounds what the support bot's skin quiz reads: a shop
// with more published products than this is advised from the newest ones.
const maxAdviceCandidates = 500

// AdviceProduct is a product the support bot may recommend: published, with
// at least one live variant in stock now, its title in the asked locale.
type AdviceProduct struct {
	ID         string
	Handle     string
	Title      string
	Tags       []string
	Attributes map[string]any
}

// AdviceCandidates returns the published products that have stock to sell
// right now (available > 0 on a live variant: a backorder is not advice
// anyone wants), newest first, titled in locale when a translation exists. A
// trusted internal read for the support bot's quiz, which filters them by
// their attributes.
func (s *Service) AdviceCandidates(ctx context.Context, locale string) ([]AdviceProduct, error) {
	var rows []struct {
		ID, Handle, Title, Tags, Attributes string
		TitleTr                             *string
	}
	// In a store request only the products on its channel are advised (the
	// stock test stays shop-wide: a pick the channel cannot fulfil is
	// dropped when the product is rendered for the channel).
	onChannel, args := "", []any{entityProduct, locale, StatusPublished}
	if sc := scopeOf(ctx); sc != nil {
		onChannel, args = " AND "+onChannelSQL, append(args, sc.ID)
	}
	err := s.db.Conn(ctx).Raw(`SELECT p.id, p.handle, p.title, p.tags, p.attributes, t.title AS title_tr
		FROM products p
		LEFT JOIN translations t ON t.entity_type = ? AND t.entity_id = p.id AND t.locale = ?
		WHERE p.status = ? AND p.archived_at IS NULL`+onChannel+`
		  AND EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.archived_at IS NULL AND v.available > 0)
		ORDER BY p.id DESC LIMIT ?`, append(args, maxAdviceCandidates)...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("advice candidates: %w", err)
	}
	out := make([]AdviceProduct, 0, len(rows))
	for _, r := range rows {
		p := AdviceProduct{ID: r.ID, Handle: r.Handle, Title: r.Title}
		if r.TitleTr != nil && *r.TitleTr != "" {
			p.Title = *r.TitleTr
		}
		// Both columns are written by this package as JSON; a row that does
		// not decode is advised on without them rather than failing the chat.
		_ = json.Unmarshal([]byte(r.Tags), &p.Tags)
		_ = json.Unmarshal([]byte(r.Attributes), &p.Attributes)
		out = append(out, p)
	}
	return out, nil
}
