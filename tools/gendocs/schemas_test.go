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
		"Customer":      {"created_at", "email", "first_name", "id", "last_name", "locale"},
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

// TestContractKeepsSchemaRules runs the generation-time checks on the
// committed contract.
func TestContractKeepsSchemaRules(t *testing.T) {
	if problems := checkSchemas(contract(t)); len(problems) > 0 {
		t.Errorf("openapi.yaml breaks the schema rules:\n%s", strings.Join(problems, "\n"))
	}
}

// TestTimestampsAreDateTime checks the rule catches what swag writes for a
// time.Time without a format tag: a bare string.
func TestTimestampsAreDateTime(t *testing.T) {
	doc := docWith(t, `
Thing:
  type: object
  required: [ends_at]
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

// TestLooseSchemasAreRefused checks the rules that keep generated types
// exact: no free-form object, no number without a format, no nullable
// property that may also be missing.
func TestLooseSchemasAreRefused(t *testing.T) {
	doc := docWith(t, `
Thing:
  type: object
  required: [cursor]
  properties:
    attributes: {type: object, additionalProperties: {}}
    data: {type: object}
    options: {type: object, additionalProperties: {type: string}}
    alpha: {type: number}
    ratio: {type: number, format: double}
    cursor: {type: string, nullable: true}
    expires_at: {type: string, format: date-time, nullable: true}
OrderEventData:
  type: object
  properties:
    return_id: {type: string, nullable: true}
`)
	want := []string{
		`Thing.alpha: a number without a format (add format:"double" to a float64 field's tag)`,
		"Thing.attributes: a free-form object: give its values a schema (see freeform.go)",
		"Thing.data: a free-form object: give its values a schema (see freeform.go)",
		`Thing.expires_at: nullable but not required (a Go pointer without omitempty is always sent: add binding:"required")`,
	}
	if d := cmp.Diff(want, checkSchemas(doc)); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

// TestEnumVarNames checks every enum gets one generator name per value,
// prefixed by its owner's type name, and that the check catches enums
// without names or with a name another enum has.
func TestEnumVarNames(t *testing.T) {
	doc := docWith(t, `
Kind:
  type: string
  enum: [adjustment, transfer_out]
  x-enum-varnames: [KindAdjustment, KindTransferOut]
  x-enum-comments: {KindAdjustment: manual}
Cart:
  type: object
  properties:
    status: {type: string, enum: [open, free_shipping]}
    clear:
      type: array
      items: {type: string, enum: [starts_at]}
    kind:
      allOf: [{$ref: '#/components/schemas/Kind'}]
`)
	if d := cmp.Diff([]string{
		"Cart.clear[]: 1 enum values but 0 x-enum-varnames",
		"Cart.status: 2 enum values but 0 x-enum-varnames",
	}, checkSchemas(doc)); d != "" {
		t.Errorf("problems before naming (-want +got):\n%s", d)
	}
	enumVarNames(doc)
	s := doc.Components.Schemas
	for _, tt := range []struct {
		name   string
		schema *openapi3.Schema
		want   []string
	}{
		{"component", s["Kind"].Value, []string{"KindAdjustment", "KindTransferOut"}},
		{"property", s["Cart"].Value.Properties["status"].Value, []string{"CartStatusOpen", "CartStatusFreeShipping"}},
		{"array items", s["Cart"].Value.Properties["clear"].Value.Items.Value, []string{"CartClearStartsAt"}},
	} {
		if d := cmp.Diff(tt.want, stringList(tt.schema.Extensions[extEnumVarNames])); d != "" {
			t.Errorf("%s: x-enum-varnames (-want +got):\n%s", tt.name, d)
		}
	}
	if _, ok := s["Kind"].Value.Extensions["x-enum-comments"]; ok {
		t.Error("x-enum-comments keyed by Go constant names survived")
	}
	if problems := checkSchemas(doc); len(problems) > 0 {
		t.Errorf("named enums still break the rules: %q", problems)
	}
	s["Cart"].Value.Properties["status"].Value.Extensions[extEnumVarNames] = []string{"KindAdjustment", "CartStatusFreeShipping"}
	if d := cmp.Diff([]string{"Kind: x-enum-varname KindAdjustment is also used by Cart.status"}, checkSchemas(doc)); d != "" {
		t.Errorf("duplicate name (-want +got):\n%s", d)
	}
}

// TestParameterEnumVarNames checks a parameter's enum is named after the
// operation, as generators name its type (ListOrdersParamsStatus).
func TestParameterEnumVarNames(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [pending, price_asc]}}
      responses: {'200': {description: ok}}
`))
	if err != nil {
		t.Fatal(err)
	}
	enumVarNames(doc)
	got := doc.Paths.Value("/orders").Get.Parameters[0].Value.Schema.Value.Extensions[extEnumVarNames]
	if d := cmp.Diff([]string{"ListOrdersParamsStatusPending", "ListOrdersParamsStatusPriceAsc"}, got); d != "" {
		t.Errorf("x-enum-varnames (-want +got):\n%s", d)
	}
}

// TestSignInEmailsAreEmails checks sign-up and sign-in agree on the e-mail's
// format, so generated clients give both the same type.
func TestSignInEmailsAreEmails(t *testing.T) {
	doc := contract(t)
	for _, name := range []string{"LoginRequest", "RegisterRequest"} {
		if f := doc.Components.Schemas[name].Value.Properties["email"].Value.Format; f != "email" {
			t.Errorf("%s.email has format %q, want email", name, f)
		}
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
