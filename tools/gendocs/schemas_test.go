package main

import (
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// contract loads the committed openapi.yaml (CI fails when it is stale, so
// it is what the annotations generate).
func contract(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestAlwaysSentFieldsAreRequired pins the required lists of the schemas
// every client decodes: generated clients make a field that is not required
// a pointer (Go) or possibly undefined (TypeScript).
func TestAlwaysSentFieldsAreRequired(t *testing.T) {
	doc := contract(t)
	want := map[string][]string{
		"Money":         {"amount", "currency"},
		"Problem":       {"code", "detail", "instance", "request_id", "status", "title", "type"},
		"FieldError":    {"field", "message"},
		"TokenPair":     {"access_token", "expires_in", "refresh_token", "token_type"},
		"CustomerAuth":  {"access_token", "customer", "expires_in", "refresh_token", "token_type"},
		"StaffAuth":     {"access_token", "expires_in", "refresh_token", "staff", "token_type"},
		"Customer":      {"created_at", "email", "first_name", "id", "last_name"},
		"StaffUser":     {"created_at", "email", "id", "role"},
		"APIKey":        {"created_at", "created_by", "expires_at", "id", "last_used_at", "name", "prefix", "revoked_at", "role"},
		"CreatedAPIKey": {"created_at", "created_by", "expires_at", "id", "last_used_at", "name", "prefix", "revoked_at", "role", "secret"},
	}
	for name, fields := range want {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		got := slices.Sorted(slices.Values(s.Value.Required))
		if d := cmp.Diff(fields, got); d != "" {
			t.Errorf("%s.required (-want +got):\n%s", name, d)
		}
	}
	// Problem.errors is sent only with field errors: optional.
	if slices.Contains(doc.Components.Schemas["Problem"].Value.Required, "errors") {
		t.Error("Problem.errors is required, but only validation problems carry it")
	}
	// An amount is an int64 of minor units, never a float or a 32-bit int.
	amount := doc.Components.Schemas["Money"].Value.Properties["amount"].Value
	if !amount.Type.Is("integer") || amount.Format != "int64" {
		t.Errorf("Money.amount is %v/%q, want integer/int64", amount.Type, amount.Format)
	}
}
