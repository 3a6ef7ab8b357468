package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"

	storekeep "storekeep/clients/go"
)

// manage runs the staff journey on the shopper's order: staff login, fulfil
// every line (which captures the payment), ship, refund a third.
func manage(ctx context.Context, cfg config, bought purchase, chk *checker, out io.Writer) error {
	guest, err := storekeep.NewClientWithResponses(cfg.baseURL)
	if err != nil {
		return err
	}
	var login storekeep.LoginRequest
	setString(&login.Email, cfg.adminEmail)
	login.Password = cfg.adminPassword
	auth, err := guest.LoginStaffWithResponse(ctx, login)
	if err := expect("staff login", auth, err, http.StatusOK); err != nil {
		return err
	}
	if auth.JSON200 == nil || auth.JSON200.AccessToken == "" {
		return noBody("staff login")
	}
	staff, err := storekeep.NewClientWithResponses(cfg.baseURL,
		storekeep.WithRequestEditorFn(storekeep.BearerToken(auth.JSON200.AccessToken)))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "staff login: %s\n", cfg.adminEmail)
	order := bought.order

	// Fulfil every line from the default warehouse.
	in := storekeep.FulfillmentInput{}
	for _, it := range order.Items {
		in.Items = append(in.Items, storekeep.FulfillmentItemInput{ItemID: it.ID, Quantity: it.Quantity})
	}
	fkey := "journey-fulfil-" + rand.Text()
	ful, err := staff.CreateFulfillmentWithResponse(ctx, order.ID, &storekeep.CreateFulfillmentParams{IdempotencyKey: &fkey}, in)
	if err := expect("fulfil", ful, err, http.StatusCreated); err != nil {
		return err
	}
	if ful.JSON201 == nil {
		return noBody("fulfil")
	}
	shipped, err := staff.ShipFulfillmentWithResponse(ctx, order.ID, ful.JSON201.ID,
		storekeep.ShipFulfillmentInput{Carrier: "colissimo", TrackingNumber: "6A" + rand.Text()[:11]})
	if err := expect("ship", shipped, err, http.StatusOK); err != nil {
		return err
	}
	if shipped.JSON200 == nil {
		return noBody("ship")
	}
	chk.that(shipped.JSON200.Status == storekeep.FulfillmentStatusShipped, "fulfillment status %s, want shipped", shipped.JSON200.Status)

	after, err := getOrder(ctx, staff, order.ID)
	if err != nil {
		return err
	}
	chk.that(after.FulfillmentStatus == storekeep.OrderFulfillmentStatusShipped, "order fulfillment status %s, want shipped", after.FulfillmentStatus)
	chk.that(after.PaymentStatus == storekeep.OrderPaymentStatusCaptured, "payment status %s after full fulfilment, want captured", after.PaymentStatus)
	fmt.Fprintf(out, "fulfilled and shipped %s (tracking %s): %s, payment %s\n", order.Number,
		shipped.JSON200.TrackingNumber, after.FulfillmentStatus, after.PaymentStatus)

	// Refund a third of the total.
	total := chk.minor("order total", after.Total)
	part := total / 3
	rkey := "journey-refund-" + rand.Text()
	amount := newMoney(part, after.Currency)
	ref, err := staff.CreateRefundWithResponse(ctx, order.ID, &storekeep.CreateRefundParams{IdempotencyKey: rkey},
		storekeep.RefundInput{Amount: amount, Reason: "one bottle arrived damaged"})
	if err := expect("refund", ref, err, http.StatusCreated); err != nil {
		return err
	}
	if ref.JSON201 == nil {
		return noBody("refund")
	}
	chk.equal("refund amount", chk.minor("refund amount", ref.JSON201.Amount), part)
	chk.that(ref.JSON201.OrderID == order.ID, "refund is for order %s, want %s", ref.JSON201.OrderID, order.ID)

	refunded, err := getOrder(ctx, staff, order.ID)
	if err != nil {
		return err
	}
	chk.that(refunded.PaymentStatus == storekeep.OrderPaymentStatusPartiallyRefunded, "payment status %s after a partial refund, want partially_refunded", refunded.PaymentStatus)
	chk.equal("order total unchanged by the refund", chk.minor("order total", refunded.Total), total)
	list, err := staff.ListRefundsWithResponse(ctx, order.ID)
	if err := expect("list refunds", list, err, http.StatusOK); err != nil {
		return err
	}
	if list.JSON200 == nil {
		return noBody("list refunds")
	}
	sum := 0
	for _, r := range list.JSON200.Data {
		sum += chk.minor("refund", r.Amount)
	}
	chk.equal("order's refunds add up to the refund", sum, part)
	fmt.Fprintf(out, "refunded %s of %s: payment %s, %d refund(s) on the order\n",
		show(amount), show(refunded.Total), refunded.PaymentStatus, len(list.JSON200.Data))
	return nil
}

// getOrder reads an order as staff.
func getOrder(ctx context.Context, staff *storekeep.ClientWithResponses, id string) (storekeep.Order, error) {
	res, err := staff.GetOrderWithResponse(ctx, id)
	if err := expect("get order", res, err, http.StatusOK); err != nil {
		return storekeep.Order{}, err
	}
	if res.JSON200 == nil {
		return storekeep.Order{}, noBody("get order")
	}
	return *res.JSON200, nil
}
