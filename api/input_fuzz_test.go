package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"storekeep/api/apitest"
	"storekeep/api/web"
	"storekeep/internal/payments"
	"storekeep/internal/platform/money"
)

// badBodyStrings are JSON string literals, sent as they are, that a field
// must refuse or store harmlessly. nulBodyString is sent to every field.
const nulBodyString = `"a\u0000b"`

var badBodyStrings = []string{`"\u0001x"`, `"x\u007f"`, `"\u0085"`, `"\u001b[31m"`, `"\ud800"`, "\"\xff\xfe\"",
	`"\u202eevil"`, `"a\nb"`, `"\u200b"`, `"\u0000"`}

// badQueryValues are URL-encoded values for query and path parameters.
var badQueryValues = []string{"%01", "%7F", "%C2%85", "%E2%80%AE", "%FF", "a%0Ab", "%E2%80%8B"}

// extraQuery are parameters sent to every route whether it reads them or
// not: the catalog reads any attr.* and the middleware must see the rest.
var extraQuery = []string{"q", "category", "tag", "attr.skin", "utm_source"}

const (
	fuzzPlaceholder = "fuzz-placeholder-7f3a"
	fuzzMapKey      = "fuzzmapkey"
)

// TestEveryRouteSurvivesControlCharacters is issue 8's fuzz test for
// defect 1, built from the router's own route table so a new route is
// covered without being listed: for every route, every path parameter,
// every declared query parameter (plus attr.*, q, tag, category and one no
// route reads), every string field and map key of the request body built
// from the route's schema in openapi.yaml, and the stored headers, it sends
// NUL and other control characters, invalid UTF-8, bidi and invisible
// characters, with the credentials the route's policy admits (admin,
// customer, guest). No answer may be a 5xx (the harness also checks each
// against openapi.yaml); every request carrying a NUL must be refused (4xx);
// and afterwards no text column of any table holds a character the free-text
// rule refuses. It runs on SQLite and, with TEST_DATABASE_URL, PostgreSQL.
func TestEveryRouteSurvivesControlCharacters(t *testing.T) {
	t.Parallel()
	fx := newFuzzFixture(t)
	doc := loadContract(t)
	total := 0
	for _, r := range fx.h.Server.Echo.Routes() {
		if !httpMethods[r.Method] || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			continue
		}
		pol, ok := fx.h.Server.Router.PolicyFor(r.Method, r.Path)
		if !ok {
			continue // TestEveryRouteDeclaresAPolicy reports it
		}
		var op *openapi3.Operation
		if item := doc.Paths.Value(specPath(r.Path)); item != nil {
			op = item.GetOperation(r.Method)
		}
		for _, c := range fx.cases(r.Method, r.Path, pol, op) {
			total++
			res := fx.h.Do(c.req)
			switch {
			case res.Status >= 500:
				t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
			case c.nul && res.Status < 400:
				t.Errorf("%s: a NUL was accepted: %d %s", c.name, res.Status, res.Body)
			}
		}
	}
	t.Logf("%d requests over %d routes", total, len(fx.h.Server.Echo.Routes()))
	for _, bad := range storedControlCharacters(t, fx.h) {
		t.Error(bad)
	}
}

// fuzzFixture is a small shop with one of everything a path can name.
type fuzzFixture struct {
	t                  testing.TB
	h                  *apitest.Harness
	admin, customer    string
	ids                map[string]string // by the path segment before the parameter
	variant, warehouse string
	cartItem           string
	signer             *payments.TestProvider
	seq                int
}

