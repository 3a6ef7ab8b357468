package catalog

import (
	"context"
	"fmt"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// CreateCategory validates in and creates the category. The handle is
// generated from the name unless given.
func (s *Service) CreateCategory(ctx context.Context, actor auth.Actor, in CategoryInput) (Category, error) {
	if err := canWrite(actor); err != nil {
		return Category{}, err
	}
	trs := nameTranslations(in.Translations)
	row := categoryRow{Name: strings.TrimSpace(in.Name), Description: in.Description, Position: in.Position}
	c := &checker{}
	checkCategory(c, row, trs)
	if in.Handle != "" {
		c.handle("handle", in.Handle)
	}
	if in.ParentID != "" && !id.Valid("cat", in.ParentID) {
		c.add("parent_id", "does not exist")
	}
	if err := c.err(); err != nil {
		return Category{}, err
	}
	var out Category
	err := s.write(ctx, func(ctx context.Context) error {
		if in.ParentID != "" {
			if _, err := s.categoryRow(ctx, in.ParentID); err != nil {
				return validation(fieldError("parent_id", "does not exist"))
			}
			row.ParentID = &in.ParentID
		}
		h, err := s.handleFor(ctx, "categories", in.Handle, row.Name, "category")
		if err != nil {
			return err
		}
		now := s.now()
		row.ID, row.Handle, row.CreatedAt, row.UpdatedAt = id.New("cat"), h, now, now
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return dbErr(err)
		}
		if err := s.replaceTranslations(ctx, entityCategory, row.ID, trs); err != nil {
			return err
		}
		out = categoryOf(row, trs)
		return nil
	})
	return out, err
}

// UpdateCategory changes some fields of a category. Moving it under itself or
// one of its descendants is 422 category_cycle.
func (s *Service) UpdateCategory(ctx context.Context, actor auth.Actor, categoryID string, p CategoryPatch) (Category, error) {
	if err := canWrite(actor); err != nil {
		return Category{}, err
	}
	if !id.Valid("cat", categoryID) {
		return Category{}, ErrCategoryNotFound
	}
	var out Category
	err := s.write(ctx, func(ctx context.Context) error {
		row, err := s.categoryRow(ctx, categoryID)
		if err != nil {
			return err
		}
		all, err := s.translationsOf(ctx, entityCategory, []string{categoryID}, nil)
		if err != nil {
			return err
		}
		trs := mergeNameTranslations(all[categoryID], p.Translations)
		if p.Name != nil {
			row.Name = strings.TrimSpace(*p.Name)
		}
		if p.Description != nil {
			row.Description = *p.Description
		}
		if p.Position != nil {
			row.Position = *p.Position
		}
		c := &checker{}
		checkCategory(c, row, trs)
		if p.Handle != nil {
			c.handle("handle", *p.Handle)
		}
		if err := c.err(); err != nil {
			return err
		}
		if p.ParentID != nil {
			if err := s.moveCategory(ctx, &row, *p.ParentID); err != nil {
				return err
			}
		}
		if p.Handle != nil && *p.Handle != row.Handle {
			taken, err := s.handleTaken(ctx, "categories", *p.Handle, row.ID)
			if err != nil {
				return err
			}
			if taken {
				return ErrHandleTaken.WithFields(fieldError("handle", "is already used by another category"))
			}
			row.Handle = *p.Handle
		}
		row.UpdatedAt = s.now()
		err = s.db.Conn(ctx).Model(&categoryRow{ID: row.ID}).
			Select("parent_id", "handle", "name", "description", "position", "updated_at").Updates(&row).Error
		if err != nil {
			return dbErr(err)
		}
		if err := s.replaceTranslations(ctx, entityCategory, row.ID, trs); err != nil {
			return err
		}
		out = categoryOf(row, trs)
		return nil
	})
	return out, err
}

