package customers

import (
	"context"
	"errors"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/jobs"
	"storekeep/internal/platform/locale"
)

// Rate limits per 15-minute window; sign-in throttling is auth.BeginLogin's.
const (
	// SignupsPerIP is how many sign-up attempts one IP may make.
	SignupsPerIP = 20
	// CurrentPasswordFailures is how many wrong current passwords one
	// customer may send to the password change.
	CurrentPasswordFailures = 10
)

// Service is the customer account service.
type Service struct {
	db       *db.DB
	store    store
	sessions *auth.Sessions
	limiter  *auth.Limiter
	now      func() time.Time
	// orders supplies the staff view's order figures (SetOrderHistory).
	orders OrderHistory
	// loyalty supplies the staff view's points and tier (SetLoyalty).
	loyalty LoyaltyLedger
	// jobs runs the segment recomputes (RegisterJobs); nil queues none.
	jobs *jobs.Runner
}

// NewService wires the service. sessions issues tokens; limiter counts sign-in
// and sign-up attempts.
func NewService(d *db.DB, sessions *auth.Sessions, limiter *auth.Limiter, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, store: store{db: d}, sessions: sessions, limiter: limiter, now: now}
}

var _ auth.SubjectSource = (*Service)(nil)

// CreateInput is a new account made without signing in (demo data, tools).
type CreateInput struct {
	Email     string
	Password  string
	FirstName string
	LastName  string
	// Locale is one of locale.Supported; empty means locale.Default.
	Locale string
}

// Create adds an account. It is not rate limited: it is for trusted callers
// (seeding, the CLI, tests); the public sign-up is Register.
func (s *Service) Create(ctx context.Context, in CreateInput) (Customer, error) {
	c, err := s.newCustomer(in)
	if err != nil {
		return Customer{}, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.create(ctx, &c); err != nil {
			return err
		}
		return s.recordCreated(ctx, c)
	})
	if err != nil {
		return Customer{}, err
	}
	return c, nil
}

func (s *Service) newCustomer(in CreateInput) (Customer, error) {
	email := auth.NormalizeEmail(in.Email)
	if err := auth.CheckNewCredentials(email, in.Password); err != nil {
		return Customer{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return Customer{}, err
	}
	if in.Locale == "" {
		in.Locale = locale.Default
	}
	if !locale.Valid(in.Locale) {
		return Customer{}, errLocale
	}
	now := s.clock()
	c := Customer{ID: id.New("cus"), Email: email, PasswordHash: hash, FirstName: in.FirstName, LastName: in.LastName,
		Locale: in.Locale, CreatedAt: now, UpdatedAt: now}
	c.setSearchText()
	return c, nil
}

// RegisterInput is a sign-up.
type RegisterInput struct {
	Email     string
	Password  string
	FirstName string
	LastName  string
	// Locale is one of locale.Supported; empty means locale.Default.
	Locale string
	// IP is the client address, for rate limiting.
	IP string
}

// Register creates an account and signs it in. Sign-ups are limited per IP
// (SignupsPerIP per window), counted whether or not they succeed.
func (s *Service) Register(ctx context.Context, in RegisterInput) (Customer, auth.Pair, error) {
	if err := auth.CheckNewCredentials(auth.NormalizeEmail(in.Email), in.Password); err != nil {
		return Customer{}, auth.Pair{}, err
	}
	if in.Locale != "" && !locale.Valid(in.Locale) {
		return Customer{}, auth.Pair{}, errLocale
	}
	if _, err := s.limiter.Hit(ctx, auth.Limit{Bucket: "signup:ip:" + in.IP, Max: SignupsPerIP}); err != nil {
		return Customer{}, auth.Pair{}, err
	}
	c, err := s.newCustomer(CreateInput{Email: in.Email, Password: in.Password, FirstName: in.FirstName,
		LastName: in.LastName, Locale: in.Locale})
	if err != nil {
		return Customer{}, auth.Pair{}, err
	}
	var pair auth.Pair
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.create(ctx, &c); err != nil {
			return err
		}
		if err := s.recordCreated(ctx, c); err != nil {
			return err
		}
		pair, err = s.sessions.Start(ctx, auth.Subject{Kind: auth.Customer, ID: c.ID})
		return err
	})
	if err != nil {
		return Customer{}, auth.Pair{}, err
	}
	return c, pair, nil
}

// LoginInput is a sign-in.
type LoginInput struct {
	Email    string
	Password string
	IP       string
}

// Login checks the credentials and signs the customer in. Unknown e-mail and
// wrong password are indistinguishable, in answer and in time, and are
// throttled alike (auth.BeginLogin).
func (s *Service) Login(ctx context.Context, in LoginInput) (Customer, auth.Pair, error) {
	email := auth.NormalizeEmail(in.Email)
	attempt, err := s.limiter.BeginLogin(ctx, "customer:"+email, in.IP)
	if err != nil {
		return Customer{}, auth.Pair{}, err
	}
	c, err := s.store.active(ctx, "email", email)
	if errors.Is(err, ErrNotFound) {
		auth.DummyVerify(in.Password)
		return Customer{}, auth.Pair{}, attempt.Failed(ctx)
	}
	if err != nil {
		return Customer{}, auth.Pair{}, err
	}
	ok, err := auth.VerifyPassword(c.PasswordHash, in.Password)
	if err != nil {
		return Customer{}, auth.Pair{}, err
	}
	if !ok {
		return Customer{}, auth.Pair{}, attempt.Failed(ctx)
	}
	attempt.Succeeded(ctx) // only failures count against the limits
	if auth.NeedsRehash(c.PasswordHash) {
		if h, err := auth.HashPassword(in.Password); err == nil {
			// Best effort: the old hash still works if this write fails.
			_ = s.store.setPasswordHash(ctx, c.ID, h)
		}
	}
	pair, err := s.sessions.Start(ctx, auth.Subject{Kind: auth.Customer, ID: c.ID})
	if err != nil {
		return Customer{}, auth.Pair{}, err
	}
	return c, pair, nil
}

// Get returns an active customer by id.
func (s *Service) Get(ctx context.Context, customerID string) (Customer, error) {
	if !id.Valid("cus", customerID) {
		return Customer{}, ErrNotFound
	}
	return s.store.active(ctx, "id", customerID)
}

// Current implements auth.SubjectSource: an archived customer cannot refresh.
func (s *Service) Current(ctx context.Context, customerID string) (auth.Subject, error) {
	c, err := s.Get(ctx, customerID)
	if err != nil {
		return auth.Subject{}, err
	}
	return auth.Subject{Kind: auth.Customer, ID: c.ID}, nil
}

// SignOutEverywhere implements auth.SubjectSource. Customer access tokens are
// stateless and expire within auth.AccessTTL; revoking the refresh families
// (done by the caller) is what signs a customer out everywhere.
func (s *Service) SignOutEverywhere(context.Context, string) error { return nil }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
