package payments

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/text"
)

// webhookSources lists, for each status a webhook may set, the statuses it
// may move from. Webhooks only move a payment forward: an event that arrives
// late (authorized after captured) or about a finished payment changes
// nothing.
var webhookSources = map[Status][]Status{
	StatusAuthorized: {StatusPending},
	StatusCaptured:   {StatusPending, StatusAuthorized},
	StatusFailed:     {StatusPending},
}

// confirmsMoney reports whether a webhook status says money was secured, so
// its amount must match the payment's before it is believed.
func confirmsMoney(st Status) bool { return st == StatusAuthorized || st == StatusCaptured }

// HandleWebhook verifies a provider's webhook and applies it once.
//
// An unknown provider is 404 and a bad signature 400, with nothing written;
// so is a verified event that is not UTF-8 or whose stored fields break the
// text rules (400 malformed_request: a NUL would make PostgreSQL refuse the
// insert, a 500 that the provider would keep retrying).
// Then, in one transaction: the event id is inserted (a duplicate returns nil
// at once: the same event twice changes nothing); the payment is found by
// the provider's reference (unknown: recorded, logged, nil); a status change
// whose amount or currency differs from the payment's is not applied and
// flags the payment for review (payment_amount_mismatch); otherwise the
// forward transition is applied with a guarded update and the OnStatusChange
// hooks run in the same transaction.
func (s *Service) HandleWebhook(ctx context.Context, provider string, header http.Header, body []byte) error {
	p, ok := s.providers[provider]
	if !ok {
		return ErrProviderNotFound
	}
	ev, err := p.ParseWebhook(header, body)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		// encoding/json would quietly turn the bad bytes into U+FFFD: the
		// event would be stored as something the provider never sent.
		return errs.ErrMalformed.WithDetail("the event is not valid UTF-8")
	}
	if err := checkEventText(ev); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		now := s.now()
		rec := webhookEventRow{Provider: provider, EventID: ev.ID, EventType: ev.Type, ProviderRef: ev.ProviderRef,
			Status: ev.Status, Currency: ev.Amount.Currency, Amount: ev.Amount.Minor, Outcome: "received", ReceivedAt: now}
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rec)
		if res.Error != nil {
			return fmt.Errorf("record webhook event: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			s.log.InfoContext(ctx, "duplicate payment webhook", "provider", provider, "event_id", ev.ID)
			return nil
		}
		outcome, paymentID, err := s.applyWebhook(ctx, provider, ev)
		if err != nil {
			return err
		}
		err = s.db.Conn(ctx).Model(&webhookEventRow{}).Where("provider = ? AND event_id = ?", provider, ev.ID).
			Updates(map[string]any{"outcome": outcome, "payment_id": paymentID}).Error
		if err != nil {
			return fmt.Errorf("record webhook outcome: %w", err)
		}
		return nil
	})
}

// applyWebhook applies ev inside the webhook's transaction and says what it did.
func (s *Service) applyWebhook(ctx context.Context, provider string, ev WebhookEvent) (string, *string, error) {
	if ev.Status == "" {
		return OutcomeIgnored, nil, nil
	}
	var row paymentRow
	err := s.db.Conn(ctx).Where("provider = ? AND provider_ref = ?", provider, ev.ProviderRef).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// A payment waiting for the shopper has no row yet: its owner
		// (checkout) may place the order now, or fail the checkout.
		for _, h := range s.unclaimed {
			pid, handled, err := h(ctx, provider, ev)
			if err != nil {
				return "", nil, err
			}
			if handled {
				return OutcomeApplied, pid, nil
			}
		}
		// Kept with its status and amount: if checkout records this payment
		// later (the event overtook the checkout), Record applies it then.
		s.log.WarnContext(ctx, "payment webhook for an unknown payment", "provider", provider, "event_id", ev.ID, "provider_ref", ev.ProviderRef)
		return OutcomeUnknownPayment, nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("load payment: %w", err)
	}
	outcome, err := s.transition(ctx, row, ev)
	if err != nil || outcome != OutcomeApplied {
		return outcome, &row.ID, err
	}
	pay, err := s.Get(ctx, row.ID)
	if err != nil {
		return "", nil, err
	}
	if err := s.runHooks(ctx, pay); err != nil {
		return "", nil, err
	}
	return OutcomeApplied, &row.ID, nil
}

// runHooks runs the OnStatusChange hooks in ctx's transaction.
func (s *Service) runHooks(ctx context.Context, p Payment) error {
	for _, h := range s.hooks {
		if err := h(ctx, p); err != nil {
			return fmt.Errorf("payment status hook: %w", err)
		}
	}
	return nil
}

