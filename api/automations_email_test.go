package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"storekeep/internal/platform/mailtest"
)

// The post-purchase code over HTTP and SMTP: the first order's delivery
// makes the automation issue a code, which reaches the customer by e-mail
// (read from a real SMTP server, mailpit) through discount.issued; it
// applies once at checkout and is refused the second time, and handing
// every event to the consumers again sends no second code and no second
// e-mail.
func TestFirstOrderCodeArrivesByEmail(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	s := &automationShop{shop: newShop(t, 50, 50, withSMTP(mp.SMTPURL))}
	s.product = s.guestWith(s.small, 1).cart.Items[0].ProductID
	s.firstOrderRule(0)
	buyer := s.customer()
	s.deliver(buyer.buy("first", ""))
	drainJobs(t, s.h)

	mine := s.myDiscountsOf(buyer)
	if len(mine) != 1 {
		t.Fatalf("customer has %d codes, want 1", len(mine))
	}
	code := mine[0].Code
	// Every e-mail that carries the code (the order's confirmation and
	// shipping e-mails go out too, to the order's address).
	withCode := func() []mailtest.Message {
		var out []mailtest.Message
		for _, m := range mp.Messages(t) {
			if full := mp.Message(t, m.ID); strings.Contains(full.Text, code) {
				out = append(out, full)
			}
		}
		return out
	}
	deadline := time.Now().Add(30 * time.Second)
	got := withCode()
	for len(got) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		got = withCode()
	}
	if len(got) != 1 {
		t.Fatalf("%d e-mails carry the code %s, want 1", len(got), code)
	}
	if !strings.Contains(got[0].HTML, code) || !strings.Contains(got[0].Text, "15") {
		t.Errorf("discount e-mail: subject %q, text %q", got[0].Subject, got[0].Text)
	}

	s.replay()
	if n := len(s.myDiscountsOf(buyer)); n != 1 {
		t.Fatalf("%d codes after the replay, want 1", n)
	}
	if n := len(withCode()); n != 1 {
		t.Fatalf("%d e-mails with the code after the replay, want 1", n)
	}

	second := buyer.buy("second", code)
	if len(second.Discounts) != 1 || second.Discounts[0].Code != code {
		t.Fatalf("second order's discounts: %+v", second.Discounts)
	}
	buyer.newCart()
	buyer.add(s.small, 1)
	buyer.applyCode(code).ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")
}
