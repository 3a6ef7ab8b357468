package demo

import (
	"context"
	"fmt"

	"storekeep/internal/catalog"
	"storekeep/internal/channels"
	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

// The demo's sales channels (docs/sales-channels.md): the default "Web
// store" every shop has, a mobile app selling from every warehouse and the
// "Paris pop-up", a point of sale fulfilled from the Paris warehouse alone
// and recording its sales in the EU region. The mobile app and the pop-up
// get a publishable key each, printed at start.
const (
	MobileChannelName = "Mobile app"
	PopupChannelName  = "Paris pop-up"
)

// ChannelKey is a demo channel with its publishable key.
type ChannelKey struct {
	ID, Name, Kind, Key string
}

// PopupExclusiveHandle is the demo product sold only at the Paris pop-up.
const PopupExclusiveHandle = "paris-pop-up-discovery-kit"

// loadChannels creates the mobile app and the pop-up with a key each, puts
// every demo product on both, and adds one product sold only at the
// pop-up, stocked in its warehouse. warehouseIDs are the demo's
// warehouses, Paris first; euRegion is the EU region's id.
func loadChannels(ctx context.Context, s Services, system auth.Actor, warehouseIDs []string,
	euRegion string, productIDs []string, categoryID string) ([]ChannelKey, error) {
	active := true
	var out []ChannelKey
	for _, in := range []channels.Input{
		{Name: MobileChannelName, Kind: channels.KindMobile, WarehouseIDs: warehouseIDs, Active: &active},
		{Name: PopupChannelName, Kind: channels.KindPOS, WarehouseIDs: warehouseIDs[:1], RegionID: &euRegion, Active: &active},
	} {
		ch, err := s.Channels.Create(ctx, system, in)
		if err != nil {
			return nil, fmt.Errorf("channel %s: %w", in.Name, err)
		}
		if _, err := s.Catalog.SetChannelProducts(ctx, system, ch.ID, catalog.ChannelProducts{Add: productIDs}); err != nil {
			return nil, fmt.Errorf("products of channel %s: %w", in.Name, err)
		}
		k, err := s.Channels.CreateKey(ctx, system, channels.KeyInput{SalesChannelID: ch.ID})
		if err != nil {
			return nil, fmt.Errorf("key of channel %s: %w", in.Name, err)
		}
		out = append(out, ChannelKey{ID: ch.ID, Name: ch.Name, Kind: ch.Kind, Key: k.Key})
	}
	if err := loadPopupExclusive(ctx, s, system, out[1].ID, warehouseIDs[0], categoryID); err != nil {
		return nil, fmt.Errorf("pop-up exclusive: %w", err)
	}
	return out, nil
}

// loadPopupExclusive adds the kit sold only at the pop-up (on no other
// channel, so neither the web store nor the app shows it), with stock in
// the pop-up's warehouse.
func loadPopupExclusive(ctx context.Context, s Services, system auth.Actor, popupID, warehouseID, categoryID string) error {
	cost := money.Amount{Minor: 950, Currency: "EUR"}
	p, err := s.Catalog.CreateProduct(ctx, system, catalog.ProductInput{
		Title: "Paris Pop-up Discovery Kit", Handle: PopupExclusiveHandle, Status: "published",
		Description:     "Travel sizes of our cleanser, toner and moisturiser in a linen pouch: only at the Paris pop-up.",
		CategoryIDs:     []string{categoryID},
		Tags:            []string{"kit", "pop-up"},
		Attributes:      map[string]any{"skin_types": []string{"normal", "dry", "combination"}, "cruelty_free": true},
		Images:          []catalog.ImageInput{{URL: "https://images.skincare.test/popupkit.jpg", Alt: "Paris Pop-up Discovery Kit"}},
		SalesChannelIDs: []string{popupID},
		Translations: map[string]catalog.TranslationInput{"fr": {Title: "Coffret découverte du pop-up parisien",
			Description: "Nos nettoyant, lotion et hydratant en format voyage, dans une pochette en lin : uniquement au pop-up de Paris."}},
		Variants: []catalog.VariantInput{{SKU: "KIT-POPUP-PARIS", Title: "Kit", Cost: &cost, WeightGrams: 220,
			Prices: []money.Amount{{Minor: 2900, Currency: "EUR"}}}},
	})
	if err != nil {
		return err
	}
	_, err = s.Inventory.Adjust(ctx, system, inventory.AdjustmentInput{VariantID: p.Variants[0].ID,
		WarehouseID: warehouseID, Delta: 40, Reason: "demo opening stock"})
	return err
}

// Channel returns the demo channel named name from res ("" when absent).
func (res Result) Channel(name string) ChannelKey {
	for _, c := range res.Channels {
		if c.Name == name {
			return c
		}
	}
	return ChannelKey{}
}
