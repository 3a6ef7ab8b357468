package api_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/api/web"
)

// contractOps pairs every documented route of the router's table with its
// operation in openapi.yaml (HEAD mirrors GET and is not an operation).
type contractOp struct {
	route web.Route
	op    *openapi3.Operation
}

func contractOps(t *testing.T, h *apitest.Harness, doc *openapi3.T) []contractOp {
	t.Helper()
	var out []contractOp
	for _, r := range h.Server.Router.Routes() {
		if r.Method == http.MethodHead || undocumented(r.Path) {
			continue
		}
		item := doc.Paths.Value(specPath(r.Path))
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is not in openapi.yaml", r.Method, r.Path)
			continue
		}
		out = append(out, contractOp{route: r, op: item.GetOperation(r.Method)})
	}
	if len(out) < 100 {
		t.Fatalf("only %d routes found in the contract", len(out))
	}
	return out
}

// schemes names the alternatives of a security requirement list, "none"
// for the empty requirement {} (no credential).
func schemes(reqs *openapi3.SecurityRequirements) []string {
	if reqs == nil {
		return nil
	}
	out := []string{}
	for _, r := range *reqs {
		out = append(out, requirement(slices.Collect(maps.Keys(r))...))
	}
	return out
}

// requirement names one security requirement: its schemes sorted and
// joined by "+", or "none" for the empty requirement.
func requirement(names ...string) string {
	if len(names) == 0 {
		return "none"
	}
	slices.Sort(names)
	return strings.Join(names, "+")
}

// TestContractSecurityFollowsThePolicies is issue 9's items 3 and 4, over
// the router's table: a public route declares no security (`[]`), a route
// open to guests (carts, checkout, the catalog) lists `{}` beside the
// bearer token, a customer route needs the token, and an admin route takes
// a staff token or a secret API key; both schemes are HTTP bearer schemes,
// the token one a JWT, so generated clients add "Bearer " themselves.
func TestContractSecurityFollowsThePolicies(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	doc := loadContract(t)
	guestCartRoutes := 0
	for _, c := range contractOps(t, h, doc) {
		p := c.route.Policy
		var want []string
		switch {
		case p.Audience == "":
			want = []string{}
		case !p.Required:
			want = []string{"BearerAuth", "none"}
			if strings.HasPrefix(c.route.Path, "/v1/store/carts") {
				guestCartRoutes++
			}
		case p.AdmitsAPIKeys(): // admin routes but the staff-only inbox socket
			want = []string{"BearerAuth", "ApiKeyAuth"}
		default:
			want = []string{"BearerAuth"}
		}
		if strings.HasPrefix(c.route.Path, "/v1/store/") {
			// Each may come with the optional publishable key too.
			if len(want) == 0 {
				want = []string{"none"}
			}
			for _, r := range slices.Clone(want) {
				if r == "none" {
					want = append(want, "PublishableKey")
				} else {
					want = append(want, requirement(append(strings.Split(r, "+"), "PublishableKey")...))
				}
			}
		}
		if d := cmp.Diff(want, schemes(c.op.Security)); d != "" {
			t.Errorf("%s %s (policy %s): security (-want +got):\n%s", c.route.Method, c.route.Path, p.Name, d)
		}
	}
	if guestCartRoutes < 10 {
		t.Errorf("only %d cart and checkout routes admit guests", guestCartRoutes)
	}
	bearer := doc.Components.SecuritySchemes["BearerAuth"].Value
	if bearer.Type != "http" || bearer.Scheme != "bearer" || bearer.BearerFormat != "JWT" {
		t.Errorf("BearerAuth = %s %s %s, want http bearer JWT", bearer.Type, bearer.Scheme, bearer.BearerFormat)
	}
	pk := doc.Components.SecuritySchemes["PublishableKey"].Value
	if pk.Type != "apiKey" || pk.In != "header" || pk.Name != "X-Publishable-Key" {
		t.Errorf("PublishableKey = %s in %s named %s, want an apiKey header X-Publishable-Key", pk.Type, pk.In, pk.Name)
	}
	key := doc.Components.SecuritySchemes["ApiKeyAuth"].Value
	if key.Type != "http" || key.Scheme != "bearer" || !strings.Contains(key.Description, "sk_") {
		t.Errorf("ApiKeyAuth = %s %s %q, want http bearer naming sk_ keys", key.Type, key.Scheme, key.Description)
	}
}

