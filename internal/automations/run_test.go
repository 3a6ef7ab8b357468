package automations_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/automations"
	"storekeep/internal/catalog"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

func ptr[T any](v T) *T { return &v }

var pageAll = page.Request{Limit: page.MaxLimit}

var manager = auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleManager}

// world is an automations service over a real database, with real checkout
// and customers, and fakes for the orders domain, e-mail and webhooks.
type world struct {
	d        *db.DB
	svc      *automations.Service
	chk      *checkout.Service
	customer customers.Customer
	orders   *fakeOrders
	mail     *fakeMailer
	hooks    *fakeWebhooks
}

func newWorld(t *testing.T) *world {
	t.Helper()
	d := dbtest.New(t)
	cus := customers.NewService(d, nil, nil, nil)
	c, err := cus.Create(t.Context(), customers.CreateInput{Email: "camille@example.test", Password: "correct-horse-battery",
		FirstName: "Camille", LastName: "Martin"})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{d: d, chk: checkout.NewService(d), customer: c, mail: &fakeMailer{}, hooks: &fakeWebhooks{},
		orders: &fakeOrders{totals: orders.CustomerTotals{OrderCount: 1, Spent: []money.Amount{{Minor: 4200, Currency: "EUR"}}}}}
	r := jobs.New(d, jobs.Options{})
	w.svc = automations.NewService(d, automations.WithJobs(r), automations.WithPromotions(w.chk),
		automations.WithCustomers(testCustomers{cus}), automations.WithOrders(w.orders),
		automations.WithCatalog(fakeCatalog{}), automations.WithMailer(w.mail), automations.WithWebhooks(w.hooks))
	automations.RegisterJobs(r, w.svc)
	return w
}

type testCustomers struct{ *customers.Service }

func (c testCustomers) Customer(ctx context.Context, id string) (automations.Customer, error) {
	cu, err := c.Get(ctx, id)
	return automations.Customer{ID: cu.ID, Email: cu.Email}, err
}

type fakeOrders struct {
	totals orders.CustomerTotals
	fail   error // ByID's error, to fail an attempt
}

func (f *fakeOrders) ByID(_ context.Context, id string) (orders.Order, error) {
	return orders.Order{ID: id, Currency: "EUR", Total: money.Amount{Minor: 4200, Currency: "EUR"}}, f.fail
}

func (f *fakeOrders) CustomerTotals(context.Context, string, string) (orders.CustomerTotals, error) {
	return f.totals, nil
}

type fakeCatalog struct{}

func (fakeCatalog) Purchasables(context.Context, []string, string) (map[string]catalog.Purchasable, error) {
	return map[string]catalog.Purchasable{}, nil
}

// fakeMailer records the messages it is given, or fails with fail.
type fakeMailer struct {
	mu   sync.Mutex
	sent []automations.Message
	fail error
}

func (m *fakeMailer) Send(_ context.Context, msg automations.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.sent = append(m.sent, msg)
	return nil
}

type fakeWebhooks struct {
	mu     sync.Mutex
	events []string
}

func (h *fakeWebhooks) DeliverEvent(_ context.Context, webhookID string, e events.Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, webhookID+" "+e.ID)
	return nil
}

// record records an event and returns it as the dispatcher hands it over.
func (w *world) record(t *testing.T, typ, subject string, payload any) events.Event {
	t.Helper()
	if err := events.Record(t.Context(), w.d, typ, subject, payload); err != nil {
		t.Fatal(err)
	}
	l, err := events.List(t.Context(), w.d, events.Filter{Type: typ, SubjectID: subject})
	if err != nil {
		t.Fatal(err)
	}
	return l[len(l)-1]
}

// dispatch hands e to the consumer in a transaction, as the dispatcher does.
func (w *world) dispatch(t *testing.T, e events.Event) {
	t.Helper()
	if err := w.d.WithTx(t.Context(), func(ctx context.Context) error { return w.svc.OnEvent(ctx, e) }); err != nil {
		t.Fatal(err)
	}
}

func (w *world) runs(t *testing.T, automationID string) []automations.Run {
	t.Helper()
	l, err := w.svc.Runs(t.Context(), manager, automationID, "", pageAll)
	if err != nil {
		t.Fatal(err)
	}
	return l.Data
}

