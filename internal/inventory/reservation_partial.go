package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// ReleaseLines gives back part of an active reservation (an order whose
// unfulfilled remainder is canceled): for each variant of lines (quantities
// summed, in variant order) that many units leave the reservation, from its
// backordered lines first (they hold no stock), then from its lines held in
// warehouses, in warehouse order. The stock of the latter is released in one
// transaction: reserved drops with a guarded update and the catalog's
// available rises for active warehouses. Units already fulfilled are not on
// the reservation any more, so they are never touched. When no line is left
// the reservation is closed as committed (what it held that was not
// released was fulfilled). A reservation that is not active is 409
// reservation_closed; one that holds fewer units of a variant than asked is
// an error and changes nothing (the caller's quantities are wrong).
func (s *Service) ReleaseLines(ctx context.Context, reservationID string, lines []Line) (Reservation, error) {
	if !id.Valid("res", reservationID) {
		return Reservation{}, ErrReservationNotFound
	}
	dem, err := validateLines(lines)
	if err != nil {
		return Reservation{}, err
	}
	var out Reservation
	err = s.write(ctx, func(ctx context.Context) error {
		r, rows, err := s.lockActive(ctx, reservationID)
		if err != nil {
			return err
		}
		shrink := map[string]int64{} // reservation line id -> units removed
		var released []reservationLineRow
		for _, d := range dem {
			need := d.qty
			for _, backordered := range []bool{true, false} {
				for _, l := range rows { // lock order: variant, then warehouse
					if need == 0 || l.VariantID != d.variant || l.Backordered != backordered {
						continue
					}
					n := min(need, l.Quantity)
					shrink[l.ID] += n
					need -= n
					if l.WarehouseID != nil {
						part := l
						part.Quantity = n
						released = append(released, part)
					}
				}
			}
			if need > 0 {
				return fmt.Errorf("release lines of %s: it holds %d fewer units of %s than asked", reservationID, need, d.variant)
			}
		}
		// rows are in lock order (backordered last), so released is too.
		if err := s.returnLines(ctx, released); err != nil {
			return err
		}
		for lineID, n := range shrink {
			if err := s.shrinkLine(ctx, lineID, n); err != nil {
				return err
			}
		}
		return s.closeIfEmpty(ctx, r, &out)
	})
	return out, err
}

// UnfulfilInput puts the units of a canceled fulfilment back on the shelf,
// held for the order they were picked for.
type UnfulfilInput struct {
	// ReservationID is the order's reservation (active or committed); empty
	// when the order holds none: a new reservation is made.
	ReservationID string
	// Reference is the order id: the reference of the movements and of a
	// new reservation.
	Reference   string
	WarehouseID string
	// Reason is written on the movements ("fulfillment ful_... canceled").
	Reason string
	Actor  auth.Actor
	// Until is the hold's expiry (a confirmed order's: its stock is held
	// until it is fulfilled or canceled).
	Until time.Time
	Lines []Line
}

// Unfulfil reverses a fulfilment that did not leave the building: in one
// transaction, for each variant (in variant order) on_hand and reserved of
// the warehouse's level both rise by the units (available is unchanged: the
// stock is the order's again, not back on sale), a sale movement with a
// positive delta (a sale reversal) is ledgered, and the units are added to
// the reservation's line for that warehouse. A committed reservation is
// reopened (active, expiring at Until); a released one is 409
// reservation_closed. It returns the reservation (a new one when
// ReservationID was empty).
func (s *Service) Unfulfil(ctx context.Context, in UnfulfilInput) (Reservation, error) {
	if in.ReservationID != "" && !id.Valid("res", in.ReservationID) {
		return Reservation{}, ErrReservationNotFound
	}
	dem, err := validateLines(in.Lines)
	if err != nil {
		return Reservation{}, err
	}
	if in.Reference == "" || in.Until.IsZero() {
		return Reservation{}, errors.New("unfulfil: reference and until are required")
	}
	var out Reservation
	err = s.write(ctx, func(ctx context.Context) error {
		r, rows, err := s.reopen(ctx, in)
		if err != nil {
			return err
		}
		if _, err := s.lockWarehouse(ctx, "warehouse_id", in.WarehouseID); err != nil {
			return err
		}
		now := s.now()
		for _, d := range dem {
			if err := s.restockHeld(ctx, in, d, now); err != nil {
				return err
			}
			if err := s.growLine(ctx, r.ID, rows, d, in.WarehouseID); err != nil {
				return err
			}
		}
		r, rows, err = s.reservationRows(ctx, r.ID)
		out = reservationOf(r, rows)
		return err
	})
	return out, err
}

// validateLines checks lines (1 to 100, valid variants and quantities) and
// sums them per variant, in variant order.
func validateLines(lines []Line) ([]demand, error) {
	var fields []errs.FieldError
	if len(lines) == 0 || len(lines) > maxReserveLines {
		fields = append(fields, errs.FieldError{Field: "lines", Message: fmt.Sprintf("must have 1 to %d lines", maxReserveLines)})
	}
	dem, fields := demandOf(lines, fields)
	if len(fields) > 0 {
		return nil, errs.ErrValidation.WithFields(fields...)
	}
	return dem, nil
}

