package inventory

import (
	"context"
	"errors"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// TransferInput moves units between two warehouses.
type TransferInput struct {
	VariantID       string `json:"variant_id" validate:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	FromWarehouseID string `json:"from_warehouse_id" validate:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	ToWarehouseID   string `json:"to_warehouse_id" validate:"required" example:"wh_06h1wbq28e6z2p5t8k1m3n4q7r"`
	Quantity        int64  `json:"quantity" validate:"required,min=1,max=1000000" example:"5"`
	Reason          string `json:"reason,omitempty" text:"free" validate:"max=500" example:"rebalance before sale"`
} // @name StockTransferInput

// Transfer is the result of a transfer: both levels and both movements,
// which share the transfer id as their reference.
type Transfer struct {
	ID   string      `json:"id" binding:"required" example:"trf_06h1wbq28dxanf5st2bqp8yfxm"`
	From StockChange `json:"from" binding:"required"`
	To   StockChange `json:"to" binding:"required"`
} // @name StockTransfer

// Transfer moves quantity units of a variant from one warehouse to another:
// a transfer_out and a transfer_in movement in one transaction (both legs or
// neither). Only available (unreserved) units can leave: 409
// insufficient_stock otherwise. Same warehouse: 422 same_warehouse.
// Warehouse staff, managers and admins.
func (s *Service) Transfer(ctx context.Context, actor auth.Actor, in TransferInput) (Transfer, error) {
	if err := canWrite(actor); err != nil {
		return Transfer{}, err
	}
	if in.Quantity <= 0 || in.Quantity > MaxDelta {
		return Transfer{}, errs.Invalidf("quantity", "must be between 1 and 1000000")
	}
	if in.FromWarehouseID == in.ToWarehouseID {
		return Transfer{}, ErrSameWarehouse
	}
	reason := strings.TrimSpace(in.Reason)
	out := Transfer{ID: id.New("trf")}
	err := s.write(ctx, func(ctx context.Context) error {
		// Warehouses first, in id order (lock order in ledger.go).
		type leg struct {
			field, wh string
			delta     int64
			kind      Kind
			active    bool
			res       *StockChange
		}
		legs := []*leg{
			{"from_warehouse_id", in.FromWarehouseID, -in.Quantity, KindTransferOut, false, &out.From},
			{"to_warehouse_id", in.ToWarehouseID, in.Quantity, KindTransferIn, false, &out.To},
		}
		if legs[1].wh < legs[0].wh {
			legs[0], legs[1] = legs[1], legs[0]
		}
		for _, l := range legs {
			w, err := s.lockWarehouse(ctx, l.field, l.wh)
			if err != nil {
				return err
			}
			l.active = w.Active
		}
		var avail int64
		for _, l := range legs { // levels of one variant, in warehouse order
			lvl, mv, err := s.moveLevel(ctx, Move{VariantID: in.VariantID, WarehouseID: l.wh,
				Delta: l.delta, Kind: l.kind, Reason: reason, Reference: out.ID, Actor: actor})
			if l.delta < 0 && (errors.Is(err, ErrStockReserved) || errors.Is(err, ErrInsufficientStock)) {
				return ErrInsufficientStock.WithDetail("not enough available stock at the source warehouse")
			}
			if err != nil {
				return err
			}
			*l.res = StockChange{Level: lvl, Movement: mv}
			if l.active {
				avail += l.delta
			}
		}
		if err := s.cat.AddAvailable(ctx, in.VariantID, avail); err != nil {
			return err
		}
		from := out.From.Level
		return s.checkLow(ctx, from, from.lowBefore(in.Quantity))
	})
	if err != nil {
		return Transfer{}, err
	}
	return out, nil
}