func (w *world) count(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := w.d.Conn(t.Context()).Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Every action of a run happens once, however often the event is handed
// over and however often (or concurrently) its job runs.
func TestRunIsExactlyOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, err := w.svc.Create(t.Context(), manager, automations.AutomationInput{Name: "thanks", Trigger: "order.delivered",
		Conditions: []automations.Condition{{Field: "customer.order_count", Op: "eq", Value: float64(1)}},
		Actions: []automations.Action{
			{Type: "issue_discount", Percentage: ptr[int64](1500), ExpiresInDays: ptr[int64](30)},
			{Type: "send_email", Template: "order_shipped"},
			{Type: "call_webhook", WebhookID: "wh_erp"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	e := w.record(t, "order.delivered", "order_1", map[string]any{"id": "order_1", "customer_id": w.customer.ID,
		"email": "camille@example.test", "locale": "fr"})
	w.dispatch(t, e)
	w.dispatch(t, e) // a replay
	runs := w.runs(t, a.ID)
	if len(runs) != 1 || runs[0].Status != automations.RunScheduled {
		t.Fatalf("runs after two dispatches: %+v", runs)
	}
	if n := w.count(t, `SELECT count(*) FROM river_job WHERE kind = 'automations.run'`); n != 1 {
		t.Fatalf("%d run jobs, want 1", n)
	}

	// The job runs five times at once (a duplicate, a retry after a crash
	// past the commit): one of them does the work.
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() { errs[i] = w.svc.Execute(context.Background(), runs[0].ID, e) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	runs = w.runs(t, a.ID)
	if runs[0].Status != automations.RunSucceeded || runs[0].Attempts != 1 {
		t.Fatalf("run: %+v", runs[0])
	}
	if n := w.count(t, `SELECT count(*) FROM issued_discounts`); n != 1 {
		t.Errorf("%d codes issued, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM events WHERE type = 'discount.issued'`); n != 1 {
		t.Errorf("%d discount.issued events, want 1", n)
	}
	if len(w.mail.sent) != 1 || len(w.hooks.events) != 1 || w.hooks.events[0] != "wh_erp "+e.ID {
		t.Fatalf("sent %+v, webhooks %v", w.mail.sent, w.hooks.events)
	}
	m := w.mail.sent[0]
	if m.To != "camille@example.test" || m.Locale != "fr" || m.CustomerID != w.customer.ID ||
		m.DedupeKey != "automation:"+runs[0].ID+":1" || m.Data["order"] == nil {
		t.Errorf("message %+v", m)
	}
	ds, err := w.svc.CustomerDiscounts(t.Context(), w.customer.ID, pageAll)
	if err != nil || len(ds.Data) != 1 {
		t.Fatalf("customer discounts %+v, %v", ds, err)
	}
	var payload automations.IssuedEvent
	evs, _ := events.List(t.Context(), w.d, events.Filter{Type: "discount.issued"})
	if err := json.Unmarshal(evs[0].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	want := automations.IssuedEvent{Promotion: payload.Promotion, CustomerID: w.customer.ID,
		Email: "camille@example.test", Locale: "fr", Source: "automation", AutomationID: a.ID}
	if d := cmp.Diff(want, payload); d != "" || payload.Promotion.Code != ds.Data[0].Code {
		t.Errorf("discount.issued (-want +got):\n%s", d)
	}
}

// An attempt that fails on an internal error leaves nothing behind (no
// code, no e-mail) and the run scheduled; the retry does it all once.
func TestFailedAttemptLeavesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, err := w.svc.Create(t.Context(), manager, automations.AutomationInput{Name: "thanks", Trigger: "order.paid",
		Actions: []automations.Action{
			{Type: "issue_discount", Amount: &money.Amount{Minor: 500, Currency: "EUR"}, ExpiresInDays: ptr[int64](7)},
			{Type: "send_email", Template: "order_confirmation"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	e := w.record(t, "order.paid", "order_2", map[string]any{"customer_id": w.customer.ID})
	w.dispatch(t, e)
	run := w.runs(t, a.ID)[0]
	w.mail.fail = errors.New("database is gone")
	if err := w.svc.Execute(t.Context(), run.ID, e); err == nil {
		t.Fatal("the attempt succeeded")
	}
	if n := w.count(t, `SELECT count(*) FROM issued_discounts`); n != 0 {
		t.Fatalf("a failed attempt issued %d codes", n)
	}
	if n := w.count(t, `SELECT count(*) FROM promotions`); n != 0 {
		t.Fatalf("a failed attempt left %d promotions", n)
	}
	if r := w.runs(t, a.ID)[0]; r.Status != automations.RunScheduled {
		t.Fatalf("run after a failed attempt: %+v", r)
	}
	w.mail.fail = nil
	if err := w.svc.Execute(t.Context(), run.ID, e); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM issued_discounts`); n != 1 {
		t.Fatalf("%d codes after the retry, want 1", n)
	}
	if r := w.runs(t, a.ID)[0]; r.Status != automations.RunSucceeded || len(w.mail.sent) != 1 {
		t.Fatalf("run after the retry: %+v, mail %v", r, w.mail.sent)
	}
}

// A guest's abandoned cart: the reminder goes to the cart's e-mail in its
// locale, with the cart as the template's data; customer-only actions fail
// with their reason and do not stop the others.
func TestCartReminderToAGuest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, err := w.svc.Create(t.Context(), manager, automations.AutomationInput{Name: "reminder", Trigger: "cart.abandoned",
		DelaySeconds: 0, Actions: []automations.Action{
			{Type: "add_to_group", GroupID: "cgrp_06h1wbq28dxanf5st2bqp8yfxm"},
			{Type: "send_email", Template: "cart_reminder"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	e := w.record(t, "cart.abandoned", "cart_1", map[string]any{"id": "cart_1", "customer_id": nil,
		"email": "guest@example.test", "locale": "FR", "items": []any{}})
	w.dispatch(t, e)
	run := w.runs(t, a.ID)[0]
	if err := w.svc.Execute(t.Context(), run.ID, e); err != nil {
		t.Fatal(err)
	}
	run = w.runs(t, a.ID)[0]
	want := []automations.RunAction{
		{Type: "add_to_group", Status: "failed", Result: "the event has no customer account (a guest, or an archived account)"},
		{Type: "send_email", Status: "succeeded", Result: "cart_reminder (fr) queued"},
	}
	if d := cmp.Diff(want, run.Actions); d != "" || run.Status != automations.RunFailed {
		t.Fatalf("run %s, actions (-want +got):\n%s", run.Status, d)
	}
	m := w.mail.sent[0]
	if m.To != "guest@example.test" || m.Locale != "fr" || m.CustomerID != "" || m.Data["cart"] == nil ||
		m.Data["event_type"] != "cart.abandoned" {
		t.Errorf("message %+v", m)
	}
}

// Without a mailer or webhooks wired, those actions fail with a clear
// reason; a deleted rule's scheduled run is skipped.
func TestUnwiredActionsAndDeletedRule(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := jobs.New(w.d, jobs.Options{})
	svc := automations.NewService(w.d, automations.WithJobs(r),
		automations.WithCustomers(testCustomers{customers.NewService(w.d, nil, nil, nil)}), automations.WithOrders(w.orders))
	automations.RegisterJobs(r, svc)
	a, err := svc.Create(t.Context(), manager, automations.AutomationInput{Name: "x", Trigger: "customer.created",
		Actions: []automations.Action{{Type: "send_email", Template: "order_confirmation"},
			{Type: "call_webhook", WebhookID: "wh_1"}}})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := svc.Create(t.Context(), manager, automations.AutomationInput{Name: "gone", Trigger: "customer.created",
		Actions: []automations.Action{{Type: "call_webhook", WebhookID: "wh_1"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := w.record(t, "customer.created", w.customer.ID, map[string]any{"id": w.customer.ID, "email": w.customer.Email})
	if err := w.d.WithTx(t.Context(), func(ctx context.Context) error { return svc.OnEvent(ctx, e) }); err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete(t.Context(), manager, gone.ID); err != nil {
		t.Fatal(err)
	}
	var runIDs []string
	if err := w.d.Conn(t.Context()).Raw(`SELECT id FROM automation_runs ORDER BY automation_id`).Scan(&runIDs).Error; err != nil {
		t.Fatal(err)
	}
	for _, id := range runIDs {
		if err := svc.Execute(t.Context(), id, e); err != nil {
			t.Fatal(err)
		}
	}
	run := w.runs(t, a.ID)[0]
	want := []automations.RunAction{{Type: "send_email", Status: "failed", Result: "e-mail not configured"},
		{Type: "call_webhook", Status: "failed", Result: "webhooks not available"}}
	if d := cmp.Diff(want, run.Actions); d != "" {
		t.Errorf("actions (-want +got):\n%s", d)
	}
	var status, reason string
	if err := w.d.Conn(t.Context()).Raw(`SELECT status, reason FROM automation_runs WHERE automation_id = ?`, gone.ID).
		Row().Scan(&status, &reason); err != nil {
		t.Fatal(err)
	}
	if status != "skipped" || reason != "the automation was deleted before the run" {
		t.Errorf("deleted rule's run: %s %q", status, reason)
	}
}
