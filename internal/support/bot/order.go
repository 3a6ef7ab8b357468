package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"storekeep/internal/orders"
	"storekeep/internal/support"
)

const (
	// recentOrders is how many of a customer's newest orders the bot looks at.
	recentOrders = 20
	// recentWindow makes a finished order still "recent" enough to ask
	// which one is meant.
	recentWindow = 7 * 24 * time.Hour
	// maxChoices bounds the numbers listed with "which order?".
	maxChoices = 5
)

// orderStatus answers "where is my order". Privacy is in the reads: a
// signed-in customer's lookups carry their id, a guest's the order number
// and e-mail together, so an order that is not theirs is answered exactly
// like one that does not exist. Order facts never go through the model.
func (b *Bot) orderStatus(ctx context.Context, tn *turn, number, email string) (reply, error) {
	tn.st.Pending, tn.st.Choices = "", nil
	if tn.CustomerID == "" {
		return b.guestOrder(ctx, tn, number, email)
	}
	o := b.deps.Orders
	if number != "" {
		f, err := o.CustomerFactsByNumber(ctx, tn.CustomerID, number)
		if errors.Is(err, orders.ErrOrderNotFound) {
			return reply{Text: say(tn.lang, msgNoSuchOrder, number), Intent: IntentOrderStatus}, nil
		}
		if err != nil {
			return reply{}, err
		}
		return orderReply(tn.lang, f), nil
	}
	if tn.OrderID != "" {
		f, err := o.CustomerFactsByID(ctx, tn.CustomerID, tn.OrderID)
		if err == nil {
			return orderReply(tn.lang, f), nil
		}
		if !errors.Is(err, orders.ErrOrderNotFound) {
			return reply{}, err
		}
	}
	list, err := o.CustomerFacts(ctx, tn.CustomerID, recentOrders)
	if err != nil {
		return reply{}, err
	}
	if len(list) == 0 {
		return reply{Text: say(tn.lang, msgNoOrders), Intent: IntentOrderStatus}, nil
	}
	active := b.active(list)
	switch {
	case len(active) == 1:
		return orderReply(tn.lang, active[0]), nil
	case len(active) > 1:
		for _, f := range active[:min(len(active), maxChoices)] {
			tn.st.Choices = append(tn.st.Choices, f.Number)
		}
		tn.st.Pending = pendingOrderChoice
		return reply{Text: say(tn.lang, msgWhichOrder, strings.Join(tn.st.Choices, ", ")),
			Intent: IntentOrderStatus}, nil
	}
	return orderReply(tn.lang, list[0]), nil
}

// active keeps the orders a "where is my order" may be about: still on
// their way (not delivered, returned or canceled), or placed within the
// recent window.
func (b *Bot) active(list []orders.Facts) []orders.Facts {
	var out []orders.Facts
	cutoff := b.now().Add(-recentWindow)
	for _, f := range list {
		if f.Status == orders.StatusCanceled {
			continue
		}
		open := f.Status != orders.StatusCompleted && f.FulfillmentStatus != orders.FulfillmentDelivered &&
			f.FulfillmentStatus != orders.FulfillmentReturned
		if open || f.CreatedAt.After(cutoff) {
			out = append(out, f)
		}
	}
	return out
}

