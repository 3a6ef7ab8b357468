package reviews_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/reviews"
)

type fakeOrders struct{}

func (fakeOrders) Delivered(context.Context, auth.Actor, string) (map[string]reviews.DeliveredLine, map[string]bool, error) {
	return map[string]reviews.DeliveredLine{"var_1": {VariantID: "var_1", ProductID: "prod_1"}}, map[string]bool{"var_1": true}, nil
}
func (fakeOrders) AuthorName(context.Context, string) string { return "Camille D." }

// Racing reviews of the same variant: one is written, the others are
// already_reviewed (never a 500).
func TestConcurrentReviewsOfOneVariant(t *testing.T) {
	d := dbtest.New(t)
	svc := reviews.NewService(d, fakeOrders{}, nil)
	buyer := auth.Actor{Kind: auth.Customer, ID: "cus_1"}
	in := reviews.Input{Items: []reviews.ItemInput{{VariantID: "var_1", Rating: 5}}}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.Create(t.Context(), buyer, "order_1", in)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, reviews.ErrAlreadyReviewed):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d reviews written, want 1", ok)
	}
	r, err := svc.Ratings(t.Context(), []string{"prod_1"})
	if err != nil || r["prod_1"].Count != 0 {
		t.Fatalf("pending review counted: %+v %v", r, err)
	}
}
