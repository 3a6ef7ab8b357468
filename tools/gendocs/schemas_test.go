package main

import (
	"slices"
	"strings"
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

// TestTimestampsAreDateTime checks the committed contract keeps the rule and
// that the rule catches what swag writes for a time.Time without a format tag.
func TestTimestampsAreDateTime(t *testing.T) {
	if problems := checkSchemas(contract(t)); len(problems) > 0 {
		t.Errorf("openapi.yaml breaks the schema rules:\n%s", strings.Join(problems, "\n"))
	}
	doc := docWith(t, `
Thing:
  type: object
  properties:
    created_at: {type: string, example: "2025-01-31T12:00:00Z"}
    seen: {type: string, example: "2025-01-31T12:00:00Z"}
    ends_at: {type: string, format: date-time, nullable: true}
    name: {type: string, example: "2025"}
`)
	want := []string{
		`Thing.created_at: a timestamp must be type string, format date-time (add format:"date-time" to the field's tag)`,
		`Thing.seen: a timestamp must be type string, format date-time (add format:"date-time" to the field's tag)`,
	}
	if d := cmp.Diff(want, checkSchemas(doc)); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

// docWith is a minimal contract whose components/schemas are the YAML given.
func docWith(t *testing.T, schemasYAML string) *openapi3.T {
	t.Helper()
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n")
	for line := range strings.SplitSeq(strings.Trim(schemasYAML, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
