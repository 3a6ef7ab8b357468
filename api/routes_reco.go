package api

import (
	"context"

	"storekeep/api/store"
	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/orders"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/page"
	"storekeep/internal/reco"
	"storekeep/internal/reviews"
)

// registerReco wires recommendations: the co-purchase consumer on the
// events dispatcher and the store routes.
func registerReco(r *web.Router, opts Options, srv *Server, cat *catalog.Service, rev *reviews.Service,
	ord *orders.Service, cus *customers.Service) *reco.Service {
	svc := reco.NewService(opts.DB, cat, recoCustomers{ord: ord, cus: cus}, opts.Log, opts.Now)
	srv.Events.Subscribe("reco", svc.HandleEvent)
	store.RegisterRecommendations(r, store.Recommendations{Svc: svc, Catalog: store.Catalog{Svc: cat, Ratings: rev}})
	return svc
}

// recoCustomers is the orders and customers domains as reco.Customers.
type recoCustomers struct {
	ord *orders.Service
	cus *customers.Service
}

// maxRecoOrders bounds the history read per request: the newest orders.
const maxRecoOrders = 200

func (a recoCustomers) Purchases(ctx context.Context, customerID string) ([]reco.Purchase, error) {
	actor := auth.Actor{Kind: auth.Customer, ID: customerID}
	var out []reco.Purchase
	pr := page.Request{Limit: page.MaxLimit}
	for read := 0; read < maxRecoOrders; {
		l, err := a.ord.CustomerOrders(ctx, actor, pr)
		if err != nil {
			return nil, err
		}
		for _, o := range l.Data {
			if o.Status == "canceled" {
				continue
			}
			for _, it := range o.Items {
				out = append(out, reco.Purchase{ProductID: it.ProductID, At: o.CreatedAt})
			}
		}
		read += len(l.Data)
		if l.NextCursor == nil {
			break
		}
		c, err := page.Parse("", *l.NextCursor)
		if err != nil {
			return nil, err
		}
		pr.Cursor = c.Cursor
	}
	return out, nil
}

func (a recoCustomers) Quiz(ctx context.Context, customerID string) (reco.Quiz, error) {
	p, err := a.cus.SkinProfile(ctx, customerID)
	if err != nil || p == nil {
		return reco.Quiz{}, err
	}
	return reco.Quiz{SkinType: p.SkinType, Concern: p.Concern}, nil
}
