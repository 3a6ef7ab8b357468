package main

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"storekeep/api"
	"storekeep/api/web"
)

// Names of the security schemes and the shared response headers.
const (
	schemeBearer = "BearerAuth"
	schemeAPIKey = "ApiKeyAuth"
	// schemePublishable is the X-Publishable-Key header of store routes.
	schemePublishable = "PublishableKey"

	headerRequestID  = "X-Request-Id"
	headerRetryAfter = "Retry-After"
	headerReplayed   = web.HeaderReplayed
	headerIdemKey    = web.HeaderIdempotencyKey
)

// idempotencyKeyPattern is what web.Idempotent accepts: printable ASCII.
const idempotencyKeyPattern = `^[\x20-\x7E]+$`

// polishOperations applies what the router knows and Swagger 2 cannot say,
// to every operation:
//
//   - security comes from the route's policy in the router's own table
//     (api.RouteTable), not from annotations: a public route has none
//     (`security: []`), a shopper route takes a customer token or nothing
//     (`{}`), a customer route needs the token, an admin route takes a staff
//     token or a secret API key; the two schemes are HTTP bearer schemes;
//   - every response carries X-Request-Id; every 429 and 503 Retry-After
//     (web.ErrorHandler sends it on each);
//   - every operation may answer 503 (the database is unavailable, the
//     request ran past the server's deadline) and has a `default`
//     problem+json answer, so a client always gets a typed error;
//   - an operation taking Idempotency-Key states the key's limits and
//     declares Idempotent-Replayed on every answer a replay can repeat (2xx
//     and 4xx but 401, 413 and 429, which are never stored), and Retry-After
//     on its 409 (idempotency_key_in_use, checkout_in_progress);
//   - a query parameter annotated `extensions(x-deep-object=T)` becomes a
//     deepObject map of T (Swagger 2 has no object parameters).
//
// A contract operation the router does not have is an error: the contract
// and the router must agree (api's contract tests check the rest).
func polishOperations(doc *openapi3.T) error {
	routes, err := api.RouteTable()
	if err != nil {
		return fmt.Errorf("route table: %w", err)
	}
	policies := map[string]web.Policy{}
	for _, r := range routes {
		policies[r.Method+" "+r.Path] = r.Policy
	}
	sh := addComponents(doc)
	problem := &openapi3.SchemaRef{Ref: "#/components/schemas/Problem", Value: doc.Components.Schemas["Problem"].Value}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			pol, ok := policies[method+" "+echoPath(path)]
			if !ok {
				return fmt.Errorf("%s %s is in the contract but not in the router's table", method, path)
			}
			op.Security = security(pol)
			if strings.HasPrefix(path, "/v1/store/") {
				withPublishableKey(op.Security)
			}
			idem := polishParameters(op)
			addErrorResponses(op, problem)
			addHeaders(op, sh, idem)
		}
	}
	return nil
}

var specParam = regexp.MustCompile(`\{([^/}]+)\}`)

// echoPath turns /v1/carts/{id} into echo's /v1/carts/:id.
func echoPath(p string) string { return specParam.ReplaceAllString(p, ":$1") }

// sharedHeaders are the response headers declared once under
// components/headers and referenced by name.
type sharedHeaders map[string]*openapi3.Header

// ref is a reference to the shared header name.
func (sh sharedHeaders) ref(name string) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Ref: "#/components/headers/" + name, Value: sh[name]}
}

// addComponents declares the security schemes and the shared headers.
func addComponents(doc *openapi3.T) sharedHeaders {
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{
		schemeBearer: {Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: "JWT",
			Description: "A customer access token (store routes) or a staff access token (admin routes), " +
				"from the sign-in routes: `Authorization: Bearer <token>`. Tokens are read only from this header."}},
		schemePublishable: {Value: &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "X-Publishable-Key",
			Description: "A publishable key (`pk_...`) of a sales channel, on store routes only: it scopes the " +
				"request to that channel's products, stock, carts and orders. Optional (without it the default web " +
				"channel applies) and public by design: it authenticates no one. An unknown or revoked key is 401 " +
				"`invalid_publishable_key`, a key of a deactivated channel 403 `sales_channel_inactive`."}},
		schemeAPIKey: {Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer",
			Description: "A secret API key (`sk_...`) an admin created for an integration, sent the same way: " +
				"`Authorization: Bearer sk_...`. Admin routes only, within the key's role."}},
	}
	sh := sharedHeaders{
		headerRequestID: header(true, "This request's id, as in the server's log lines and in `request_id` of "+
			"a problem body (except on a replay, whose body is the stored answer: see Idempotent-Replayed).",
			openapi3.NewStringSchema()),
		headerRetryAfter: header(true, "Seconds to wait before retrying.", openapi3.NewIntegerSchema().WithMin(1)),
		headerReplayed: header(false, "`true` when this is the stored answer to an earlier request with the same "+
			"Idempotency-Key: its status, body, Content-Type and Location as first sent. X-Request-Id is this "+
			"request's id; a problem body's `request_id` is the first request's, which the log describes.",
			openapi3.NewStringSchema().WithEnum("true")),
	}
	if doc.Components.Headers == nil {
		doc.Components.Headers = openapi3.Headers{}
	}
	for name, h := range sh {
		doc.Components.Headers[name] = &openapi3.HeaderRef{Value: h}
	}
	return sh
}