// moveCategory sets row's parent to parentID ("" for the root), refusing
// unknown parents and cycles.
func (s *Service) moveCategory(ctx context.Context, row *categoryRow, parentID string) error {
	if parentID == "" {
		row.ParentID = nil
		return nil
	}
	if !id.Valid("cat", parentID) {
		return validation(fieldError("parent_id", "does not exist"))
	}
	var all []categoryRow
	if err := s.db.Conn(ctx).Select("id", "parent_id").Find(&all).Error; err != nil {
		return err
	}
	parent := map[string]string{}
	exists := false
	for _, c := range all {
		if c.ParentID != nil {
			parent[c.ID] = *c.ParentID
		}
		exists = exists || c.ID == parentID
	}
	if !exists {
		return validation(fieldError("parent_id", "does not exist"))
	}
	// Walk up from the new parent: meeting row means row would be its own
	// ancestor. The walk is bounded by the number of categories.
	for at, steps := parentID, 0; at != "" && steps <= len(all); at, steps = parent[at], steps+1 {
		if at == row.ID {
			return ErrCategoryCycle.WithFields(fieldError("parent_id", "is the category itself or one of its descendants"))
		}
	}
	row.ParentID = &parentID
	return nil
}

// DeleteCategory deletes a category without children; products in it simply
// lose it. A category with children is 409 category_has_children.
func (s *Service) DeleteCategory(ctx context.Context, actor auth.Actor, categoryID string) error {
	if err := canWrite(actor); err != nil {
		return err
	}
	if !id.Valid("cat", categoryID) {
		return ErrCategoryNotFound
	}
	return s.write(ctx, func(ctx context.Context) error {
		if _, err := s.categoryRow(ctx, categoryID); err != nil {
			return err
		}
		var n int64
		if err := s.db.Conn(ctx).Model(&categoryRow{}).Where("parent_id = ?", categoryID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrCategoryHasChildren
		}
		if err := s.replaceTranslations(ctx, entityCategory, categoryID, nil); err != nil {
			return err
		}
		return s.db.Conn(ctx).Delete(&categoryRow{ID: categoryID}).Error
	})
}

// AdminCategory returns a category with its translations.
func (s *Service) AdminCategory(ctx context.Context, actor auth.Actor, categoryID string) (Category, error) {
	if err := canRead(actor); err != nil {
		return Category{}, err
	}
	if !id.Valid("cat", categoryID) {
		return Category{}, ErrCategoryNotFound
	}
	row, err := s.categoryRow(ctx, categoryID)
	if err != nil {
		return Category{}, err
	}
	trs, err := s.translationsOf(ctx, entityCategory, []string{categoryID}, nil)
	if err != nil {
		return Category{}, err
	}
	return categoryOf(row, trs[categoryID]), nil
}

// AdminListCategories lists categories flat, oldest first, with translations.
func (s *Service) AdminListCategories(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Category], error) {
	if err := canRead(actor); err != nil {
		return page.List[Category]{}, err
	}
	var rows []categoryRow
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Category]{}, err
	}
	l := page.Build(rows, pr.Limit, func(r categoryRow) page.Cursor { return page.Cursor{ID: r.ID} })
	ids := make([]string, len(l.Data))
	for i, r := range l.Data {
		ids[i] = r.ID
	}
	trs, err := s.translationsOf(ctx, entityCategory, ids, nil)
	if err != nil {
		return page.List[Category]{}, err
	}
	out := page.List[Category]{Data: make([]Category, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		out.Data[i] = categoryOf(r, trs[r.ID])
	}
	return out, nil
}

