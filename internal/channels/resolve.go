package channels

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/channel"
)

// cacheTTL bounds how long a resolved key or scope is reused. Every store
// request resolves one, so it must not cost a query each time; changes
// made on this node invalidate at once, other nodes see them within the
// TTL (a revoked key works there for at most this long).
const cacheTTL = 5 * time.Second

type cached struct {
	scope channel.Scope
	err   error
	until time.Time
}

// Invalidate drops every cached key and scope (after a change to a
// channel, a key or a warehouse).
func (s *Service) Invalidate() {
	s.mu.Lock()
	clear(s.cache)
	s.mu.Unlock()
}

// Resolve turns a store request's X-Publishable-Key into its channel scope.
// An empty key is the default web channel. ErrInvalidKey for an unknown,
// malformed or revoked key; ErrChannelInactive for a deactivated channel.
func (s *Service) Resolve(ctx context.Context, key string) (channel.Scope, error) {
	if key != "" && !wellFormedKey(key) {
		return channel.Scope{}, ErrInvalidKey
	}
	now := time.Now()
	s.mu.Lock()
	c, ok := s.cache[key]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.scope, c.err
	}
	sc, err := s.resolve(ctx, key)
	if err != nil && !errors.Is(err, ErrInvalidKey) && !errors.Is(err, ErrChannelInactive) {
		return channel.Scope{}, err // a database failure is not cached
	}
	s.mu.Lock()
	if len(s.cache) > 10_000 {
		clear(s.cache) // made-up keys must not grow the cache without bound
	}
	s.cache[key] = cached{scope: sc, err: err, until: now.Add(cacheTTL)}
	s.mu.Unlock()
	return sc, err
}

// Scope returns a channel's scope by id, uncached: for staff actions on a
// channel (point of sale orders). ErrNotFound if there is no such channel.
func (s *Service) Scope(ctx context.Context, channelID string) (channel.Scope, error) {
	c, err := s.load(ctx, channelID)
	if err != nil {
		return channel.Scope{}, err
	}
	active, err := s.wh.ActiveWarehouseIDs(ctx)
	if err != nil {
		return channel.Scope{}, err
	}
	return c.scope(active), nil
}

func (s *Service) resolve(ctx context.Context, key string) (channel.Scope, error) {
	channelID := channel.DefaultID
	if key != "" {
		var k keyRow
		err := s.db.Conn(ctx).Where("key = ?", key).Take(&k).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && k.RevokedAt != nil) {
			return channel.Scope{}, ErrInvalidKey
		}
		if err != nil {
			return channel.Scope{}, fmt.Errorf("resolve publishable key: %w", err)
		}
		channelID = k.SalesChannelID
	}
	return s.ActiveScope(ctx, channelID)
}
