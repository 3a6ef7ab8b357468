package demo

import (
	"context"
	"fmt"

	"storekeep/internal/channels"
	"storekeep/internal/platform/auth"
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

// loadChannels creates the mobile app and the pop-up with a key each.
// warehouseIDs are the demo's warehouses, Paris first; euRegion is the EU
// region's id.
func loadChannels(ctx context.Context, chs *channels.Service, system auth.Actor, warehouseIDs []string,
	euRegion string) ([]ChannelKey, error) {
	active := true
	var out []ChannelKey
	for _, in := range []channels.Input{
		{Name: MobileChannelName, Kind: channels.KindMobile, WarehouseIDs: warehouseIDs, Active: &active},
		{Name: PopupChannelName, Kind: channels.KindPOS, WarehouseIDs: warehouseIDs[:1], RegionID: &euRegion, Active: &active},
	} {
		ch, err := chs.Create(ctx, system, in)
		if err != nil {
			return nil, fmt.Errorf("channel %s: %w", in.Name, err)
		}
		k, err := chs.CreateKey(ctx, system, channels.KeyInput{SalesChannelID: ch.ID})
		if err != nil {
			return nil, fmt.Errorf("key of channel %s: %w", in.Name, err)
		}
		out = append(out, ChannelKey{ID: ch.ID, Name: ch.Name, Kind: ch.Kind, Key: k.Key})
	}
	// TODO(channels): once products carry sales_channel_ids (catalog), put
	// every published demo product on the mobile app and the pop-up too
	// (the pop-up's past orders in demo_orders.go buy them with its key),
	// and add one product sold ONLY in the pop-up (a "Paris pop-up
	// exclusive" with stock in the Paris warehouse).
	return out, nil
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
