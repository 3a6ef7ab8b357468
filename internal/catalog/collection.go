package catalog

import (
	"context"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// CreateCollection validates in and creates the collection. The handle is
// generated from the title unless given.
func (s *Service) CreateCollection(ctx context.Context, actor auth.Actor, in CollectionInput) (Collection, error) {
	if err := canWrite(actor); err != nil {
		return Collection{}, err
	}
	trs := titleTranslations(in.Translations)
	row := collectionRow{Title: strings.TrimSpace(in.Title), Description: in.Description}
	c := &checker{}
	checkCollection(c, row, trs)
	if in.Handle != "" {
		c.handle("handle", in.Handle)
	}
	if err := c.err(); err != nil {
		return Collection{}, err
	}
	var out Collection
	err := s.write(ctx, func(ctx context.Context) error {
		h, err := s.handleFor(ctx, "collections", in.Handle, row.Title, "collection")
		if err != nil {
			return err
		}
		now := s.now()
		row.ID, row.Handle, row.CreatedAt, row.UpdatedAt = id.New("col"), h, now, now
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return dbErr(err)
		}
		if err := s.replaceTranslations(ctx, entityCollection, row.ID, trs); err != nil {
			return err
		}
		out = collectionOf(row, trs)
		return nil
	})
	return out, err
}

// UpdateCollection changes some fields of a collection.
func (s *Service) UpdateCollection(ctx context.Context, actor auth.Actor, collectionID string, p CollectionPatch) (Collection, error) {
	if err := canWrite(actor); err != nil {
		return Collection{}, err
	}
	if !id.Valid("col", collectionID) {
		return Collection{}, ErrCollectionNotFound
	}
	var out Collection
	err := s.write(ctx, func(ctx context.Context) error {
		row, err := s.collectionRow(ctx, collectionID)
		if err != nil {
			return err
		}
		all, err := s.translationsOf(ctx, entityCollection, []string{collectionID}, nil)
		if err != nil {
			return err
		}
		trs := all[collectionID]
		if trs == nil {
			trs = map[string]Translation{}
		}
		for l, t := range p.Translations {
			if t == nil {
				delete(trs, l)
				continue
			}
			trs[l] = Translation{Title: t.Title, Description: t.Description}
		}
		if p.Title != nil {
			row.Title = strings.TrimSpace(*p.Title)
		}
		if p.Description != nil {
			row.Description = *p.Description
		}
		c := &checker{}
		checkCollection(c, row, trs)
		if p.Handle != nil {
			c.handle("handle", *p.Handle)
		}
		if err := c.err(); err != nil {
			return err
		}
		if p.Handle != nil && *p.Handle != row.Handle {
			taken, err := s.handleTaken(ctx, "collections", *p.Handle, row.ID)
			if err != nil {
				return err
			}
			if taken {
				return ErrHandleTaken.WithFields(fieldError("handle", "is already used by another collection"))
			}
			row.Handle = *p.Handle
		}
		row.UpdatedAt = s.now()
		err = s.db.Conn(ctx).Model(&collectionRow{ID: row.ID}).
			Select("handle", "title", "description", "updated_at").Updates(&row).Error
		if err != nil {
			return dbErr(err)
		}
		if err := s.replaceTranslations(ctx, entityCollection, row.ID, trs); err != nil {
			return err
		}
		out = collectionOf(row, trs)
		return nil
	})
	return out, err
}

// DeleteCollection deletes a collection; its products simply leave it.
func (s *Service) DeleteCollection(ctx context.Context, actor auth.Actor, collectionID string) error {
	if err := canWrite(actor); err != nil {
		return err
	}
	if !id.Valid("col", collectionID) {
		return ErrCollectionNotFound
	}
	return s.write(ctx, func(ctx context.Context) error {
		if _, err := s.collectionRow(ctx, collectionID); err != nil {
			return err
		}
		if err := s.replaceTranslations(ctx, entityCollection, collectionID, nil); err != nil {
			return err
		}
		return s.db.Conn(ctx).Delete(&collectionRow{ID: collectionID}).Error
	})
}

