package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"storekeep/internal/payments"
	"storekeep/internal/platform/money"
)

// visit validates a JSON value against schema.
func visit(schema *openapi3.Schema, raw string) error {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		panic(err)
	}
	return schema.VisitJSON(v, openapi3.MultiErrors())
}

// component returns a component schema of doc, failing the test without it.
func component(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	s := doc.Components.Schemas[name]
	if s == nil || s.Value == nil {
		t.Fatalf("openapi.yaml has no schema %s", name)
	}
	return s.Value
}

// TestAttributeValues checks the attribute value union of the committed
// contract takes exactly what catalog accepts, each value matching one member.
func TestAttributeValues(t *testing.T) {
	doc := contract(t)
	for _, name := range []string{"Product", "AdminProduct", "ProductInput", "ProductPatch"} {
		ap := doc.Components.Schemas[name].Value.Properties["attributes"].Value.AdditionalProperties.Schema
		if ap == nil || ap.Ref != "#/components/schemas/AttributeValue" {
			t.Errorf("%s.attributes values are not AttributeValue: %+v", name, ap)
		}
	}
	value := component(t, doc, "AttributeValue")
	for _, ok := range []string{`"dry"`, `""`, `3`, `2.5`, `-1e3`, `true`, `false`, `["dry","oily"]`, `[]`} {
		if err := visit(value, ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{`{}`, `null`, `["a",1]`, `[""]`, `[["a"]]`, `"` + strings.Repeat("x", 501) + `"`} {
		if visit(value, bad) == nil {
			t.Errorf("%.40s accepted", bad)
		}
	}
}

// TestPaymentWebhookBody checks the webhook body is the test provider's event
// or Stripe's, and that a body the test provider signs matches only the first.
func TestPaymentWebhookBody(t *testing.T) {
	doc := contract(t)
	body := doc.Paths.Find("/v1/webhooks/payments/{provider}").Post.RequestBody.Value.Content["application/json"].Schema.Value
	if len(body.OneOf) == 0 {
		t.Fatal("the webhook body is not a oneOf of the providers' events")
	}
	var refs []string
	for _, s := range body.OneOf {
		refs = append(refs, s.Ref)
	}
	if d := cmp.Diff([]string{"#/components/schemas/TestPaymentEvent", "#/components/schemas/StripeEvent"}, refs); d != "" {
		t.Fatalf("body oneOf (-want +got):\n%s", d)
	}
	tp := payments.NewTestProvider("secret")
	test := string(tp.WebhookBody("evt_1", payments.TestEventSucceeded, "tp_1", money.Amount{Minor: 2500, Currency: "EUR"}))
	stripe := `{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1700000000,
		"data":{"object":{"id":"pi_1","object":"payment_intent","amount":2500,"amount_received":2500,"currency":"eur"}}}`
	for _, tt := range []struct {
		name, body string
		want       []bool // matches TestPaymentEvent, StripeEvent
	}{
		{"test provider event", test, []bool{true, false}},
		{"stripe event", stripe, []bool{false, true}},
	} {
		var got []bool
		for _, s := range body.OneOf {
			got = append(got, visit(s.Value, tt.body) == nil)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s matches (-want +got):\n%s", tt.name, d)
		}
		if err := visit(body, tt.body); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestOrderEventDataKeys keeps OrderEventData and the orders service in step:
// the contract declares exactly the keys some call to record writes.
func TestOrderEventDataKeys(t *testing.T) {
	written := recordedKeys(t, "../../internal/orders")
	if len(written) < 10 {
		t.Fatalf("found only %d keys written to the timeline: the scan is broken", len(written))
	}
	declared := sortedKeys(component(t, contract(t), "OrderEventData").Properties)
	if d := cmp.Diff(written, declared); d != "" {
		t.Errorf("OrderEventData properties (-written by internal/orders +declared in openapi.yaml):\n%s", d)
	}
}

// recordedKeys lists, sorted, the string keys of the map literals passed to
// record(ctx, order, type, actor, map[string]any{...}) in dir's Go files.
func recordedKeys(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 5 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "record" {
				return true
			}
			lit, ok := call.Args[4].(*ast.CompositeLit)
			if !ok {
				t.Errorf("%s: record's data is not a map literal", fset.Position(call.Pos()))
				return true
			}
			for _, e := range lit.Elts {
				if k, ok := e.(*ast.KeyValueExpr).Key.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(k.Value)
					keys[s] = true
				}
			}
			return true
		})
	}
	return slices.Sorted(maps.Keys(keys))
}

// TestEventData checks an event's data is the union of the resources events
// carry and EventDocument, whose known keys the low-stock and support
// payloads use.
func TestEventData(t *testing.T) {
	doc := contract(t)
	data := component(t, doc, "Event").Properties["data"].Value
	var refs []string
	for _, s := range data.AnyOf {
		refs = append(refs, strings.TrimPrefix(s.Ref, "#/components/schemas/"))
	}
	if d := cmp.Diff(append(slices.Clone(eventResources), "EventDocument"), refs); d != "" {
		t.Fatalf("Event.data anyOf (-want +got):\n%s", d)
	}
	other := component(t, doc, "EventDocument")
	for _, ok := range []string{
		`{"variant_id":"var_1","warehouse_id":"wh_1","on_hand":3,"reserved":1,"available":2,"reorder_point":5,"safety_stock":1}`,
		`{"conversation_id":"conv_1","message_id":"msg_1","seq":2,"author":"agent","author_id":null,"internal":false,"customer_id":null}`,
	} {
		if err := visit(other, ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	if visit(other, `{"on_hand":"three"}`) == nil {
		t.Error("a mistyped known key was accepted")
	}
}
