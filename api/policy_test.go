package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"storekeep/api/apitest"
	"storekeep/api/web"
)

// httpMethods are the methods a route can be registered for; echo also lists
// internal entries (such as its route-not-found handlers) under other names.
var httpMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// undocumented reports paths that are not JSON operations of the contract.
func undocumented(path string) bool {
	for _, p := range apitest.Unvalidated {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

var echoParam = regexp.MustCompile(`:[^/]+`)
var specParam = regexp.MustCompile(`\{[^/}]+\}`)

// TestEveryRouteDeclaresAPolicy walks echo's route table (OWASP API5 BFLA):
// a route without an explicit access policy, or an admin route that does not
// require an admin-audience credential, fails the build.
func TestEveryRouteDeclaresAPolicy(t *testing.T) {
	h := apitest.New(t)
	if len(h.Server.Echo.Routes()) == 0 {
		t.Fatal("echo lists no routes")
	}
	for _, v := range policyViolations(h) {
		t.Error(v)
	}
}

// TestPolicyCheckCatchesRogueRoutes proves the walk above can fail.
func TestPolicyCheckCatchesRogueRoutes(t *testing.T) {
	h := apitest.New(t)
	ok := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	h.Server.Echo.GET("/v1/store/rogue", ok)                  // bypasses the policy router
	h.Server.Router.DELETE("/v1/admin/rogue", web.Public, ok) // admin route left public
	h.Server.Router.GET("/v1/admin/shopper", web.Shopper, ok) // admin route on the store audience
	h.Server.Router.GET("/v1/store/staffy", web.AnyStaff, ok) // store route on the admin audience
	want := []string{
		"DELETE /v1/admin/rogue is an admin route with policy \"public\"",
		"GET /v1/admin/shopper is an admin route with policy \"shopper\"",
		"GET /v1/store/rogue has no access policy",
		"GET /v1/store/staffy is a store route with an admin-audience policy",
	}
	got := policyViolations(h)
	var matched []string
	for _, w := range want {
		for _, g := range got {
			if strings.HasPrefix(g, w) {
				matched = append(matched, w)
				break
			}
		}
	}
	if d := cmp.Diff(want, matched); d != "" {
		t.Errorf("violations not reported (-want +matched):\n%s\ngot: %q", d, got)
	}
	if d := routeDiff(t, h); !strings.Contains(d, "GET /v1/store/rogue") {
		t.Errorf("the contract diff did not notice a route missing from openapi.yaml:\n%s", d)
	}
}

func policyViolations(h *apitest.Harness) []string {
	var out []string
	for _, r := range h.Server.Echo.Routes() {
		if !httpMethods[r.Method] {
			continue
		}
		p, ok := h.Server.Router.PolicyFor(r.Method, r.Path)
		if !ok {
			out = append(out, fmt.Sprintf("%s %s has no access policy: register it through web.Router", r.Method, r.Path))
			continue
		}
		if strings.HasPrefix(r.Path, "/v1/admin/") && (p.Audience != web.AudienceAdmin || !p.Required || len(p.Kinds) == 0) {
			out = append(out, fmt.Sprintf("%s %s is an admin route with policy %q: it must require a staff credential (web.StaffRoles/AnyStaff)", r.Method, r.Path, p.Name))
		}
		if strings.HasPrefix(r.Path, "/v1/store/") && p.Audience == web.AudienceAdmin {
			out = append(out, fmt.Sprintf("%s %s is a store route with an admin-audience policy %q", r.Method, r.Path, p.Name))
		}
	}
	sort.Strings(out)
	return out
}

// TestRoutesMatchTheContract diffs echo's routes against openapi.yaml both
// ways (OWASP API9): no undocumented route, no documented route that is gone.
func TestRoutesMatchTheContract(t *testing.T) {
	h := apitest.New(t)
	if d := routeDiff(t, h); d != "" {
		t.Errorf("routes differ from openapi.yaml (-spec +echo); annotate the handler and run go generate ./...:\n%s", d)
	}
}

func routeDiff(t *testing.T, h *apitest.Harness) string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inSpec[method+" "+specParam.ReplaceAllString(path, "{}")] = true
		}
	}
	inEcho := map[string]bool{}
	for _, r := range h.Server.Echo.Routes() {
		// HEAD mirrors GET (web.Router.GET registers both); the contract
		// states that once rather than as a second operation per route.
		if !httpMethods[r.Method] || r.Method == http.MethodHead || undocumented(r.Path) {
			continue
		}
		inEcho[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{}")] = true
	}
	return cmp.Diff(sorted(inSpec), sorted(inEcho))
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