// AdminCollection returns a collection with its translations.
func (s *Service) AdminCollection(ctx context.Context, actor auth.Actor, collectionID string) (Collection, error) {
	if err := canRead(actor); err != nil {
		return Collection{}, err
	}
	if !id.Valid("col", collectionID) {
		return Collection{}, ErrCollectionNotFound
	}
	row, err := s.collectionRow(ctx, collectionID)
	if err != nil {
		return Collection{}, err
	}
	trs, err := s.translationsOf(ctx, entityCollection, []string{collectionID}, nil)
	if err != nil {
		return Collection{}, err
	}
	return collectionOf(row, trs[collectionID]), nil
}

// AdminListCollections lists collections oldest first, with translations.
func (s *Service) AdminListCollections(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Collection], error) {
	if err := canRead(actor); err != nil {
		return page.List[Collection]{}, err
	}
	return s.listCollections(ctx, pr, "", nil)
}

// StoreCollections lists collections oldest first, localised; it returns the
// locale used.
func (s *Service) StoreCollections(ctx context.Context, lr LocaleRequest, pr page.Request) (page.List[Collection], string, error) {
	locale, chain, err := s.resolveLocale(ctx, lr)
	if err != nil {
		return page.List[Collection]{}, "", err
	}
	l, err := s.listCollections(ctx, pr, locale, chain)
	return l, locale, err
}

// listCollections reads a page; with locale set it localises (store view),
// otherwise it attaches every translation (admin view).
func (s *Service) listCollections(ctx context.Context, pr page.Request, locale string, chain []string) (page.List[Collection], error) {
	var rows []collectionRow
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Collection]{}, err
	}
	l := page.Build(rows, pr.Limit, func(r collectionRow) page.Cursor { return page.Cursor{ID: r.ID} })
	ids := make([]string, len(l.Data))
	for i, r := range l.Data {
		ids[i] = r.ID
	}
	store := locale != ""
	var trs map[string]map[string]Translation
	if !store || len(chain) > 0 {
		var err error
		if trs, err = s.translationsOf(ctx, entityCollection, ids, chain); err != nil {
			return page.List[Collection]{}, err
		}
	}
	out := page.List[Collection]{Data: make([]Collection, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		c := collectionOf(r, trs[r.ID])
		if store {
			c.Translations, c.Locale = nil, locale
			c.Title = localize(trs[r.ID], chain, c.Title, Translation.title)
			c.Description = localize(trs[r.ID], chain, c.Description, Translation.description)
		}
		out.Data[i] = c
	}
	return out, nil
}

func (s *Service) collectionRow(ctx context.Context, collectionID string) (collectionRow, error) {
	var rows []collectionRow
	if err := s.db.Conn(ctx).Where("id = ?", collectionID).Limit(1).Find(&rows).Error; err != nil {
		return collectionRow{}, err
	}
	if len(rows) == 0 {
		return collectionRow{}, ErrCollectionNotFound
	}
	return rows[0], nil
}

func checkCollection(c *checker, row collectionRow, trs map[string]Translation) {
	c.text("title", row.Title, MaxTitleLen, true)
	c.text("description", row.Description, MaxDescriptionLen, false)
	c.translations(trs)
}

func collectionOf(r collectionRow, trs map[string]Translation) Collection {
	c := Collection{
		ID: r.ID, Handle: r.Handle, Title: r.Title, Description: r.Description,
		Translations: trs, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
	if c.Translations == nil {
		c.Translations = map[string]Translation{}
	}
	return c
}

func titleTranslations(in map[string]TitleTranslation) map[string]Translation {
	out := make(map[string]Translation, len(in))
	for l, t := range in {
		out[l] = Translation{Title: t.Title, Description: t.Description}
	}
	return out
}
