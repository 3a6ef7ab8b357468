package catalog

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
)

// Service is the catalog's API for the HTTP layer and other domains.
type Service struct {
	db  *db.DB
	now func() time.Time

	// locs caches the locales any translation exists in (see availableLocales).
	locMu sync.Mutex
	locs  []string
	locAt time.Time

	// gen counts catalog writes on this node; response caches key on it.
	gen atomic.Uint64

	// eventView shapes products in events (WithEventView).
	eventView func(Product) any

	// channels is wired after construction (channels.go).
	channels Channels
}

// ServiceOption configures a Service.
type ServiceOption func(*Service)

// WithClock sets the clock (tests); the default is db.Now.
func WithClock(now func() time.Time) ServiceOption {
	return func(s *Service) {
		s.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	}
}

// NewService returns the catalog service over d.
func NewService(d *db.DB, opts ...ServiceOption) *Service {
	s := &Service{db: d, now: db.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// canWrite reports whether a may change the catalog: managers (and admins).
func canWrite(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return ErrForbidden
	}
	return nil
}

// canRead reports whether a may read admin catalog data (costs,
// translations, drafts): managers, support staff and admins.
func canRead(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager, auth.RoleSupport) {
		return ErrForbidden
	}
	return nil
}

// write runs fn in a transaction, then marks the catalog changed. The mark
// comes after the commit, so a reader that sees the new generation also sees
// the new rows.
func (s *Service) write(ctx context.Context, fn func(ctx context.Context) error) error {
	err := s.db.WithTx(ctx, fn)
	s.Invalidate()
	return err
}

// Generation is a number that changes whenever this node changes the
// catalog. Response caches include it in their keys, so a write is visible at
// once on this node (and within the cache's TTL on other nodes).
func (s *Service) Generation() uint64 { return s.gen.Load() }

// Invalidate marks the catalog changed: cached store responses and the cached
// set of translation locales are dropped. Other domains call it when they
// change something store views show, such as stock behind available.
func (s *Service) Invalidate() {
	s.locMu.Lock()
	s.locs = nil
	s.locMu.Unlock()
	s.gen.Add(1)
}
