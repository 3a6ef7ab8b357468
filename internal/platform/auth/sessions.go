package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// RefreshTTL is how long a refresh token stays usable if not rotated.
const RefreshTTL = 30 * 24 * time.Hour

// Errors of the refresh flow. Both are 401: the client must sign in again.
var (
	ErrInvalidRefresh = errs.New(errs.Unauthenticated, "invalid_refresh_token", "the refresh token is invalid, expired or revoked")
	ErrRefreshReused  = errs.New(errs.Unauthenticated, "refresh_token_reused",
		"this refresh token was already used; every session of its family has been revoked")
)

// SubjectSource is how Sessions looks at the owner of a refresh token without
// importing the domain that owns it. internal/customers and internal/staff
// provide one each and the API wiring registers them.
type SubjectSource interface {
	// Current returns the subject as it stands now (current role, token
	// version); an error (archived, disabled, gone) refuses the refresh.
	Current(ctx context.Context, id string) (Subject, error)
	// SignOutEverywhere invalidates the subject's outstanding access tokens
	// where the kind supports it (staff bump token_version).
	SignOutEverywhere(ctx context.Context, id string) error
}

// Pair is what a sign-in or refresh hands the client.
type Pair struct {
	AccessToken  string
	RefreshToken string
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int
	Subject   Subject
}

// refreshToken is a row of refresh_tokens.
type refreshToken struct {
	ID          string
	FamilyID    string
	SubjectKind Kind
	SubjectID   string
	TokenHash   string
	ExpiresAt   time.Time
	UsedAt      *time.Time
	ReplacedBy  *string
	RevokedAt   *time.Time
	CreatedAt   time.Time
}

func (refreshToken) TableName() string { return "refresh_tokens" }

// Sessions issues token pairs and rotates refresh tokens with reuse detection.
type Sessions struct {
	db      *db.DB
	tokens  *Tokens
	now     func() time.Time
	sources map[Kind]SubjectSource
}

// NewSessions returns a session service; register a SubjectSource per kind
// with Register before serving.
func NewSessions(d *db.DB, t *Tokens, now func() time.Time) *Sessions {
	if now == nil {
		now = time.Now
	}
	return &Sessions{db: d, tokens: t, now: now, sources: map[Kind]SubjectSource{}}
}

// Register sets the source of subjects of kind k. Call it during wiring only.
func (s *Sessions) Register(k Kind, src SubjectSource) { s.sources[k] = src }

// Tokens returns the access-token service.
func (s *Sessions) Tokens() *Tokens { return s.tokens }

func (s *Sessions) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Start signs sub in: a new refresh-token family and an access token.
func (s *Sessions) Start(ctx context.Context, sub Subject) (Pair, error) {
	raw, row, err := s.newRefresh(id.New("rtf"), sub)
	if err != nil {
		return Pair{}, err
	}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Pair{}, fmt.Errorf("store refresh token: %w", err)
	}
	return s.pair(sub, raw)
}

// Refresh exchanges a refresh token for a new pair. The presented token stops
// working; presenting it again (a sign that it leaked) revokes its family, so
// whichever party holds the newer token is signed out too.
func (s *Sessions) Refresh(ctx context.Context, raw string) (Pair, error) {
	row, err := s.lookup(ctx, raw)
	if err != nil {
		return Pair{}, err
	}
	now := s.clock()
	switch {
	case row.RevokedAt != nil, !now.Before(row.ExpiresAt):
		return Pair{}, ErrInvalidRefresh
	case row.UsedAt != nil:
		return Pair{}, s.reused(ctx, row.FamilyID)
	}
	src, ok := s.sources[row.SubjectKind]
	if !ok {
		return Pair{}, ErrInvalidRefresh
	}
	sub, err := src.Current(ctx, row.SubjectID)
	if err != nil {
		// The account is gone or disabled: end this family for good.
		if rerr := s.revokeFamily(ctx, row.FamilyID); rerr != nil {
			return Pair{}, rerr
		}
		return Pair{}, ErrInvalidRefresh
	}
	next, nextRow, err := s.newRefresh(row.FamilyID, sub)
	if err != nil {
		return Pair{}, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		// Conditional update: of two concurrent refreshes with one token,
		// exactly one sees RowsAffected == 1; the other is treated as reuse.
		res := s.db.Conn(ctx).Model(&refreshToken{}).
			Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", row.ID).
			Updates(map[string]any{"used_at": now, "replaced_by": nextRow.ID})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrRefreshReused
		}
		return s.db.Conn(ctx).Create(&nextRow).Error
	})
	if errors.Is(err, ErrRefreshReused) {
		return Pair{}, s.reused(ctx, row.FamilyID)
	}
	if err != nil {
		return Pair{}, fmt.Errorf("rotate refresh token: %w", err)
	}
	return s.pair(sub, next)
}

