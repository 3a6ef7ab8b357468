package api

import (
	"context"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
	"storekeep/internal/staff"
	"storekeep/internal/support"
	"storekeep/internal/support/bot"
)

// SupportOptions configures the support chat.
type SupportOptions struct {
	// Limits are the customer-side rate limits per window: in each field 0
	// means the default (support.DefaultLimits) and a negative value off.
	Limits support.Limits
	// BotLLM is the bot's optional model (off when its URL is empty).
	BotLLM bot.LLMConfig
	// DisableBot sends every new conversation straight to a person. The
	// bot answers first unless it is set (tests that are about agents set it).
	DisableBot bool
}

// supportLimits resolves SupportOptions.Limits against the defaults.
func supportLimits(o support.Limits) support.Limits {
	pick := func(v, def int) int {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	d := support.DefaultLimits
	return support.Limits{ConversationsPerIP: pick(o.ConversationsPerIP, d.ConversationsPerIP),
		MessagesPerConversation: pick(o.MessagesPerConversation, d.MessagesPerConversation),
		MessagesPerIP:           pick(o.MessagesPerIP, d.MessagesPerIP)}
}

// registerSupport wires the support chat to the store and admin routes. The
// orders, customers and staff domains reach it through small adapters, so
// internal/support imports none of them. The returned service is where the
// bot (SetResponder) and the realtime hub (SetPublisher) plug in.
func registerSupport(r *web.Router, opts Options, cus *customers.Service, ord *orders.Service) *support.Service {
	limits := supportLimits(opts.Support.Limits)
	svc := support.NewService(opts.DB, support.WithLogger(opts.Log), support.WithClock(opts.Now),
		support.WithOrders(supportOrders{ord}), support.WithCustomers(supportCustomers{cus}),
		// Reading a staff user needs neither sessions nor a limiter.
		support.WithStaff(supportStaff{staff.NewService(opts.DB, nil, nil, opts.Now)}),
		support.WithLimits(auth.NewLimiter(opts.DB, auth.DefaultWindow, opts.Now), limits))
	if !opts.Support.DisableBot {
		svc.SetResponder(bot.NewFromDB(opts.DB, bot.WithLogger(opts.Log), bot.WithClock(opts.Now), bot.WithLLM(opts.Support.BotLLM)))
	}
	store.RegisterSupport(r, store.Support{Svc: svc})
	admin.RegisterSupport(r, admin.Support{Svc: svc, Now: opts.Now})
	return svc
}

// supportOrders is the orders domain as support.Orders.
type supportOrders struct{ ord *orders.Service }

func (a supportOrders) SupportOrder(ctx context.Context, orderID string) (support.OrderRef, error) {
	o, err := a.ord.ByID(ctx, orderID)
	if err != nil {
		return support.OrderRef{}, err
	}
	return orderRef(o), nil
}

func (a supportOrders) RecentOrders(ctx context.Context, customerID string, n int) ([]support.OrderRef, error) {
	// The customer's own orders, read as that customer would read them.
	l, err := a.ord.CustomerOrders(ctx, auth.Actor{Kind: auth.Customer, ID: customerID}, page.Request{Limit: n})
	if err != nil {
		return nil, err
	}
	out := make([]support.OrderRef, len(l.Data))
	for i, o := range l.Data {
		out[i] = orderRef(o)
	}
	return out, nil
}

func orderRef(o orders.Order) support.OrderRef {
	r := support.OrderRef{ID: o.ID, Number: o.Number, Status: o.Status, FulfillmentStatus: o.FulfillmentStatus,
		Total: o.Total, CreatedAt: o.CreatedAt, Email: o.Email}
	if o.CustomerID != nil {
		r.CustomerID = *o.CustomerID
	}
	return r
}

// supportCustomers is the customers domain as support.Customers.
type supportCustomers struct{ cus *customers.Service }

func (a supportCustomers) SupportCustomer(ctx context.Context, customerID string) (support.CustomerRef, error) {
	c, err := a.cus.Get(ctx, customerID)
	if err != nil {
		return support.CustomerRef{}, err
	}
	return support.CustomerRef{ID: c.ID, Email: c.Email, FirstName: c.FirstName, LastName: c.LastName,
		CreatedAt: c.CreatedAt}, nil
}

// supportStaff is the staff directory as support.Staff: a disabled user
// counts as no user.
type supportStaff struct{ stf *staff.Service }

func (a supportStaff) StaffRole(ctx context.Context, staffID string) (string, error) {
	u, err := a.stf.Get(ctx, staffID)
	if err != nil {
		return "", err
	}
	if u.DisabledAt != nil {
		return "", staff.ErrNotFound
	}
	return u.Role, nil
}
