package apitest

import "github.com/getkin/kin-openapi/openapi3filter"

// The validator knows JSON, CSV and plain text bodies; the product feed also
// answers RSS, which the contract declares as a string: read it as text so
// its status and headers are still checked (its XML is checked by the tests
// that parse it).
func init() {
	openapi3filter.RegisterBodyDecoder("application/rss+xml", openapi3filter.PlainBodyDecoder)
}
