package checkout_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/checkout"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

func createRegion(t *testing.T, svc *checkout.Service, name, currency string, countries ...string) checkout.Region {
	t.Helper()
	r, err := svc.CreateRegion(t.Context(), pricingAdmin, checkout.RegionInput{Name: name, Currency: currency,
		CountryCodes: countries, TaxRate: 2000, TaxInclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRegionFor(t *testing.T) {
	t.Parallel()
	svc, _ := newPricing(t)
	eu := createRegion(t, svc, "Europe", "EUR", "fr", "DE")
	createRegion(t, svc, "United Kingdom", "GBP", "GB")
	createRegion(t, svc, "Benelux", "EUR", "BE", "NL")
	tests := []struct {
		name, currency, country string
		want                    string // region name, or "" for region_unavailable
	}{
		{"country in the region", "EUR", "FR", "Europe"},
		{"lower-case country", "EUR", "de", "Europe"},
		{"another region in the same currency", "EUR", "BE", "Benelux"},
		{"no country picks the oldest region in the currency", "EUR", "", "Europe"},
		{"country served in another currency", "EUR", "GB", ""},
		{"country nobody serves", "EUR", "US", ""},
		{"currency nobody sells in", "USD", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := svc.RegionFor(t.Context(), tt.currency, tt.country)
			if tt.want == "" {
				e, ok := errs.As(err)
				if !ok || e.Code != "region_unavailable" || e.Kind != errs.Unprocessable {
					t.Fatalf("RegionFor = %+v, %v; want region_unavailable", r, err)
				}
				return
			}
			if err != nil || r.Name != tt.want {
				t.Fatalf("RegionFor = %q, %v; want %q", r.Name, err, tt.want)
			}
		})
	}
	if r, _ := svc.RegionFor(t.Context(), "EUR", "FR"); !cmp.Equal(r.CountryCodes, []string{"DE", "FR"}) || r.ID != eu.ID {
		t.Errorf("region = %+v", r)
	}
}

func TestRegionCountriesAreExclusive(t *testing.T) {
	t.Parallel()
	svc, _ := newPricing(t)
	eu := createRegion(t, svc, "Europe", "EUR", "FR", "DE")
	ctx := t.Context()
	_, err := svc.CreateRegion(ctx, pricingAdmin, checkout.RegionInput{Name: "France", Currency: "EUR", CountryCodes: []string{"FR"}})
	if e, ok := errs.As(err); !ok || e.Code != "country_in_use" || !strings.Contains(e.Message, eu.ID) {
		t.Fatalf("second region with FR = %v, want country_in_use naming %s", err, eu.ID)
	}
	// Moving FR out of Europe frees it.
	if _, err := svc.UpdateRegion(ctx, pricingAdmin, eu.ID, checkout.RegionPatch{CountryCodes: []string{"DE"}}); err != nil {
		t.Fatal(err)
	}
	fr := createRegion(t, svc, "France", "EUR", "FR")
	if r, err := svc.RegionFor(ctx, "EUR", "FR"); err != nil || r.ID != fr.ID {
		t.Fatalf("RegionFor FR = %+v, %v", r, err)
	}
}

func TestDeleteRegion(t *testing.T) {
	t.Parallel()
	svc, _ := newPricing(t)
	ctx := t.Context()
	eu := createRegion(t, svc, "Europe", "EUR", "FR")
	amt := money.Amount{Minor: 500, Currency: "EUR"}
	if _, err := svc.CreateShippingOption(ctx, pricingAdmin, checkout.ShippingOptionInput{RegionID: eu.ID,
		Name: "Post", Type: "flat", Amount: &amt}); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteRegion(ctx, pricingAdmin, eu.ID); !errors.Is(err, checkout.ErrRegionInUse) {
		t.Fatalf("delete region with an option = %v, want region_in_use", err)
	}
	uk := createRegion(t, svc, "UK", "GBP", "GB")
	if err := svc.DeleteRegion(ctx, pricingAdmin, uk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Region(ctx, uk.ID); !errors.Is(err, checkout.ErrRegionNotFound) {
		t.Fatalf("deleted region read = %v", err)
	}
	// Its country is free again.
	createRegion(t, svc, "Britain", "GBP", "GB")
}

func TestShippingOptionsFor(t *testing.T) {
	t.Parallel()
	svc, _ := newPricing(t)
	ctx := t.Context()
	eu := createRegion(t, svc, "Europe", "EUR", "FR")
	amt := money.Amount{Minor: 500, Currency: "EUR"}
	var ids []string
	for _, name := range []string{"A", "B", "C"} {
		o, err := svc.CreateShippingOption(ctx, pricingAdmin, checkout.ShippingOptionInput{RegionID: eu.ID,
			Name: name, Type: "flat", Amount: &amt})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	if err := svc.DeactivateShippingOption(ctx, pricingAdmin, ids[1]); err != nil {
		t.Fatal(err)
	}
	opts, err := svc.ShippingOptionsFor(ctx, eu.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range opts {
		got = append(got, o.ID)
	}
	if d := cmp.Diff([]string{ids[0], ids[2]}, got); d != "" {
		t.Fatalf("active options (-want +got)\n%s", d)
	}
	o, err := svc.ShippingOption(ctx, ids[1])
	if err != nil || o.Active {
		t.Fatalf("deactivated option = %+v, %v", o, err)
	}
	if _, err := svc.ShippingOption(ctx, "so_nope"); !errors.Is(err, checkout.ErrShippingOptionNotFound) {
		t.Fatalf("malformed id = %v", err)
	}
}
