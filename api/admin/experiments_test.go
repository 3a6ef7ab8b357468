package admin_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/metrics"
	"storekeep/internal/platform/auth"
)

type expClient struct {
	t       *testing.T
	h       *apitest.Harness
	manager string
}

func newExpClient(t *testing.T) expClient {
	h := apitest.New(t)
	return expClient{t: t, h: h, manager: h.StaffToken(t, auth.RoleManager)}
}

func (c expClient) do(method, path string, body any) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: method, Path: path, Token: c.manager, Body: body})
}

func (c expClient) create(body map[string]any) metrics.Experiment {
	c.t.Helper()
	var e metrics.Experiment
	c.do(http.MethodPost, "/v1/admin/experiments", body).Expect(c.t, http.StatusCreated).JSON(c.t, &e)
	return e
}

func (c expClient) assign(key, anon string) *apitest.Response {
	c.t.Helper()
	return c.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/experiments/" + key + "/assignment?anonymous_id=" + anon})
}

func twoArms(key string) map[string]any {
	return map[string]any{"key": key, "name": "Hero banner", "metric": "conversion_rate",
		"arms": []map[string]any{{"key": "control", "weight": 50}, {"key": "green", "weight": 50}}}
}

func TestExperimentLifecycle(t *testing.T) {
	t.Parallel()
	c := newExpClient(t)
	e := c.create(twoArms("hero"))
	if e.Status != "draft" || e.StartedAt != nil || len(e.Arms) != 2 || e.Arms[0].Key != "control" {
		t.Fatalf("created %+v", e)
	}
	// A draft assigns no one.
	c.assign("hero", "anon-1").ExpectProblem(t, http.StatusNotFound, "not_found")
	// Arms change while it is a draft.
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"arms": []map[string]any{
		{"key": "control", "weight": 1}, {"key": "green", "weight": 3}}}).Expect(t, http.StatusOK).JSON(t, &e)
	if e.Arms[1].Weight != 3 {
		t.Fatalf("arms %+v", e.Arms)
	}
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"status": "running"}).
		Expect(t, http.StatusOK).JSON(t, &e)
	if e.Status != "running" || e.StartedAt == nil {
		t.Fatalf("started %+v", e)
	}
	var a metrics.Assignment
	c.assign("hero", "anon-1").Expect(t, http.StatusOK).JSON(t, &a)
	if a.Experiment != "hero" || a.ExperimentID != e.ID || (a.Arm != "control" && a.Arm != "green") {
		t.Fatalf("assignment %+v", a)
	}
	for range 3 {
		var again metrics.Assignment
		c.assign("hero", "anon-1").Expect(t, http.StatusOK).JSON(t, &again)
		if again != a {
			t.Fatalf("assignment moved from %+v to %+v", a, again)
		}
	}
	if want := metrics.PickArm("hero", "anon-1", e.Arms); a.Arm != want {
		t.Fatalf("arm %s, want %s", a.Arm, want)
	}
	// Running: arms are locked, the name is not; status only moves forward.
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"arms": []map[string]any{
		{"key": "control", "weight": 1}, {"key": "red", "weight": 1}}}).ExpectProblem(t, http.StatusConflict, "experiment_not_draft")
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"status": "draft"}).
		ExpectProblem(t, http.StatusConflict, "invalid_status_transition")
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"name": "Hero, again"}).Expect(t, http.StatusOK)
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"status": "stopped"}).
		Expect(t, http.StatusOK).JSON(t, &e)
	if e.Status != "stopped" || e.StoppedAt == nil || e.Name != "Hero, again" {
		t.Fatalf("stopped %+v", e)
	}
	c.assign("hero", "anon-1").ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"status": "running"}).
		ExpectProblem(t, http.StatusConflict, "invalid_status_transition")

	var got metrics.Experiment
	c.do(http.MethodGet, "/v1/admin/experiments/"+e.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Status != "stopped" || got.Name != "Hero, again" {
		t.Fatalf("read back %+v", got)
	}
	other := c.create(with(twoArms("other"), "status", "running"))
	if other.Status != "running" || other.StartedAt == nil {
		t.Fatalf("created running %+v", other)
	}
	var list struct {
		Data []metrics.Experiment `json:"data"`
	}
	c.do(http.MethodGet, "/v1/admin/experiments?status=running", nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != other.ID {
		t.Fatalf("running experiments %+v", list.Data)
	}
	c.do(http.MethodPost, "/v1/admin/experiments", twoArms("hero")).ExpectProblem(t, http.StatusConflict, "experiment_key_taken")
	c.assign("nope", "anon-1").ExpectProblem(t, http.StatusNotFound, "not_found")
	c.assign("other", "").ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	for _, role := range []string{auth.RoleSupport, auth.RoleWarehouse} {
		c.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/experiments/" + e.ID + "/results",
			Token: c.h.StaffToken(t, role)}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	}
}

