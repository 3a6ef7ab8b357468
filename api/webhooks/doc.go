// Package webhooks serves the routes payment providers call:
// POST /v1/webhooks/payments/{provider}. The handler reads the raw body (a
// signature is computed over the exact bytes, so it is never re-encoded or
// bound into a DTO) and hands it to the payments service, which verifies,
// deduplicates and applies it.
package webhooks
