package channels

import (
	"context"
	"crypto/rand"
	"encoding/base32"
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

// KeyPrefix starts every publishable key.
const KeyPrefix = "pk_"

// Key is a publishable key. It is public by design (it ships inside apps
// and web pages) and only scopes store requests to a channel: it never
// authenticates anyone, so it is shown in full in every listing.
type Key struct {
	ID             string    `json:"id" binding:"required" example:"pkey_01jc9z8m7k5w3v2t1s0r9q8p7n"`
	Key            string    `json:"key" binding:"required" example:"pk_3k4m5n6p7q8r9s0t1v2w3x4y5z6a7b8c"`
	SalesChannelID string    `json:"sales_channel_id" binding:"required"`
	CreatedAt      time.Time `json:"created_at" binding:"required" format:"date-time"`
	// RevokedAt is when the key was revoked (null: it works).
	RevokedAt *time.Time `json:"revoked_at" binding:"required" extensions:"x-nullable" format:"date-time"`
} // @name PublishableKey

// KeyInput creates a publishable key.
type KeyInput struct {
	SalesChannelID string `json:"sales_channel_id" validate:"required"`
} // @name PublishableKeyInput

var keyEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newKey returns "pk_" and 32 characters of base32 (160 random bits).
func newKey() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return KeyPrefix + keyEncoding.EncodeToString(b)
}

// CreateKey makes a publishable key for a channel (active or not: a key can
// be prepared before the channel opens).
func (s *Service) CreateKey(ctx context.Context, actor auth.Actor, in KeyInput) (Key, error) {
	if err := canManage(actor); err != nil {
		return Key{}, err
	}
	if _, err := s.load(ctx, in.SalesChannelID); errors.Is(err, ErrNotFound) {
		return Key{}, errs.Invalidf("sales_channel_id", "sales channel %q does not exist", in.SalesChannelID)
	} else if err != nil {
		return Key{}, err
	}
	r := keyRow{ID: id.New("pkey"), Key: newKey(), SalesChannelID: in.SalesChannelID, CreatedAt: s.now()}
	if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
		return Key{}, fmt.Errorf("create publishable key: %w", err)
	}
	return r.key(), nil
}

// ListKeys lists publishable keys, newest last; channelID filters by channel.
func (s *Service) ListKeys(ctx context.Context, actor auth.Actor, channelID string, pr page.Request) (page.List[Key], error) {
	if err := canManage(actor); err != nil {
		return page.List[Key]{}, err
	}
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if channelID != "" {
		q = q.Where("sales_channel_id = ?", channelID)
	}
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []keyRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Key]{}, fmt.Errorf("list publishable keys: %w", err)
	}
	out := make([]Key, len(rows))
	for i, r := range rows {
		out[i] = r.key()
	}
	return page.Build(out, pr.Limit, func(k Key) page.Cursor { return page.Cursor{ID: k.ID} }), nil
}

// RevokeKey revokes a key: store requests carrying it are refused from now
// on (on this node at once, on others within the resolve cache's lifetime).
// Revoking a revoked key changes nothing.
func (s *Service) RevokeKey(ctx context.Context, actor auth.Actor, keyID string) (Key, error) {
	if err := canManage(actor); err != nil {
		return Key{}, err
	}
	if !id.Valid("pkey", keyID) {
		return Key{}, ErrKeyNotFound
	}
	var r keyRow
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if err := conn.Model(&keyRow{}).Where("id = ? AND revoked_at IS NULL", keyID).
			Update("revoked_at", s.now()).Error; err != nil {
			return fmt.Errorf("revoke publishable key: %w", err)
		}
		err := conn.Where("id = ?", keyID).Take(&r).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrKeyNotFound
		}
		return err
	})
	if err != nil {
		return Key{}, err
	}
	s.Invalidate()
	return r.key(), nil
}

// wellFormedKey rejects what cannot be a key before any lookup.
func wellFormedKey(k string) bool {
	rest, ok := strings.CutPrefix(k, KeyPrefix)
	if !ok || len(rest) != 32 {
		return false
	}
	_, err := keyEncoding.DecodeString(rest)
	return err == nil
}