func newFuzzFixture(t *testing.T) *fuzzFixture {
	s := newShop(t, 50, 50)
	h := s.h
	fx := &fuzzFixture{t: t, h: h, admin: h.StaffToken(t, "admin"), variant: s.small, warehouse: s.warehouse,
		signer: payments.NewTestProvider(payments.TestWebhookSecret(apitest.JWTSecret))}
	cust := h.NewCustomer(t)
	fx.customer = cust.AccessToken
	create := func(path string, body any) string {
		var obj struct {
			ID string `json:"id"`
		}
		h.Do(apitest.Request{Method: http.MethodPost, Path: path, Token: fx.admin, Body: body}).
			Expect(t, http.StatusCreated).JSON(t, &obj)
		return obj.ID
	}
	order := s.guestWith(s.small, 1)
	order.ready()
	placed := order.placeOrder("fuzz-order")
	cart := s.guestWith(s.small, 1)
	fx.cartItem = cart.cart.Items[0].ID
	var addr struct {
		ID string `json:"id"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/store/customers/me/addresses", Token: fx.customer, Body: paris}).
		Expect(t, http.StatusCreated).JSON(t, &addr)
	var prods struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/products", Token: fx.admin}).Expect(t, http.StatusOK).JSON(t, &prods)
	var promos struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/admin/promotions", Token: fx.admin}).Expect(t, http.StatusOK).JSON(t, &promos)
	var key struct {
		ID string `json:"id"`
	}
	h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/api-keys", Token: fx.admin,
		Body: map[string]any{"name": "fuzz", "role": "manager"}}).Expect(t, http.StatusCreated).JSON(t, &key)
	fx.ids = map[string]string{
		"api-keys":         key.ID,
		"categories":       create("/v1/admin/categories", map[string]any{"name": "Cleansers"}),
		"collections":      create("/v1/admin/collections", map[string]any{"title": "Best sellers"}),
		"customer-groups":  create("/v1/admin/customer-groups", map[string]any{"name": "VIP"}),
		"suppliers":        create("/v1/admin/suppliers", map[string]any{"name": "Acme", "currency": "EUR"}),
		"customers":        cust.ID,
		"orders":           placed.ID,
		"products":         prods.Data[0].ID,
		"promotions":       promos.Data[0].ID,
		"regions":          s.region,
		"shipping-options": s.flat,
		"warehouses":       s.warehouse,
		"carts":            cart.cart.ID,
		"addresses":        addr.ID,
		"discounts":        "WELCOME15",
		"payments":         "test",
	}
	return fx
}

// paramValue is a real value for a path parameter where the fixture has
// one (so requests reach the handler), a well-formed unknown id otherwise.
func (fx *fuzzFixture) paramValue(path string, i int) string {
	segs := strings.Split(path, "/")
	name, prev := segs[i], segs[i-1]
	switch name {
	case ":variant_id":
		return fx.variant
	case ":warehouse_id":
		return fx.warehouse
	case ":item_id":
		return fx.cartItem
	case "*":
		return "index.html"
	}
	if v, ok := fx.ids[prev]; ok {
		return v
	}
	return "x_06h4xjgg91zj76h2e83mwgg7m8"
}

// fuzzCase is one request and whether it carries a NUL.
type fuzzCase struct {
	name string
	req  apitest.Request
	nul  bool
}

// tokens are the credentials to try on a route: the ones its policy admits.
func (fx *fuzzFixture) tokens(p web.Policy) []string {
	switch {
	case p.Audience == web.AudienceAdmin:
		return []string{fx.admin}
	case p.Required:
		return []string{fx.customer}
	case p.Audience == web.AudienceStore:
		return []string{"", fx.customer}
	}
	return []string{""}
}

func (fx *fuzzFixture) cases(method, path string, pol web.Policy, op *openapi3.Operation) []fuzzCase {
	segs := strings.Split(path, "/")
	var params []int
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" {
			params = append(params, i)
		}
	}
	build := func(bad int, value string) string {
		out := make([]string, len(segs))
		for i, s := range segs {
			switch {
			case i == bad:
				out[i] = value
			case strings.HasPrefix(s, ":") || s == "*":
				out[i] = fx.paramValue(path, i)
			default:
				out[i] = s
			}
		}
		return strings.Join(out, "/")
	}
	realPath := build(-1, "")
	body := fx.baseBody(path, op)
	var out []fuzzCase
	for _, tok := range fx.tokens(pol) {
		who := map[string]string{"": "guest", fx.admin: "admin", fx.customer: "customer"}[tok]
		add := func(name string, nul bool, p string, b any, hdr map[string]string) {
			fx.seq++
			h := map[string]string{"Idempotency-Key": "fuzz-" + strconv.Itoa(fx.seq)}
			for k, v := range hdr {
				h[k] = v
			}
			if path == "/v1/webhooks/payments/:provider" {
				raw, ok := b.([]byte)
				if !ok {
					raw = mustJSON(b)
				}
				b = raw
				h[payments.TestSignatureHeader] = fx.signer.SignWebhook(raw, time.Now())
			}
			out = append(out, fuzzCase{name: fmt.Sprintf("%s %s as %s: %s", method, path, who, name), nul: nul,
				req: apitest.Request{Method: method, Path: p, Token: tok, Body: b, Header: h}})
		}
		for n, i := range params {
			add("path "+segs[i]+" NUL", true, build(i, "a%00b"), body, nil)
			add("path "+segs[i], false, build(i, badQueryValues[n%len(badQueryValues)]), body, nil)
		}
		for n, q := range queryNames(op) {
			add("query "+q+" NUL", true, realPath+"?"+q+"=%00", body, nil)
			add("query "+q, false, realPath+"?"+q+"="+badQueryValues[n%len(badQueryValues)], body, nil)
		}
		add("query name NUL", true, realPath+"?attr.%00=1", body, nil)
		if hasParam(op, "cursor") {
			c := base64.RawURLEncoding.EncodeToString([]byte(`{"k":"newest","i":"x_\u0000"}`))
			add("cursor NUL", true, realPath+"?cursor="+c, body, nil)
		}
		add("X-Session-Id", false, realPath, body, map[string]string{"X-Session-Id": "s\xff"})
		for n, inj := range injections(body) {
			add("body "+inj.where+" NUL", true, realPath, inj.with(nulBodyString), nil)
			add("body "+inj.where, false, realPath, inj.with(badBodyStrings[n%len(badBodyStrings)]), nil)
		}
	}
	return out
}

// baseBody is a plausible body for the route: the test provider's event for
// the webhook, else one built from the operation's request schema (nil when
// the operation takes none).
func (fx *fuzzFixture) baseBody(path string, op *openapi3.Operation) any {
	if path == "/v1/webhooks/payments/:provider" {
		var ev any
		_ = json.Unmarshal(fx.signer.WebhookBody("evt_fuzz", payments.TestEventSucceeded, "ref_fuzz", eurAmount(100)), &ev)
		return ev
	}
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return sample(mt.Schema.Value, 0)
}

// sample builds a value of schema s: every property present, one element
// per array, one entry (keyed fuzzMapKey) per map, enums and examples used.
func sample(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 8 {
		return "x"
	}
	if len(s.AllOf) > 0 && s.AllOf[0].Value != nil {
		return sample(s.AllOf[0].Value, depth)
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is("object") || len(s.Properties) > 0:
		m := map[string]any{}
		for name, p := range s.Properties {
			m[name] = sample(p.Value, depth+1)
		}
		if ap := s.AdditionalProperties; len(s.Properties) == 0 && (ap.Schema != nil || (ap.Has != nil && *ap.Has)) {
			var v *openapi3.Schema
			if ap.Schema != nil {
				v = ap.Schema.Value
			}
			m[fuzzMapKey] = sample(v, depth+1)
		}
		return m
	case s.Type.Is("array"):
		if s.Items == nil {
			return []any{"x"}
		}
		return []any{sample(s.Items.Value, depth+1)}
	case s.Type.Is("integer"), s.Type.Is("number"):
		if n, ok := s.Example.(float64); ok {
			return n
		}
		return 1
	case s.Type.Is("boolean"):
		return true
	}
	switch s.Format {
	case "email":
		return "fuzz@example.com"
	case "date-time":
		return "2030-01-01T00:00:00Z"
	}
	if ex, ok := s.Example.(string); ok {
		return ex
	}
	return "x"
}

// injection replaces one string (or one map key) of a body with a raw JSON
// string literal.
type injection struct {
	where string
	with  func(literal string) []byte
}

// injections lists one injection per string leaf and per map key of body.
func injections(body any) []injection {
	if body == nil {
		return nil
	}
	var out []injection
	var walk func(v any, path string, set func(any))
	walk = func(v any, path string, set func(any)) {
		switch x := v.(type) {
		case string:
			out = append(out, injection{where: path, with: func(lit string) []byte {
				set(fuzzPlaceholder)
				defer set(x)
				return replaceOnce(mustJSON(body), `"`+fuzzPlaceholder+`"`, lit)
			}})
		case []any:
			for i := range x {
				walk(x[i], fmt.Sprintf("%s[%d]", path, i), func(n any) { x[i] = n })
			}
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := strings.TrimPrefix(path+"."+k, ".")
				if k == fuzzMapKey {
					out = append(out, injection{where: p + " (key)", with: func(lit string) []byte {
						val := x[k]
						delete(x, k)
						x[fuzzPlaceholder] = val
						defer func() { delete(x, fuzzPlaceholder); x[k] = val }()
						return replaceOnce(mustJSON(body), `"`+fuzzPlaceholder+`"`, lit)
					}})
				}
				walk(x[k], p, func(n any) { x[k] = n })
			}
		}
	}
	walk(body, "", nil)
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func replaceOnce(b []byte, old, lit string) []byte {
	return bytes.Replace(b, []byte(old), []byte(lit), 1)
}

func eurAmount(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "EUR"} }

// queryNames are the operation's declared query parameters and extraQuery.
func queryNames(op *openapi3.Operation) []string {
	seen := map[string]bool{}
	var out []string
	if op != nil {
		for _, p := range op.Parameters {
			if p.Value != nil && p.Value.In == "query" && !seen[p.Value.Name] {
				seen[p.Value.Name] = true
				out = append(out, p.Value.Name)
			}
		}
	}
	for _, q := range extraQuery {
		if !seen[q] {
			out = append(out, q)
		}
	}
	return out
}

func hasParam(op *openapi3.Operation, name string) bool {
	if op == nil {
		return false
	}
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.Name == name {
			return true
		}
	}
	return false
}

// specPath turns echo's /a/:id into the contract's /a/{id}.
func specPath(p string) string {
	return echoParam.ReplaceAllStringFunc(p, func(s string) string { return "{" + s[1:] + "}" })
}

func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
