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
	"storekeep/internal/platform/opmetrics"
)

// ErrReservationCommitted is returned when releasing a committed reservation.
var ErrReservationCommitted = errs.New(errs.Conflict, "reservation_committed", "the reservation was already committed")

// Release returns a reservation's stock. It is idempotent: releasing a
// released reservation is a no-op. The status flip is a guarded UPDATE
// (status = 'active'), so when several callers (a checkout abort and the
// expiry job on another node) race, exactly one returns the stock.
func (s *Service) Release(ctx context.Context, reservationID string) (Reservation, error) {
	var out Reservation
	err := s.write(ctx, func(ctx context.Context) error {
		claimed, err := s.claim(ctx, reservationID, StatusReleased)
		if err != nil {
			return err
		}
		r, lines, err := s.reservationRows(ctx, reservationID)
		if err != nil {
			return err
		}
		out = reservationOf(r, lines)
		if !claimed {
			if r.Status == StatusCommitted {
				return ErrReservationCommitted
			}
			return nil
		}
		return s.returnLines(ctx, lines)
	})
	opmetrics.Reservation("release", err)
	return out, err
}

// Commit turns a reservation into a sale on fulfilment: for every line held
// in a warehouse, reserved and on_hand both drop by its quantity and a sale
// movement (reference = the reservation's reference) is ledgered, in one
// transaction. Available is unchanged. Committing twice is a no-op; a
// released (or expired) reservation is 409 reservation_closed. Backordered
// lines have no stock to take; they stay on the reservation for fulfilment
// to source later.
func (s *Service) Commit(ctx context.Context, reservationID string) (Reservation, error) {
	var out Reservation
	err := s.write(ctx, func(ctx context.Context) error {
		claimed, err := s.claim(ctx, reservationID, StatusCommitted)
		if err != nil {
			return err
		}
		r, lines, err := s.reservationRows(ctx, reservationID)
		if err != nil {
			return err
		}
		out = reservationOf(r, lines)
		if !claimed {
			if r.Status == StatusReleased {
				return ErrReservationClosed
			}
			return nil
		}
		now := s.now()
		for _, l := range lines {
			if l.WarehouseID == nil {
				continue
			}
			res := s.db.Conn(ctx).Exec(`UPDATE stock_levels
				SET reserved = reserved - ?, on_hand = on_hand - ?, updated_at = ?
				WHERE variant_id = ? AND warehouse_id = ? AND reserved >= ?`,
				l.Quantity, l.Quantity, now, l.VariantID, *l.WarehouseID, l.Quantity)
			if res.Error != nil {
				return fmt.Errorf("commit stock: %w", res.Error)
			}
			if res.RowsAffected != 1 {
				return fmt.Errorf("commit %s: level %s@%s holds less than reserved", reservationID, l.VariantID, *l.WarehouseID)
			}
			mv := Movement{ID: id.New("mov"), VariantID: l.VariantID, WarehouseID: *l.WarehouseID,
				Delta: -l.Quantity, Kind: KindSale, Reference: r.Reference,
				ActorKind: "system", CreatedAt: now}
			if err := s.db.Conn(ctx).Create(&mv).Error; err != nil {
				return fmt.Errorf("insert sale movement: %w", err)
			}
		}
		return nil
	})
	opmetrics.Reservation("commit", err)
	return out, err
}

// ReleaseExpired releases every active reservation whose expires_at is at or
// before now (pass DBNow) and reports how many it released.
// Each reservation is claimed with a guarded UPDATE in its own transaction,
// so several nodes may sweep at once: each reservation is released once.
func (s *Service) ReleaseExpired(ctx context.Context, now time.Time) (int, error) {
	released := 0
	for {
		var ids []string
		err := s.db.Conn(ctx).Model(&reservationRow{}).
			Where("status = ? AND expires_at <= ?", StatusActive, now).
			Order("expires_at, id").Limit(200).Pluck("id", &ids).Error
		if err != nil {
			return released, fmt.Errorf("find expired reservations: %w", err)
		}
		n := 0
		for _, rid := range ids {
			var claimed bool
			err := s.write(ctx, func(ctx context.Context) error {
				var err error
				claimed, err = s.claim(ctx, rid, StatusReleased)
				if err != nil || !claimed {
					return err
				}
				_, lines, err := s.reservationRows(ctx, rid)
				if err != nil {
					return err
				}
				return s.returnLines(ctx, lines)
			})
			if err != nil {
				return released, err
			}
			if claimed {
				released++
				n++
			}
		}
		if len(ids) < 200 || n == 0 {
			return released, nil
		}
	}
}

// ReleaseExpiredNow is ReleaseExpired at the database's clock (DBNow): what
// the periodic expiry job calls.
func (s *Service) ReleaseExpiredNow(ctx context.Context) (int, error) {
	now, err := s.DBNow(ctx)
	if err != nil {
		return 0, err
	}
	return s.ReleaseExpired(ctx, now)
}

