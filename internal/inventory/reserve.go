package inventory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/opmetrics"
)

// Reservation limits.
const (
	DefaultReservationTTL = 15 * time.Minute
	MaxReservationTTL     = 24 * time.Hour
	maxReserveLines       = 100
	// reserveAttempts bounds re-planning when a concurrent checkout took the
	// stock a plan counted on (PostgreSQL only: SQLite has one writer).
	reserveAttempts = 5
)

// Reservation statuses.
const (
	StatusActive    = "active"
	StatusReleased  = "released"
	StatusCommitted = "committed"
)

// Line is one requested line of a reservation.
type Line struct {
	VariantID string
	Quantity  int64
}

// ReserveInput asks to reserve stock for a checkout.
type ReserveInput struct {
	// Reference is the cart or order id the stock is held for.
	Reference string
	Lines     []Line
	// TTL is how long the hold lasts; default 15 minutes, at most 24 hours.
	TTL time.Duration
	// WarehouseIDs, when not empty, are the only warehouses to reserve
	// from (a sales channel's), in the order that replaces the warehouses'
	// own priority: the first is preferred. Inactive ones are skipped.
	// Empty: every active warehouse, by warehouse priority.
	WarehouseIDs []string
}

// Reservation is stock held for a checkout until committed, released or expired.
type Reservation struct {
	ID        string            `json:"id" binding:"required" example:"res_06h1wbq28dxanf5st2bqp8yfxm"`
	Reference string            `json:"reference" binding:"required" example:"cart_06h1wbq28dxanf5st2bqp8yfxm"`
	Status    string            `json:"status" binding:"required" enums:"active,released,committed" example:"active"`
	ExpiresAt time.Time         `json:"expires_at" binding:"required" format:"date-time" example:"2025-01-31T12:15:00Z"`
	CreatedAt time.Time         `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time         `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	Lines     []ReservationLine `json:"lines" binding:"required"`
} // @name Reservation

// ReservationLine is where some reserved units are. A backordered line has
// no warehouse: the units were promised without stock (allow_backorder).
type ReservationLine struct {
	VariantID   string  `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	WarehouseID *string `json:"warehouse_id" binding:"required" extensions:"x-nullable" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity    int64   `json:"quantity" binding:"required" example:"2"`
	Backordered bool    `json:"backordered" binding:"required" example:"false"`
} // @name ReservationLine

