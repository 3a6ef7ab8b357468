package api_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/api/web"
)

// TestRouteTableIsTheServersRoutes: the table tools/gendocs derives the
// contract's security from is the one a configured server routes by.
func TestRouteTableIsTheServersRoutes(t *testing.T) {
	t.Parallel()
	got, err := api.RouteTable()
	if err != nil {
		t.Fatal(err)
	}
	want := apitest.New(t).Server.Router.Routes()
	names := func(rs []web.Route) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Method + " " + r.Path + " " + r.Policy.Name
		}
		return out
	}
	if d := cmp.Diff(names(want), names(got)); d != "" {
		t.Errorf("route table (-server +RouteTable):\n%s", d)
	}
}
