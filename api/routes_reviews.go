package api

import (
	"context"
	"strings"
	"unicode/utf8"

	"storekeep/api/admin"
	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/reviews"
)

// registerReviews wires reviews (built before the catalog, which shows
// ratings) to the orders and customers domains and to its routes.
func registerReviews(r *web.Router, rev *reviews.Service, cat *catalog.Service, ord *orders.Service, cus *customers.Service) {
	rev.SetOrders(reviewOrders{ord: ord, cus: cus})
	store.RegisterReviews(r, store.Reviews{Svc: rev, Catalog: cat})
	admin.RegisterReviews(r, admin.Reviews{Svc: rev})
}

// reviewOrders is the orders and customers domains as reviews.Orders.
type reviewOrders struct {
	ord *orders.Service
	cus *customers.Service
}

func (a reviewOrders) Delivered(ctx context.Context, actor auth.Actor, orderID string) (map[string]reviews.DeliveredLine, map[string]bool, error) {
	o, err := a.ord.CustomerOrder(ctx, actor, orderID)
	if err != nil {
		return nil, nil, err
	}
	ordered := make(map[string]reviews.DeliveredLine, len(o.Items))
	for _, it := range o.Items {
		ordered[it.VariantID] = reviews.DeliveredLine{VariantID: it.VariantID, ProductID: it.ProductID}
	}
	fs, err := a.ord.Fulfillments(ctx, fulfilmentReader, orderID)
	if err != nil {
		return nil, nil, err
	}
	delivered := map[string]bool{}
	for _, f := range fs {
		if f.Status != "delivered" {
			continue
		}
		for _, l := range f.Items {
			delivered[l.VariantID] = true
		}
	}
	return ordered, delivered, nil
}

// AuthorName is the first name and the last name's initial ("Camille D.").
func (a reviewOrders) AuthorName(ctx context.Context, customerID string) string {
	c, err := a.cus.Get(ctx, customerID)
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(c.FirstName)
	if r, _ := utf8.DecodeRuneInString(strings.TrimSpace(c.LastName)); r != utf8.RuneError {
		name = strings.TrimSpace(name + " " + string(r) + ".")
	}
	return name
}
