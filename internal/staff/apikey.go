package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// APIKey is a secret key an admin made for an integration. The secret itself
// is never stored: SecretHash is its SHA-256 and Prefix its first characters,
// for recognising it in a list.
type APIKey struct {
	ID         string
	Name       string
	Prefix     string
	SecretHash string
	Role       string
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedBy  string
	CreatedAt  time.Time
}

// TableName is the GORM table.
func (APIKey) TableName() string { return "api_keys" }

// KeyPrefix starts every secret key; the authenticator routes credentials
// starting with it here rather than to JWT verification.
const KeyPrefix = "sk_"

// Key format: "sk_" + 32 random bytes base64url (43 characters).
const (
	keyLen        = len(KeyPrefix) + 43
	keyDisplayLen = len(KeyPrefix) + 8
	// lastUsedEvery throttles last_used_at writes: one per key per minute
	// is precise enough for "is this key still in use?".
	lastUsedEvery = time.Minute
)

// ErrInvalidKey is the 401 for an unknown, revoked or expired secret key.
var ErrInvalidKey = errs.New(errs.Unauthenticated, "invalid_token", "the API key is invalid, expired or revoked")

// CreateKeyInput is a new API key.
type CreateKeyInput struct {
	Name      string
	Role      string
	ExpiresAt *time.Time
}

// CreateKey makes a key and returns it with its secret, which is shown once
// and cannot be recovered. Only admins manage keys.
func (s *Service) CreateKey(ctx context.Context, actor auth.Actor, in CreateKeyInput) (APIKey, string, error) {
	if !actor.HasRole() {
		return APIKey{}, "", errs.ErrForbidden
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "" || len(name) > 100:
		return APIKey{}, "", errs.Invalidf("name", "must be 1 to 100 characters")
	case !auth.ValidRole(in.Role):
		return APIKey{}, "", errs.Invalidf("role", "must be one of: admin, manager, support, warehouse")
	case in.ExpiresAt != nil && !in.ExpiresAt.After(s.now()):
		return APIKey{}, "", errs.Invalidf("expires_at", "must be in the future")
	}
	rnd, err := auth.RandomToken(32)
	if err != nil {
		return APIKey{}, "", err
	}
	secret := KeyPrefix + rnd
	k := APIKey{ID: id.New("key"), Name: name, Prefix: secret[:keyDisplayLen], SecretHash: auth.HashSecret(secret),
		Role: in.Role, CreatedBy: actor.ID, CreatedAt: s.clock()}
	if in.ExpiresAt != nil {
		exp := in.ExpiresAt.UTC().Truncate(time.Microsecond)
		k.ExpiresAt = &exp
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&k).Error; err != nil {
			return fmt.Errorf("insert api key: %w", err)
		}
		return nil
	})
	if err != nil {
		return APIKey{}, "", err
	}
	return k, secret, nil
}

// ListKeys lists keys, newest first, revoked ones included.
func (s *Service) ListKeys(ctx context.Context, actor auth.Actor, req page.Request) (page.List[APIKey], error) {
	if !actor.HasRole() {
		return page.List[APIKey]{}, errs.ErrForbidden
	}
	q := s.db.Conn(ctx).Order("id DESC").Limit(req.Limit + 1)
	if !req.Cursor.IsZero() {
		q = q.Where("id < ?", req.Cursor.ID)
	}
	var rows []APIKey
	if err := q.Find(&rows).Error; err != nil {
		return page.List[APIKey]{}, fmt.Errorf("list api keys: %w", err)
	}
	return page.Build(rows, req.Limit, func(k APIKey) page.Cursor { return page.Cursor{ID: k.ID} }), nil
}

// RevokeKey revokes a key; it stops working on its next use. Revoking a
// revoked key is a no-op.
func (s *Service) RevokeKey(ctx context.Context, actor auth.Actor, keyID string) error {
	if !actor.HasRole() {
		return errs.ErrForbidden
	}
	if !id.Valid("key", keyID) {
		return ErrKeyNotFound
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		var k APIKey
		err := s.db.Conn(ctx).Where("id = ?", keyID).Take(&k).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrKeyNotFound
		}
		if err != nil {
			return fmt.Errorf("find api key: %w", err)
		}
		if k.RevokedAt != nil {
			return nil
		}
		return s.db.Conn(ctx).Model(&APIKey{}).Where("id = ? AND revoked_at IS NULL", keyID).
			Update("revoked_at", s.clock()).Error
	})
}

// AuthenticateKey resolves a secret key to its actor. The key is found by the
// SHA-256 of the secret through a unique index, so no secret-dependent
// comparison happens in this process.
func (s *Service) AuthenticateKey(ctx context.Context, secret string) (auth.Actor, error) {
	if len(secret) != keyLen || !strings.HasPrefix(secret, KeyPrefix) {
		return auth.Actor{}, ErrInvalidKey
	}
	var k APIKey
	err := s.db.Conn(ctx).Where("secret_hash = ?", auth.HashSecret(secret)).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return auth.Actor{}, ErrInvalidKey
	}
	if err != nil {
		return auth.Actor{}, fmt.Errorf("find api key: %w", err)
	}
	now := s.clock()
	if k.RevokedAt != nil || (k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)) {
		return auth.Actor{}, ErrInvalidKey
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= lastUsedEvery {
		// Best effort bookkeeping: a failed write must not fail the request.
		_ = s.db.Conn(ctx).Model(&APIKey{}).Where("id = ?", k.ID).Update("last_used_at", now).Error
	}
	return auth.Actor{Kind: auth.APIKey, ID: k.ID, Role: k.Role}, nil
}