// Logout revokes the family of raw. With everywhere it revokes every family of
// the token's subject and asks its SubjectSource to invalidate outstanding
// access tokens. An unknown token is not an error: logging out is idempotent.
func (s *Sessions) Logout(ctx context.Context, raw string, everywhere bool) error {
	row, err := s.lookup(ctx, raw)
	if errors.Is(err, ErrInvalidRefresh) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		q := s.db.Conn(ctx).Model(&refreshToken{}).Where("revoked_at IS NULL")
		if everywhere {
			q = q.Where("subject_kind = ? AND subject_id = ?", row.SubjectKind, row.SubjectID)
		} else {
			q = q.Where("family_id = ?", row.FamilyID)
		}
		if err := q.Update("revoked_at", s.clock()).Error; err != nil {
			return fmt.Errorf("revoke refresh tokens: %w", err)
		}
		if src, ok := s.sources[row.SubjectKind]; ok && everywhere {
			return src.SignOutEverywhere(ctx, row.SubjectID)
		}
		return nil
	})
}

// RevokeSubject revokes every refresh token of a subject (used when staff are
// disabled or change role).
func (s *Sessions) RevokeSubject(ctx context.Context, k Kind, subjectID string) error {
	return s.db.Conn(ctx).Model(&refreshToken{}).
		Where("subject_kind = ? AND subject_id = ? AND revoked_at IS NULL", k, subjectID).
		Update("revoked_at", s.clock()).Error
}

func (s *Sessions) reused(ctx context.Context, family string) error {
	if err := s.revokeFamily(ctx, family); err != nil {
		return err
	}
	return ErrRefreshReused
}

func (s *Sessions) revokeFamily(ctx context.Context, family string) error {
	err := s.db.Conn(ctx).Model(&refreshToken{}).Where("family_id = ? AND revoked_at IS NULL", family).
		Update("revoked_at", s.clock()).Error
	if err != nil {
		return fmt.Errorf("revoke refresh family: %w", err)
	}
	return nil
}

// refreshLen is the length of a refresh token: 32 random bytes, base64url.
const refreshLen = 43

func (s *Sessions) lookup(ctx context.Context, raw string) (refreshToken, error) {
	if len(raw) != refreshLen {
		return refreshToken{}, ErrInvalidRefresh
	}
	var row refreshToken
	err := s.db.Conn(ctx).Where("token_hash = ?", HashSecret(raw)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return refreshToken{}, ErrInvalidRefresh
	}
	if err != nil {
		return refreshToken{}, fmt.Errorf("find refresh token: %w", err)
	}
	return row, nil
}

func (s *Sessions) newRefresh(family string, sub Subject) (string, refreshToken, error) {
	raw, err := RandomToken(32)
	if err != nil {
		return "", refreshToken{}, err
	}
	now := s.clock()
	return raw, refreshToken{
		ID: id.New("rt"), FamilyID: family, SubjectKind: sub.Kind, SubjectID: sub.ID,
		TokenHash: HashSecret(raw), ExpiresAt: now.Add(RefreshTTL), CreatedAt: now,
	}, nil
}

func (s *Sessions) pair(sub Subject, refresh string) (Pair, error) {
	access, _, err := s.tokens.Issue(sub)
	if err != nil {
		return Pair{}, err
	}
	return Pair{AccessToken: access, RefreshToken: refresh, ExpiresIn: int(AccessTTL / time.Second), Subject: sub}, nil
}

// RandomToken returns n random bytes, base64url without padding.
func RandomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashSecret is the stored form of a high-entropy secret (refresh token, API
// key): hex SHA-256. A slow hash is unnecessary for 256-bit random values, and
// a fast deterministic one lets the row be found by an indexed lookup.
func HashSecret(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}
