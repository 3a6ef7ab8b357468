package orders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
)

// Cancellation statuses: pending until its money is settled.
const (
	cancellationPending = "pending"
	cancellationSettled = "settled"
)

// How a cancellation's money was settled.
const (
	// SettlementCaptureReduced: the payment was still only authorised; its
	// capture took the total minus the canceled share, and the rest of the
	// authorisation lapsed.
	SettlementCaptureReduced = "capture_reduced"
	// SettlementRefunded: the payment was captured; the share was refunded.
	SettlementRefunded = "refunded"
	// SettlementNone: nothing was owed back (nothing taken, or everything
	// already given back).
	SettlementNone = "none"
)

// cancelRemainderKey prefixes the provider key of a cancellation's refund:
// with the cancellation id it is the same request on every attempt.
const cancelRemainderKey = "order-cancel-remainder"

// cancellationRow is one canceled remainder and the money it owes back.
type cancellationRow struct {
	ID       string
	OrderID  string
	Currency string
	Units    int64
	Amount   int64
	// RefundAmount is fixed before the first refund attempt (nil: none yet).
	RefundAmount *int64
	Status       string
	Settlement   string
	Actor        string
	CreatedAt    time.Time
	SettledAt    *time.Time
}

func (cancellationRow) TableName() string { return "order_cancellations" }

// CancelRemainder cancels the units of a confirmed, partly fulfilled order
// that are not fulfilled yet, when they will never ship. In one
// transaction, under the order lock: each line's canceled_quantity takes
// its units still to fulfil, the order's canceled_total rises by their
// share (see cancel_share.go), exactly their reserved stock is released
// (the fulfilled units' stock is untouched), a cancellation is recorded and
// the order's fulfillment_status becomes fulfilled (or further, when every
// fulfilment has already shipped or been delivered: it then completes).
// After the commit the canceled share is settled (settleCancellation):
// left out of the capture of an authorised payment, refunded from a
// captured one; a provider failure is in the timeline and the periodic
// order job retries. An order with nothing fulfilled is canceled whole
// instead (409 invalid_status), as is one with nothing left to fulfil or
// not confirmed; two concurrent calls: one wins, the other is 409.
// Managers and admins.
func (s *Service) CancelRemainder(ctx context.Context, actor auth.Actor, orderID string) (Order, error) {
	if err := canManage(actor); err != nil {
		return Order{}, err
	}
	if !id.Valid("order", orderID) {
		return Order{}, ErrOrderNotFound
	}
	if s.inv == nil || s.pay == nil {
		return Order{}, ErrNotConfigured
	}
	var c cancellationRow
	err := s.tx(ctx, func(ctx context.Context) error {
		var err error
		c, err = s.cancelRemainderLocked(ctx, orderID, actorName(actor))
		return err
	})
	if err != nil {
		return Order{}, err
	}
	s.settleAfterRemainder(ctx, c.ID, actorName(actor))
	return s.orderByID(ctx, orderID)
}

// cancelRemainderLocked is CancelRemainder's transaction.
func (s *Service) cancelRemainderLocked(ctx context.Context, orderID, actor string) (cancellationRow, error) {
	o, err := s.lockOrder(ctx, orderID, "only confirmed orders have a remainder to cancel", "status = ?", StatusConfirmed)
	if err != nil {
		return cancellationRow{}, err
	}
	items, err := s.orderItems(ctx, orderID)
	if err != nil {
		return cancellationRow{}, err
	}
	var fulfilled int64
	for _, it := range items {
		fulfilled += it.FulfilledQuantity
	}
	if fulfilled == 0 {
		return cancellationRow{}, ErrInvalidTransition.WithDetail(
			"nothing of the order is fulfilled: cancel the whole order instead (POST /v1/admin/orders/%s/cancel)", orderID)
	}
	lines, units, amount := remainderOf(o.Total, o.CanceledTotal, items)
	if units == 0 {
		return cancellationRow{}, ErrInvalidTransition.WithDetail("every unit of the order is fulfilled or canceled: nothing is left to cancel")
	}
	slices.SortFunc(lines, func(a, b remainderLine) int { return cmp.Compare(a.ItemID, b.ItemID) })
	conn := s.db.Conn(ctx)
	for _, l := range lines {
		res := conn.Exec(`UPDATE order_items SET canceled_quantity = canceled_quantity + ?
			WHERE id = ? AND fulfilled_quantity + canceled_quantity + ? <= quantity`, l.Units, l.ItemID, l.Units)
		if res.Error != nil {
			return cancellationRow{}, fmt.Errorf("cancel item units: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return cancellationRow{}, fmt.Errorf("cancel %d units of %s: the line changed under the order lock", l.Units, l.ItemID)
		}
	}
	if err := conn.Exec(`UPDATE orders SET canceled_total = canceled_total + ? WHERE id = ?`, amount, orderID).Error; err != nil {
		return cancellationRow{}, fmt.Errorf("raise canceled total: %w", err)
	}
	if err := s.releaseRemainder(ctx, o, lines); err != nil {
		return cancellationRow{}, err
	}
	c := cancellationRow{ID: id.New("ocan"), OrderID: orderID, Currency: o.Currency, Units: units, Amount: amount,
		Status: cancellationPending, Actor: actor, CreatedAt: s.now()}
	if err := conn.Create(&c).Error; err != nil {
		return cancellationRow{}, fmt.Errorf("insert cancellation: %w", err)
	}
	perItem := make([]map[string]any, len(lines))
	for i, l := range lines {
		perItem[i] = map[string]any{"item_id": l.ItemID, "quantity": l.Units, "amount": l.Amount}
	}
	if err := s.record(ctx, orderID, "order.remainder_canceled", actor, map[string]any{"cancellation_id": c.ID,
		"units": units, "amount": amount, "currency": o.Currency, "items": perItem}); err != nil {
		return cancellationRow{}, err
	}
	return c, s.refreshFulfillment(ctx, orderID, actor)
}

// releaseRemainder gives the canceled units' reserved stock back. An order
// whose reservation is already closed holds nothing to give back.
func (s *Service) releaseRemainder(ctx context.Context, o orderRow, lines []remainderLine) error {
	if o.ReservationID == nil {
		return nil
	}
	inv := make([]inventory.Line, len(lines))
	for i, l := range lines {
		inv[i] = inventory.Line{VariantID: l.VariantID, Quantity: l.Units}
	}
	_, err := s.inv.ReleaseLines(ctx, *o.ReservationID, inv)
	if errors.Is(err, inventory.ErrReservationClosed) || errors.Is(err, inventory.ErrReservationNotFound) {
		return nil
	}
	return err
}