// Managers starting the same draft at once: it starts once. A request
// that read the draft before the winner committed gets 409; one that read
// it after sees running -> running, a no-op. Every 200 names the same start.
func TestExperimentConcurrentStart(t *testing.T) {
	t.Parallel()
	c := newExpClient(t)
	e := c.create(twoArms("race"))
	answers := make([]*apitest.Response, 6)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			answers[i] = c.do(http.MethodPatch, "/v1/admin/experiments/"+e.ID, map[string]any{"status": "running"})
		})
	}
	wg.Wait()
	starts := map[string]bool{}
	for _, a := range answers {
		switch a.Status {
		case http.StatusOK:
			var got metrics.Experiment
			a.JSON(t, &got)
			starts[got.StartedAt.Format(time.RFC3339Nano)] = true
		case http.StatusConflict:
			a.ExpectProblem(t, http.StatusConflict, "invalid_status_transition")
		default:
			t.Errorf("status %d: %s", a.Status, a.Body)
		}
	}
	var stored metrics.Experiment
	c.do(http.MethodGet, "/v1/admin/experiments/"+e.ID, nil).Expect(t, http.StatusOK).JSON(t, &stored)
	if len(starts) != 1 || !starts[stored.StartedAt.Format(time.RFC3339Nano)] {
		t.Fatalf("answers name starts %v, stored %v", starts, stored.StartedAt)
	}
}

func TestExperimentBadInput(t *testing.T) {
	t.Parallel()
	c := newExpClient(t)
	arms := func(a ...map[string]any) []map[string]any { return a }
	tests := []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"bad key", with(twoArms("Hero Banner"), "key", "Hero Banner"), []string{"key"}},
		{"one arm", with(twoArms("k1"), "arms", arms(map[string]any{"key": "a", "weight": 1})), []string{"arms"}},
		{"zero weight", with(twoArms("k2"), "arms", arms(map[string]any{"key": "a", "weight": 0},
			map[string]any{"key": "b", "weight": 1})), []string{"arms[0].weight"}},
		{"same arm twice", with(twoArms("k3"), "arms", arms(map[string]any{"key": "a", "weight": 1},
			map[string]any{"key": "a", "weight": 1})), []string{"arms[1].key"}},
		{"unknown metric", with(twoArms("k4"), "metric", "revenue"), []string{"metric"}},
		{"created stopped", with(twoArms("k5"), "status", "stopped"), []string{"status"}},
	}
	for _, tc := range tests {
		p := c.do(http.MethodPost, "/v1/admin/experiments", tc.body).
			ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
		var fields []string
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if d := cmp.Diff(tc.fields, fields); d != "" {
			t.Errorf("%s: fields (-want +got)\n%s", tc.name, d)
		}
	}
}

