package automations

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"storekeep/internal/orders"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/money"
)

// subject is what a run knows about its event: the order and the customer
// it is about, read fresh (and once) when a condition or an action needs
// them.
type subject struct {
	s *Service
	e events.Event
	// From the event: the order and customer ids, and the e-mail and
	// locale its payload carries (an order's, a cart's, discount.issued's).
	orderID, customerID, email, locale string

	order      *orders.Order
	cust       *Customer
	custLoaded bool
	totals     *orders.CustomerTotals
}

// payloadFacts are the keys of an event's payload a run reads.
type payloadFacts struct {
	CustomerID *string `json:"customer_id"`
	OrderID    string  `json:"order_id"`
	Email      string  `json:"email"`
	Locale     string  `json:"locale"`
}

// newSubject reads the ids an event names: its subject is the order or
// customer for order.* and customer.* events; other events name them in
// their payload (a refund's order_id, a cart's customer_id).
func (s *Service) newSubject(e events.Event) *subject {
	sub := &subject{s: s, e: e}
	var p payloadFacts
	_ = json.Unmarshal(e.Payload, &p) // a payload without these keys names nothing
	sub.email, sub.locale, sub.orderID = p.Email, strings.ToLower(p.Locale), p.OrderID
	if p.CustomerID != nil {
		sub.customerID = *p.CustomerID
	}
	switch e.ResourceType {
	case "order":
		sub.orderID = e.SubjectID
	case "customer":
		sub.customerID = e.SubjectID
	}
	if triggers[e.Type] < scopeOrder {
		sub.orderID = ""
	}
	return sub
}

// orderOf reads the event's order (fresh).
func (sub *subject) orderOf(ctx context.Context) (*orders.Order, error) {
	if sub.order == nil {
		if sub.orderID == "" || sub.s.orders == nil {
			return nil, failuref("the event names no order")
		}
		o, err := sub.s.orders.ByID(ctx, sub.orderID)
		if err != nil {
			return nil, err
		}
		sub.order = &o
		if sub.customerID == "" && o.CustomerID != nil {
			sub.customerID = *o.CustomerID
		}
	}
	return sub.order, nil
}

// customer reads the event's customer account: nil for a guest, or when
// the account was archived since.
func (sub *subject) customer(ctx context.Context) (*Customer, error) {
	if sub.custLoaded {
		return sub.cust, nil
	}
	if sub.customerID == "" && sub.orderID != "" {
		if _, err := sub.orderOf(ctx); err != nil {
			return nil, err
		}
	}
	sub.custLoaded = true
	if sub.customerID == "" || sub.s.customers == nil {
		return nil, nil
	}
	c, err := sub.s.customers.Customer(ctx, sub.customerID)
	if e, ok := errs.As(err); ok && e.Kind == errs.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sub.cust = &c
	return sub.cust, nil
}

// mustCustomer is customer, failing (an action) when there is none.
func (sub *subject) mustCustomer(ctx context.Context) (Customer, error) {
	c, err := sub.customer(ctx)
	if err != nil {
		return Customer{}, err
	}
	if c == nil {
		return Customer{}, failuref("the event has no customer account (a guest, or an archived account)")
	}
	return *c, nil
}

// emailOf is where e-mail for this event goes: the customer's address, else
// the one the event carries (a guest's order or cart), else the order's.
func (sub *subject) emailOf(ctx context.Context) (string, error) {
	c, err := sub.customer(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case c != nil && c.Email != "":
		return c.Email, nil
	case sub.email != "":
		return sub.email, nil
	case sub.orderID != "":
		o, err := sub.orderOf(ctx)
		if err != nil {
			return "", err
		}
		return o.Email, nil
	}
	return "", nil
}

// localeOf is the customer's locale, else the event's (a guest's checkout
// locale), else "en".
func (sub *subject) localeOf(ctx context.Context) (string, error) {
	c, err := sub.customer(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case c != nil && c.Locale != "":
		return strings.ToLower(c.Locale), nil
	case sub.locale != "":
		return sub.locale, nil
	}
	return "en", nil
}

