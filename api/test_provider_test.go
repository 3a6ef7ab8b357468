package api_test

import (
	"net/http"
	"testing"

	"storekeep/api"
)

// TestTestProviderOffRefusesTestPayments: without the test provider (the
// production default), a checkout paying with it is refused as a bad field,
// before anything is reserved or authorised.
func TestTestProviderOffRefusesTestPayments(t *testing.T) {
	t.Parallel()
	s := newShop(t, 10, 0, func(o *api.Options) { o.Payments.EnableTestProvider = false })
	p := s.guestWith(s.small, 1)
	p.ready()
	pr := p.checkout("no-test-provider", "tok_visa").ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(pr.Errors) != 1 || pr.Errors[0].Field != "payment.provider" {
		t.Errorf("errors = %+v, want one on payment.provider", pr.Errors)
	}
	if got := s.available(s.small); got != 10 {
		t.Errorf("available = %d, want 10 (nothing held)", got)
	}
}
