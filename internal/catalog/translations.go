package catalog

import (
	"context"
	"strings"
)

// replaceTranslations makes trs the complete set of translations of one entity.
func (s *Service) replaceTranslations(ctx context.Context, entity, entityID string, trs map[string]Translation) error {
	conn := s.db.Conn(ctx)
	if err := conn.Where("entity_type = ? AND entity_id = ?", entity, entityID).Delete(&translationRow{}).Error; err != nil {
		return err
	}
	if len(trs) == 0 {
		return nil
	}
	rows := make([]translationRow, 0, len(trs))
	for _, l := range sortedKeys(trs) {
		t := trs[l]
		rows = append(rows, translationRow{
			EntityType: entity, EntityID: entityID, Locale: l,
			Title: t.Title, Description: t.Description, SEOTitle: t.SEO.Title, SEODescription: t.SEO.Description,
			SortTitle: sortTitle(t.Title),
		})
	}
	return conn.Create(&rows).Error
}

// translationsOf loads translations of entities, keyed by entity id then
// locale. With locales empty it loads every locale.
func (s *Service) translationsOf(ctx context.Context, entity string, ids, locales []string) (map[string]map[string]Translation, error) {
	out := map[string]map[string]Translation{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []translationRow
	q := s.db.Conn(ctx).Where("entity_type = ? AND entity_id IN ?", entity, ids)
	if len(locales) > 0 {
		q = q.Where("locale IN ?", locales)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.EntityID] == nil {
			out[r.EntityID] = map[string]Translation{}
		}
		out[r.EntityID][r.Locale] = Translation{
			Title: r.Title, Description: r.Description,
			SEO: SEO{Title: r.SEOTitle, Description: r.SEODescription},
		}
	}
	return out, nil
}

// localize returns field's best translation along chain, else def: the
// field-by-field fallback to the default language.
func localize(trs map[string]Translation, chain []string, def string, field func(Translation) string) string {
	for _, l := range chain {
		if t, ok := trs[l]; ok {
			if v := field(t); v != "" {
				return v
			}
		}
	}
	return def
}

// sortTitle is the key the title sort orders by: folded, lower-case, with
// runs of spaces collapsed, so the order is the same on every database.
func sortTitle(title string) string {
	return strings.Join(strings.Fields(Fold(title)), " ")
}

func (t Translation) title() string          { return t.Title }
func (t Translation) description() string    { return t.Description }
func (t Translation) seoTitle() string       { return t.SEO.Title }
func (t Translation) seoDescription() string { return t.SEO.Description }
