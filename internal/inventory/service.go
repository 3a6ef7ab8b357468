package inventory

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
)

// Catalog is what inventory needs from the catalog domain. *catalog.Service
// satisfies it (internal/catalog/availability.go).
type Catalog interface {
	// LiveVariants maps each live variant among ids to its allow_backorder
	// flag; unknown or removed variants are absent.
	LiveVariants(ctx context.Context, ids []string) (map[string]bool, error)
	// AddAvailable adds delta to the variant's store-visible available figure.
	AddAvailable(ctx context.Context, variantID string, delta int64) error
	// Invalidate drops cached store views after a committed stock change.
	Invalidate()
}

// LowStockFunc is called, inside the transaction of a stock change, for a
// level whose available stock fell to or below its (positive) reorder point.
// An error rolls the whole change back.
type LowStockFunc func(ctx context.Context, lvl Level) error

// Service is the inventory API for the HTTP layer and other domains.
type Service struct {
	db  *db.DB
	cat Catalog
	now func() time.Time
	log *slog.Logger
	// clockSet is true when WithClock replaced the clock (tests): reservation
	// expiry then follows it instead of the database's clock.
	clockSet bool

	// lowStock hooks are registered at wiring time, before any request.
	lowStock []LowStockFunc
	// warehouseHooks are registered at wiring time too (OnWarehouseChange).
	warehouseHooks []WarehouseFunc
	// channelWarehouses resolves a sales channel's warehouses (set at
	// wiring time by the channels domain; SetChannelWarehouses).
	channelWarehouses ChannelWarehousesFunc

	// beforeApply, in tests only, runs between planning a reservation and
	// applying it, to simulate a concurrent checkout winning the race.
	beforeApply func(ctx context.Context)
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests); the default is db.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		s.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
		s.clockSet = true
	}
}

// WithLogger sets the logger for background work (expiry sweeps).
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// NewService returns the inventory service over d, keeping cat's available
// figures in sync.
func NewService(d *db.DB, cat Catalog, opts ...Option) *Service {
	s := &Service{db: d, cat: cat, now: db.Now, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// DB returns the database the service works on (for sibling services in
// this package's wiring, such as purchasing jobs).
func (s *Service) DB() *db.DB { return s.db }

// OnLowStock registers fn to run when a level's available stock falls to or
// below its reorder point. Register hooks at wiring time only: the list is not
// guarded for concurrent registration.
func (s *Service) OnLowStock(fn LowStockFunc) { s.lowStock = append(s.lowStock, fn) }

// WarehouseFunc is called inside the transaction that creates (created is
// true) or changes a warehouse. Sales channels use it: a new warehouse
// fulfils the default web channel, and a channel's cached warehouse list
// must see a deactivation.
type WarehouseFunc func(ctx context.Context, warehouseID string, created bool) error

// OnWarehouseChange registers fn for every warehouse created or changed.
// Register at wiring time, before any request.
func (s *Service) OnWarehouseChange(fn WarehouseFunc) {
	s.warehouseHooks = append(s.warehouseHooks, fn)
}

// warehouseChanged runs the warehouse hooks inside the caller's transaction.
func (s *Service) warehouseChanged(ctx context.Context, warehouseID string, created bool) error {
	for _, fn := range s.warehouseHooks {
		if err := fn(ctx, warehouseID, created); err != nil {
			return err
		}
	}
	return nil
}

// write runs fn in a transaction and, when this call owned the transaction,
// invalidates store caches after the commit so the next store read on this
// node sees the new stock. Joined transactions are invalidated by
// AddAvailable before their commit (see catalog.AddAvailable).
func (s *Service) write(ctx context.Context, fn func(ctx context.Context) error) error {
	owner := !db.InTx(ctx)
	err := s.db.WithTx(ctx, fn)
	if owner && err == nil {
		s.cat.Invalidate()
	}
	return err
}

// DBNow is the time reservation expiry is measured in: the database's clock
// on PostgreSQL, so API nodes with skewed clocks agree on what has expired;
// the process clock on SQLite (one node) or when WithClock set one.
func (s *Service) DBNow(ctx context.Context) (time.Time, error) {
	if s.clockSet || s.db.Dialect() != db.Postgres {
		return s.now(), nil
	}
	var t time.Time
	if err := s.db.Conn(ctx).Raw(`SELECT statement_timestamp()`).Scan(&t).Error; err != nil {
		return time.Time{}, fmt.Errorf("read database clock: %w", err)
	}
	return t.UTC().Truncate(time.Microsecond), nil
}

// canWrite reports whether a may move stock: warehouse staff and managers
// (admins hold every role).
func canWrite(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleWarehouse) {
		return ErrForbidden
	}
	return nil
}

// canRead reports whether a may read stock data: the same roles.
func canRead(a auth.Actor) error { return canWrite(a) }

// canManage reports whether a may create and change warehouses and reorder
// settings: managers (and admins).
func canManage(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return ErrForbidden
	}
	return nil
}

// Errors the inventory returns. Codes are part of the API contract.
var (
	// ErrForbidden is returned when the actor's role may not do this.
	ErrForbidden = errs.ErrForbidden
	// ErrInsufficientStock is returned when on_hand or available stock cannot
	// cover a decrease, transfer or reservation.
	ErrInsufficientStock = errs.New(errs.Conflict, "insufficient_stock", "not enough stock")
	// ErrStockReserved is returned when a decrease would take on_hand below
	// the units already reserved for checkouts.
	ErrStockReserved = errs.New(errs.Conflict, "stock_reserved", "the stock is reserved for open checkouts")
	// ErrSameWarehouse is returned for a transfer whose source is its target.
	ErrSameWarehouse = errs.New(errs.Unprocessable, "same_warehouse", "source and target warehouse must differ").
				WithFields(errs.FieldError{Field: "to_warehouse_id", Message: "must differ from from_warehouse_id"})
	// ErrWarehouseNotFound is returned for unknown or malformed warehouse ids in a path.
	ErrWarehouseNotFound = errs.New(errs.NotFound, "not_found", "the warehouse does not exist")
	// ErrLevelNotFound is returned for a stock level that does not exist.
	ErrLevelNotFound = errs.New(errs.NotFound, "not_found", "the stock level does not exist")
	// ErrReservationNotFound is returned for unknown reservations.
	ErrReservationNotFound = errs.New(errs.NotFound, "not_found", "the reservation does not exist")
	// ErrReservationClosed is returned when committing a released reservation.
	ErrReservationClosed = errs.New(errs.Conflict, "reservation_closed", "the reservation was released or expired")
	// ErrCodeTaken is returned when a warehouse code is already used.
	ErrCodeTaken = errs.New(errs.Conflict, "code_taken", "the warehouse code is already taken")
)
