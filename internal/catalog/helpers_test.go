package catalog

import (
	"testing"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/dbtest"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

var (
	admin   = auth.Actor{Kind: auth.Staff, ID: "stf_test", Role: auth.RoleAdmin}
	manager = auth.Actor{Kind: auth.Staff, ID: "stf_mgr", Role: auth.RoleManager}
	support = auth.Actor{Kind: auth.Staff, ID: "stf_sup", Role: auth.RoleSupport}
)

func newService(t *testing.T) *Service {
	t.Helper()
	return NewService(dbtest.New(t))
}

func eur(n int64) money.Amount { return money.Amount{Minor: n, Currency: "EUR"} }
func usd(n int64) money.Amount { return money.Amount{Minor: n, Currency: "USD"} }

// simpleProduct is a valid published product with one variant.
func simpleProduct(title, sku string, prices ...money.Amount) ProductInput {
	if len(prices) == 0 {
		prices = []money.Amount{eur(1000)}
	}
	return ProductInput{
		Title: title, Status: "published",
		Variants: []VariantInput{{SKU: sku, Prices: prices}},
	}
}

func mustCreate(t *testing.T, s *Service, in ProductInput) Product {
	t.Helper()
	p, err := s.CreateProduct(t.Context(), admin, in)
	if err != nil {
		t.Fatalf("CreateProduct(%q): %v", in.Title, err)
	}
	return p
}

func pr(limit int) page.Request { return page.Request{Limit: limit} }

type authActor = auth.Actor

var customer = auth.Actor{Kind: auth.Customer, ID: "cus_test"}

var errValidation = errs.ErrValidation
