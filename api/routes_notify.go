package api

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"time"

	"storekeep/api/admin"
	"storekeep/api/web"
	"storekeep/internal/customers"
	"storekeep/internal/notify"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/support"
)

// NotifyOptions configures e-mail notifications (docs/email.md).
type NotifyOptions struct {
	// SMTPURL is STOREKEEP_SMTP_URL; empty turns e-mail off (messages are
	// recorded as not_sent).
	SMTPURL string
	// From is the sender (STOREKEEP_MAIL_FROM); its display name is the
	// shop's name in templates.
	From string
	// TLSConfig verifies the SMTP server (nil: the system's roots); tests
	// trust their own certificate with it.
	TLSConfig *tls.Config
	// RetryBackoff replaces the send job's retry delay (tests).
	RetryBackoff func(attempt int) time.Duration
	// ReplyDelay is how long an agent's reply may stay unread before it is
	// e-mailed (0: notify.DefaultReplyDelay; negative: at once).
	ReplyDelay time.Duration
}

// registerNotify wires e-mail notifications: the service (with the
// customers, orders and support domains behind small adapters), its jobs,
// its consumer on the events dispatcher and the admin routes. The returned
// service's Send is what other domains (automations) call.
func registerNotify(r *web.Router, opts Options, srv *Server, cus *customers.Service, ord *orders.Service,
	sup *support.Service) (*notify.Service, error) {
	no := []notify.Option{notify.WithLogger(opts.Log), notify.WithClock(opts.Now), notify.WithJobs(opts.Jobs),
		notify.WithFrom(opts.Notify.From), notify.WithCustomers(notifyCustomers{cus}),
		notify.WithOrders(notifyOrders{ord}), notify.WithSupport(notifySupport{sup}),
		notify.WithRetryBackoff(opts.Notify.RetryBackoff), notify.WithReplyDelay(opts.Notify.ReplyDelay)}
	if opts.Notify.SMTPURL != "" {
		cfg, err := notify.ParseSMTPURL(opts.Notify.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("smtp url: %w", err)
		}
		no = append(no, notify.WithMailer(notify.NewSMTPMailer(cfg, opts.Notify.TLSConfig)))
	}
	svc := notify.NewService(opts.DB, no...)
	notify.RegisterJobs(opts.Jobs, svc)
	srv.Events.Subscribe("notify", svc.HandleEvent)
	admin.RegisterNotifications(r, admin.Notifications{Svc: svc})
	return svc, nil
}

// notifyCustomers is the customers domain as notify.Customers: an archived
// account is not found, so its e-mails go to the address they carry.
type notifyCustomers struct{ cus *customers.Service }

func (a notifyCustomers) NotifyRecipient(ctx context.Context, customerID string) (notify.Recipient, error) {
	c, err := a.cus.Get(ctx, customerID)
	if err != nil {
		return notify.Recipient{}, err
	}
	return notify.Recipient{Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Locale: c.Locale}, nil
}

// notifyOrders is the orders domain as notify.Orders.
type notifyOrders struct{ ord *orders.Service }

// fulfilmentReader is who notify reads fulfilments as: the least staff role
// that sees them.
var fulfilmentReader = auth.Actor{Kind: auth.Staff, ID: "notify", Role: auth.RoleWarehouse}

func (a notifyOrders) NotifyOrder(ctx context.Context, orderID string) (json.RawMessage, error) {
	o, err := a.ord.ByID(ctx, orderID)
	if err != nil {
		return nil, err
	}
	return json.Marshal(o)
}

func (a notifyOrders) Shipments(ctx context.Context, orderID string) ([]notify.Shipment, error) {
	list, err := a.ord.Fulfillments(ctx, fulfilmentReader, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]notify.Shipment, len(list))
	for i, f := range list {
		s := notify.Shipment{Carrier: f.Carrier, TrackingNumber: f.TrackingNumber, Status: f.Status, ShippedAt: f.ShippedAt}
		for _, l := range f.Items {
			s.Items = append(s.Items, notify.ShipmentItem{Title: l.Title, Quantity: l.Quantity})
		}
		out[i] = s
	}
	return out, nil
}

// notifySupport is the support domain as notify.Support.
type notifySupport struct{ sup *support.Service }

// threadWindow is how many of a conversation's last messages the reply
// e-mail looks at.
const threadWindow = 100

func (a notifySupport) NotifyThread(ctx context.Context, conversationID string) (notify.Thread, error) {
	c, err := a.sup.CustomerConversation(ctx, conversationID)
	if err != nil {
		return notify.Thread{}, err
	}
	msgs, err := a.sup.StaffMessages(ctx, conversationID, max(0, c.LastSeq-threadWindow), threadWindow)
	if err != nil {
		return notify.Thread{}, err
	}
	t := notify.Thread{ID: c.ID, Subject: c.Subject, Status: c.Status, Locale: c.Locale, Email: c.Email,
		CustomerID: c.CustomerID, Unread: c.Unread}
	for _, m := range msgs {
		if !m.Internal {
			t.Recent = append(t.Recent, notify.ThreadMessage{ID: m.ID, Seq: m.Seq, Author: m.Author, Body: m.Body,
				CreatedAt: m.CreatedAt})
		}
	}
	return t, nil
}
