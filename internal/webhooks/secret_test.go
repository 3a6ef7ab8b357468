package webhooks

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// TestSignatureVerifiesWithTheStandardLibrary: what send puts in the
// headers verifies with the published Standard Webhooks Go library, with
// either secret during a rotation overlap; a changed body, id or timestamp
// and another secret do not.
func TestSignatureVerifiesWithTheStandardLibrary(t *testing.T) {
	oldSecret, newSecretStr := newSecret(), newSecret()
	if !strings.HasPrefix(oldSecret, "whsec_") || len(oldSecret) != len("whsec_")+32 {
		t.Fatalf("secret %q: want whsec_ + 32 base64 characters (24 bytes)", oldSecret)
	}
	oldKey, _ := secretKey(oldSecret)
	newKey, _ := secretKey(newSecretStr)
	body := []byte(`{"type":"order.created","timestamp":"2025-01-31T12:00:00Z","data":{"id":"order_1"}}`)
	now := time.Now().Unix()
	headers := func(id string, ts int64, sig string) http.Header {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
		h.Set("webhook-signature", sig)
		return h
	}
	both := signature([][]byte{newKey, oldKey}, "evt_1", now, body)
	if n := len(strings.Split(both, " ")); n != 2 {
		t.Fatalf("signature header %q: want two signatures", both)
	}
	for _, secret := range []string{oldSecret, newSecretStr} {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := wh.Verify(body, headers("evt_1", now, both)); err != nil {
			t.Errorf("verify with %s: %v", secret[:10], err)
		}
	}
	wh, _ := standardwebhooks.NewWebhook(newSecretStr)
	one := signature([][]byte{newKey}, "evt_1", now, body)
	bad := map[string]http.Header{
		"tampered body": headers("evt_1", now, one),
		"other id":      headers("evt_2", now, one),
		"other time":    headers("evt_1", now+1, one),
		"old secret":    headers("evt_1", now, signature([][]byte{oldKey}, "evt_1", now, body)),
	}
	for name, h := range bad {
		b := body
		if name == "tampered body" {
			b = []byte(strings.Replace(string(body), "order_1", "order_2", 1))
		}
		if err := wh.Verify(b, h); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
	skewed := now - 6*60
	if err := wh.Verify(body, headers("evt_1", skewed, signature([][]byte{newKey}, "evt_1", skewed, body))); err == nil {
		t.Error("a timestamp 6 minutes old verified")
	}
}

// TestSealedSecrets: a sealed secret opens for its webhook only, and only
// under the server secret it was sealed with.
func TestSealedSecrets(t *testing.T) {
	s1, err := newSealer([]byte("server-secret-one-server-secret-one"))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := newSealer([]byte("server-secret-two-server-secret-two"))
	secret := newSecret()
	sealed := s1.seal("wh_1", secret)
	if strings.Contains(sealed, strings.TrimPrefix(secret, SecretPrefix)) {
		t.Fatal("the sealed form contains the secret")
	}
	if got, err := s1.open("wh_1", sealed); err != nil || got != secret {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := s1.open("wh_2", sealed); err == nil {
		t.Error("opened for another webhook")
	}
	if _, err := s2.open("wh_1", sealed); err == nil {
		t.Error("opened under another server secret")
	}
	if _, err := newSealer(nil); err == nil {
		t.Error("a sealer without a key")
	}
}

// TestDefaultRetrySchedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then a last
// attempt 24 h after the first; none after it.
func TestDefaultRetrySchedule(t *testing.T) {
	p := DefaultRetryPolicy()
	p.Jitter = 0
	first := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now := first
	var offsets []time.Duration
	for failed := 1; ; failed++ {
		at, ok := p.next(failed, first, now, 0)
		if !ok {
			break
		}
		offsets = append(offsets, at.Sub(first))
		now = at
	}
	want := []time.Duration{5 * time.Second, 5*time.Minute + 5*time.Second, 35*time.Minute + 5*time.Second,
		2*time.Hour + 35*time.Minute + 5*time.Second, 7*time.Hour + 35*time.Minute + 5*time.Second,
		17*time.Hour + 35*time.Minute + 5*time.Second, 24 * time.Hour}
	if len(offsets) != len(want) {
		t.Fatalf("retries at %v, want %v", offsets, want)
	}
	for i := range want {
		if offsets[i] != want[i] {
			t.Errorf("retry %d at +%s, want +%s", i+1, offsets[i], want[i])
		}
	}
	// Jitter stays within ±10 %; Retry-After lengthens a wait.
	p = DefaultRetryPolicy()
	for range 100 {
		at, _ := p.next(2, first, first, 0)
		if d := at.Sub(first); d < 270*time.Second || d > 330*time.Second {
			t.Fatalf("second retry after %s, want 5 min ± 10 %%", d)
		}
	}
	if at, _ := p.next(1, first, first, time.Minute); at.Sub(first) != time.Minute {
		t.Errorf("Retry-After: 60 gave a wait of %s", at.Sub(first))
	}
}
