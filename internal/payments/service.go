package payments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// StatusHook runs inside the transaction of a webhook that changed a
// payment's status; an error rolls the whole webhook back (the provider
// retries it).
type StatusHook func(ctx context.Context, p Payment) error

// Service records payments and moves money through providers.
type Service struct {
	db        *db.DB
	now       func() time.Time
	log       *slog.Logger
	providers map[string]Provider
	// hooks are registered at wiring time, before any request.
	hooks []StatusHook
	// unclaimed handle events about payments no order recorded yet
	// (actions.go).
	unclaimed []UnclaimedHook
}

// Option configures a Service.
type Option func(*Service)

// WithProvider registers p under p.Name(); a later one with the same name wins.
func WithProvider(p Provider) Option { return func(s *Service) { s.providers[p.Name()] = p } }

// WithClock sets the clock (tests); the default is db.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Service) { s.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) } }
}

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// NewService returns the payments service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, now: db.Now, log: slog.New(slog.NewTextHandler(io.Discard, nil)), providers: map[string]Provider{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Provider returns the named provider, or a 422 on payment.provider.
func (s *Service) Provider(name string) (Provider, error) {
	p, ok := s.providers[name]
	if !ok {
		return nil, ErrUnknownProvider
	}
	return p, nil
}

// Providers lists the configured providers' names, sorted.
func (s *Service) Providers() []string {
	out := make([]string, 0, len(s.providers))
	for n := range s.providers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// OnStatusChange registers fn to run, inside the webhook's transaction, after
// a verified webhook changed a payment's status. Register at wiring time only.
func (s *Service) OnStatusChange(fn func(ctx context.Context, p Payment) error) {
	s.hooks = append(s.hooks, fn)
}

// AuthorizeInput is a checkout's payment.
type AuthorizeInput struct {
	Provider, Method, Token string
	Amount                  money.Amount
	// Reference is the order id the payment is for.
	Reference string
	// IdempotencyKey is the caller's key (checkout's Idempotency-Key); the
	// provider gets a key derived from it and Reference.
	IdempotencyKey string
	// Capture asks for immediate capture.
	Capture bool
	// ReturnURL is passed to the provider for redirects (already checked
	// against the allow-list with CheckReturnURL).
	ReturnURL string
}

// Authorization is a provider's answer to an authorisation, not yet recorded.
type Authorization struct {
	Provider, Method string
	Amount           money.Amount
	Result           Result
}

// Authorize validates in and asks the provider. It writes nothing: the
// caller records the outcome with Record in its own transaction. A decline
// is a nil error with Result.Status failed. It must not be called with a
// transaction in ctx (no lock is held across a provider call).
func (s *Service) Authorize(ctx context.Context, in AuthorizeInput) (Authorization, error) {
	if db.InTx(ctx) {
		return Authorization{}, ErrInTransaction
	}
	p, err := s.Provider(in.Provider)
	if err != nil {
		return Authorization{}, err
	}
	if !ValidMethod(in.Method) {
		return Authorization{}, ErrUnknownMethod
	}
	if strings.TrimSpace(in.Token) == "" {
		return Authorization{}, errs.Invalidf("payment.token", "is required")
	}
	if !money.ValidCurrency(in.Amount.Currency) || in.Amount.Minor <= 0 {
		return Authorization{}, errs.Invalidf("amount", "must be a positive amount in a known currency")
	}
	key := in.IdempotencyKey
	if key == "" {
		key = in.Reference
	}
	if key == "" {
		key = randomHex(16)
	}
	res, err := p.Authorize(ctx, AuthorizeRequest{Amount: in.Amount, Method: in.Method, Token: in.Token,
		Reference: in.Reference, IdempotencyKey: deriveKey(KindAuthorize, in.Reference, key), Capture: in.Capture,
		ReturnURL: in.ReturnURL})
	if err != nil {
		return Authorization{}, providerErr(err)
	}
	return Authorization{Provider: p.Name(), Method: in.Method, Amount: in.Amount, Result: res}, nil
}

// Record inserts the payment of an authorisation for orderID, joining the
// caller's transaction (checkout records it with the order). A declined
// authorisation may be recorded too (status failed) for the record.
//
// A pending payment whose provider webhook arrived before this call (the
// event overtook the checkout) gets that event applied here, and the
// OnStatusChange hooks run in the caller's transaction as they would have
// for the webhook: record the order before the payment so they find it. The
// returned Payment's Status is then authorized, captured or failed.
func (s *Service) Record(ctx context.Context, orderID string, a Authorization) (Payment, error) {
	if strings.TrimSpace(orderID) == "" {
		return Payment{}, errs.Invalidf("order_id", "is required")
	}
	now := s.now()
	row := paymentRow{ID: id.New("pay"), OrderID: orderID, Provider: a.Provider, Method: a.Method,
		ProviderRef: a.Result.ProviderRef, Status: a.Result.Status, Currency: a.Amount.Currency,
		Amount: a.Amount.Minor, DeclineCode: a.Result.DeclineCode, CreatedAt: now, UpdatedAt: now}
	switch a.Result.Status {
	case StatusCaptured:
		row.CapturedAmount = a.Amount.Minor
	case StatusPending, StatusAuthorized, StatusFailed:
	default:
		return Payment{}, fmt.Errorf("record payment: unexpected authorisation status %q", a.Result.Status)
	}
	txStatus := TxSucceeded
	switch a.Result.Status {
	case StatusFailed:
		txStatus = TxFailed
	case StatusPending:
		txStatus = TxPending
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				// One provider reference is one payment: recording the same
				// authorisation twice is a caller bug or a replay.
				return errs.ErrConflict.WithDetail("the payment %s is already recorded", row.ProviderRef)
			}
			return fmt.Errorf("insert payment: %w", err)
		}
		t := txRow{ID: id.New("ptx"), PaymentID: row.ID, Kind: KindAuthorize, Status: txStatus,
			Currency: row.Currency, Amount: row.Amount, ProviderRef: row.ProviderRef,
			IdempotencyKey: deriveKey(KindAuthorize, orderID, row.ID), DeclineCode: row.DeclineCode,
			CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&t).Error; err != nil {
			return fmt.Errorf("insert payment transaction: %w", err)
		}
		if row.Status != StatusPending || row.ProviderRef == "" {
			return nil
		}
		if err := s.applyEarlyEvents(ctx, row); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Where("id = ?", row.ID).Take(&row).Error; err != nil {
			return fmt.Errorf("reload payment: %w", err)
		}
		if row.Status == StatusPending {
			return nil
		}
		return s.runHooks(ctx, row.payment())
	})
	if err != nil {
		return Payment{}, err
	}
	return row.payment(), nil
}

// deriveKey is the idempotency key sent to a provider: a hash of the
// operation, the subject (payment or order id) and the caller's key, so the
// same caller key on another payment or operation is a different request at
// the provider, and a retry of the same one is the same request.
func deriveKey(kind, subject, key string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + subject + "\x00" + key))
	return "sk_" + kind + "_" + hex.EncodeToString(h[:20])
}

// providerErr keeps domain errors (invalid token, rejected) and turns any
// other provider failure into ErrProviderUnavailable, keeping the cause for
// the log.
func providerErr(err error) error {
	if _, ok := errs.As(err); ok {
		return err
	}
	return fmt.Errorf("%w: %w", ErrProviderUnavailable, err)
}
