package payments

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"storekeep/internal/platform/db"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
)

// A checkout asks the provider for the money before it writes the order. If
// it dies in between (a crash, a provider timeout the shopper never
// retries), the provider holds an authorisation that no order claims. The
// checkout's reconciliation job finds such checkouts once they are older
// than the claim timeout and calls SettleOrphan with the planned order id:
// what the provider made for it is given back, and the outcome recorded.

// Reconciliation actions.
const (
	// ReconcileVoided: an authorised or pending payment was voided.
	ReconcileVoided = "voided"
	// ReconcileRefunded: a captured payment was refunded in full.
	ReconcileRefunded = "refunded"
	// ReconcileNone: the provider had nothing to give back (no payment, or
	// one declined, voided or refunded already).
	ReconcileNone = "none"
)

// Reconciliation is what SettleOrphan did about one provider's payment.
type Reconciliation struct {
	ID          string
	Provider    string
	Reference   string
	ProviderRef string
	Action      string
	Amount      money.Amount
	CreatedAt   time.Time
}

type reconciliationRow struct {
	ID          string
	Provider    string
	Reference   string
	ProviderRef string
	Action      string
	Amount      int64
	Currency    string
	CreatedAt   time.Time
}

func (reconciliationRow) TableName() string { return "payment_reconciliations" }

// SettleOrphan gives back the payment a provider made for reference (a
// planned order id) that no order claimed: an authorisation is voided, a
// capture refunded in full, each with a provider idempotency key derived
// from the reference, so a repeated run moves no money twice. provider ""
// asks every configured provider. A reference whose payment is recorded
// (an order claimed it) is left alone. It calls providers: never inside a
// transaction. The outcome is recorded in payment_reconciliations (once per
// provider and reference) and returned.
func (s *Service) SettleOrphan(ctx context.Context, provider, reference string) ([]Reconciliation, error) {
	if db.InTx(ctx) {
		return nil, ErrInTransaction
	}
	var claimed int64
	if err := s.db.Conn(ctx).Model(&paymentRow{}).Where("order_id = ?", reference).Count(&claimed).Error; err != nil {
		return nil, fmt.Errorf("find payments of %s: %w", reference, err)
	}
	if claimed > 0 {
		return nil, nil
	}
	names := []string{provider}
	if provider == "" {
		names = s.Providers()
	}
	var out []Reconciliation
	for _, name := range names {
		p, err := s.Provider(name)
		if err != nil {
			return out, err
		}
		rec, err := s.settleOrphanAt(ctx, p, reference)
		if err != nil {
			return out, fmt.Errorf("settle orphan payment %s at %s: %w", reference, name, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

func (s *Service) settleOrphanAt(ctx context.Context, p Provider, reference string) (Reconciliation, error) {
	found, ok, err := p.Lookup(ctx, reference)
	if err != nil {
		return Reconciliation{}, providerErr(err)
	}
	rec := Reconciliation{ID: id.New("prec"), Provider: p.Name(), Reference: reference, Action: ReconcileNone,
		ProviderRef: found.Result.ProviderRef}
	if ok {
		switch found.Result.Status {
		case StatusPending, StatusAuthorized, StatusRequiresAction:
			if _, err := p.Void(ctx, found.Result.ProviderRef, "order:"+reference+":void-orphan"); err != nil {
				return rec, providerErr(err)
			}
			rec.Action, rec.Amount = ReconcileVoided, found.Amount
		case StatusCaptured, StatusPartiallyRefunded:
			if found.Captured.Minor > 0 {
				if _, err := p.Refund(ctx, found.Result.ProviderRef, found.Captured,
					"order:"+reference+":refund-orphan"); err != nil {
					return rec, providerErr(err)
				}
				rec.Action, rec.Amount = ReconcileRefunded, found.Captured
			}
		}
	}
	rec.CreatedAt = s.now()
	row := reconciliationRow{ID: rec.ID, Provider: rec.Provider, Reference: reference, ProviderRef: rec.ProviderRef,
		Action: rec.Action, Amount: rec.Amount.Minor, Currency: rec.Amount.Currency, CreatedAt: rec.CreatedAt}
	if err := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return rec, fmt.Errorf("record reconciliation: %w", err)
	}
	level := s.log.InfoContext
	if rec.Action == ReconcileNone {
		level = s.log.DebugContext
	}
	level(ctx, "reconciled an unclaimed provider payment", "provider", rec.Provider, "reference", reference,
		"provider_ref", rec.ProviderRef, "action", rec.Action, "amount", rec.Amount.Minor, "currency", rec.Amount.Currency)
	return rec, nil
}

// Reconciliations lists what SettleOrphan recorded for reference.
func (s *Service) Reconciliations(ctx context.Context, reference string) ([]Reconciliation, error) {
	var rows []reconciliationRow
	if err := s.db.Conn(ctx).Where("reference = ?", reference).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read reconciliations: %w", err)
	}
	out := make([]Reconciliation, len(rows))
	for i, r := range rows {
		out[i] = Reconciliation{ID: r.ID, Provider: r.Provider, Reference: r.Reference, ProviderRef: r.ProviderRef,
			Action: r.Action, Amount: money.Amount{Minor: r.Amount, Currency: r.Currency}, CreatedAt: r.CreatedAt}
	}
	return out, nil
}
