// Package storekeep is the Go client of the Storekeep API, generated from the
// repository's openapi.yaml by oapi-codegen (client.gen.go: one method per
// operation, a struct per schema). Only auth.go is written by hand.
//
// Regenerate it after the contract changes with `go generate` in this module
// (the root `go generate ./...` does it too); CI fails when client.gen.go is
// stale. A client:
//
//	c, err := storekeep.NewClientWithResponses("http://localhost:8080",
//		storekeep.WithRequestEditorFn(storekeep.BearerToken(accessToken)))
//	res, err := c.ListStoreProductsWithResponse(ctx, &storekeep.ListStoreProductsParams{})
//	// res.JSON200 is the typed answer of a 200, res.ApplicationProblemJSON4xx
//	// the problem+json of an error status the operation declares.
package storekeep

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../openapi.yaml
