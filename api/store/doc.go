// Package store holds the customer-facing routes (/v1/store/...): thin
// handlers that read the request, call one domain service method and map the
// result to the response DTOs declared here, which are the contract's shapes.
package store
