package inventory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// FulfilInput asks to ship units of a reservation from one warehouse.
type FulfilInput struct {
	// ReservationID is the order's reservation; empty when the order holds
	// none (the units then come straight from the warehouse's available stock).
	ReservationID string
	WarehouseID   string
	// Reference names the fulfilment's cause on the sale movements (the order id).
	Reference string
	Actor     auth.Actor
	// Lines are the units leaving the warehouse; a variant may appear more
	// than once (quantities are summed).
	Lines []Line
}

// levelOp is what Fulfil does to one level: release reserved units that
// stay on the shelf (release), and take units off the shelf (take: on_hand
// drops; fromReserved of them were reserved for this reservation, the rest
// must be available).
type levelOp struct {
	warehouse           string
	release, take, held int64
}

// Fulfil takes units out of a warehouse for an order, in one transaction:
// for each line (in variant order, the lock order) the units reserved in
// that warehouse are taken first (reserved and on_hand drop, a sale is
// ledgered, the reservation line shrinks or goes); any remainder is
// released from the reservation's other lines of the variant (other
// warehouses first, then backordered ones) and taken from the warehouse's
// available stock (409 insufficient_stock when it has not got it). When the
// reservation has no line left it becomes committed. A released or
// committed reservation is 409 reservation_closed.
func (s *Service) Fulfil(ctx context.Context, in FulfilInput) (Reservation, error) {
	dem, err := validateFulfil(in)
	if err != nil {
		return Reservation{}, err
	}
	var out Reservation
	err = s.write(ctx, func(ctx context.Context) error {
		var (
			r     reservationRow
			lines []reservationLineRow
		)
		if in.ReservationID != "" {
			// Claiming the reservation first (a row lock on PostgreSQL), as
			// Release does, makes a concurrent release or fulfilment wait
			// and then find it changed.
			res := s.db.Conn(ctx).Model(&reservationRow{}).Where("id = ? AND status = ?", in.ReservationID, StatusActive).
				Update("updated_at", s.now())
			if res.Error != nil {
				return fmt.Errorf("claim reservation: %w", res.Error)
			}
			if r, lines, err = s.reservationRows(ctx, in.ReservationID); err != nil {
				return err
			}
			if res.RowsAffected == 0 {
				return ErrReservationClosed
			}
		}
		whs := []string{in.WarehouseID}
		for _, l := range lines {
			if l.WarehouseID != nil {
				whs = append(whs, *l.WarehouseID)
			}
		}
		active, err := s.lockWarehouses(ctx, whs)
		if err != nil {
			return err
		}
		if _, ok := active[in.WarehouseID]; !ok {
			return errs.Invalidf("warehouse_id", "unknown warehouse")
		}
		for _, d := range dem {
			if err := s.fulfilVariant(ctx, in, d, lines, active); err != nil {
				return err
			}
		}
		if in.ReservationID == "" {
			return nil
		}
		var left int64
		if err := s.db.Conn(ctx).Model(&reservationLineRow{}).Where("reservation_id = ?", r.ID).
			Count(&left).Error; err != nil {
			return fmt.Errorf("count reservation lines: %w", err)
		}
		if left == 0 {
			if _, err := s.claim(ctx, r.ID, StatusCommitted); err != nil {
				return err
			}
		}
		r, lines, err = s.reservationRows(ctx, r.ID)
		out = reservationOf(r, lines)
		return err
	})
	return out, err
}

// validateFulfil checks in and sums its lines per variant, in variant order.
func validateFulfil(in FulfilInput) ([]demand, error) {
	var fields []errs.FieldError
	if in.ReservationID != "" && !id.Valid("res", in.ReservationID) {
		return nil, ErrReservationNotFound
	}
	if !id.Valid("wh", in.WarehouseID) {
		fields = append(fields, errs.FieldError{Field: "warehouse_id", Message: "unknown warehouse"})
	}
	if len(in.Lines) == 0 || len(in.Lines) > maxReserveLines {
		fields = append(fields, errs.FieldError{Field: "lines", Message: fmt.Sprintf("must have 1 to %d lines", maxReserveLines)})
	}
	dem, fields := demandOf(in.Lines, fields)
	if len(fields) > 0 {
		return nil, errs.ErrValidation.WithFields(fields...)
	}
	return dem, nil
}

// lockWarehouses takes the shared warehouse locks (first in the lock order)
// and maps each existing warehouse to its active flag.
func (s *Service) lockWarehouses(ctx context.Context, ids []string) (map[string]bool, error) {
	var rows []warehouseRow
	if err := s.db.Conn(ctx).Raw(`SELECT * FROM warehouses WHERE id IN ? ORDER BY id`+s.forShare(""), ids).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("lock warehouses: %w", err)
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[r.ID] = r.Active
	}
	return out, nil
}

