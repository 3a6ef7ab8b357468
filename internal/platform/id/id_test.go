package id

import (
	"sort"
	"testing"
)

func TestNewIsValidAndOrdered(t *testing.T) {
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = New("prod")
		if !Valid("prod", ids[i]) {
			t.Fatalf("New produced invalid id %q", ids[i])
		}
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("ids are not in creation order")
	}
}

func TestValidRejects(t *testing.T) {
	for _, s := range []string{"", "prod_", "var_" + New("prod")[5:], "prod_ABC", New("prod") + "x", "prod_uuuuuuuuuuuuuuuuuuuuuuuuuu"} {
		if Valid("prod", s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}