// guestOrder collects the order number and the order's e-mail over as many
// turns as it takes (Turn.Email counts as given), then looks them up
// together.
func (b *Bot) guestOrder(ctx context.Context, tn *turn, number, email string) (reply, error) {
	number = first(number, tn.st.Number)
	email = first(email, tn.st.Email, tn.Email)
	if number == "" && tn.OrderID != "" && email != "" {
		f, err := b.deps.Orders.GuestFactsByID(ctx, tn.OrderID, email)
		if err == nil {
			tn.st.Number, tn.st.Email = "", ""
			return orderReply(tn.lang, f), nil
		}
		if !errors.Is(err, orders.ErrOrderNotFound) {
			return reply{}, err
		}
	}
	if number == "" {
		tn.st.Pending, tn.st.Email = pendingOrderNumber, first(email, tn.st.Email)
		return reply{Text: say(tn.lang, msgAskNumber), Intent: IntentOrderStatus}, nil
	}
	if email == "" {
		tn.st.Pending, tn.st.Number = pendingOrderEmail, number
		return reply{Text: say(tn.lang, msgAskEmail, number), Intent: IntentOrderStatus}, nil
	}
	tn.st.Number, tn.st.Email = "", ""
	f, err := b.deps.Orders.GuestFactsByNumber(ctx, number, email)
	if errors.Is(err, orders.ErrOrderNotFound) {
		return reply{Text: say(tn.lang, msgGuestNotFound), Intent: IntentOrderStatus}, nil
	}
	if err != nil {
		return reply{}, err
	}
	return orderReply(tn.lang, f), nil
}

// pendingOrder takes the answer to the bot's last order question: a number
// from the offered list, or the guest's missing number or e-mail. Anything
// else drops the question and the message is read on its own.
func (b *Bot) pendingOrder(ctx context.Context, tn *turn) (reply, bool, error) {
	switch tn.st.Pending {
	case pendingOrderChoice:
		n := bareNumber(tn.Text)
		if n == "" {
			n = ordinalChoice(newMsg(tn.Text), tn.st.Choices)
		}
		if n != "" {
			r, err := b.orderStatus(ctx, tn, n, "")
			return r, true, err
		}
	case pendingOrderNumber, pendingOrderEmail:
		n, e := bareNumber(tn.Text), tn.c.Email
		if e != "" {
			// An e-mail's digits are not an order number.
			n = bareNumber(strings.Replace(tn.Text, e, "", 1))
		}
		if n != "" || e != "" {
			r, err := b.orderStatus(ctx, tn, n, e)
			return r, true, err
		}
	}
	tn.st.Pending, tn.st.Choices, tn.st.Number, tn.st.Email = "", nil, "", ""
	return reply{}, false, nil
}

// ordinalChoice reads "the first one", "la deuxième" as one of the offered
// numbers, in the order they were listed (newest first, so "the last one",
// "la dernière", "the latest" mean the newest, as customers use them).
func ordinalChoice(m msg, choices []string) string {
	for _, w := range m.words {
		if i, ok := ordinals[w]; ok && i < len(choices) {
			return choices[i]
		}
	}
	return ""
}

// ordinals are folded ordinal words and their place in the offered list.
var ordinals = map[string]int{
	"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": 0, "latest": 0, "newest": 0,
	"premier": 0, "premiere": 0, "deuxieme": 1, "seconde": 1, "troisieme": 2, "quatrieme": 3,
	"cinquieme": 4, "derniere": 0, "dernier": 0,
}

// orderReply is the answer about one order: text and card from the facts.
func orderReply(lang string, f orders.Facts) reply {
	card := &support.OrderCard{ID: f.ID, Number: f.Number, Status: f.Status,
		FulfillmentStatus: f.FulfillmentStatus, Tracking: []support.Tracking{}}
	var tracks []string
	for _, s := range f.Shipments {
		if s.TrackingNumber == "" {
			continue
		}
		card.Tracking = append(card.Tracking, support.Tracking{Carrier: s.Carrier, Number: s.TrackingNumber})
		tracks = append(tracks, say(lang, msgTracking, s.Carrier, s.TrackingNumber))
	}
	text := say(lang, msgOrderStatus, f.Number, label(lang, f.Status), label(lang, f.FulfillmentStatus))
	if len(tracks) > 0 {
		text += " " + strings.Join(tracks, "; ") + "."
	} else {
		text += " " + say(lang, msgNoTracking)
	}
	return reply{Text: text, Order: card, Intent: IntentOrderStatus}
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
