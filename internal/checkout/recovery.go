package checkout

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/jobs"
)

// A checkout that dies between claiming its cart and writing its order (the
// process is killed, the provider never answers and the shopper never
// retries) leaves the cart "completing" under a planned order id, stock
// held for that id, and perhaps an authorisation at the provider keyed by
// it. Two paths resolve it once the claim is older than the claim timeout:
//
//   - a retry takes the cart over (takeOver): the crashed attempt's hold is
//     released at once and the retry pays under the same order id, so the
//     provider answers with the authorisation it already made;
//   - otherwise the reconciliation job (ReconcileAbandoned) takes it over,
//     gives back whatever the provider made for the planned order id
//     (payments.SettleOrphan: void or refund, recorded) and reopens the cart.
//
// Both take the cart with the same guarded update, so exactly one of them
// (or of several retries) acts; an attempt that was only stalled can no
// longer complete a cart whose claim token changed.

// takeOver takes a stale claim for at, in its own transaction, and releases
// the previous attempt's hold, which commits even if at then fails (its own
// reservation is made in claimTx). When the previous attempt paid with
// another provider, that payment is given back and at gets a new order id.
func (s *Service) takeOver(ctx context.Context, actor auth.Actor, at *attempt) error {
	var prevProvider string
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.cartFor(ctx, actor, at.cartID)
		if err != nil {
			return err
		}
		took, err := s.seize(ctx, r, at, false)
		if err != nil || !took {
			return err
		}
		prevProvider = deref(r.ClaimProvider)
		return nil
	})
	if err != nil {
		return err
	}
	if prevProvider == "" || prevProvider == at.provider {
		return nil
	}
	if _, err := s.pay.SettleOrphan(context.WithoutCancel(ctx), prevProvider, at.orderID); err != nil {
		if serr := s.suspend(context.WithoutCancel(ctx), *at); serr != nil {
			s.log.ErrorContext(ctx, "suspend checkout after a failed reconciliation", "cart_id", at.cartID, "err", serr)
		}
		return err
	}
	at.orderID = id.New("order")
	return nil
}

// seize is the guarded takeover of r's stale claim by at (in the caller's
// transaction): true when at now holds the cart, whose planned order id it
// adopts and whose previous hold it releases. false with
// checkout_in_progress when another attempt got there first. A shopper's
// retry may also take a suspended claim (the provider did not answer)
// after unknownRetry; the reconciliation job (job) waits for the claim
// timeout in every case, giving the shopper that long to retry.
func (s *Service) seize(ctx context.Context, r cartRow, at *attempt, job bool) (bool, error) {
	now := s.now()
	q := s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ?", r.ID, CartCompleting)
	if job {
		q = q.Where("claimed_at < ?", now.Add(-s.claimTimeout))
	} else {
		q = q.Where("(claimed_at < ? OR (claim_token IS NULL AND claimed_at < ?))",
			now.Add(-s.claimTimeout), now.Add(-unknownRetry))
	}
	upd := q.Updates(map[string]any{"claimed_at": now, "claim_token": at.token})
	if upd.Error != nil {
		return false, fmt.Errorf("take over cart: %w", upd.Error)
	}
	if upd.RowsAffected == 0 {
		e := *ErrCheckoutInProcess
		e.RetryAfter = 1
		return false, &e
	}
	at.orderID = deref(r.OrderID)
	if at.orderID == "" {
		at.orderID = id.New("order")
	}
	if _, err := s.inv.ReleaseReference(ctx, at.orderID); err != nil {
		return false, err
	}
	return true, nil
}