// fulfilVariant plans and applies one variant's part of a fulfilment: the
// level operations in warehouse order, then the variant's available figure.
func (s *Service) fulfilVariant(ctx context.Context, in FulfilInput, d demand, lines []reservationLineRow, active map[string]bool) error {
	ops := map[string]*levelOp{in.WarehouseID: {warehouse: in.WarehouseID}}
	shrink := map[string]int64{} // reservation line id -> units removed
	need := d.qty
	// 1. units reserved in the fulfilling warehouse.
	for _, l := range lines {
		if need > 0 && l.VariantID == d.variant && l.WarehouseID != nil && *l.WarehouseID == in.WarehouseID {
			n := min(need, l.Quantity)
			ops[in.WarehouseID].held += n
			shrink[l.ID] += n
			need -= n
		}
	}
	// 2. the rest is released from the variant's other lines (held
	// elsewhere first, then backordered) and taken from available stock.
	direct := need
	for _, backordered := range []bool{false, true} {
		for _, l := range lines {
			if need == 0 || l.VariantID != d.variant || l.Backordered != backordered || shrink[l.ID] == l.Quantity {
				continue
			}
			if l.WarehouseID != nil && *l.WarehouseID == in.WarehouseID {
				continue
			}
			n := min(need, l.Quantity-shrink[l.ID])
			shrink[l.ID] += n
			need -= n
			if l.WarehouseID != nil {
				op := ops[*l.WarehouseID]
				if op == nil {
					op = &levelOp{warehouse: *l.WarehouseID}
					ops[*l.WarehouseID] = op
				}
				op.release += n
			}
		}
	}
	ops[in.WarehouseID].take = ops[in.WarehouseID].held + direct
	order := make([]*levelOp, 0, len(ops))
	for _, op := range ops {
		order = append(order, op)
	}
	slices.SortFunc(order, func(a, b *levelOp) int { return strings.Compare(a.warehouse, b.warehouse) })
	var availDelta int64
	for _, op := range order {
		if err := s.applyFulfilOp(ctx, in, d.variant, op); err != nil {
			return err
		}
		if active[op.warehouse] {
			availDelta += op.release - (op.take - op.held)
		}
	}
	if availDelta != 0 {
		if err := s.cat.AddAvailable(ctx, d.variant, availDelta); err != nil {
			return err
		}
	}
	for lineID, n := range shrink {
		if err := s.shrinkLine(ctx, lineID, n); err != nil {
			return err
		}
	}
	return nil
}

// applyFulfilOp changes one level with a guarded update (enough reserved
// for the held units and the release, enough available for the direct
// take) and ledgers the sale.
func (s *Service) applyFulfilOp(ctx context.Context, in FulfilInput, variantID string, op *levelOp) error {
	if op.release == 0 && op.take == 0 {
		return nil
	}
	now := s.now()
	if err := s.ensureLevel(ctx, variantID, op.warehouse, now); err != nil {
		return err
	}
	direct := op.take - op.held
	var rows []levelRow
	err := s.db.Conn(ctx).Raw(`UPDATE stock_levels
		SET reserved = reserved - ?, on_hand = on_hand - ?, updated_at = ?
		WHERE variant_id = ? AND warehouse_id = ? AND reserved >= ? AND on_hand - reserved >= ?
		RETURNING variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at`,
		op.held+op.release, op.take, now, variantID, op.warehouse, op.held+op.release, direct).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("fulfil stock: %w", err)
	}
	if len(rows) != 1 {
		cur, err := s.levelRow(ctx, variantID, op.warehouse)
		if err != nil {
			return err
		}
		if cur.Reserved < op.held+op.release {
			return fmt.Errorf("fulfil %s: level %s@%s holds less than reserved", in.ReservationID, variantID, op.warehouse)
		}
		return ErrInsufficientStock.WithDetail("warehouse has %d of %s available, %d more needed",
			cur.OnHand-cur.Reserved, variantID, direct)
	}
	if op.take > 0 {
		mv := Movement{ID: id.New("mov"), VariantID: variantID, WarehouseID: op.warehouse, Delta: -op.take,
			Kind: KindSale, Reference: in.Reference, ActorKind: string(in.Actor.Kind), ActorID: in.Actor.ID, CreatedAt: now}
		if err := s.db.Conn(ctx).Create(&mv).Error; err != nil {
			return fmt.Errorf("insert sale movement: %w", err)
		}
	}
	if direct > 0 {
		lvl := rows[0].level()
		return s.checkLow(ctx, lvl, lvl.lowBefore(direct))
	}
	return nil
}

// shrinkLine removes n units from a reservation line, deleting it when empty.
func (s *Service) shrinkLine(ctx context.Context, lineID string, n int64) error {
	conn := s.db.Conn(ctx)
	res := conn.Where("id = ? AND quantity = ?", lineID, n).Delete(&reservationLineRow{})
	if res.Error != nil {
		return fmt.Errorf("delete reservation line: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	res = conn.Exec(`UPDATE reservation_lines SET quantity = quantity - ? WHERE id = ? AND quantity > ?`, n, lineID, n)
	if res.Error != nil {
		return fmt.Errorf("shrink reservation line: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("shrink reservation line %s by %d: not enough units", lineID, n)
	}
	return nil
}

// Bins maps each of variantIDs to its bin in the warehouse, when one is set
// (pick lists print it).
func (s *Service) Bins(ctx context.Context, warehouseID string, variantIDs []string) (map[string]string, error) {
	var rows []struct{ VariantID, Bin string }
	if err := s.db.Conn(ctx).Raw(`SELECT variant_id, bin FROM stock_levels
		WHERE warehouse_id = ? AND variant_id IN ? AND bin <> ''`, warehouseID, variantIDs).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read bins: %w", err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.VariantID] = r.Bin
	}
	return out, nil
}
