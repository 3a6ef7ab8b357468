package checkout_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/id"
)

// pricingAdmin is the actor the configuration tests act as.
var pricingAdmin = auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleAdmin}

func newPricing(t *testing.T) (*checkout.Service, *db.DB) {
	t.Helper()
	d := dbtest.New(t)
	return checkout.NewService(d), d
}

func createPromo(t *testing.T, svc *checkout.Service, in checkout.PromotionInput) checkout.Promotion {
	t.Helper()
	p, err := svc.CreatePromotion(t.Context(), pricingAdmin, in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// usages counts the promotion's usage rows and reads its usage_count.
func usages(t *testing.T, svc *checkout.Service, d *db.DB, promotionID string) (rows, count int64) {
	t.Helper()
	if err := d.Conn(t.Context()).Table("promotion_usages").Where("promotion_id = ?", promotionID).Count(&rows).Error; err != nil {
		t.Fatal(err)
	}
	p, err := svc.Promotion(t.Context(), promotionID)
	if err != nil {
		t.Fatal(err)
	}
	return rows, p.UsageCount
}

// raceRedeem runs n redemptions at once, each in its own transaction as a
// checkout would, with customer(i) and email(i), and returns how many succeeded.
func raceRedeem(t *testing.T, svc *checkout.Service, d *db.DB, promotionID string, n int, customer, email func(int) string) int {
	t.Helper()
	var wg sync.WaitGroup
	results := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = d.WithTx(context.Background(), func(ctx context.Context) error {
				return svc.Redeem(ctx, promotionID, customer(i), email(i), id.New("order"))
			})
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, checkout.ErrPromotionExhausted):
			t.Errorf("redemption %d: %v", i, err)
		}
	}
	return ok
}

func TestRedeemUsageLimitUnderRace(t *testing.T) {
	t.Parallel()
	svc, d := newPricing(t)
	limit := int64(3)
	p := createPromo(t, svc, checkout.PromotionInput{Code: "THREE", Type: "percentage", Percentage: 1000, UsageLimit: &limit})
	ok := raceRedeem(t, svc, d, p.ID, 20, func(int) string { return "" },
		func(i int) string { return fmt.Sprintf("guest%d@example.test", i) })
	rows, count := usages(t, svc, d, p.ID)
	if ok != 3 || rows != 3 || count != 3 {
		t.Fatalf("%d redemptions succeeded, %d usage rows, usage_count %d; want 3 each", ok, rows, count)
	}
}

func TestRedeemPerCustomerLimitUnderRace(t *testing.T) {
	t.Parallel()
	svc, d := newPricing(t)
	one := int64(1)
	p := createPromo(t, svc, checkout.PromotionInput{Code: "ONCE", Type: "free_shipping", PerCustomerLimit: &one})
	ok := raceRedeem(t, svc, d, p.ID, 20, func(int) string { return "cus_same" },
		func(int) string { return "same@example.test" })
	rows, count := usages(t, svc, d, p.ID)
	if ok != 1 || rows != 1 || count != 1 {
		t.Fatalf("%d redemptions succeeded, %d usage rows, usage_count %d; want 1 each", ok, rows, count)
	}
}

func TestRedeemPerCustomerCountsGuestOrdersByEmail(t *testing.T) {
	t.Parallel()
	svc, d := newPricing(t)
	one := int64(1)
	p := createPromo(t, svc, checkout.PromotionInput{Code: "FIRST", Type: "free_shipping", PerCustomerLimit: &one})
	ctx := t.Context()
	if err := svc.Redeem(ctx, p.ID, "", "Ana@Example.test", id.New("order")); err != nil {
		t.Fatal(err)
	}
	// The same person, now signed in: the guest order counts (e-mail, any case).
	err := svc.Redeem(ctx, p.ID, "cus_ana", "ana@example.TEST", id.New("order"))
	if !errors.Is(err, checkout.ErrPromotionExhausted) {
		t.Fatalf("second use = %v, want promotion_exhausted", err)
	}
	// Someone else may still use it.
	if err := svc.Redeem(ctx, p.ID, "cus_bob", "bob@example.test", id.New("order")); err != nil {
		t.Fatal(err)
	}
	if rows, count := usages(t, svc, d, p.ID); rows != 2 || count != 2 {
		t.Fatalf("usage rows %d, usage_count %d; want 2", rows, count)
	}
}

