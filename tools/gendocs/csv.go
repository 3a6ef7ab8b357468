package main

import "github.com/getkin/kin-openapi/openapi3"

// csvContent fixes what swag writes for an operation that also produces
// text/csv (the KPI report): its success answer in CSV is text, not the
// JSON schema, and its errors are problem+json only.
func csvContent(op *openapi3.Operation) {
	for code, ref := range op.Responses.Map() {
		if ref.Value == nil || ref.Value.Content["text/csv"] == nil {
			continue
		}
		if code >= "400" && code <= "599" {
			delete(ref.Value.Content, "text/csv")
			continue
		}
		ref.Value.Content["text/csv"] = openapi3.NewMediaType().WithSchema(
			described(openapi3.NewStringSchema(), "CSV with a header row (see the operation's description)"))
	}
}