// TestContractDeclaresEveryErrorAndHeader is issue 9's items 6 and 7: every
// operation has a `default` problem+json answer and a 503, every answer
// declares X-Request-Id as required, and every 429 and 503 Retry-After as
// required (web.ErrorHandler sends it on each; the harness checks both on
// every response of every test).
func TestContractDeclaresEveryErrorAndHeader(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	doc := loadContract(t)
	for _, c := range contractOps(t, h, doc) {
		name := c.route.Method + " " + c.route.Path
		for _, code := range []string{"default", "503"} {
			r := c.op.Responses.Value(code)
			if r == nil || r.Value == nil {
				t.Errorf("%s: no %s answer", name, code)
				continue
			}
			mt := r.Value.Content.Get("application/problem+json")
			if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Problem" {
				t.Errorf("%s: the %s answer is not a problem+json Problem", name, code)
			}
		}
		for code, r := range c.op.Responses.Map() {
			required := map[string]bool{"X-Request-Id": true}
			if code == "429" || code == "503" {
				required["Retry-After"] = true
			}
			for hdr := range required {
				if hr, ok := r.Value.Headers[hdr]; !ok || !hr.Value.Required {
					t.Errorf("%s -> %s: %s is not declared as required", name, code, hdr)
				}
			}
		}
	}
}

// TestIdempotencyKeyRoutesMatchTheContract is issue 9's item 6 for
// Idempotency-Key, probed over HTTP rather than read from annotations: a
// route whose middleware reads the key answers a 256-character key with 400
// invalid_idempotency_key before its handler runs. Exactly those routes
// declare the header, with the limits web.Idempotent enforces, and declare
// Idempotent-Replayed on every answer a replay can repeat.
func TestIdempotencyKeyRoutesMatchTheContract(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	doc := loadContract(t)
	admin := h.StaffToken(t, "admin")
	customer := h.NewCustomer(t).AccessToken
	tooLong := strings.Repeat("k", 256)
	keyed := 0
	for _, c := range contractOps(t, h, doc) {
		if c.route.Method == http.MethodGet {
			continue
		}
		name := c.route.Method + " " + c.route.Path
		tok := ""
		switch p := c.route.Policy; {
		case p.Audience == web.AudienceAdmin:
			tok = admin
		case p.Required:
			tok = customer
		}
		path := echoParam.ReplaceAllString(c.route.Path, "x_06h4xjgg91zj76h2e83mwgg7m8")
		res := h.Do(apitest.Request{Method: c.route.Method, Path: path, Token: tok,
			Header: map[string]string{"Idempotency-Key": tooLong}})
		readsKey := res.Status == http.StatusBadRequest && strings.Contains(string(res.Body), `"invalid_idempotency_key"`)
		var param *openapi3.Parameter
		for _, p := range c.op.Parameters {
			if p.Value.In == openapi3.ParameterInHeader && p.Value.Name == "Idempotency-Key" {
				param = p.Value
			}
		}
		switch {
		case readsKey && param == nil:
			t.Errorf("%s reads Idempotency-Key, but the contract does not declare it", name)
			continue
		case !readsKey && param != nil:
			t.Errorf("%s declares Idempotency-Key, but answered a bad one with %d %s", name, res.Status, res.Body)
			continue
		case !readsKey:
			for code, r := range c.op.Responses.Map() {
				if _, ok := r.Value.Headers["Idempotent-Replayed"]; ok {
					t.Errorf("%s -> %s declares Idempotent-Replayed, but the route takes no key", name, code)
				}
			}
			continue
		}
		keyed++
		s := param.Schema.Value
		if got := fmt.Sprintf("%d %v %s", s.MinLength, s.MaxLength, s.Pattern); s.MaxLength == nil ||
			got != fmt.Sprintf("1 %v %s", s.MaxLength, `^[\x20-\x7E]+$`) || *s.MaxLength != 255 {
			t.Errorf("%s: Idempotency-Key schema minLength/maxLength/pattern = %s", name, got)
		}
		for code, r := range c.op.Responses.Map() {
			status, _ := strconv.Atoi(code)
			replayed := code == "default" || (status >= 200 && status < 300) ||
				(status >= 400 && status < 500 && status != 401 && status != 413 && status != 429)
			if _, ok := r.Value.Headers["Idempotent-Replayed"]; ok != replayed {
				t.Errorf("%s -> %s: Idempotent-Replayed declared %t, want %t", name, code, ok, replayed)
			}
		}
	}
	if keyed < 10 {
		t.Errorf("only %d routes read Idempotency-Key", keyed)
	}
}
