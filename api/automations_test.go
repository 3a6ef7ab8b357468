package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/internal/automations"
	"storekeep/internal/orders"
	"storekeep/internal/platform/events"
)

// automationShop is a shop (shop_fixture_test.go) whose manager creates
// automation rules.
type automationShop struct {
	*shop
	product string // the product of s.small and s.large
}

func newAutomationShop(t *testing.T) *automationShop {
	t.Helper()
	s := &automationShop{shop: newShop(t, 50, 50)}
	c := s.guestWith(s.small, 1).cart
	s.product = c.Items[0].ProductID
	return s
}

// rule creates an automation and returns it.
func (s *automationShop) rule(body map[string]any) automations.Automation {
	s.t.Helper()
	var a automations.Automation
	s.admin(http.MethodPost, "/v1/admin/automations", body).Expect(s.t, http.StatusCreated).JSON(s.t, &a)
	return a
}

// runs lists a rule's runs, newest first.
func (s *automationShop) runs(automationID string) []automations.Run {
	s.t.Helper()
	var l struct {
		Data []automations.Run `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/automations/"+automationID+"/runs", nil).Expect(s.t, http.StatusOK).JSON(s.t, &l)
	return l.Data
}

// buy places an order of one small unit for p (a new cart), with code when
// not empty.
func (p *shopper) buy(key, code string) orders.Order {
	p.s.t.Helper()
	p.newCart()
	p.add(p.s.small, 1)
	if code != "" {
		p.step(http.MethodPost, "/v1/store/carts/"+p.cart.ID+"/discounts", map[string]any{"code": code}, http.StatusOK)
	}
	p.ready()
	return p.placeOrder(key)
}

// deliver fulfils, ships and delivers the whole order through the admin
// API, then makes sure its order.delivered event is in the outbox: recorded
// here (payload: the order as GET /v1/admin/orders/{id} returns it) unless
// the orders domain recorded it already. It returns the event's id.
func (s *automationShop) deliver(o orders.Order) string {
	s.t.Helper()
	var items []map[string]any
	for _, it := range o.Items {
		items = append(items, map[string]any{"item_id": it.ID, "quantity": it.Quantity})
	}
	var f struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/orders/"+o.ID+"/fulfillments", map[string]any{"items": items}).
		Expect(s.t, http.StatusCreated).JSON(s.t, &f)
	fp := "/v1/admin/orders/" + o.ID + "/fulfillments/" + f.ID
	s.admin(http.MethodPost, fp+"/ship", map[string]any{"carrier": "Colissimo", "tracking_number": "6A0001"}).
		Expect(s.t, http.StatusOK)
	s.admin(http.MethodPost, fp+"/deliver", nil).Expect(s.t, http.StatusOK)
	return s.recordOnce("order.delivered", o.ID, "/v1/admin/orders/"+o.ID)
}

// recordOnce records an event of typ about subject, with the resource read
// from path as its payload, unless one was recorded already; it returns the
// event's id.
func (s *automationShop) recordOnce(typ, subject, path string) string {
	s.t.Helper()
	ctx := s.t.Context()
	if have := s.events(typ, subject); len(have) > 0 {
		return have[0].ID
	}
	payload := s.admin(http.MethodGet, path, nil).Expect(s.t, http.StatusOK).Body
	if err := events.Record(ctx, s.h.DB, typ, subject, json.RawMessage(payload)); err != nil {
		s.t.Fatal(err)
	}
	return s.events(typ, subject)[0].ID
}

func (s *automationShop) events(typ, subject string) []events.Event {
	s.t.Helper()
	l, err := events.List(s.t.Context(), s.h.DB, events.Filter{Type: typ, SubjectID: subject})
	if err != nil {
		s.t.Fatal(err)
	}
	return l
}

// replay hands every event to the consumers again, as a dispatcher that
// crashed before marking them would.
func (s *automationShop) replay() {
	s.t.Helper()
	if err := s.h.DB.Conn(s.t.Context()).Exec(`UPDATE events SET delivered_at = NULL`).Error; err != nil {
		s.t.Fatal(err)
	}
	drainJobs(s.t.(*testing.T), s.h)
}

// myDiscounts lists the codes issued to the customer with token.
func (s *automationShop) myDiscounts(token string) []automations.CustomerDiscount {
	s.t.Helper()
	var l struct {
		Data []automations.CustomerDiscount `json:"data"`
	}
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me/discounts", Token: token}).
		Expect(s.t, http.StatusOK).JSON(s.t, &l)
	return l.Data
}

// firstOrderRule is the post-purchase rule: the customer's first order is
// delivered -> 15 % off the shop's product, valid 30 days.
func (s *automationShop) firstOrderRule(delay int) automations.Automation {
	return s.rule(map[string]any{"name": "First order delivered", "trigger": "order.delivered",
		"delay_seconds": delay,
		"conditions":    []any{map[string]any{"field": "customer.order_count", "op": "eq", "value": 1}},
		"actions": []any{map[string]any{"type": "issue_discount", "percentage": 1500, "expires_in_days": 30,
			"product_ids": []string{s.product}}}})
}

// The post-purchase code, end to end: the first order's delivery issues one
// code (replaying the event issues nothing more), the customer sees it, it
// applies once at checkout, is refused the second time, and nobody else can
// use it; the second order's delivery is skipped (not the first order).
func TestAutomationIssuesTheFirstOrderCodeOnce(t *testing.T) {
	t.Parallel()
	s := newAutomationShop(t)
	rule := s.firstOrderRule(0)
	buyer := s.customer()
	first := buyer.buy("first", "")
	evt := s.deliver(first)
	drainJobs(t, s.h)

	runs := s.runs(rule.ID)
	if len(runs) != 1 || runs[0].Status != automations.RunSucceeded || runs[0].EventID != evt ||
		len(runs[0].Actions) != 1 || runs[0].Actions[0].Status != automations.RunSucceeded {
		t.Fatalf("runs after delivery: %+v", runs)
	}
	mine := s.myDiscountsOf(buyer)
	if len(mine) != 1 {
		t.Fatalf("customer has %d codes, want 1: %+v", len(mine), mine)
	}
	code := mine[0]
	if !strings.HasPrefix(code.Code, "THANKS-") || code.Percentage != 1500 || code.Used || code.Source != "automation" ||
		code.EndsAt == nil || !cmp.Equal(code.ProductIDs, []string{s.product}) {
		t.Fatalf("issued code: %+v", code)
	}
	if got := runs[0].Actions[0].Result; got != "issued "+code.Code {
		t.Errorf("action result %q", got)
	}
	if n := len(s.events("discount.issued", "")); n != 1 {
		t.Errorf("%d discount.issued events, want 1", n)
	}

	// The event handed over again (a dispatcher crash) runs nothing new.
	s.replay()
	if runs := s.runs(rule.ID); len(runs) != 1 {
		t.Fatalf("%d runs after the replay, want 1", len(runs))
	}
	if n := len(s.myDiscountsOf(buyer)); n != 1 {
		t.Fatalf("%d codes after the replay, want 1", n)
	}
	if n := len(s.events("discount.issued", "")); n != 1 {
		t.Errorf("%d discount.issued events after the replay, want 1", n)
	}

	// Nobody else can use it: another customer and a guest are told it does not exist.
	other := s.customer()
	other.newCart()
	other.add(s.small, 1)
	other.applyCode(code.Code).ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_not_found")
	g := s.guestWith(s.small, 1)
	g.applyCode(code.Code).ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_not_found")

	// It applies once: 15 % off 12.00.
	second := buyer.buy("second", code.Code)
	if len(second.Discounts) != 1 || second.Discounts[0].Code != code.Code || second.DiscountTotal.Minor != 180 {
		t.Fatalf("second order's discounts: %+v (total off %v)", second.Discounts, second.DiscountTotal)
	}
	used := s.myDiscountsOf(buyer)[0]
	if !used.Used || used.OrderID == nil || *used.OrderID != second.ID || used.UsedAt == nil {
		t.Fatalf("after use: %+v", used)
	}
	// And is refused the second time.
	buyer.newCart()
	buyer.add(s.small, 1)
	buyer.applyCode(code.Code).ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_exhausted")

	// The second order's delivery: not the first order, no new code.
	s.deliver(second)
	drainJobs(t, s.h)
	runs = s.runs(rule.ID)
	if len(runs) != 2 || runs[0].Status != automations.RunSkipped || runs[0].Reason == nil ||
		*runs[0].Reason != "customer.order_count is 2, not eq 1" {
		t.Fatalf("runs after the second delivery: %+v", runs)
	}
	if n := len(s.myDiscountsOf(buyer)); n != 1 {
		t.Fatalf("%d codes after the second delivery, want 1", n)
	}
}

func (s *automationShop) myDiscountsOf(p *shopper) []automations.CustomerDiscount {
	return s.myDiscounts(p.token)
}

// A delayed rule's run is scheduled at the event's time plus the delay and
// does not happen before; when it happens, a rule deactivated meanwhile is
// skipped while an active one acts.
func TestAutomationDelayAndDeactivation(t *testing.T) {
	t.Parallel()
	s := newAutomationShop(t)
	var group struct {
		ID string `json:"id"`
	}
	s.admin(http.MethodPost, "/v1/admin/customer-groups", map[string]any{"name": "Delivered"}).
		Expect(t, http.StatusCreated).JSON(t, &group)
	const delay = 3 * 24 * 3600
	kept := s.rule(map[string]any{"name": "Three days after delivery", "trigger": "order.delivered",
		"delay_seconds": delay, "actions": []any{map[string]any{"type": "add_to_group", "group_id": group.ID}}})
	dropped := s.firstOrderRule(delay)
	buyer := s.customer()
	o := buyer.buy("order", "")
	s.deliver(o)
	drainJobs(t, s.h)

	occurred := s.events("order.delivered", o.ID)[0].CreatedAt
	for _, id := range []string{kept.ID, dropped.ID} {
		runs := s.runs(id)
		if len(runs) != 1 || runs[0].Status != automations.RunScheduled || runs[0].FinishedAt != nil {
			t.Fatalf("runs of %s before the delay: %+v", id, runs)
		}
		if want := occurred.Add(delay * time.Second); !runs[0].ScheduledAt.Equal(want) {
			t.Errorf("scheduled at %v, want %v (occurred_at + delay)", runs[0].ScheduledAt, want)
		}
	}
	var waiting int64
	if err := s.h.DB.Conn(t.Context()).Raw(`SELECT count(*) FROM river_job WHERE kind = 'automations.run'
		AND state = 'scheduled'`).Scan(&waiting).Error; err != nil {
		t.Fatal(err)
	}
	if waiting != 2 {
		t.Fatalf("%d run jobs waiting, want 2", waiting)
	}
	if n := len(s.myDiscountsOf(buyer)); n != 0 {
		t.Fatalf("%d codes before the delay passed", n)
	}

	s.admin(http.MethodPatch, "/v1/admin/automations/"+dropped.ID, map[string]any{"active": false}).
		Expect(t, http.StatusOK)
	// The delay passes (River's clock cannot be moved: its jobs are made due).
	if err := s.h.DB.Conn(t.Context()).Exec(`UPDATE river_job SET state = 'available', scheduled_at = created_at
		WHERE kind = 'automations.run' AND state = 'scheduled'`).Error; err != nil {
		t.Fatal(err)
	}
	drainJobs(t, s.h)
	if runs := s.runs(dropped.ID); runs[0].Status != automations.RunSkipped || runs[0].Reason == nil ||
		*runs[0].Reason != "the automation was deactivated before the run" {
		t.Fatalf("deactivated rule's run: %+v", runs[0])
	}
	if runs := s.runs(kept.ID); runs[0].Status != automations.RunSucceeded || runs[0].Actions[0].Result != "added to "+group.ID {
		t.Fatalf("active rule's run: %+v", runs[0])
	}
	var members struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	s.admin(http.MethodGet, "/v1/admin/customers?group_id="+group.ID, nil).Expect(t, http.StatusOK).JSON(t, &members)
	if len(members.Data) != 1 {
		t.Fatalf("group has %d members, want the buyer", len(members.Data))
	}
	if n := len(s.myDiscountsOf(buyer)); n != 0 {
		t.Fatalf("the deactivated rule issued %d codes", n)
	}
}

// Conditions that do not hold skip the run with the reason; actions that
// cannot be done fail with theirs, and the others still happen.
func TestAutomationSkipsAndFailures(t *testing.T) {
	t.Parallel()
	s := newAutomationShop(t)
	big := s.rule(map[string]any{"name": "Big spenders", "trigger": "order.delivered",
		"conditions": []any{map[string]any{"field": "order.total", "op": "gte", "value": eur(10000)}},
		"actions":    []any{map[string]any{"type": "issue_discount", "amount": eur(500), "expires_in_days": 7}}})
	first := s.firstOrderRule(0)
	mixed := s.rule(map[string]any{"name": "Thanks, and tell the ERP", "trigger": "order.delivered",
		"conditions": []any{map[string]any{"field": "order.product_ids", "op": "contains", "value": s.product}},
		"actions": []any{
			map[string]any{"type": "send_email", "template": "discount_issued"},
			map[string]any{"type": "issue_discount", "amount": eur(500), "expires_in_days": 7},
			map[string]any{"type": "call_webhook", "webhook_id": "wh_none"}}})

	// A guest's order: no customer account.
	g := s.guest()
	o := g.buy("guest", "")
	s.deliver(o)
	drainJobs(t, s.h)
	if r := s.runs(big.ID)[0]; r.Status != automations.RunSkipped || *r.Reason != "order.total is 16.90 EUR, not gte 100.00 EUR" {
		t.Errorf("big spenders: %+v (%s)", r, deref(r.Reason))
	}
	if r := s.runs(first.ID)[0]; r.Status != automations.RunSkipped ||
		*r.Reason != "customer.order_count: the event has no customer account" {
		t.Errorf("first order: %+v (%s)", r, deref(r.Reason))
	}
	r := s.runs(mixed.ID)[0]
	want := []automations.RunAction{
		{Type: "send_email", Status: "succeeded", Result: "discount_issued (en) queued"},
		{Type: "issue_discount", Status: "failed", Result: "the event has no customer account (a guest, or an archived account)"},
		{Type: "call_webhook", Status: "failed", Result: "not_found: the webhook does not exist"},
	}
	if d := cmp.Diff(want, r.Actions); d != "" || r.Status != automations.RunFailed || *r.Reason != "2 of 3 actions failed" {
		t.Errorf("mixed run %s (%s), actions (-want +got):\n%s", r.Status, deref(r.Reason), d)
	}
	if n := len(s.events("discount.issued", "")); n != 0 {
		t.Errorf("%d codes issued for a guest", n)
	}
}

// Bad rules are refused with every bad field named, and nothing is written.
func TestAutomationValidation(t *testing.T) {
	t.Parallel()
	s := newAutomationShop(t)
	before := s.h.RowCounts(t, "automations")
	issue := map[string]any{"type": "issue_discount", "percentage": 1500, "expires_in_days": 30}
	rule := func(trigger string, conds []any, acts ...any) map[string]any {
		return map[string]any{"name": "r", "trigger": trigger, "conditions": conds, "actions": acts}
	}
	cond := func(field, op string, v any) []any {
		return []any{map[string]any{"field": "customer.order_count", "op": "gte", "value": 1},
			map[string]any{"field": field, "op": op, "value": v}}
	}
	tests := []struct {
		name   string
		body   map[string]any
		code   string
		fields []string
	}{
		{"unknown trigger", rule("order.exploded", nil, issue), "validation_failed", []string{"trigger"}},
		{"unknown field", rule("order.delivered", cond("customer.shoe_size", "eq", 1), issue),
			"validation_failed", []string{"conditions[1].field"}},
		{"op the field does not take", rule("order.delivered", cond("customer.order_count", "contains", 1), issue),
			"validation_failed", []string{"conditions[1].op"}},
		{"count given as a string", rule("order.delivered", cond("customer.order_count", "eq", "1"), issue),
			"validation_failed", []string{"conditions[1].value"}},
		{"fractional count", rule("order.delivered", cond("customer.order_count", "lt", 1.5), issue),
			"validation_failed", []string{"conditions[1].value"}},
		{"money without a currency", rule("order.delivered", cond("order.total", "gte", map[string]any{"amount": 5000}), issue),
			"validation_failed", []string{"conditions[1].value"}},
		{"in needs a list", rule("order.delivered", cond("customer.locale", "in", "fr"), issue),
			"validation_failed", []string{"conditions[1].value"}},
		{"contains needs an id of the right kind", rule("order.delivered", cond("order.category_ids", "contains", s.product), issue),
			"validation_failed", []string{"conditions[1].value"}},
		{"order field on a customer trigger", rule("customer.created", cond("order.total", "gte", eur(1)), issue),
			"validation_failed", []string{"conditions[1].field"}},
		{"customer action on a stock trigger", rule("inventory.low_stock", nil, issue),
			"validation_failed", []string{"actions[0].type"}},
		{"no actions", rule("order.delivered", nil), "validation_failed", []string{"actions"}},
		{"percentage and amount", rule("order.delivered", nil, map[string]any{"type": "issue_discount",
			"percentage": 1500, "amount": eur(500), "expires_in_days": 30}), "validation_failed", []string{"actions[0].amount"}},
		{"no expiry", rule("order.delivered", nil, map[string]any{"type": "issue_discount", "percentage": 1500}),
			"validation_failed", []string{"actions[0].expires_in_days"}},
		{"percentage out of range", rule("order.delivered", nil, map[string]any{"type": "issue_discount",
			"percentage": 20000, "expires_in_days": 30}), "validation_failed", []string{"actions[0].percentage"}},
		{"unknown template", rule("cart.abandoned", nil, map[string]any{"type": "send_email", "template": "spam"}),
			"validation_failed", []string{"actions[0].template"}},
		{"field of another action", rule("order.delivered", nil, map[string]any{"type": "add_to_group",
			"group_id": "cgrp_06h1wbq28dxanf5st2bqp8yfxm", "template": "cart_reminder"}),
			"validation_failed", []string{"actions[0].template"}},
		{"a discount rule on discount.issued", rule("discount.issued", nil, issue),
			"validation_failed", []string{"actions[0].type"}},
		{"negative delay", map[string]any{"name": "r", "trigger": "order.delivered", "delay_seconds": -1,
			"actions": []any{issue}}, "validation_failed", []string{"delay_seconds"}},
		{"award_points without points", rule("order.delivered", nil, issue,
			map[string]any{"type": "award_points", "points": 0}), "validation_failed", []string{"actions[1].points"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.admin(http.MethodPost, "/v1/admin/automations", tt.body).
				ExpectProblem(t, http.StatusUnprocessableEntity, tt.code)
			var got []string
			for _, e := range p.Errors {
				got = append(got, e.Field)
			}
			if d := cmp.Diff(tt.fields, got); d != "" {
				t.Errorf("fields (-want +got):\n%s\n%+v", d, p.Errors)
			}
		})
	}
	a := s.firstOrderRule(0)
	s.admin(http.MethodPatch, "/v1/admin/automations/"+a.ID, map[string]any{"conditions": cond("customer.locale", "gt", "fr")}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	if got := s.admin(http.MethodGet, "/v1/admin/automations/"+a.ID, nil).Expect(t, http.StatusOK); !strings.Contains(string(got.Body), `"customer.order_count"`) {
		t.Errorf("a refused patch changed the rule: %s", got.Body)
	}
	before["automations"]++
	if d := cmp.Diff(before, s.h.RowCounts(t, "automations")); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}

// Rules: read, list, update, delete (then 404 and no more runs); only
// managers and admins.
func TestAutomationCRUD(t *testing.T) {
	t.Parallel()
	s := newAutomationShop(t)
	a := s.rule(map[string]any{"name": " Cart reminder ", "trigger": "cart.abandoned", "delay_seconds": 3600,
		"actions": []any{map[string]any{"type": "send_email", "template": "cart_reminder"}}})
	if a.Name != "Cart reminder" || !a.Active || len(a.Conditions) != 0 || a.Actions[0].Template != "cart_reminder" {
		t.Fatalf("created %+v", a)
	}
	var got automations.Automation
	s.admin(http.MethodGet, "/v1/admin/automations/"+a.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if d := cmp.Diff(a, got); d != "" {
		t.Errorf("read back (-created +read):\n%s", d)
	}
	s.admin(http.MethodPatch, "/v1/admin/automations/"+a.ID, map[string]any{"active": false, "delay_seconds": 7200}).
		Expect(t, http.StatusOK).JSON(t, &got)
	if got.Active || got.DelaySeconds != 7200 || got.Name != a.Name {
		t.Errorf("patched %+v", got)
	}
	var l struct {
		Data       []automations.Automation `json:"data"`
		NextCursor *string                  `json:"next_cursor"`
	}
	s.admin(http.MethodGet, "/v1/admin/automations?active=false&trigger=cart.abandoned", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != a.ID {
		t.Errorf("list: %+v", l.Data)
	}
	support := s.h.StaffToken(t, "support")
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/automations", Token: support}).
		ExpectProblem(t, http.StatusForbidden, "forbidden")
	s.admin(http.MethodDelete, "/v1/admin/automations/"+a.ID, nil).Expect(t, http.StatusNoContent)
	s.admin(http.MethodGet, "/v1/admin/automations/"+a.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.admin(http.MethodDelete, "/v1/admin/automations/"+a.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.admin(http.MethodGet, "/v1/admin/automations/auto_x/runs", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	s.admin(http.MethodGet, "/v1/admin/automations?limit=0", nil).ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

// Staff issue a code to a customer: only that customer sees and can use it.
func TestStaffIssuesADiscount(t *testing.T) {
	t.Parallel()
	s := newAutomationShop(t)
	buyer := s.customer()
	var me struct {
		ID string `json:"id"`
	}
	buyer.do(http.MethodGet, "/v1/store/customers/me", nil).Expect(t, http.StatusOK).JSON(t, &me)
	other := s.customer()

	path := "/v1/admin/customers/" + me.ID + "/discounts"
	s.admin(http.MethodPost, path, map[string]any{"percentage": 0, "expires_in_days": 0}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	s.admin(http.MethodPost, "/v1/admin/customers/cus_06h1wbq28dxanf5st2bqp8yfxm/discounts",
		map[string]any{"percentage": 1000, "expires_in_days": 10}).ExpectProblem(t, http.StatusNotFound, "not_found")
	if n := len(s.events("discount.issued", "")); n != 0 {
		t.Fatalf("refused requests issued %d codes", n)
	}
	var d, again automations.CustomerDiscount
	issue := apitest.Request{Method: http.MethodPost, Path: path, Token: s.manager,
		Header: map[string]string{"Idempotency-Key": "sorry-for-the-delay"},
		Body:   map[string]any{"amount": eur(500), "expires_in_days": 10}}
	s.h.Do(issue).Expect(t, http.StatusCreated).JSON(t, &d)
	// A retry with the same key issues nothing more.
	res := s.h.Do(issue).Expect(t, http.StatusCreated)
	res.JSON(t, &again)
	if again.Code != d.Code || res.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %s (replayed %q), first %s", again.Code, res.Header.Get("Idempotent-Replayed"), d.Code)
	}
	if d.Type != "fixed" || len(d.Amounts) != 1 || d.Amounts[0].Minor != 500 || d.Source != "staff" || d.Used || !d.Active {
		t.Fatalf("issued %+v", d)
	}
	if want := time.Now().AddDate(0, 0, 10); d.EndsAt == nil || d.EndsAt.Sub(want).Abs() > time.Minute {
		t.Errorf("ends_at %v, want about %v", d.EndsAt, want)
	}
	evs := s.events("discount.issued", d.PromotionID)
	if len(evs) != 1 {
		t.Fatalf("%d discount.issued events", len(evs))
	}
	var payload automations.IssuedEvent
	if err := json.Unmarshal(evs[0].Payload, &payload); err != nil {
		t.Fatal(err)
	}
	if payload.CustomerID != me.ID || payload.Source != "staff" || payload.Promotion.Code != d.Code ||
		payload.Locale != "en" || payload.Email == "" || evs[0].ResourceType != "promotion" {
		t.Errorf("discount.issued: %+v (resource %s)", payload, evs[0].ResourceType)
	}
	if mine := s.myDiscountsOf(buyer); len(mine) != 1 || mine[0].Code != d.Code {
		t.Fatalf("buyer's codes: %+v", mine)
	}
	if theirs := s.myDiscountsOf(other); len(theirs) != 0 {
		t.Fatalf("another customer sees %+v", theirs)
	}
	var staffView struct {
		Data []automations.CustomerDiscount `json:"data"`
	}
	support := s.h.StaffToken(t, "support")
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: support}).Expect(t, http.StatusOK).JSON(t, &staffView)
	if len(staffView.Data) != 1 {
		t.Fatalf("staff view: %+v", staffView.Data)
	}
	s.h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: support,
		Body: map[string]any{"percentage": 1000, "expires_in_days": 10}}).ExpectProblem(t, http.StatusForbidden, "forbidden")
	other.newCart()
	other.add(s.small, 1)
	other.applyCode(d.Code).ExpectProblem(t, http.StatusUnprocessableEntity, "promotion_not_found")
	o := buyer.buy("with-code", strings.ToLower(d.Code))
	if o.DiscountTotal.Minor != 500 {
		t.Fatalf("discount %v, want 5.00", o.DiscountTotal)
	}
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/customers/me/discounts"}).
		ExpectProblem(t, http.StatusUnauthorized, "unauthenticated")
}
