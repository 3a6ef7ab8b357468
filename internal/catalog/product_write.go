package catalog

import (
	"context"
	"slices"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
)

// CreateProduct validates in and creates the product with its variants,
// prices, links, images and translations in one transaction. The handle is
// generated from the title unless given.
func (s *Service) CreateProduct(ctx context.Context, actor auth.Actor, in ProductInput) (Product, error) {
	if err := canWrite(actor); err != nil {
		return Product{}, err
	}
	st := newState(in)
	if err := st.validate(nil); err != nil {
		return Product{}, err
	}
	return s.commit(ctx, st, nil)
}

// UpdateProduct applies a partial update; see ProductPatch for the rules.
func (s *Service) UpdateProduct(ctx context.Context, actor auth.Actor, productID string, patch ProductPatch) (Product, error) {
	return s.change(ctx, actor, productID, func(st *productState, prev *Product) error {
		st.applyPatch(patch)
		if patch.Variants != nil {
			matchBySKU(st, prev)
		}
		return nil
	})
}

// ArchiveProduct hides a product from the store for good (it stays readable
// by staff and can be published again with a PATCH).
func (s *Service) ArchiveProduct(ctx context.Context, actor auth.Actor, productID string) error {
	_, err := s.change(ctx, actor, productID, func(st *productState, _ *Product) error {
		st.Status = StatusArchived
		return nil
	})
	return err
}

// AddVariant appends a variant and returns the whole product.
func (s *Service) AddVariant(ctx context.Context, actor auth.Actor, productID string, in VariantInput) (Product, error) {
	return s.change(ctx, actor, productID, func(st *productState, _ *Product) error {
		if in.ID != "" {
			return validation(fieldError("id", "must not be set: the server assigns variant ids"))
		}
		st.Variants = append(st.Variants, variantFrom(in))
		return nil
	})
}

// UpdateVariant changes one live variant and returns the whole product.
func (s *Service) UpdateVariant(ctx context.Context, actor auth.Actor, productID, variantID string, patch VariantPatch) (Product, error) {
	return s.change(ctx, actor, productID, func(st *productState, _ *Product) error {
		i := slices.IndexFunc(st.Variants, func(v variantState) bool { return v.ID == variantID })
		if i < 0 {
			return ErrVariantNotFound
		}
		st.applyVariantPatch(i, patch)
		return nil
	})
}

// RemoveVariant archives one live variant; its SKU stays reserved. A
// product's last live variant cannot be removed (422 last_variant).
func (s *Service) RemoveVariant(ctx context.Context, actor auth.Actor, productID, variantID string) error {
	_, err := s.change(ctx, actor, productID, func(st *productState, _ *Product) error {
		i := slices.IndexFunc(st.Variants, func(v variantState) bool { return v.ID == variantID })
		if i < 0 {
			return ErrVariantNotFound
		}
		if len(st.Variants) == 1 {
			return ErrLastVariant
		}
		st.Variants = slices.Delete(st.Variants, i, i+1)
		return nil
	})
	return err
}

// change loads a product, lets edit modify its state, validates the whole
// product and saves it, all in one transaction with its product.updated
// event.
func (s *Service) change(ctx context.Context, actor auth.Actor, productID string, edit func(*productState, *Product) error) (Product, error) {
	if err := canWrite(actor); err != nil {
		return Product{}, err
	}
	if !id.Valid("prod", productID) {
		return Product{}, ErrProductNotFound
	}
	var out Product
	err := s.write(ctx, func(ctx context.Context) error {
		prev, err := s.loadAdmin(ctx, productID)
		if err != nil {
			return err
		}
		st := stateOf(&prev)
		if err := edit(st, &prev); err != nil {
			return err
		}
		live := make([]string, 0, len(prev.Variants))
		for _, v := range prev.Variants {
			live = append(live, v.ID)
		}
		if err := st.validate(live); err != nil {
			return err
		}
		if _, err := s.save(ctx, st, &prev); err != nil {
			return err
		}
		if out, err = s.loadAdmin(ctx, productID); err != nil {
			return err
		}
		return s.recordProduct(ctx, EventProductUpdated, out)
	})
	return out, err
}

// commit saves a new product, reads it back and records product.created.
func (s *Service) commit(ctx context.Context, st *productState, prev *Product) (Product, error) {
	var out Product
	err := s.write(ctx, func(ctx context.Context) error {
		pid, err := s.save(ctx, st, prev)
		if err != nil {
			return err
		}
		if out, err = s.loadAdmin(ctx, pid); err != nil {
			return err
		}
		return s.recordProduct(ctx, EventProductCreated, out)
	})
	return out, err
}

// matchBySKU lets a PATCH's variants list name an existing variant by SKU
// instead of id: an entry without id whose SKU belongs to a live variant not
// otherwise listed keeps that variant (and its id and stock).
func matchBySKU(st *productState, prev *Product) {
	claimed := map[string]bool{}
	for _, v := range st.Variants {
		if v.ID != "" {
			claimed[v.ID] = true
		}
	}
	for i := range st.Variants {
		v := &st.Variants[i]
		if v.ID != "" {
			continue
		}
		for _, pv := range prev.Variants {
			if pv.SKU == v.SKU && !claimed[pv.ID] {
				v.ID, claimed[pv.ID] = pv.ID, true
				break
			}
		}
	}
}
