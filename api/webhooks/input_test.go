package webhooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/payments"
)

// TestVerifiedWebhookWithControlCharactersIs400AndStoresNothing: the
// webhook route reads its body itself (not through Bind). A correctly
// signed event whose stored fields hold a NUL or invalid UTF-8 is refused
// with 400 malformed_request naming the field (on PostgreSQL the insert used
// to fail: a 500, which the provider retries forever), and nothing is
// stored or applied.
func TestVerifiedWebhookWithControlCharactersIs400AndStoresNothing(t *testing.T) {
	t.Parallel()
	h, tp, svc := harness(t)
	p := pendingPayment(t, svc)
	tests := []struct {
		name, field string
		body        []byte
	}{
		{"NUL in the event id", "id", tp.WebhookBody("evt_\x00", payments.TestEventSucceeded, p.ProviderRef, eur(2500))},
		{"NUL in the reference", "provider_ref", tp.WebhookBody("evt_ref", payments.TestEventSucceeded, p.ProviderRef+"\x00", eur(2500))},
		{"control character in the type", "type", tp.WebhookBody("evt_type", "payment.\x01", p.ProviderRef, eur(2500))},
		{"invalid UTF-8 in the event id", "", []byte(strings.Replace(string(tp.WebhookBody("evt_x", payments.TestEventSucceeded,
			p.ProviderRef, eur(2500))), "evt_x", "evt_\xff", 1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := deliver(h, "test", tt.body, tp.SignWebhook(tt.body, time.Now())).
				ExpectProblem(t, http.StatusBadRequest, "malformed_request")
			got := []string{}
			for _, e := range pr.Errors {
				got = append(got, e.Field)
			}
			want := []string{tt.field}
			if tt.field == "" {
				want = []string{} // the whole body is refused
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("errors[].field (-want +got):\n%s", d)
			}
		})
	}
	if n := h.RowCounts(t, "payment_webhook_events")["payment_webhook_events"]; n != 0 {
		t.Errorf("%d webhook events stored", n)
	}
	if st := status(t, svc, p.ID); st != payments.StatusPending {
		t.Errorf("payment status = %s, want pending", st)
	}
}