// CategoryTree returns every category as a tree (roots first, children under
// their parent, each level by position then name), localised. It returns the
// locale used.
func (s *Service) CategoryTree(ctx context.Context, lr LocaleRequest) ([]Category, string, error) {
	locale, chain, err := s.resolveLocale(ctx, lr)
	if err != nil {
		return nil, "", err
	}
	var rows []categoryRow
	// Children are appended in this order, so every level comes out sorted.
	if err := s.db.Conn(ctx).Order("position, name, id").Find(&rows).Error; err != nil {
		return nil, "", err
	}
	var trs map[string]map[string]Translation
	if len(chain) > 0 {
		// Categories are few; loading the chain's translations of all of them
		// is one small query.
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if trs, err = s.translationsOf(ctx, entityCategory, ids, chain); err != nil {
			return nil, "", err
		}
	}
	counts, err := s.categoryCounts(ctx)
	if err != nil {
		return nil, "", err
	}
	children := map[string][]Category{}
	for _, r := range rows {
		c := categoryOf(r, nil)
		c.Translations, c.Locale, c.ProductCount = nil, locale, counts[r.ID]
		c.Name = localize(trs[r.ID], chain, c.Name, Translation.title)
		c.Description = localize(trs[r.ID], chain, c.Description, Translation.description)
		children[c.ParentID] = append(children[c.ParentID], c)
	}
	var build func(parent string, depth int) []Category
	build = func(parent string, depth int) []Category {
		level := children[parent]
		if depth > len(rows) { // unreachable without a cycle; never loop
			return nil
		}
		for i := range level {
			level[i].Children = build(level[i].ID, depth+1)
		}
		if level == nil {
			level = []Category{}
		}
		return level
	}
	return build("", 0), locale, nil
}

// categoryCounts counts, per category, the published products the listing
// filtered by that category shows (the category and its descendants, each
// product once), on the request's channel when there is one.
func (s *Service) categoryCounts(ctx context.Context) (map[string]int, error) {
	onChannel, args := "", []any{StatusPublished}
	if sc := scopeOf(ctx); sc != nil {
		onChannel, args = " AND "+onChannelSQL, append(args, sc.ID)
	}
	var rows []struct {
		CategoryID string
		N          int
	}
	err := s.db.Conn(ctx).Raw(`WITH RECURSIVE tree(root, id) AS (
			SELECT id, id FROM categories
			UNION ALL SELECT tree.root, c.id FROM categories c JOIN tree ON c.parent_id = tree.id)
		SELECT tree.root AS category_id, COUNT(DISTINCT pc.product_id) AS n
		FROM tree JOIN product_categories pc ON pc.category_id = tree.id JOIN products p ON p.id = pc.product_id
		WHERE p.status = ?`+onChannel+` GROUP BY tree.root`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("category product counts: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.CategoryID] = r.N
	}
	return out, nil
}

func (s *Service) categoryRow(ctx context.Context, categoryID string) (categoryRow, error) {
	var rows []categoryRow
	if err := s.db.Conn(ctx).Where("id = ?", categoryID).Limit(1).Find(&rows).Error; err != nil {
		return categoryRow{}, err
	}
	if len(rows) == 0 {
		return categoryRow{}, ErrCategoryNotFound
	}
	return rows[0], nil
}

func checkCategory(c *checker, row categoryRow, trs map[string]Translation) {
	c.text("name", row.Name, MaxTitleLen, true)
	c.text("description", row.Description, MaxDescriptionLen, false)
	if row.Position < 0 || row.Position > MaxPosition {
		c.add("position", "must be from 0 to %d", MaxPosition)
	}
	c.translations(trs)
}

func categoryOf(r categoryRow, trs map[string]Translation) Category {
	c := Category{
		ID: r.ID, Handle: r.Handle, Name: r.Name, Description: r.Description, Position: r.Position,
		Translations: trs, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if r.ParentID != nil {
		c.ParentID = *r.ParentID
	}
	if c.Translations == nil {
		c.Translations = map[string]Translation{}
	}
	return c
}

// nameTranslations stores a category's name in the title column.
func nameTranslations(in map[string]NameTranslation) map[string]Translation {
	out := make(map[string]Translation, len(in))
	for l, t := range in {
		out[l] = Translation{Title: t.Name, Description: t.Description}
	}
	return out
}

func mergeNameTranslations(cur map[string]Translation, patch map[string]*NameTranslation) map[string]Translation {
	out := make(map[string]Translation, len(cur)+len(patch))
	for l, t := range cur {
		out[l] = t
	}
	for l, t := range patch {
		if t == nil {
			delete(out, l)
			continue
		}
		out[l] = Translation{Title: t.Name, Description: t.Description}
	}
	return out
}
