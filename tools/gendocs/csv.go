package main

import "github.com/getkin/kin-openapi/openapi3"

// textContent names the non-JSON answers operations produce and what their
// body is: text, described by the operation.
var textContent = map[string]string{
	"text/csv":            "CSV with a header row (see the operation's description)",
	"application/rss+xml": "RSS 2.0 document (see the operation's description)",
}

// csvContent fixes what swag writes for an operation that also produces
// text/csv (the KPI report, the product feed) or RSS (the product feed):
// its success answer in that type is text, not the JSON schema, and its
// errors are problem+json only.
func csvContent(op *openapi3.Operation) {
	for code, ref := range op.Responses.Map() {
		if ref.Value == nil {
			continue
		}
		for typ, desc := range textContent {
			if ref.Value.Content[typ] == nil {
				continue
			}
			if code >= "400" && code <= "599" {
				// An operation that produces only this type still answers
				// errors as problem JSON: keep swag's schema under JSON, which
				// the next step turns into problem+json.
				if ref.Value.Content["application/json"] == nil {
					ref.Value.Content["application/json"] = ref.Value.Content[typ]
				}
				delete(ref.Value.Content, typ)
				continue
			}
			ref.Value.Content[typ] = openapi3.NewMediaType().WithSchema(described(openapi3.NewStringSchema(), desc))
		}
	}
}