// customerTotals reads the customer's orders that are not canceled: all of
// them, or for an order event, those placed up to and including its order.
func (sub *subject) customerTotals(ctx context.Context, customerID string) (orders.CustomerTotals, error) {
	if sub.totals == nil {
		if sub.s.orders == nil {
			return orders.CustomerTotals{}, failuref("order facts are not available")
		}
		t, err := sub.s.orders.CustomerTotals(ctx, customerID, sub.orderID)
		if err != nil {
			return orders.CustomerTotals{}, err
		}
		sub.totals = &t
	}
	return *sub.totals, nil
}

// fact reads the value of a condition field (o is the condition's operand:
// a Money field is read in its currency). A fact that does not exist for
// this event (a guest's order count) is a failure, whose message is the
// reason the condition does not hold.
func (sub *subject) fact(ctx context.Context, field string, o operand) (value, error) {
	if strings.HasPrefix(field, "customer.") && field != "customer.locale" {
		c, err := sub.customer(ctx)
		if err != nil {
			return value{}, err
		}
		if c == nil {
			return value{}, failuref("%s: the event has no customer account", field)
		}
		switch field {
		case "customer.order_count":
			t, err := sub.customerTotals(ctx, c.ID)
			return value{n: t.OrderCount}, err
		case "customer.total_spent":
			t, err := sub.customerTotals(ctx, c.ID)
			return value{m: amountIn(t.Spent, o.m.Currency)}, err
		case "customer.group_ids":
			ids, err := sub.s.customers.GroupIDs(ctx, c.ID)
			return value{ss: ids}, err
		}
	}
	if field == "customer.locale" {
		l, err := sub.localeOf(ctx)
		return value{s: l}, err
	}
	ord, err := sub.orderOf(ctx)
	if err != nil {
		return value{}, err
	}
	switch field {
	case "order.total":
		return value{m: ord.Total}, nil
	case "order.product_ids":
		var ids []string
		for _, it := range ord.Items {
			ids = append(ids, it.ProductID)
		}
		return value{ss: ids}, nil
	case "order.category_ids":
		return sub.categories(ctx, ord)
	}
	return value{}, errors.New("automations: unknown field " + field)
}

// categories are the categories of the products the order's lines are of.
func (sub *subject) categories(ctx context.Context, ord *orders.Order) (value, error) {
	if sub.s.catalog == nil {
		return value{}, failuref("order.category_ids: the catalog is not available")
	}
	variants := make([]string, len(ord.Items))
	for i, it := range ord.Items {
		variants[i] = it.VariantID
	}
	ps, err := sub.s.catalog.Purchasables(ctx, variants, ord.Currency)
	if err != nil {
		return value{}, err
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range variants {
		for _, c := range ps[v].CategoryIDs {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return value{ss: out}, nil
}

// amountIn is the amount in currency from a per-currency list (zero when absent).
func amountIn(list []money.Amount, currency string) money.Amount {
	for _, a := range list {
		if a.Currency == currency {
			return a
		}
	}
	return money.Zero(currency)
}

// conditionsHold judges every condition, in order, and says why the first
// that does not hold does not.
func (sub *subject) conditionsHold(ctx context.Context, conds []Condition) (bool, string, error) {
	for _, c := range conds {
		spec, ok := fields[c.Field]
		if !ok {
			return false, "unknown condition field " + c.Field, nil
		}
		o, problem := parseOperand(spec, c.Op, c.Value)
		if problem != "" {
			return false, c.Field + ": the value " + problem, nil
		}
		v, err := sub.fact(ctx, c.Field, o)
		if reason, ok := failureOf(err); ok {
			return false, reason, nil
		}
		if err != nil {
			return false, "", err
		}
		if ok, reason := holds(c.Field, spec, c.Op, o, v); !ok {
			return false, reason, nil
		}
	}
	return true, "", nil
}
