package staff

import (
	"context"
	"errors"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// Service manages staff users and API keys.
type Service struct {
	db       *db.DB
	store    store
	sessions *auth.Sessions
	limiter  *auth.Limiter
	now      func() time.Time
}

// NewService wires the service. sessions and limiter may be nil for callers
// that never sign anyone in (the CLI, the authenticator).
func NewService(d *db.DB, sessions *auth.Sessions, limiter *auth.Limiter, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, store: store{db: d}, sessions: sessions, limiter: limiter, now: now}
}

var _ auth.SubjectSource = (*Service)(nil)

// CreateInput is a new staff user.
type CreateInput struct {
	Email    string
	Password string
	Role     string
}

// Create adds a staff user. It is how the first admin comes to exist
// (`storekeep admin create`), so it takes no actor.
func (s *Service) Create(ctx context.Context, in CreateInput) (User, error) {
	email := auth.NormalizeEmail(in.Email)
	if err := auth.CheckNewCredentials(email, in.Password); err != nil {
		return User{}, err
	}
	if !auth.ValidRole(in.Role) {
		return User{}, errs.Invalidf("role", "must be one of: admin, manager, support, warehouse")
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.clock()
	u := User{ID: id.New("stf"), Email: email, PasswordHash: hash, Role: in.Role, TokenVersion: 1,
		CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithTx(ctx, func(ctx context.Context) error { return s.store.createUser(ctx, &u) }); err != nil {
		return User{}, err
	}
	return u, nil
}

// LoginInput is a staff sign-in.
type LoginInput struct {
	Email    string
	Password string
	IP       string
}

// Login checks the credentials and signs the staff user in. Unknown e-mail,
// wrong password and disabled user are indistinguishable, and are throttled
// alike (auth.BeginLogin; the per-IP count is shared with customers).
func (s *Service) Login(ctx context.Context, in LoginInput) (User, auth.Pair, error) {
	email := auth.NormalizeEmail(in.Email)
	attempt, err := s.limiter.BeginLogin(ctx, "staff:"+email, in.IP)
	if err != nil {
		return User{}, auth.Pair{}, err
	}
	u, err := s.store.user(ctx, "email", email)
	if errors.Is(err, ErrNotFound) {
		auth.DummyVerify(in.Password)
		return User{}, auth.Pair{}, attempt.Failed(ctx)
	}
	if err != nil {
		return User{}, auth.Pair{}, err
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, in.Password)
	if err != nil {
		return User{}, auth.Pair{}, err
	}
	if !ok || u.DisabledAt != nil {
		return User{}, auth.Pair{}, attempt.Failed(ctx)
	}
	attempt.Succeeded(ctx) // only failures count against the limits
	if auth.NeedsRehash(u.PasswordHash) {
		if h, err := auth.HashPassword(in.Password); err == nil {
			_ = s.store.setPasswordHash(ctx, u.ID, h) // best effort; the old hash still works
		}
	}
	pair, err := s.sessions.Start(ctx, subject(u))
	if err != nil {
		return User{}, auth.Pair{}, err
	}
	return u, pair, nil
}

// Get returns a staff user by id (disabled ones included).
func (s *Service) Get(ctx context.Context, staffID string) (User, error) {
	if !id.Valid("stf", staffID) {
		return User{}, ErrNotFound
	}
	return s.store.user(ctx, "id", staffID)
}

// Principal resolves a verified staff token to an actor, checking the user
// still exists, is enabled and has not been revoked since (token version).
// The role comes from the database, not the token.
func (s *Service) Principal(ctx context.Context, staffID string, version int) (auth.Actor, error) {
	u, err := s.Get(ctx, staffID)
	if errors.Is(err, ErrNotFound) {
		return auth.Actor{}, ErrStaleToken
	}
	if err != nil {
		return auth.Actor{}, err
	}
	if u.DisabledAt != nil || u.TokenVersion != version {
		return auth.Actor{}, ErrStaleToken
	}
	return auth.Actor{Kind: auth.Staff, ID: u.ID, Role: u.Role}, nil
}

// SetRole changes a user's role; their outstanding tokens stop working.
func (s *Service) SetRole(ctx context.Context, staffID, role string) error {
	if !auth.ValidRole(role) {
		return errs.Invalidf("role", "must be one of: admin, manager, support, warehouse")
	}
	if !id.Valid("stf", staffID) {
		return ErrNotFound
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.store.updateUser(ctx, staffID, map[string]any{"role": role})
	})
}

// Disable locks a user out: tokens stop working and sign-in fails.
func (s *Service) Disable(ctx context.Context, staffID string) error {
	if !id.Valid("stf", staffID) {
		return ErrNotFound
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.updateUser(ctx, staffID, map[string]any{"disabled_at": s.clock()}); err != nil {
			return err
		}
		if s.sessions == nil {
			return nil
		}
		return s.sessions.RevokeSubject(ctx, auth.Staff, staffID)
	})
}

// Current implements auth.SubjectSource: a refresh re-reads role and token
// version, and a disabled user cannot refresh.
func (s *Service) Current(ctx context.Context, staffID string) (auth.Subject, error) {
	u, err := s.Get(ctx, staffID)
	if err != nil {
		return auth.Subject{}, err
	}
	if u.DisabledAt != nil {
		return auth.Subject{}, ErrStaleToken
	}
	return subject(u), nil
}

// SignOutEverywhere implements auth.SubjectSource: bumping token_version
// voids every access token already issued to the user.
func (s *Service) SignOutEverywhere(ctx context.Context, staffID string) error {
	return s.store.updateUser(ctx, staffID, map[string]any{})
}

func subject(u User) auth.Subject {
	return auth.Subject{Kind: auth.Staff, ID: u.ID, Role: u.Role, Version: u.TokenVersion}
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// HasAny reports whether any staff user exists: the demo loader only fills a
// shop nobody has set up yet.
func (s *Service) HasAny(ctx context.Context) (bool, error) { return s.store.anyUser(ctx) }
