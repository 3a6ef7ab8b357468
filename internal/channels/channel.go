package channels

import (
	"strings"
	"time"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/errs"
)

// Kinds of channel.
const (
	KindWeb         = "web"
	KindMobile      = "mobile"
	KindPOS         = "pos"
	KindSocial      = "social"
	KindMarketplace = "marketplace"
)

// Kinds lists the channel kinds.
var Kinds = []string{KindWeb, KindMobile, KindPOS, KindSocial, KindMarketplace}

// Channel is a sales channel as the admin API shows it.
type Channel struct {
	ID   string `json:"id" binding:"required" example:"sc_01jc9z8m7k5w3v2t1s0r9q8p7n"`
	Name string `json:"name" binding:"required" example:"Paris pop-up"`
	Kind string `json:"kind" binding:"required" enums:"web,mobile,pos,social,marketplace"`
	// WarehouseIDs fulfil the channel, in priority order (first preferred).
	WarehouseIDs []string `json:"warehouse_ids" binding:"required"`
	Active       bool     `json:"active" binding:"required"`
	// RegionID is the checkout region (currency and tax) of orders staff
	// record on the channel (point of sale); null when none is set.
	RegionID *string `json:"region_id" binding:"required" extensions:"x-nullable"`
	// IsDefault marks the shop's default web channel: store requests
	// without a publishable key use it; it cannot be deactivated.
	IsDefault bool      `json:"is_default" binding:"required"`
	CreatedAt time.Time `json:"created_at" binding:"required" format:"date-time"`
	UpdatedAt time.Time `json:"updated_at" binding:"required" format:"date-time"`
} // @name SalesChannel

// Input creates a channel.
type Input struct {
	Name         string   `json:"name" validate:"required" example:"Paris pop-up"`
	Kind         string   `json:"kind" validate:"required" enums:"web,mobile,pos,social,marketplace"`
	WarehouseIDs []string `json:"warehouse_ids"`
	RegionID     *string  `json:"region_id"`
	Active       *bool    `json:"active"`
} // @name SalesChannelInput

// Patch changes a channel; absent fields are kept. warehouse_ids replaces
// the whole list (its order is the new priority order).
type Patch struct {
	Name         *string   `json:"name"`
	Kind         *string   `json:"kind" enums:"web,mobile,pos,social,marketplace"`
	WarehouseIDs *[]string `json:"warehouse_ids"`
	// RegionID: "" clears it.
	RegionID *string `json:"region_id"`
	Active   *bool   `json:"active"`
} // @name SalesChannelPatch

// Errors of the channels domain.
var (
	ErrNotFound        = errs.New(errs.NotFound, "sales_channel_not_found", "the sales channel does not exist")
	ErrKeyNotFound     = errs.New(errs.NotFound, "not_found", "the publishable key does not exist")
	ErrDefaultInactive = errs.New(errs.Conflict, "default_channel_required",
		"the default web channel cannot be deactivated")
	// ErrInvalidKey: a store request's X-Publishable-Key is unknown,
	// malformed or revoked.
	ErrInvalidKey = errs.New(errs.Unauthenticated, "invalid_publishable_key",
		"the X-Publishable-Key header is not a valid, unrevoked publishable key")
	// ErrChannelInactive: the key is valid but its channel is deactivated.
	ErrChannelInactive = errs.New(errs.Forbidden, "sales_channel_inactive",
		"the sales channel of this publishable key is not active")
)

// validName trims a name and checks its length.
func validName(name string) (string, *errs.FieldError) {
	n := strings.TrimSpace(name)
	if n == "" || len(n) > 200 {
		return "", &errs.FieldError{Field: "name", Message: "is required (at most 200 characters)"}
	}
	return n, nil
}

func validKind(kind string) *errs.FieldError {
	for _, k := range Kinds {
		if k == kind {
			return nil
		}
	}
	return &errs.FieldError{Field: "kind", Message: "must be one of " + strings.Join(Kinds, ", ")}
}

// scope is the channel as a request scope, given the shop's active
// warehouses in allocation order.
func (c Channel) scope(active []string) channel.Scope {
	on := make(map[string]bool, len(active))
	for _, w := range active {
		on[w] = true
	}
	var whs []string
	for _, w := range c.WarehouseIDs {
		if on[w] {
			whs = append(whs, w)
		}
	}
	return channel.Scope{ID: c.ID, Kind: c.Kind, WarehouseIDs: whs, AllWarehouses: len(whs) == len(active)}
}
