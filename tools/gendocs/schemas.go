package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemas checks the rules every schema of the contract keeps, so that
// generated clients get exact types; a broken rule stops generation (polish
// cannot return an error, so this exits like main does).
func schemas(doc *openapi3.T) {
	if problems := checkSchemas(doc); len(problems) > 0 {
		fmt.Fprintln(os.Stderr, "gendocs: the contract breaks its schema rules (fix the DTO tags):")
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		os.Exit(1)
	}
}

// checkSchemas returns one line per broken rule, sorted:
//   - a timestamp (a property or parameter named *_at, or a string whose
//     example is an RFC 3339 time) is `type: string, format: date-time`
//     (swag writes time.Time as a bare string unless the field's tag says
//     format:"date-time").
func checkSchemas(doc *openapi3.T) []string {
	var out []string
	walkSchemas(doc, func(where, name string, s *openapi3.Schema) {
		if isTimestamp(name, s) && !(s.Type.Is("string") && s.Format == "date-time") {
			out = append(out, where+": a timestamp must be type string, format date-time (add format:\"date-time\" to the field's tag)")
		}
	})
	sort.Strings(out)
	return out
}

// isTimestamp tells whether a property or parameter holds a point in time.
func isTimestamp(name string, s *openapi3.Schema) bool {
	if strings.HasSuffix(name, "_at") {
		return true
	}
	ex, ok := s.Example.(string)
	if !ok {
		return false
	}
	_, err := time.Parse(time.RFC3339, ex)
	return err == nil
}

// walkSchemas calls fn for every schema written in the contract, with where
// it is ("Cart.created_at", "GET /v1/store/products ?sort") and the name of
// the property or parameter it describes ("" for a component itself). A
// single-$ref allOf wrapper (how an annotated field refers to a component)
// is resolved, so fn sees what the property is.
func walkSchemas(doc *openapi3.T, fn func(where, name string, s *openapi3.Schema)) {
	var walk func(where, name string, ref *openapi3.SchemaRef, top bool)
	walk = func(where, name string, ref *openapi3.SchemaRef, top bool) {
		if ref == nil || ref.Value == nil || (ref.Ref != "" && !top) {
			return // a component is walked from components/schemas
		}
		s := ref.Value
		if len(s.AllOf) == 1 && s.AllOf[0].Value != nil {
			fn(where, name, s.AllOf[0].Value)
		} else {
			fn(where, name, s)
		}
		for _, p := range sortedKeys(s.Properties) {
			walk(where+"."+p, p, s.Properties[p], false)
		}
		walk(where+"[]", name, s.Items, false)
		if s.AdditionalProperties.Schema != nil {
			walk(where+"{}", "", s.AdditionalProperties.Schema, false)
		}
		for i, sub := range append(append(s.AllOf, s.OneOf...), s.AnyOf...) {
			walk(fmt.Sprintf("%s(%d)", where, i), name, sub, false)
		}
	}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		walk(name, "", doc.Components.Schemas[name], true)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			at := method + " " + path
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(at+" "+p.Value.In+" "+p.Value.Name, p.Value.Name, p.Value.Schema, false)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, ct := range sortedKeys(op.RequestBody.Value.Content) {
					walk(at+" body", "", op.RequestBody.Value.Content[ct].Schema, false)
				}
			}
			for code, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, ct := range sortedKeys(r.Value.Content) {
					walk(at+" "+code, "", r.Value.Content[ct].Schema, false)
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