func TestRedeemRolledBackConsumesNothing(t *testing.T) {
	t.Parallel()
	svc, d := newPricing(t)
	limit := int64(1)
	p := createPromo(t, svc, checkout.PromotionInput{Code: "ROLLBACK", Type: "percentage", Percentage: 500, UsageLimit: &limit})
	declined := errors.New("payment declined")
	err := d.WithTx(t.Context(), func(ctx context.Context) error {
		if err := svc.Redeem(ctx, p.ID, "cus_a", "a@example.test", id.New("order")); err != nil {
			return err
		}
		return declined // a later checkout step fails
	})
	if !errors.Is(err, declined) {
		t.Fatalf("tx = %v", err)
	}
	if rows, count := usages(t, svc, d, p.ID); rows != 0 || count != 0 {
		t.Fatalf("after rollback: usage rows %d, usage_count %d; want 0", rows, count)
	}
	// The one use is still there for a checkout that succeeds.
	if err := svc.Redeem(t.Context(), p.ID, "cus_a", "a@example.test", id.New("order")); err != nil {
		t.Fatal(err)
	}
}

func TestRedeemDeactivatedCode(t *testing.T) {
	t.Parallel()
	svc, _ := newPricing(t)
	p := createPromo(t, svc, checkout.PromotionInput{Code: "GONE", Type: "free_shipping"})
	if err := svc.DeactivatePromotion(t.Context(), pricingAdmin, p.ID); err != nil {
		t.Fatal(err)
	}
	err := svc.Redeem(t.Context(), p.ID, "", "x@example.test", id.New("order"))
	if !errors.Is(err, checkout.ErrPromotionUnknown) {
		t.Fatalf("Redeem = %v, want promotion_not_found", err)
	}
	if _, err := svc.PromotionByCode(t.Context(), "gone"); !errors.Is(err, checkout.ErrPromotionUnknown) {
		t.Fatalf("PromotionByCode = %v, want promotion_not_found", err)
	}
}

// A code issued to one customer is redeemed by that customer only; to
// anyone else (a guest included) it does not exist, and nothing is used up.
func TestRedeemCustomerPromotion(t *testing.T) {
	t.Parallel()
	svc, d := newPricing(t)
	one := int64(1)
	cus := id.New("cus")
	p, err := svc.CreateCustomerPromotion(t.Context(), cus, checkout.PromotionInput{Code: "THANKS-AAAA-BBBB",
		Type: "percentage", Percentage: 1500, UsageLimit: &one, PerCustomerLimit: &one})
	if err != nil {
		t.Fatal(err)
	}
	if p.CustomerID == nil || *p.CustomerID != cus {
		t.Fatalf("customer_id = %v, want %s", p.CustomerID, cus)
	}
	for _, buyer := range []string{id.New("cus"), ""} {
		err := svc.Redeem(t.Context(), p.ID, buyer, "someone@example.test", id.New("order"))
		if !errors.Is(err, checkout.ErrPromotionUnknown) {
			t.Fatalf("Redeem by %q = %v, want promotion_not_found", buyer, err)
		}
	}
	if rows, count := usages(t, svc, d, p.ID); rows != 0 || count != 0 {
		t.Fatalf("refused redemptions used it: %d rows, count %d", rows, count)
	}
	if err := svc.Redeem(t.Context(), p.ID, cus, "camille@example.test", id.New("order")); err != nil {
		t.Fatal(err)
	}
	uses, err := svc.FirstUses(t.Context(), []string{p.ID})
	if err != nil || len(uses) != 1 || uses[p.ID].OrderID == "" {
		t.Fatalf("FirstUses = %+v, %v", uses, err)
	}
	byID, err := svc.PromotionsByID(t.Context(), []string{p.ID, "promo_unknown"})
	if err != nil || len(byID) != 1 || byID[p.ID].UsageCount != 1 {
		t.Fatalf("PromotionsByID = %+v, %v", byID, err)
	}
	if _, err := svc.CreateCustomerPromotion(t.Context(), "nobody", checkout.PromotionInput{Code: "X1",
		Type: "free_shipping"}); err == nil {
		t.Fatal("a promotion for a malformed customer id was created")
	}
}