// claim moves an active reservation to status; false means it was not
// active (someone else got there first, or it was already done). Unknown
// ids are ErrReservationNotFound.
func (s *Service) claim(ctx context.Context, reservationID, status string) (bool, error) {
	if !id.Valid("res", reservationID) {
		return false, ErrReservationNotFound
	}
	res := s.db.Conn(ctx).Model(&reservationRow{}).
		Where("id = ? AND status = ?", reservationID, StatusActive).
		Updates(map[string]any{"status": status, "updated_at": s.now()})
	if res.Error != nil {
		return false, fmt.Errorf("claim reservation: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// returnLines gives a released reservation's held units back: reserved
// drops with a guarded update, and the catalog's available rises for levels
// in active warehouses.
func (s *Service) returnLines(ctx context.Context, lines []reservationLineRow) error {
	active, err := s.lockLineWarehouses(ctx, lines)
	if err != nil {
		return err
	}
	now := s.now()
	var held int64            // units returned so far of the current variant in active warehouses
	for i, l := range lines { // stored in lock order, backordered lines last
		if l.WarehouseID == nil {
			continue
		}
		res := s.db.Conn(ctx).Exec(`UPDATE stock_levels SET reserved = reserved - ?, updated_at = ?
			WHERE variant_id = ? AND warehouse_id = ? AND reserved >= ?`,
			l.Quantity, now, l.VariantID, *l.WarehouseID, l.Quantity)
		if res.Error != nil {
			return fmt.Errorf("release stock: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("release: level %s@%s holds less than reserved", l.VariantID, *l.WarehouseID)
		}
		if active[*l.WarehouseID] {
			held += l.Quantity
		}
		last := i == len(lines)-1 || lines[i+1].WarehouseID == nil || lines[i+1].VariantID != l.VariantID
		if last && held > 0 {
			if err := s.cat.AddAvailable(ctx, l.VariantID, held); err != nil {
				return err
			}
		}
		if last {
			held = 0
		}
	}
	return nil
}

// lockLineWarehouses takes the shared warehouse locks for lines (first in
// the lock order) and reports which warehouses are active.
func (s *Service) lockLineWarehouses(ctx context.Context, lines []reservationLineRow) (map[string]bool, error) {
	var ids []string
	for _, l := range lines {
		if l.WarehouseID != nil {
			ids = append(ids, *l.WarehouseID)
		}
	}
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []warehouseRow
	if err := s.db.Conn(ctx).Raw(`SELECT * FROM warehouses WHERE id IN ? ORDER BY id`+s.forShare(""), ids).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("lock warehouses: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Active
	}
	return out, nil
}

// reservationRows reads a reservation and its lines (in lock order).
func (s *Service) reservationRows(ctx context.Context, reservationID string) (reservationRow, []reservationLineRow, error) {
	var r reservationRow
	err := s.db.Conn(ctx).Where("id = ?", reservationID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, nil, ErrReservationNotFound
	}
	if err != nil {
		return r, nil, fmt.Errorf("read reservation: %w", err)
	}
	var lines []reservationLineRow
	if err := s.db.Conn(ctx).Where("reservation_id = ?", reservationID).
		Order("backordered, variant_id, warehouse_id").Find(&lines).Error; err != nil {
		return r, nil, fmt.Errorf("read reservation lines: %w", err)
	}
	return r, lines, nil
}

// Reservation returns one reservation (for checkout and order code).
func (s *Service) Reservation(ctx context.Context, reservationID string) (Reservation, error) {
	if !id.Valid("res", reservationID) {
		return Reservation{}, ErrReservationNotFound
	}
	r, lines, err := s.reservationRows(ctx, reservationID)
	if err != nil {
		return Reservation{}, err
	}
	return reservationOf(r, lines), nil
}

// ListReservations returns the reservations held for reference, newest
// first (admin visibility). Warehouse staff, managers and admins.
func (s *Service) ListReservations(ctx context.Context, actor auth.Actor, reference string) ([]Reservation, error) {
	if err := canRead(actor); err != nil {
		return nil, err
	}
	if reference == "" {
		return nil, errs.Invalidf("reference", "is required")
	}
	var rows []reservationRow
	if err := s.db.Conn(ctx).Where("reference = ?", reference).Order("id DESC").Limit(100).
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list reservations: %w", err)
	}
	out := make([]Reservation, 0, len(rows))
	for _, r := range rows {
		_, lines, err := s.reservationRows(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, reservationOf(r, lines))
	}
	return out, nil
}

// ReleaseReference releases every active reservation held for reference and
// reports how many it released. Checkout calls it when it takes over a cart
// whose previous attempt died: that attempt's hold (same planned order id)
// goes back at once instead of holding the units until it expires. Each
// release is the guarded Release, so a racing expiry sweep returns the
// stock once.
func (s *Service) ReleaseReference(ctx context.Context, reference string) (int, error) {
	var ids []string
	if err := s.db.Conn(ctx).Model(&reservationRow{}).Where("reference = ? AND status = ?", reference, StatusActive).
		Order("id").Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find reservations of %s: %w", reference, err)
	}
	n := 0
	for _, rid := range ids {
		r, err := s.Release(ctx, rid)
		if err != nil && !errors.Is(err, ErrReservationCommitted) {
			return n, err
		}
		if err == nil && r.Status == StatusReleased {
			n++
		}
	}
	return n, nil
}
