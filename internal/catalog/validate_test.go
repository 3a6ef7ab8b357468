package catalog

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/money"
)

// sized is a product with Size and Scent options and the given variants.
func sized(variants ...VariantInput) ProductInput {
	return ProductInput{
		Title: "Cream",
		Options: []OptionInput{
			{Name: "Size", Values: []string{"50 ml", "100 ml"}},
			{Name: "Scent", Values: []string{"Rose", "None"}},
		},
		Variants: variants,
	}
}

func v(sku string, opts map[string]string) VariantInput {
	return VariantInput{SKU: sku, Options: opts, Prices: []money.Amount{eur(100)}}
}

func fieldNames(err error) []string {
	e, ok := errs.As(err)
	if !ok {
		return []string{"not a domain error: " + err.Error()}
	}
	out := []string{}
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestOptionAndVariantValidation(t *testing.T) {
	rose50 := map[string]string{"Size": "50 ml", "Scent": "Rose"}
	cases := []struct {
		name string
		in   ProductInput
		want []string // errors[].field; empty means valid
	}{
		{"valid", sized(v("A", rose50), v("B", map[string]string{"Size": "100 ml", "Scent": "Rose"})), nil},
		{"no options, one variant", ProductInput{Title: "x", Variants: []VariantInput{v("A", nil)}}, nil},
		{"no options, two variants clash", ProductInput{Title: "x", Variants: []VariantInput{v("A", nil), v("B", nil)}},
			[]string{"variants[1].options"}},
		{"missing option value", sized(v("A", map[string]string{"Size": "50 ml"})), []string{"variants[0].options.Scent"}},
		{"value not in option", sized(v("A", map[string]string{"Size": "50 ml", "Scent": "Mint"})), []string{"variants[0].options.Scent"}},
		{"values are case-sensitive", sized(v("A", map[string]string{"Size": "50 ML", "Scent": "Rose"})), []string{"variants[0].options.Size"}},
		{"extra option", sized(v("A", map[string]string{"Size": "50 ml", "Scent": "Rose", "Colour": "Red"})),
			[]string{"variants[0].options.Colour"}},
		{"same combination twice", sized(v("A", rose50), v("B", rose50)), []string{"variants[1].options"}},
		{"same SKU twice", sized(v("A", rose50), v("A", map[string]string{"Size": "100 ml", "Scent": "Rose"})),
			[]string{"variants[1].sku"}},
		{"no variants", sized(), []string{"variants"}},
		{"too many options", ProductInput{Title: "x", Options: []OptionInput{{"a", []string{"1"}}, {"b", []string{"1"}},
			{"c", []string{"1"}}, {"d", []string{"1"}}}, Variants: []VariantInput{v("A", map[string]string{"a": "1", "b": "1", "c": "1", "d": "1"})}},
			[]string{"options"}},
		{"option name clash ignoring case", ProductInput{Title: "x", Options: []OptionInput{{"Size", []string{"1"}}, {"SIZE", []string{"2"}}},
			Variants: []VariantInput{v("A", map[string]string{"Size": "1", "SIZE": "2"})}}, []string{"options[1].name"}},
		{"duplicate option value", ProductInput{Title: "x", Options: []OptionInput{{"Size", []string{"1", "1"}}},
			Variants: []VariantInput{v("A", map[string]string{"Size": "1"})}}, []string{"options[0].values[1]"}},
		{"padded option value", ProductInput{Title: "x", Options: []OptionInput{{"Size", []string{" 1"}}},
			Variants: []VariantInput{v("A", map[string]string{"Size": " 1"})}}, []string{"options[0].values[0]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := newState(tc.in).validate(nil)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("validate: %v", err)
				}
				return
			}
			if !errors.Is(err, errs.ErrValidation) {
				t.Fatalf("err = %v, want validation_failed", err)
			}
			if d := cmp.Diff(tc.want, fieldNames(err)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
}

func TestValidateNormalises(t *testing.T) {
	st := newState(ProductInput{
		Title: "  Cream  ", Tags: []string{" Vegan", "vegan", "DRY"},
		Attributes: map[string]any{"skin_types": []any{"dry"}, "spf": 30.0},
		Variants:   []VariantInput{v(" A1 ", nil)},
	})
	if err := st.validate(nil); err != nil {
		t.Fatal(err)
	}
	got := []any{st.Title, st.Tags, st.Attributes["skin_types"], st.Variants[0].SKU, st.Status}
	want := []any{"Cream", []string{"vegan", "dry"}, []string{"dry"}, "A1", StatusDraft}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestWritesNeedTheManagerRole(t *testing.T) {
	s := newService(t)
	for _, a := range []struct {
		name  string
		actor authActor
	}{{"support", support}, {"guest", authActor{}}, {"customer", customer}} {
		t.Run(a.name, func(t *testing.T) {
			if _, err := s.CreateProduct(t.Context(), a.actor, simpleProduct("x", "X")); !errors.Is(err, ErrForbidden) {
				t.Errorf("CreateProduct as %s: %v", a.name, err)
			}
			if _, err := s.CreateCategory(t.Context(), a.actor, CategoryInput{Name: "x"}); !errors.Is(err, ErrForbidden) {
				t.Errorf("CreateCategory as %s: %v", a.name, err)
			}
		})
	}
	if _, err := s.CreateProduct(t.Context(), manager, simpleProduct("x", "X")); err != nil {
		t.Errorf("manager: %v", err)
	}
	if _, err := s.AdminListProducts(t.Context(), support, AdminListQuery{Page: pr(10)}); err != nil {
		t.Errorf("support reading: %v", err)
	}
	if _, err := s.AdminListProducts(t.Context(), customer, AdminListQuery{Page: pr(10)}); !errors.Is(err, ErrForbidden) {
		t.Errorf("customer reading: %v", err)
	}
}

func TestAvailableDrivesInStock(t *testing.T) {
	s := newService(t)
	in := simpleProduct("Stocked", "S1")
	in.Variants = append(in.Variants, VariantInput{SKU: "S2", Prices: []money.Amount{eur(1)}, AllowBackorder: true})
	in.Options = []OptionInput{{Name: "Kind", Values: []string{"a", "b"}}}
	in.Variants[0].Options, in.Variants[1].Options = map[string]string{"Kind": "a"}, map[string]string{"Kind": "b"}
	p := mustCreate(t, s, in)
	if err := s.SyncAvailable(t.Context(), p.Variants[0].ID, 3); err != nil {
		t.Fatal(err)
	}
	got, err := s.StoreProduct(t.Context(), p.Handle, StoreView{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]any{{3, true}, {0, true}} // the second is backorderable
	if d := cmp.Diff(want, [][2]any{{got.Variants[0].Available, got.Variants[0].InStock},
		{got.Variants[1].Available, got.Variants[1].InStock}}); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if err := s.AddAvailable(t.Context(), "var_06h1wbq28dxanf5st2bqp8yfxm", 1); !errors.Is(err, ErrVariantNotFound) {
		t.Errorf("unknown variant: %v", err)
	}
}