func header(required bool, desc string, schema *openapi3.Schema) *openapi3.Header {
	return &openapi3.Header{Parameter: openapi3.Parameter{Description: desc, Required: required,
		Schema: openapi3.NewSchemaRef("", schema)}}
}

// security is the requirement list of a route with policy p: alternatives,
// any one of which suffices; `{}` means no credential at all.
func security(p web.Policy) *openapi3.SecurityRequirements {
	bearer := openapi3.SecurityRequirement{schemeBearer: {}}
	switch {
	case p.NoCredential():
		return &openapi3.SecurityRequirements{}
	case p.AdmitsGuests():
		return &openapi3.SecurityRequirements{bearer, {}}
	case p.AdmitsAPIKeys():
		return &openapi3.SecurityRequirements{bearer, {schemeAPIKey: {}}}
	}
	return &openapi3.SecurityRequirements{bearer}
}

// withPublishableKey lets each of a store route's requirements come with
// or without X-Publishable-Key: the key scopes the request to a sales
// channel and is never required (no key: the default web channel).
func withPublishableKey(reqs *openapi3.SecurityRequirements) {
	if len(*reqs) == 0 {
		*reqs = append(*reqs, openapi3.SecurityRequirement{})
	}
	for _, r := range *reqs {
		with := openapi3.SecurityRequirement{schemePublishable: {}}
		for k, v := range r {
			with[k] = v
		}
		*reqs = append(*reqs, with)
	}
}

// polishParameters constrains Idempotency-Key and expands deepObject
// parameters; it reports whether the operation takes Idempotency-Key.
func polishParameters(op *openapi3.Operation) bool {
	idem := false
	for _, ref := range op.Parameters {
		p := ref.Value
		if p == nil {
			continue
		}
		if p.In == openapi3.ParameterInHeader && p.Name == headerIdemKey {
			idem = true
			s := openapi3.NewStringSchema().WithMinLength(1).WithMaxLength(255).WithPattern(idempotencyKeyPattern)
			p.Schema = openapi3.NewSchemaRef("", s)
			p.Description = strings.TrimSuffix(p.Description, ".") +
				". 1 to 255 printable ASCII characters; scoped to the caller; answers are kept 72 hours."
		}
		if t, ok := p.Extensions["x-deep-object"].(string); ok && p.In == openapi3.ParameterInQuery {
			delete(p.Extensions, "x-deep-object")
			explode := true
			p.Style, p.Explode = openapi3.SerializationDeepObject, &explode
			p.Schema = openapi3.NewSchemaRef("", openapi3.NewObjectSchema().WithAdditionalProperties(
				&openapi3.Schema{Type: &openapi3.Types{t}}))
		}
	}
	return idem
}

// addErrorResponses adds 503 and `default` problem answers to op.
func addErrorResponses(op *openapi3.Operation, problem *openapi3.SchemaRef) {
	content := func() openapi3.Content {
		return openapi3.Content{"application/problem+json": &openapi3.MediaType{Schema: problem}}
	}
	const unavailable = "database_unavailable (the database did not answer), request_timeout (the request ran " +
		"past the server's 30 s limit)"
	if r := op.Responses.Value("503"); r != nil && r.Value != nil {
		desc := *r.Value.Description
		if desc == http.StatusText(http.StatusServiceUnavailable) {
			desc = unavailable
		} else if !strings.Contains(desc, "database_unavailable") {
			desc += "; " + unavailable
		}
		r.Value.Description = &desc
	} else {
		op.Responses.Set("503", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(unavailable).
			WithContent(content())})
	}
	op.Responses.Set("default", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(
		"Any other error, as application/problem+json with a stable `code`: among others 500 internal " +
			"(the body says only that something went wrong; its `request_id` finds the cause in the server's " +
			"log) and 413 body_too_large.").WithContent(content())})
}

// addHeaders declares the headers each answer of op carries.
func addHeaders(op *openapi3.Operation, sh sharedHeaders, idem bool) {
	codes := make([]string, 0, op.Responses.Len())
	for code := range op.Responses.Map() {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := op.Responses.Value(code).Value
		if r == nil {
			continue
		}
		if r.Headers == nil {
			r.Headers = openapi3.Headers{}
		}
		r.Headers[headerRequestID] = sh.ref(headerRequestID)
		status, _ := strconv.Atoi(code)
		switch {
		case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
			r.Headers[headerRetryAfter] = sh.ref(headerRetryAfter)
		case code == "default" || (idem && status == http.StatusConflict):
			r.Headers[headerRetryAfter] = &openapi3.HeaderRef{Value: header(false,
				"Seconds to wait before retrying, on answers that say to retry (429, 503, 409 idempotency_key_in_use).",
				openapi3.NewIntegerSchema().WithMin(1))}
		}
		if idem && (code == "default" || replayable(status)) {
			r.Headers[headerReplayed] = sh.ref(headerReplayed)
		}
	}
}

// replayable: the statuses web.Idempotent stores and replays: 2xx, and 4xx
// but 401 (the policy answers it before the key is read), 413 (the body is
// refused before the key is claimed) and 429 (never stored).
func replayable(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		return false
	}
	return status >= 200 && status < 500 && (status < 300 || status >= 400)
}