// lockActive locks an active reservation (a guarded no-op update, so a
// concurrent release, fulfilment or expiry waits, then finds it changed)
// and reads it with its lines. Not active: 409 reservation_closed.
func (s *Service) lockActive(ctx context.Context, reservationID string) (reservationRow, []reservationLineRow, error) {
	res := s.db.Conn(ctx).Model(&reservationRow{}).Where("id = ? AND status = ?", reservationID, StatusActive).
		Update("updated_at", s.now())
	if res.Error != nil {
		return reservationRow{}, nil, fmt.Errorf("lock reservation: %w", res.Error)
	}
	r, rows, err := s.reservationRows(ctx, reservationID)
	if err != nil {
		return r, nil, err
	}
	if res.RowsAffected == 0 {
		return r, nil, ErrReservationClosed
	}
	return r, rows, nil
}

// closeIfEmpty commits a reservation left without lines and reads it into out.
func (s *Service) closeIfEmpty(ctx context.Context, r reservationRow, out *Reservation) error {
	var left int64
	if err := s.db.Conn(ctx).Model(&reservationLineRow{}).Where("reservation_id = ?", r.ID).Count(&left).Error; err != nil {
		return fmt.Errorf("count reservation lines: %w", err)
	}
	if left == 0 {
		if _, err := s.claim(ctx, r.ID, StatusCommitted); err != nil {
			return err
		}
	}
	r, rows, err := s.reservationRows(ctx, r.ID)
	*out = reservationOf(r, rows)
	return err
}

// reopen makes in's reservation active until in.Until (a committed one is
// reopened) and reads its lines, or creates a reservation for in.Reference.
func (s *Service) reopen(ctx context.Context, in UnfulfilInput) (reservationRow, []reservationLineRow, error) {
	now := s.now()
	if in.ReservationID == "" {
		r := reservationRow{ID: id.New("res"), Reference: in.Reference, Status: StatusActive,
			ExpiresAt: in.Until.UTC(), CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
			return r, nil, fmt.Errorf("insert reservation: %w", err)
		}
		return r, nil, nil
	}
	res := s.db.Conn(ctx).Model(&reservationRow{}).
		Where("id = ? AND status IN ?", in.ReservationID, []string{StatusActive, StatusCommitted}).
		Updates(map[string]any{"status": StatusActive, "expires_at": in.Until.UTC(), "updated_at": now})
	if res.Error != nil {
		return reservationRow{}, nil, fmt.Errorf("reopen reservation: %w", res.Error)
	}
	r, rows, err := s.reservationRows(ctx, in.ReservationID)
	if err != nil {
		return r, nil, err
	}
	if res.RowsAffected == 0 {
		return r, nil, ErrReservationClosed
	}
	return r, rows, nil
}

// restockHeld puts d's units back on the warehouse's shelf, reserved: on_hand
// and reserved rise together, and the sale is reversed in the ledger.
func (s *Service) restockHeld(ctx context.Context, in UnfulfilInput, d demand, now time.Time) error {
	if err := s.ensureLevel(ctx, d.variant, in.WarehouseID, now); err != nil {
		return err
	}
	res := s.db.Conn(ctx).Exec(`UPDATE stock_levels SET on_hand = on_hand + ?, reserved = reserved + ?, updated_at = ?
		WHERE variant_id = ? AND warehouse_id = ?`, d.qty, d.qty, now, d.variant, in.WarehouseID)
	if res.Error != nil {
		return fmt.Errorf("restock held units: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("restock held units: no level %s@%s", d.variant, in.WarehouseID)
	}
	mv := Movement{ID: id.New("mov"), VariantID: d.variant, WarehouseID: in.WarehouseID, Delta: d.qty,
		Kind: KindSale, Reason: in.Reason, Reference: in.Reference, ActorKind: string(in.Actor.Kind),
		ActorID: in.Actor.ID, CreatedAt: now}
	if err := s.db.Conn(ctx).Create(&mv).Error; err != nil {
		return fmt.Errorf("insert sale reversal: %w", err)
	}
	return nil
}

// growLine adds d's units to the reservation's line for (variant,
// warehouse), creating it when there is none.
func (s *Service) growLine(ctx context.Context, reservationID string, rows []reservationLineRow, d demand, whID string) error {
	for _, l := range rows {
		if l.VariantID == d.variant && l.WarehouseID != nil && *l.WarehouseID == whID {
			err := s.db.Conn(ctx).Exec(`UPDATE reservation_lines SET quantity = quantity + ? WHERE id = ?`, d.qty, l.ID).Error
			if err != nil {
				return fmt.Errorf("grow reservation line: %w", err)
			}
			return nil
		}
	}
	wh := whID
	l := reservationLineRow{ID: id.New("rsl"), ReservationID: reservationID, VariantID: d.variant, WarehouseID: &wh, Quantity: d.qty}
	if err := s.db.Conn(ctx).Create(&l).Error; err != nil {
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			return errs.Invalidf("lines", "unknown variant")
		}
		return fmt.Errorf("insert reservation line: %w", err)
	}
	return nil
}