// transition applies a verified event's status to the payment if it moves
// it forward and its amount matches, and says what it did. It runs no hooks.
func (s *Service) transition(ctx context.Context, row paymentRow, ev WebhookEvent) (string, error) {
	if !statusIn(row.Status, webhookSources[ev.Status]) {
		return OutcomeIgnored, nil // late, duplicate in effect, or backwards
	}
	if confirmsMoney(ev.Status) && (ev.Amount.Minor != row.Amount || ev.Amount.Currency != row.Currency) {
		// A signed event that disagrees with what we asked for is not believed
		// (a valid signature proves who sent it, not that it is right); a
		// person reviews the payment.
		s.log.WarnContext(ctx, "payment_amount_mismatch", "provider", row.Provider, "event_id", ev.ID, "payment_id", row.ID,
			"event_amount", ev.Amount.Minor, "event_currency", ev.Amount.Currency, "amount", row.Amount, "currency", row.Currency)
		err := s.guarded(ctx, row.ID, "1 = 1", nil, map[string]any{"review_reason": OutcomeAmountMismatch}, nil)
		return OutcomeAmountMismatch, err
	}
	set := map[string]any{"status": ev.Status}
	switch ev.Status {
	case StatusCaptured:
		set["captured_amount"] = row.Amount
	case StatusFailed:
		set["decline_code"] = ev.DeclineCode
		if ev.DeclineCode == "" {
			set["decline_code"] = "payment_failed"
		}
	}
	if err := s.guarded(ctx, row.ID, "status IN ?", []any{webhookSources[ev.Status]}, set, errNoTransition); err != nil {
		if errors.Is(err, errNoTransition) {
			return OutcomeIgnored, nil
		}
		return "", err
	}
	// The authorisation recorded pending at checkout is now settled.
	txStatus := TxSucceeded
	if ev.Status == StatusFailed {
		txStatus = TxFailed
	}
	err := s.db.Conn(ctx).Model(&txRow{}).Where("payment_id = ? AND kind = ? AND status = ?", row.ID, KindAuthorize, TxPending).
		Updates(map[string]any{"status": txStatus, "updated_at": s.now()}).Error
	if err != nil {
		return "", fmt.Errorf("settle authorisation: %w", err)
	}
	return OutcomeApplied, nil
}

// applyEarlyEvents applies, in the caller's transaction, the verified events
// that arrived for row's provider reference before the payment was recorded
// (a fast provider can confirm an async payment before checkout commits).
// Record runs the hooks once afterwards, with the final status.
func (s *Service) applyEarlyEvents(ctx context.Context, row paymentRow) error {
	var evs []webhookEventRow
	err := s.db.Conn(ctx).Where("provider = ? AND provider_ref = ? AND outcome = ?", row.Provider, row.ProviderRef, OutcomeUnknownPayment).
		Order("received_at, event_id").Find(&evs).Error
	if err != nil {
		return fmt.Errorf("load early webhook events: %w", err)
	}
	for _, e := range evs {
		if err := s.db.Conn(ctx).Where("id = ?", row.ID).Take(&row).Error; err != nil {
			return fmt.Errorf("reload payment: %w", err)
		}
		outcome, err := s.transition(ctx, row, WebhookEvent{ID: e.EventID, Type: e.EventType, ProviderRef: e.ProviderRef,
			Status: e.Status, Amount: money.Amount{Minor: e.Amount, Currency: e.Currency}})
		if err != nil {
			return err
		}
		err = s.db.Conn(ctx).Model(&webhookEventRow{}).Where("provider = ? AND event_id = ?", e.Provider, e.EventID).
			Updates(map[string]any{"outcome": outcome, "payment_id": row.ID}).Error
		if err != nil {
			return fmt.Errorf("record webhook outcome: %w", err)
		}
	}
	return nil
}

var errNoTransition = errors.New("payments: no transition")

func statusIn(st Status, set []Status) bool {
	for _, x := range set {
		if x == st {
			return true
		}
	}
	return false
}

// checkEventText refuses an event whose fields that get stored are not
// single-line text (internal/platform/text).
func checkEventText(ev WebhookEvent) error {
	var fe []errs.FieldError
	for _, f := range []struct{ name, v string }{{"id", ev.ID}, {"type", ev.Type}, {"provider_ref", ev.ProviderRef},
		{"currency", ev.Amount.Currency}, {"decline_code", ev.DeclineCode}} {
		if p := text.Check(f.v, text.Line); p != text.OK {
			fe = append(fe, errs.FieldError{Field: f.name, Message: p.Message()})
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return errs.ErrMalformed.WithDetail("the event holds characters that cannot be stored").WithFields(fe...)
}