type reservationRow struct {
	ID        string `gorm:"primaryKey"`
	Reference string
	Status    string
	ExpiresAt time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (reservationRow) TableName() string { return "reservations" }

type reservationLineRow struct {
	ID            string `gorm:"primaryKey"`
	ReservationID string
	VariantID     string
	WarehouseID   *string
	Quantity      int64
	Backordered   bool
}

func (reservationLineRow) TableName() string { return "reservation_lines" }

// demand is the aggregated quantity of one variant across request lines.
type demand struct {
	variant   string
	qty       int64
	first     int // index of the first request line naming it, for errors
	backorder bool
}

// alloc is one planned or made allocation.
type alloc struct {
	variant, warehouse string
	qty                int64
}

// candidate is a level a plan may allocate from.
type candidate struct {
	VariantID   string
	WarehouseID string
	Available   int64
	Priority    int
}

// errReplan signals that a conditional update found less stock than the
// plan read; the attempt is undone and re-planned.
var errReplan = errors.New("stock changed while reserving")

// Reserve holds stock for in.Lines atomically: all lines are reserved or
// none. Quantities of the same variant are summed first (two lines of one
// variant are one demand). Allocation, over active warehouses:
//  1. repeatedly pick the warehouse that can fill the most remaining lines
//     whole, preferring lower priority number first, then more lines, then
//     id, and give it every line it can fill whole;
//  2. split the lines no single warehouse can fill across warehouses in
//     priority order;
//  3. what is still missing is backordered (a line without warehouse) when
//     the variant allows backorders, else the whole reservation fails with
//     409 insufficient_stock naming lines[i].variant_id of each short variant.
//
// Every allocation is a conditional UPDATE (reserved + n where on_hand -
// reserved >= n) made in (variant_id, warehouse_id) order, so concurrent
// reservations never oversell or deadlock.
func (s *Service) Reserve(ctx context.Context, in ReserveInput) (_ Reservation, err error) {
	defer func() { opmetrics.Reservation("reserve", err) }()
	dem, ttl, err := validateReserve(in)
	if err != nil {
		return Reservation{}, err
	}
	var out Reservation
	err = s.write(ctx, func(ctx context.Context) error {
		ids := make([]string, len(dem))
		for i, d := range dem {
			ids[i] = d.variant
		}
		live, err := s.cat.LiveVariants(ctx, ids)
		if err != nil {
			return err
		}
		var unknown []errs.FieldError
		for i := range dem {
			bo, ok := live[dem[i].variant]
			if !ok {
				unknown = append(unknown, errs.FieldError{
					Field: fmt.Sprintf("lines[%d].variant_id", dem[i].first), Message: "unknown variant"})
			}
			dem[i].backorder = bo
		}
		if len(unknown) > 0 {
			return errs.ErrValidation.WithFields(unknown...)
		}
		out, err = s.allocate(ctx, in.Reference, ttl, dem, in.WarehouseIDs)
		return err
	})
	return out, err
}

// validateReserve checks the request and aggregates it per variant, in
// variant order (the lock order).
func validateReserve(in ReserveInput) ([]demand, time.Duration, error) {
	var fields []errs.FieldError
	if strings.TrimSpace(in.Reference) == "" || len(in.Reference) > 200 {
		fields = append(fields, errs.FieldError{Field: "reference", Message: "is required (at most 200 characters)"})
	}
	if len(in.Lines) == 0 || len(in.Lines) > maxReserveLines {
		fields = append(fields, errs.FieldError{Field: "lines", Message: fmt.Sprintf("must have 1 to %d lines", maxReserveLines)})
	}
	ttl := in.TTL
	if ttl == 0 {
		ttl = DefaultReservationTTL
	}
	if ttl < 0 || ttl > MaxReservationTTL {
		fields = append(fields, errs.FieldError{Field: "ttl", Message: "must be positive and at most 24h"})
	}
	dem, fields := demandOf(in.Lines, fields)
	if len(fields) > 0 {
		return nil, 0, errs.ErrValidation.WithFields(fields...)
	}
	return dem, ttl, nil
}

// allocate plans, records and applies the reservation inside a savepoint.
// The reservation rows are written before the stock updates so the hot
// level rows stay locked as briefly as possible (only the variants update
// and the commit follow). When a conditional update finds that a concurrent
// checkout took planned stock, the attempt rolls back to the savepoint,
// which also releases the row locks it took (PostgreSQL releases row locks
// on savepoint rollback), so the lock order holds for the next attempt, and
// the plan is made again from fresh data.
func (s *Service) allocate(ctx context.Context, ref string, ttl time.Duration, dem []demand, warehouses []string) (Reservation, error) {
	conn := s.db.Conn(ctx)
	start, err := s.DBNow(ctx)
	if err != nil {
		return Reservation{}, err
	}
	rollback := func() error {
		if err := conn.Exec("ROLLBACK TO SAVEPOINT reserve_plan").Error; err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
		return nil
	}
	for attempt := 1; ; attempt++ {
		if err := conn.Exec("SAVEPOINT reserve_plan").Error; err != nil {
			return Reservation{}, fmt.Errorf("savepoint: %w", err)
		}
		cands, err := s.candidates(ctx, dem, warehouses)
		if err != nil {
			return Reservation{}, err
		}
		allocs, backorders, short := plan(dem, cands)
		if len(short) > 0 {
			return Reservation{}, ErrInsufficientStock.WithFields(short...)
		}
		now := s.now()
		r := reservationRow{ID: id.New("res"), Reference: ref, Status: StatusActive,
			ExpiresAt: start.Add(ttl), CreatedAt: now, UpdatedAt: now}
		if err := conn.Create(&r).Error; err != nil {
			return Reservation{}, fmt.Errorf("insert reservation: %w", err)
		}
		lines, err := s.saveLines(ctx, r.ID, allocs, backorders)
		if err != nil {
			return Reservation{}, err
		}
		if s.beforeApply != nil {
			s.beforeApply(ctx)
		}
		err = s.applyAllocs(ctx, allocs)
		if errors.Is(err, errReplan) {
			if err := rollback(); err != nil {
				return Reservation{}, err
			}
			if attempt < reserveAttempts {
				continue
			}
			return Reservation{}, ErrInsufficientStock.WithDetail("stock changed concurrently; try again")
		}
		if err != nil {
			return Reservation{}, err
		}
		if err := conn.Exec("RELEASE SAVEPOINT reserve_plan").Error; err != nil {
			return Reservation{}, fmt.Errorf("release savepoint: %w", err)
		}
		return reservationOf(r, lines), nil
	}
}

// candidates reads the levels with sellable stock of the demanded variants
// in active warehouses (only those of warehouses when it is not empty,
// their position in it becoming the priority). It is a plain read used
// only for planning: the conditional updates decide.
func (s *Service) candidates(ctx context.Context, dem []demand, warehouses []string) ([]candidate, error) {
	ids := make([]string, len(dem))
	for i, d := range dem {
		ids[i] = d.variant
	}
	var cands []candidate
	q, args := `SELECT l.variant_id, l.warehouse_id, l.on_hand - l.reserved AS available, w.priority
		FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
		WHERE w.active AND l.variant_id IN ? AND l.on_hand - l.reserved > 0`, []any{ids}
	if len(warehouses) > 0 {
		q, args = q+` AND l.warehouse_id IN ?`, append(args, warehouses)
	}
	err := s.db.Conn(ctx).Raw(q+` ORDER BY w.priority, w.id, l.variant_id`+s.forShare("w"), args...).Scan(&cands).Error
	if err != nil {
		return nil, fmt.Errorf("read candidate levels: %w", err)
	}
	if len(warehouses) > 0 {
		rank := make(map[string]int, len(warehouses))
		for i, w := range warehouses {
			if _, dup := rank[w]; !dup {
				rank[w] = i
			}
		}
		for i := range cands {
			cands[i].Priority = rank[cands[i].WarehouseID]
		}
	}
	return cands, nil
}

// plan computes allocations (see Reserve for the strategy). It returns the
// allocations sorted in lock order, the backordered remainders, and a field
// error per variant that cannot be covered.
func plan(dem []demand, cands []candidate) (allocs, backorders []alloc, short []errs.FieldError) {
	type whInfo struct {
		id       string
		priority int
		avail    map[string]int64
	}
	var whs []*whInfo
	byID := map[string]*whInfo{}
	for _, c := range cands {
		w := byID[c.WarehouseID]
		if w == nil {
			w = &whInfo{id: c.WarehouseID, priority: c.Priority, avail: map[string]int64{}}
			byID[c.WarehouseID] = w
			whs = append(whs, w)
		}
		w.avail[c.VariantID] = c.Available
	}
	slices.SortFunc(whs, func(a, b *whInfo) int {
		return cmp.Or(cmp.Compare(a.priority, b.priority), strings.Compare(a.id, b.id))
	})
	remaining := map[string]int64{}
	for _, d := range dem {
		remaining[d.variant] = d.qty
	}
	// 1. whole lines, warehouse by warehouse.
	for {
		var best *whInfo
		bestN := 0
		for _, w := range whs {
			n := 0
			for v, q := range remaining {
				if q > 0 && w.avail[v] >= q {
					n++
				}
			}
			// whs is in (priority, id) order: a later warehouse wins only on
			// equal priority with more whole lines.
			if n > 0 && (best == nil || (w.priority == best.priority && n > bestN)) {
				best, bestN = w, n
			}
		}
		if best == nil {
			break
		}
		for _, d := range dem {
			if q := remaining[d.variant]; q > 0 && best.avail[d.variant] >= q {
				allocs = append(allocs, alloc{variant: d.variant, warehouse: best.id, qty: q})
				best.avail[d.variant] -= q
				remaining[d.variant] = 0
			}
		}
	}
	// 2. split what no single warehouse can fill; 3. backorder or fail.
	for _, d := range dem {
		for _, w := range whs {
			q := min(remaining[d.variant], w.avail[d.variant])
			if q > 0 {
				allocs = append(allocs, alloc{variant: d.variant, warehouse: w.id, qty: q})
				w.avail[d.variant] -= q
				remaining[d.variant] -= q
			}
		}
		if q := remaining[d.variant]; q > 0 {
			if d.backorder {
				backorders = append(backorders, alloc{variant: d.variant, qty: q})
			} else {
				short = append(short, errs.FieldError{Field: fmt.Sprintf("lines[%d].variant_id", d.first),
					Message: fmt.Sprintf("only %d of %d available", d.qty-q, d.qty)})
			}
		}
	}
	slices.SortFunc(allocs, func(a, b alloc) int {
		return cmp.Or(strings.Compare(a.variant, b.variant), strings.Compare(a.warehouse, b.warehouse))
	})
	return allocs, backorders, short
}

// applyAllocs makes the planned allocations with conditional updates, in
// lock order, then lowers the catalog's available per variant and runs the
// low-stock hooks.
func (s *Service) applyAllocs(ctx context.Context, allocs []alloc) error {
	conn := s.db.Conn(ctx)
	now := s.now()
	var levels []Level
	var held int64             // units reserved so far of allocs[i-1].variant
	for i, a := range allocs { // in lock order
		var rows []levelRow
		err := conn.Raw(`UPDATE stock_levels SET reserved = reserved + ?, updated_at = ?
			WHERE variant_id = ? AND warehouse_id = ? AND on_hand - reserved >= ?
			RETURNING variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at`,
			a.qty, now, a.variant, a.warehouse, a.qty).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("reserve stock: %w", err)
		}
		if len(rows) != 1 {
			return errReplan
		}
		levels = append(levels, rows[0].level())
		held += a.qty
		// The variant row comes after all of the variant's levels (lock order).
		if i == len(allocs)-1 || allocs[i+1].variant != a.variant {
			if err := s.cat.AddAvailable(ctx, a.variant, -held); err != nil {
				return err
			}
			held = 0
		}
	}
	for i, l := range levels {
		if err := s.checkLow(ctx, l, l.lowBefore(allocs[i].qty)); err != nil {
			return err
		}
	}
	return nil
}