// abandon ends an attempt that took a cart over and then failed before
// paying (the stock is gone, the cart no longer valid): the previous
// attempt's payment, if the provider made one, is given back and the cart
// reopened. If the provider cannot be asked now, the cart is left for the
// reconciliation job.
func (s *Service) abandon(ctx context.Context, at attempt, cause error) {
	if errors.Is(cause, ErrCheckoutInProcess) {
		return // another attempt holds the cart: it is not ours to reopen
	}
	ctx = context.WithoutCancel(ctx)
	if _, err := s.pay.SettleOrphan(ctx, at.provider, at.orderID); err != nil {
		s.log.ErrorContext(ctx, "give back the payment of an abandoned checkout", "cart_id", at.cartID,
			"order_id", at.orderID, "err", err)
		if err := s.suspend(ctx, at); err != nil {
			s.log.ErrorContext(ctx, "suspend abandoned checkout", "cart_id", at.cartID, "err", err)
		}
		return
	}
	if err := s.unclaim(ctx, at); err != nil {
		s.log.ErrorContext(ctx, "reopen abandoned checkout", "cart_id", at.cartID, "err", err)
	}
}

// reconcileBatch bounds one run of ReconcileAbandoned; the next takes the rest.
const reconcileBatch = 100

// ReconcileAbandoned resolves checkouts abandoned between the claim and the
// order for longer than the claim timeout (see above): it releases their
// stock, gives back what the provider made for their planned order id, and
// reopens their carts, logging each. It reports how many carts it reopened.
// A provider that cannot be asked leaves the cart for the next run.
func (s *Service) ReconcileAbandoned(ctx context.Context) (int, error) {
	var rows []cartRow
	if err := s.db.Conn(ctx).Where("status = ? AND claimed_at < ?", CartCompleting, s.now().Add(-s.claimTimeout)).
		Order("claimed_at, id").Limit(reconcileBatch).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("find abandoned checkouts: %w", err)
	}
	reopened := 0
	var errAll error
	for _, r := range rows {
		at := attempt{cartID: r.ID, token: id.New("claim"), provider: deref(r.ClaimProvider)}
		var took bool
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			var err error
			took, err = s.seize(ctx, r, &at, true)
			if errors.Is(err, ErrCheckoutInProcess) {
				return nil // a retry got there first
			}
			return err
		})
		if err != nil || !took {
			errAll = errors.Join(errAll, err)
			continue
		}
		recs, err := s.pay.SettleOrphan(ctx, at.provider, at.orderID)
		if err != nil {
			errAll = errors.Join(errAll, err)
			if serr := s.suspend(ctx, at); serr != nil {
				errAll = errors.Join(errAll, serr)
			}
			continue
		}
		if err := s.unclaim(ctx, at); err != nil {
			errAll = errors.Join(errAll, err)
			continue
		}
		reopened++
		actions := make([]string, len(recs))
		for i, rec := range recs {
			actions[i] = rec.Provider + ":" + rec.Action
		}
		s.log.InfoContext(ctx, "reopened an abandoned checkout", "cart_id", r.ID, "order_id", at.orderID,
			"payments", actions)
	}
	return reopened, errAll
}

// keyHash is how a checkout's Idempotency-Key is kept on its cart: hashed,
// so the column holds no client-chosen text. nil without a key.
func keyHash(key string) *string {
	if key == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return &h
}

// ReconcileInterval is how often abandoned checkouts are looked for.
const ReconcileInterval = time.Minute

// ReconcileArgs is the periodic job running ReconcileAbandoned.
type ReconcileArgs struct{}

// Kind names the job (River's JobArgs interface).
func (ReconcileArgs) Kind() string { return "checkout.reconcile_abandoned" }

// ReconcileWorker runs ReconcileArgs.
type ReconcileWorker struct {
	jobs.WorkerDefaults[ReconcileArgs]
	Svc *Service
}

// Work reconciles abandoned checkouts.
func (w *ReconcileWorker) Work(ctx context.Context, _ *jobs.Job[ReconcileArgs]) error {
	_, err := w.Svc.ReconcileAbandoned(ctx)
	return err
}

// RegisterJobs registers checkout's periodic jobs: the reconciliation of
// abandoned checkouts, the guest cart cleanup and the cart.abandoned
// events. Call it while wiring,
// before the runner starts.
func RegisterJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &ReconcileWorker{Svc: s})
	r.Periodic(ReconcileInterval, func() jobs.Args { return ReconcileArgs{} }, true)
	registerPurge(r, s)
	registerAbandoned(r, s)
}
