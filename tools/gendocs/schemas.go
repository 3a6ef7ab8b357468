package main

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemas applies what the annotations cannot say about schemas, then checks
// the rules every schema of the contract keeps, so that generated clients get
// exact types; a broken rule stops generation (polish cannot return an error,
// so this exits like main does).
func schemas(doc *openapi3.T) {
	attributeValues(doc)
	automationConditionValue(doc)
	orderEventData(doc)
	eventData(doc)
	paymentWebhookBody(doc)
	notificationData(doc)
	enumVarNames(doc)
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
//   - every enum has x-enum-varnames, one per value, and no two enums share
//     a name, so code generators make the same constants from every enum.
//   - a number says its format: swag writes a Go float64 as a bare number,
//     which oapi-codegen makes a float32 (add format:"double").
//   - no object is free-form (a Go map[string]any or a raw body): its values
//     get a schema (freeform.go), or clients are left with `any`.
//   - a nullable property is required: the server sends null for a Go
//     pointer without omitempty, so the key is always there; a nullable
//     optional property would mean a pointer with omitempty carries a
//     needless x-nullable, or a required one lacks binding:"required".
func checkSchemas(doc *openapi3.T) []string {
	var out []string
	varNames := map[string]string{} // x-enum-varname -> the enum that has it
	walkSchemas(doc, func(where, name string, s *openapi3.Schema) {
		if ts := resolved(s); isTimestamp(name, ts) && !(ts.Type.Is("string") && ts.Format == "date-time") {
			out = append(out, where+": a timestamp must be type string, format date-time (add format:\"date-time\" to the field's tag)")
		}
		if s.Type.Is("number") && s.Format == "" {
			out = append(out, where+": a number without a format (add format:\"double\" to a float64 field's tag)")
		}
		if isFreeForm(s) {
			out = append(out, where+": a free-form object: give its values a schema (see freeform.go)")
		}
		for _, p := range sortedKeys(s.Properties) {
			if v := s.Properties[p].Value; v != nil && v.Nullable && !slices.Contains(s.Required, p) && !keyedMaps[where] {
				out = append(out, where+"."+p+": nullable but not required (a Go pointer without omitempty is always sent: add binding:\"required\")")
			}
		}
		if len(s.Enum) > 0 {
			names := stringList(s.Extensions[extEnumVarNames])
			if len(names) != len(s.Enum) {
				out = append(out, fmt.Sprintf("%s: %d enum values but %d x-enum-varnames", where, len(s.Enum), len(names)))
			}
			for _, n := range names {
				if other, dup := varNames[n]; dup {
					out = append(out, fmt.Sprintf("%s: x-enum-varname %s is also used by %s", where, n, other))
				}
				varNames[n] = where
			}
		}
	})
	sort.Strings(out)
	return out
}

// keyedMaps are schemas that describe the keys of a Go map, not the fields
// of a struct: a key is there or not, and some keys may hold null.
var keyedMaps = map[string]bool{"OrderEventData": true, "EventDocument": true}

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

// resolved is what a property is: the component a single-$ref allOf
// wrapper (how swag refers to a component from an annotated field) names,
// or the schema itself.
func resolved(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 1 && s.AllOf[0].Value != nil {
		return s.AllOf[0].Value
	}
	return s
}

// stringList reads a list extension: []string as set here, []any as loaded
// from YAML.
func stringList(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, len(l))
		for i, e := range l {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

// walkSchemas calls fn for every schema written in the contract (once: a
// component is visited where it is declared, not where it is referred to),
// with where it is ("Cart.created_at", "GET /v1/store/products query sort")
// and the name of the property or parameter it describes ("" for a
// component itself).
func walkSchemas(doc *openapi3.T, fn func(where, name string, s *openapi3.Schema)) {
	var walk func(where, name string, ref *openapi3.SchemaRef, top bool)
	walk = func(where, name string, ref *openapi3.SchemaRef, top bool) {
		if ref == nil || ref.Value == nil || (ref.Ref != "" && !top) {
			return // a component is walked from components/schemas
		}
		s := ref.Value
		fn(where, name, s)
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
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.Schemas) {
			walk(name, "", doc.Components.Schemas[name], true)
		}
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

// extEnumVarNames is the extension oapi-codegen (and openapi-typescript with
// --enum) names enum constants from.
const extEnumVarNames = "x-enum-varnames"

// enumVarNames names every enum value for code generators: the type name a
// generator derives for the enum's owner (the component; the component and
// property, "CartStatus"; the operation, "Params" and parameter,
// "ListOrdersParamsStatus") followed by the value in PascalCase:
// CartStatusOpen. The names are unique, so oapi-codegen never has to prefix
// some enums' constants and not others (without names it keeps bare values
// such as "Card" until another enum has the same value, then renames them),
// and adding an enum never renames an existing constant. swag writes the Go
// constant names of typed Go enums (PODraft); they follow the same rule here,
// and the x-enum-comments keyed by those Go names go with them
// (x-enum-descriptions keeps the comments in value order).
func enumVarNames(doc *openapi3.T) {
	var name func(owner string, ref *openapi3.SchemaRef, top bool)
	name = func(owner string, ref *openapi3.SchemaRef, top bool) {
		if ref == nil || ref.Value == nil || (ref.Ref != "" && !top) {
			return
		}
		s := ref.Value
		if len(s.Enum) > 0 {
			names := make([]string, len(s.Enum))
			for i, v := range s.Enum {
				names[i] = owner + pascal(fmt.Sprint(v))
			}
			if s.Extensions == nil {
				s.Extensions = map[string]any{}
			}
			s.Extensions[extEnumVarNames] = names
			delete(s.Extensions, "x-enum-comments")
		}
		for _, p := range sortedKeys(s.Properties) {
			name(owner+pascal(p), s.Properties[p], false)
		}
		name(owner, s.Items, false)
	}
	if doc.Components != nil {
		for _, n := range sortedKeys(doc.Components.Schemas) {
			name(pascal(n), doc.Components.Schemas[n], true)
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					name(pascal(op.OperationID)+"Params"+pascal(p.Value.Name), p.Value.Schema, false)
				}
			}
		}
	}
}

// pascal turns snake_case, kebab-case or dotted words into PascalCase,
// keeping capitals already there: "free_shipping" -> "FreeShipping",
// "APIKey" -> "APIKey".
func pascal(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[size:])
	}
	return b.String()
}