// Results on a hand-built data set: exposures through the events API,
// orders written directly (only their session, currency, total and status
// matter here).
func TestExperimentResults(t *testing.T) {
	t.Parallel()
	c := newExpClient(t)
	e := c.create(with(twoArms("hero"), "status", "running"))
	now := time.Now().UTC()
	expose := func(experiment, arm string, sessions ...string) {
		t.Helper()
		var evs []map[string]any
		for _, s := range sessions {
			evs = append(evs, map[string]any{"type": "experiment_exposure", "anonymous_id": "anon-" + s, "session_id": s,
				"experiment_id": experiment, "arm": arm, "occurred_at": now.Format(time.RFC3339)})
		}
		c.h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/events", Body: map[string]any{"events": evs}}).
			Expect(t, http.StatusAccepted)
	}
	expose(e.Key, "control", "c1", "c2", "c3", "c1") // c1 twice: one session
	expose(e.ID, "control", "c4")                    // named by id
	expose(e.Key, "green", "g1", "g2", "g3")
	expose("another", "green", "x1") // another experiment
	n := 0
	order := func(session, currency string, total int64, status string) {
		t.Helper()
		n++
		err := c.h.DB.Conn(context.Background()).Exec(`INSERT INTO orders (id, number, cart_id, email, currency, status,
payment_status, fulfillment_status, shipping_address, billing_address, subtotal, discount_total, shipping_total,
shipping_discount, shipping_tax, tax_total, total, tax_inclusive, session_id, created_at, updated_at)
VALUES (?, ?, ?, 'a@example.test', ?, ?, 'captured', 'unfulfilled', '{}', '{}', ?, 0, 0, 0, 0, 0, ?, true, ?, ?, ?)`,
			fmt.Sprint("order_t", n), fmt.Sprint("T-", n), fmt.Sprint("cart_t", n), currency, status, total, total,
			session, now, now).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	order("c1", "EUR", 1000, "confirmed")
	order("c2", "EUR", 3000, "completed")
	order("c2", "EUR", 5000, "canceled") // not in the average
	order("g1", "EUR", 2000, "confirmed")
	order("g1", "USD", 1500, "confirmed")
	order("g3", "USD", 999, "canceled") // a conversion, no value
	order("x1", "EUR", 7000, "confirmed")
	order("", "EUR", 100, "confirmed")

	var res struct {
		Arms []struct {
			Key               string   `json:"key"`
			Sessions          int64    `json:"sessions"`
			Conversions       int64    `json:"conversions"`
			ConversionRate    *float64 `json:"conversion_rate"`
			AverageOrderValue []struct {
				Amount   int64  `json:"amount"`
				Currency string `json:"currency"`
			} `json:"average_order_value"`
		} `json:"arms"`
		Lift        *float64 `json:"lift"`
		PValue      *float64 `json:"p_value"`
		Significant bool     `json:"significant"`
		Note        string   `json:"note"`
	}
	c.do(http.MethodGet, "/v1/admin/experiments/"+e.ID+"/results", nil).Expect(t, http.StatusOK).JSON(t, &res)
	if len(res.Arms) != 2 {
		t.Fatalf("arms %+v", res.Arms)
	}
	ctl, green := res.Arms[0], res.Arms[1]
	if ctl.Key != "control" || ctl.Sessions != 4 || ctl.Conversions != 2 || ctl.ConversionRate == nil || *ctl.ConversionRate != 0.5 {
		t.Errorf("control %+v", ctl)
	}
	if green.Key != "green" || green.Sessions != 3 || green.Conversions != 2 || green.ConversionRate == nil ||
		math.Abs(*green.ConversionRate-2.0/3) > 1e-9 {
		t.Errorf("green %+v", green)
	}
	type m = struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	}
	if d := cmp.Diff([]m{{2000, "EUR"}}, []m(ctl.AverageOrderValue)); d != "" {
		t.Errorf("control AOV (-want +got)\n%s", d)
	}
	if d := cmp.Diff([]m{{2000, "EUR"}, {1500, "USD"}}, []m(green.AverageOrderValue)); d != "" {
		t.Errorf("green AOV (-want +got)\n%s", d)
	}
	// Lift (2/3 - 1/2) / (1/2) = 1/3. Pooled p = 4/7, se = sqrt(4/7 * 3/7 *
	// (1/4 + 1/3)) = 0.377964, z = (1/6) / se = 0.440959, p = 0.659243.
	if res.Lift == nil || math.Abs(*res.Lift-1.0/3) > 1e-9 || res.PValue == nil ||
		math.Abs(*res.PValue-0.659243) > 1e-6 || res.Significant {
		t.Errorf("lift %v p %v significant %v", res.Lift, res.PValue, res.Significant)
	}
	if res.Note == "" {
		t.Error("no note on a sample of 7 sessions")
	}
}

func with(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}
