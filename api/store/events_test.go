package store_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/metrics"
)

type ingestAnswer struct {
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Errors   []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func postEvents(t *testing.T, h *apitest.Harness, token, ip string, events ...map[string]any) *apitest.Response {
	t.Helper()
	return h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/events", Token: token, ClientIP: ip,
		Body: map[string]any{"events": events}})
}

func ev(typ, session string, at time.Time) map[string]any {
	return map[string]any{"type": typ, "anonymous_id": "anon-" + session, "session_id": session,
		"occurred_at": at.UTC().Format(time.RFC3339Nano)}
}

func with(m map[string]any, kv ...any) map[string]any {
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func eventCount(t *testing.T, h *apitest.Harness, where string, args ...any) int {
	t.Helper()
	var n int64
	if err := h.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM metric_events WHERE "+where, args...).
		Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestIngestEventsRejectsOnlyBadEvents(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	now := time.Now()
	var got ingestAnswer
	postEvents(t, h, "", "",
		ev("page_view", "s1", now),
		ev("teleport", "s1", now),
		with(ev("product_view", "s1", now), "session_id", ""),
		ev("add_to_cart", "s1", now.Add(25*time.Hour)),
		ev("search", "s1", now.Add(-31*24*time.Hour)),
		with(ev("page_view", "s1", now), "path", strings.Repeat("p", 2001)),
		with(ev("page_view", "s1", now), "price", 12),
		with(ev("page_view", "s1", now), "occurred_at", 12),
		ev("experiment_exposure", "s1", now),
		with(ev("experiment_exposure", "s1", now), "experiment_id", "hero", "arm", "b"),
		with(ev("checkout_start", "s1", now.Add(23*time.Hour)), "anonymous_id", strings.Repeat("a", 101)),
		ev("session_start", "s1", now.Add(-29*24*time.Hour)),
	).Expect(t, http.StatusAccepted).JSON(t, &got)
	fields := map[string]bool{}
	for _, e := range got.Errors {
		fields[e.Field] = true
		if e.Message == "" {
			t.Errorf("%s has no message", e.Field)
		}
	}
	want := map[string]bool{"events[1].type": true, "events[2].session_id": true, "events[3].occurred_at": true,
		"events[4].occurred_at": true, "events[5].path": true, "events[6]": true, "events[7]": true,
		"events[8].experiment_id": true, "events[10].anonymous_id": true}
	if d := cmp.Diff(want, fields); d != "" {
		t.Errorf("rejected fields (-want +got)\n%s", d)
	}
	if got.Accepted != 3 || got.Rejected != 9 {
		t.Errorf("accepted %d rejected %d, want 3 and 9", got.Accepted, got.Rejected)
	}
	if n := eventCount(t, h, "session_id = ?", "s1"); n != 3 {
		t.Errorf("%d rows stored, want 3", n)
	}
	// Control characters anywhere in a body are refused before any event is
	// read (the API-wide text rule), naming the field.
	p := postEvents(t, h, "", "", ev("page_view", "s2", now), with(ev("page_view", "s2", now), "path", "/a\u0000b")).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "events[1].path" {
		t.Errorf("errors %+v, want one on events[1].path", p.Errors)
	}
	if n := eventCount(t, h, "type = ? AND experiment_id = ? AND arm = ?", "experiment_exposure", "hero", "b"); n != 1 {
		t.Errorf("exposure rows %d, want 1", n)
	}
}

func TestIngestEventsBatchBounds(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	big := make([]map[string]any, metrics.MaxBatch+1)
	for i := range big {
		big[i] = ev("page_view", "big", time.Now())
	}
	p := postEvents(t, h, "", "", big...).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "events" {
		t.Errorf("errors %+v, want one on events", p.Errors)
	}
	postEvents(t, h, "", "").ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	postEvents(t, h, "", "", big[:metrics.MaxBatch]...).Expect(t, http.StatusAccepted)
	if n := eventCount(t, h, "session_id = ?", "big"); n != metrics.MaxBatch {
		t.Errorf("%d rows stored, want %d", n, metrics.MaxBatch)
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/events", Body: `{"events": [`}).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/events", Body: `{"events": [], "extra": 1}`}).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
}

// A retried batch, or the same event sent by parallel requests, is stored
// once and counts as accepted every time.
func TestIngestEventsDeduplicatesByEventID(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	now := time.Now()
	batch := []map[string]any{
		with(ev("page_view", "d1", now), "event_id", "e-1"),
		with(ev("page_view", "d1", now), "event_id", "e-2"),
		with(ev("page_view", "d1", now), "event_id", "e-1"), // repeated within the batch
		ev("page_view", "d1", now),                          // no id: never de-duplicated
	}
	var wg sync.WaitGroup
	answers := make([]ingestAnswer, 8)
	for i := range answers {
		wg.Go(func() {
			postEvents(t, h, "", "", batch...).Expect(t, http.StatusAccepted).JSON(t, &answers[i])
		})
	}
	wg.Wait()
	for i, a := range answers {
		if a.Accepted != 4 || a.Rejected != 0 {
			t.Errorf("answer %d: %+v", i, a)
		}
	}
	if n := eventCount(t, h, "event_id IS NOT NULL"); n != 2 {
		t.Errorf("%d rows with an event id, want 2", n)
	}
	if n := eventCount(t, h, "event_id IS NULL"); n != len(answers) {
		t.Errorf("%d rows without an event id, want %d", n, len(answers))
	}
}

// Events belong to the signed-in customer: a guest cannot attribute events
// to someone, and a customer cannot attribute them to another.
func TestIngestEventsNeverTrustsCustomerID(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	alice, bob := h.NewCustomer(t), h.NewCustomer(t)
	now := time.Now()
	postEvents(t, h, "", "", with(ev("page_view", "g1", now), "customer_id", alice.ID)).Expect(t, http.StatusAccepted)
	postEvents(t, h, bob.AccessToken, "", with(ev("page_view", "b1", now), "customer_id", alice.ID)).
		Expect(t, http.StatusAccepted)
	postEvents(t, h, alice.AccessToken, "", with(ev("page_view", "a1", now), "customer_id", alice.ID)).
		Expect(t, http.StatusAccepted)
	if n := eventCount(t, h, "customer_id = ?", alice.ID); n != 1 {
		t.Errorf("%d events attributed to alice, want only her own 1", n)
	}
	if n := eventCount(t, h, "session_id = ? AND customer_id IS NULL", "g1"); n != 1 {
		t.Errorf("the guest's event is not anonymous")
	}
	if n := eventCount(t, h, "session_id = ? AND customer_id = ?", "b1", bob.ID); n != 1 {
		t.Errorf("bob's event is not bob's")
	}
}

// The UTM source of a customer's first tagged event is their acquisition
// channel, set once.
func TestIngestEventsSetsAcquisitionChannelOnce(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	c := h.NewCustomer(t)
	now := time.Now().UTC().Truncate(time.Second)
	channel := func() (ch *string, seen *time.Time) {
		t.Helper()
		row := struct {
			AcquisitionChannel *string
			FirstSeenAt        *time.Time
		}{}
		if err := h.DB.Conn(context.Background()).Raw(
			"SELECT acquisition_channel, first_seen_at FROM customers WHERE id = ?", c.ID).Scan(&row).Error; err != nil {
			t.Fatal(err)
		}
		return row.AcquisitionChannel, row.FirstSeenAt
	}
	// Untagged events, and a guest's tagged one, set nothing.
	postEvents(t, h, c.AccessToken, "", ev("page_view", "c1", now)).Expect(t, http.StatusAccepted)
	postEvents(t, h, "", "", with(ev("page_view", "c1", now), "utm_source", "guest")).Expect(t, http.StatusAccepted)
	if ch, _ := channel(); ch != nil {
		t.Fatalf("channel %q before any tagged event", *ch)
	}
	postEvents(t, h, c.AccessToken, "",
		with(ev("page_view", "c1", now.Add(-time.Minute)), "utm_source", "newsletter"),
		with(ev("page_view", "c1", now.Add(-2*time.Minute)), "utm_source", "instagram"),
	).Expect(t, http.StatusAccepted)
	ch, seen := channel()
	if ch == nil || *ch != "instagram" || seen == nil || !seen.Equal(now.Add(-2*time.Minute)) {
		t.Fatalf("channel %v seen %v, want instagram at %v", ch, seen, now.Add(-2*time.Minute))
	}
	postEvents(t, h, c.AccessToken, "", with(ev("page_view", "c2", now.Add(-time.Hour)), "utm_source", "ads")).
		Expect(t, http.StatusAccepted)
	if ch, _ := channel(); ch == nil || *ch != "instagram" {
		t.Fatalf("channel overwritten: %v", ch)
	}
}

func TestIngestEventsRateLimitedPerIP(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, apitest.WindowAligned, func(o *api.Options) { o.MetricsIngest.EventBatchesPerIP = 3 })
	for i := range 3 {
		postEvents(t, h, "", "127.0.0.7", ev("page_view", fmt.Sprint("r", i), time.Now())).Expect(t, http.StatusAccepted)
	}
	res := postEvents(t, h, "", "127.0.0.7", ev("page_view", "r9", time.Now()))
	res.ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if n := eventCount(t, h, "session_id = ?", "r9"); n != 0 {
		t.Errorf("a limited batch stored %d events", n)
	}
	postEvents(t, h, "", "127.0.0.8", ev("page_view", "other", time.Now())).Expect(t, http.StatusAccepted)
}
