package apitest

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// MatchSchema fails the test unless raw, a JSON document, is valid against
// the contract's component schema name (e.g. "Order"): for documents the
// server sends inside another one whose schema is a union, such as an
// event's data.
func MatchSchema(t testing.TB, name string, raw []byte) {
	t.Helper()
	specBytes(t)
	s := specDoc.Components.Schemas[name]
	if s == nil || s.Value == nil {
		t.Fatalf("openapi.yaml has no schema %s", name)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	if err := s.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("the document is not a valid %s: %v\n%s", name, err, truncate(raw))
	}
}
