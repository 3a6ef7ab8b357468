package address

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
)

func valid() Address {
	return Address{FirstName: "Camille", LastName: "Martin", Line1: "12 rue de Rivoli", City: "Paris",
		PostalCode: "75001", CountryCode: "FR"}
}

func TestNormalizeAndValidate(t *testing.T) {
	a := Address{FirstName: " Camille ", LastName: "Martin", Line1: "12 rue de Rivoli ", City: "Paris",
		PostalCode: " 75001", CountryCode: "fr"}.Normalize()
	if d := cmp.Diff(valid(), a); d != "" {
		t.Fatalf("normalize (-want +got)\n%s", d)
	}
	if err := a.Validate("shipping_address."); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	a := valid()
	a.FirstName, a.City, a.CountryCode = "", "", "EU"
	err := a.Validate("shipping_address.")
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != "validation_failed" {
		t.Fatalf("err = %v, want validation_failed", err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"shipping_address.first_name", "shipping_address.city", "shipping_address.country_code"}
	if d := cmp.Diff(want, fields); d != "" {
		t.Errorf("fields (-want +got)\n%s", d)
	}
}

func TestValidCountry(t *testing.T) {
	for code, want := range map[string]bool{"FR": true, "US": true, "DE": true, "fr": false, "EU": false,
		"ZZ": false, "QO": false, "F": false, "FRA": false, "": false} {
		if got := ValidCountry(code); got != want {
			t.Errorf("ValidCountry(%q) = %v, want %v", code, got, want)
		}
	}
}
