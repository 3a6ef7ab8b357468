package catalog

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCategoryMovesRefuseCycles(t *testing.T) {
	// a > b > c, and d at the root
	s := newService(t)
	mk := func(name, parent string) Category {
		t.Helper()
		c, err := s.CreateCategory(t.Context(), admin, CategoryInput{Name: name, ParentID: parent})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := mk("A", "")
	b := mk("B", a.ID)
	c := mk("C", b.ID)
	d := mk("D", "")
	cases := []struct {
		name        string
		move, under string
		want        error
	}{
		{"under itself", a.ID, a.ID, ErrCategoryCycle},
		{"under its child", a.ID, b.ID, ErrCategoryCycle},
		{"under its grandchild", a.ID, c.ID, ErrCategoryCycle},
		{"middle under its child", b.ID, c.ID, ErrCategoryCycle},
		{"under an unknown category", b.ID, "cat_06h1wbq289tcsfkv0n05e2brnc", errValidation},
		{"under a malformed id", b.ID, "cleansers", errValidation},
		{"leaf under another root", c.ID, d.ID, nil},
		{"root under a leaf elsewhere", d.ID, b.ID, nil},
		{"back to the root", d.ID, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			under := tc.under
			_, err := s.UpdateCategory(t.Context(), admin, tc.move, CategoryPatch{ParentID: &under})
			if (tc.want == nil) != (err == nil) || !errors.Is(err, tc.want) {
				t.Fatalf("move = %v, want %v", err, tc.want)
			}
		})
	}
	tree, _, err := s.CategoryTree(t.Context(), LocaleRequest{})
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Name     string
		Children []node
	}
	var shape func([]Category) []node
	shape = func(cs []Category) []node {
		out := []node{}
		for _, c := range cs {
			out = append(out, node{c.Name, shape(c.Children)})
		}
		return out
	}
	want := []node{{"A", []node{{"B", []node{}}}}, {"D", []node{{"C", []node{}}}}}
	if d := cmp.Diff(want, shape(tree)); d != "" {
		t.Errorf("tree after the moves (-want +got):\n%s", d)
	}
	if err := s.DeleteCategory(t.Context(), admin, a.ID); !errors.Is(err, ErrCategoryHasChildren) {
		t.Errorf("delete a parent: %v", err)
	}
	if err := s.DeleteCategory(t.Context(), admin, b.ID); err != nil {
		t.Errorf("delete a leaf: %v", err)
	}
}