// saveLines writes a reservation's lines and returns them.
func (s *Service) saveLines(ctx context.Context, rid string, allocs, backorders []alloc) ([]reservationLineRow, error) {
	var lines []reservationLineRow
	for _, a := range allocs {
		wh := a.warehouse
		lines = append(lines, reservationLineRow{ID: id.New("rsl"), ReservationID: rid,
			VariantID: a.variant, WarehouseID: &wh, Quantity: a.qty})
	}
	for _, b := range backorders {
		lines = append(lines, reservationLineRow{ID: id.New("rsl"), ReservationID: rid,
			VariantID: b.variant, Quantity: b.qty, Backordered: true})
	}
	if err := s.db.Conn(ctx).Create(&lines).Error; err != nil {
		return nil, fmt.Errorf("insert reservation lines: %w", err)
	}
	return lines, nil
}

func reservationOf(r reservationRow, lines []reservationLineRow) Reservation {
	out := Reservation{ID: r.ID, Reference: r.Reference, Status: r.Status, ExpiresAt: r.ExpiresAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Lines: make([]ReservationLine, len(lines))}
	for i, l := range lines {
		out.Lines[i] = ReservationLine{VariantID: l.VariantID, WarehouseID: l.WarehouseID,
			Quantity: l.Quantity, Backordered: l.Backordered}
	}
	return out
}

// demandOf validates lines and merges them per variant, sorted by variant
// (the lock order); field errors are appended to fields.
func demandOf(lines []Line, fields []errs.FieldError) ([]demand, []errs.FieldError) {
	byVariant := map[string]int{}
	var dem []demand
	for i, l := range lines {
		if !id.Valid("var", l.VariantID) {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("lines[%d].variant_id", i), Message: "unknown variant"})
			continue
		}
		if l.Quantity <= 0 || l.Quantity > MaxDelta {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("lines[%d].quantity", i), Message: "must be between 1 and 1000000"})
			continue
		}
		if j, ok := byVariant[l.VariantID]; ok {
			dem[j].qty += l.Quantity
			continue
		}
		byVariant[l.VariantID] = len(dem)
		dem = append(dem, demand{variant: l.VariantID, qty: l.Quantity, first: i})
	}
	slices.SortFunc(dem, func(a, b demand) int { return strings.Compare(a.variant, b.variant) })
	return dem, fields
}
