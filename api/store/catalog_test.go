package store_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/apitest"
	"storekeep/api/store"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/money"
)

func vals(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		q.Add(kv[i], kv[i+1])
	}
	return q
}

func TestStoreListFilters(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"everything published, newest first", vals(), []string{"foam", "clay", "calm", "barrier", "aloe"}},
		{"category by handle includes descendants", vals("category", "skincare"), []string{"clay", "calm", "barrier", "aloe"}},
		{"category by id includes descendants", vals("category", s.cat["cleansers"].ID), []string{"clay", "aloe"}},
		{"leaf category", vals("category", "gels"), []string{"aloe"}},
		{"unknown category", vals("category", "nope"), []string{}},
		{"collection by handle", vals("collection", "bestsellers"), []string{"clay", "aloe"}},
		{"collection by id", vals("collection", s.col["new-in"].ID), []string{"barrier"}},
		{"tag", vals("tag", "vegan"), []string{"calm", "aloe"}},
		{"tag case-insensitive", vals("tag", "VEGAN"), []string{"calm", "aloe"}},
		{"tags any of", vals("tag", "vegan", "tag", "rich"), []string{"calm", "barrier", "aloe"}},
		{"bool attribute", vals("attr.vegan", "true"), []string{"calm", "aloe"}},
		{"bool attribute false", vals("attr.vegan", "false"), []string{"barrier"}},
		{"list attribute", vals("attr.skin_types", "dry"), []string{"calm", "barrier"}},
		{"list attribute any of", vals("attr.skin_types", "oily", "attr.skin_types", "sensitive"), []string{"calm", "aloe"}},
		{"number attribute", vals("attr.spf", "0"), []string{"aloe"}},
		{"string attribute", vals("attr.scent", "none"), []string{"calm"}},
		{"attributes all of", vals("attr.skin_types", "dry", "attr.vegan", "true"), []string{"calm"}},
		{"unknown attribute", vals("attr.colour", "red"), []string{}},
		// attr[KEY]: the contract's deepObject form, what generated clients send
		{"bracket form", vals("attr[skin_types]", "dry"), []string{"calm", "barrier"}},
		{"bracket form bool", vals("attr[vegan]", "true"), []string{"calm", "aloe"}},
		{"bracket forms all of", vals("attr[skin_types]", "dry", "attr[vegan]", "true"), []string{"calm"}},
		{"both forms name one filter", vals("attr.skin_types", "oily", "attr[skin_types]", "sensitive"), []string{"calm", "aloe"}},
		{"not an attribute", vals("attr[skin_types", "dry", "attrs.vegan", "true"), []string{"foam", "clay", "calm", "barrier", "aloe"}},
		// calm has EUR 900 and 2500: no variant in range, though its min and max straddle it
		{"price range: any variant in range", vals("currency", "EUR", "min_price", "1000", "max_price", "2000"), []string{"clay", "aloe"}},
		{"min price only", vals("currency", "EUR", "min_price", "1800"), []string{"calm", "barrier", "aloe"}},
		{"max price only", vals("currency", "USD", "max_price", "1000"), []string{"foam", "calm"}},
		{"currency lists what is priced in it", vals("currency", "USD"), []string{"foam", "calm", "aloe"}},
		{"filters combine", vals("category", "skincare", "tag", "vegan", "currency", "USD", "max_price", "1200"), []string{"calm"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, res := s.list(t, tc.query, nil)
			res.Expect(t, http.StatusOK)
			if d := cmp.Diff(tc.want, s.names(l.Data)); d != "" {
				t.Errorf("products (-want +got):\n%s", d)
			}
		})
	}
}

// TestStoreListAttributeFiltersAsClientsSendThem is issue 9's item 5: the
// contract declares the attribute filters as the deepObject parameter attr,
// which openapi-fetch sends with literal brackets (attr[skin_types]=dry) and
// oapi-codegen percent-encoded (attr%5Bskin_types%5D=dry); both must filter
// as the hand-written attr.skin_types=dry does.
func TestStoreListAttributeFiltersAsClientsSendThem(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, query := range []string{
		"attr.skin_types=dry&attr.vegan=true",
		"attr[skin_types]=dry&attr[vegan]=true",
		"attr%5Bskin_types%5D=dry&attr%5Bvegan%5D=true",
	} {
		res := s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?" + query}).Expect(t, http.StatusOK)
		var l store.ProductList
		res.JSON(t, &l)
		if d := cmp.Diff([]string{"calm"}, s.names(l.Data)); d != "" {
			t.Errorf("%s: products (-want +got):\n%s", query, d)
		}
	}
}

func TestStoreListRejectsBadQueries(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	cases := []struct {
		name   string
		query  url.Values
		status int
		code   string
		field  string
	}{
		{"price without currency", vals("min_price", "100"), 422, "validation_failed", "currency"},
		{"price not a number", vals("currency", "EUR", "max_price", "ten"), 422, "validation_failed", "max_price"},
		{"negative price", vals("currency", "EUR", "min_price", "-1"), 422, "validation_failed", "min_price"},
		{"min above max", vals("currency", "EUR", "min_price", "500", "max_price", "100"), 422, "validation_failed", "min_price"},
		{"unknown currency", vals("currency", "XXX"), 422, "validation_failed", "currency"},
		{"price sort without currency", vals("sort", "price_asc"), 422, "validation_failed", "currency"},
		{"unknown sort", vals("sort", "popular"), 422, "validation_failed", "sort"},
		{"relevance without q", vals("sort", "relevance"), 422, "validation_failed", "sort"},
		{"bad attribute key", vals("attr.Skin-Type", "dry"), 422, "validation_failed", "attr.Skin-Type"},
		{"bad attribute key in brackets", vals("attr[Skin-Type]", "dry"), 422, "validation_failed", "attr.Skin-Type"},
		{"malformed locale", vals("locale", "!!"), 422, "validation_failed", "locale"},
		{"limit zero", vals("limit", "0"), 422, "validation_failed", "limit"},
		{"limit junk", vals("limit", "ten"), 422, "validation_failed", "limit"},
		{"junk cursor", vals("cursor", "%%%"), 400, "invalid_cursor", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, res := s.list(t, tc.query, nil)
			p := res.ExpectProblem(t, tc.status, tc.code)
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Errorf("errors = %+v, want field %q", p.Errors, tc.field)
			}
		})
	}
	// A cursor of one sort order is refused by another.
	l, _ := s.list(t, vals("limit", "1", "sort", "title"), nil)
	_, res := s.list(t, vals("cursor", *l.NextCursor, "sort", "newest"), nil)
	res.ExpectProblem(t, http.StatusBadRequest, "invalid_cursor")
}

func TestStoreSortsPaginateWithoutGapsOrDuplicates(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	// aloe and clay tie at EUR 1200: the id (creation order) breaks the tie.
	cases := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"newest (default)", vals(), []string{"foam", "clay", "calm", "barrier", "aloe"}},
		{"newest", vals("sort", "newest"), []string{"foam", "clay", "calm", "barrier", "aloe"}},
		{"title", vals("sort", "title"), []string{"aloe", "barrier", "calm", "clay", "foam"}},
		{"title in French", vals("sort", "title", "locale", "fr"), []string{"barrier", "calm", "clay", "foam", "aloe"}},
		{"price ascending EUR", vals("sort", "price_asc", "currency", "EUR"), []string{"calm", "aloe", "clay", "barrier"}},
		{"price descending EUR", vals("sort", "price_desc", "currency", "EUR"), []string{"barrier", "clay", "aloe", "calm"}},
		{"price ascending USD", vals("sort", "price_asc", "currency", "USD"), []string{"foam", "calm", "aloe"}},
		{"search by relevance", vals("q", "cream"), []string{"barrier", "clay"}},
		{"search by price", vals("q", "cream", "sort", "price_asc", "currency", "EUR"), []string{"clay", "barrier"}},
	}
	for _, tc := range cases {
		for _, limit := range []int{1, 2, 100} {
			t.Run(tc.name+" limit "+strconv.Itoa(limit), func(t *testing.T) {
				q := url.Values{}
				for k, v := range tc.query {
					q[k] = v
				}
				q.Set("limit", strconv.Itoa(limit))
				if d := cmp.Diff(tc.want, s.walk(t, q)); d != "" {
					t.Errorf("pages joined (-want +got):\n%s", d)
				}
			})
		}
	}
}

func TestStoreSearch(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	cases := []struct {
		q    string
		want []string
	}{
		{"aloe", []string{"aloe"}},
		{"ALOE cleanser", []string{"aloe"}},
		{"clean", []string{"aloe"}},                                  // prefix of a title word
		{"stripping", []string{"aloe"}},                              // description
		{"vegan", []string{"calm", "aloe"}},                          // tags
		{"aloès", []string{"aloe"}},                                  // the French title
		{"nettoyant", []string{"aloe"}},                              // the French title, unaccented words
		{"creme", []string{"foam"}},                                  // accents are ignored: "crème"
		{"CRÈME sensitive", []string{"foam"}},                        // every word must match
		{"creme mask", []string{}},                                   // ... so this matches nothing
		{"draft", []string{}},                                        // drafts are never found
		{"serum", []string{}},                                        // nor archived products
		{"clay-1", []string{"clay"}},                                 // SKUs
		{"   ", []string{"foam", "clay", "calm", "barrier", "aloe"}}, // no words: no search
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			l, res := s.list(t, vals("q", tc.q), nil)
			res.Expect(t, http.StatusOK)
			got := s.names(l.Data)
			if strings.TrimSpace(tc.q) != "" && len(tc.want) > 1 {
				// several hits come by relevance; compare as sets here
				got, tc.want = sorted(got), sorted(tc.want)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("q=%q (-want +got):\n%s", tc.q, d)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestStoreLocalisation(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	cases := []struct {
		name       string
		query      url.Values
		acceptLang string
		locale     string
	}{
		{"default", vals(), "", "en"},
		{"query parameter", vals("locale", "fr"), "", "fr"},
		{"query beats header", vals("locale", "fr"), "en", "fr"},
		{"region falls back to language", vals("locale", "fr-CA"), "", "fr"},
		{"unsupported language", vals("locale", "de"), "", "en"},
		{"header q-values", vals(), "de-DE, fr;q=0.8, en;q=0.5", "fr"},
		{"header prefers English", vals(), "en;q=0.9, fr;q=0.8", "en"},
		{"header q=0 excludes", vals(), "fr;q=0, de", "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tc.acceptLang != "" {
				hdr["Accept-Language"] = tc.acceptLang
			}
			q := tc.query
			q.Set("category", "gels")
			l, res := s.list(t, q, hdr)
			res.Expect(t, http.StatusOK)
			if l.Locale != tc.locale || res.Header.Get("Content-Language") != tc.locale {
				t.Fatalf("locale = %q, Content-Language = %q, want %q", l.Locale, res.Header.Get("Content-Language"), tc.locale)
			}
			p := l.Data[0]
			wantTitle, wantSEO := "Aloe Gel Cleanser", "Aloe gel"
			if tc.locale == "fr" {
				wantTitle, wantSEO = "Nettoyant gel à l'aloès", "Gel aloès"
			}
			// Untranslated fields fall back to English one by one.
			want := []string{tc.locale, wantTitle, "Cleanses without stripping.", wantSEO, "Aloe gel cleanser"}
			got := []string{p.Locale, p.Title, p.Description, p.SEO.Title, p.SEO.Description}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("localised fields (-want +got):\n%s", d)
			}
		})
	}

	res := s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + s.prod["aloe"].Handle + "?locale=fr"}).
		Expect(t, http.StatusOK)
	var p store.Product
	res.JSON(t, &p)
	if p.Title != "Nettoyant gel à l'aloès" || p.Locale != "fr" || res.Header.Get("Content-Language") != "fr" {
		t.Errorf("product in French: %q %q", p.Title, p.Locale)
	}

	var tree store.CategoryTree
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/categories",
		Header: map[string]string{"Accept-Language": "fr-FR,fr;q=0.9"}}).Expect(t, http.StatusOK).JSON(t, &tree)
	if tree.Locale != "fr" || tree.Data[1].Name != "Soins" || tree.Data[1].Children[0].Name != "Nettoyants" ||
		tree.Data[1].Children[1].Name != "Moisturisers" {
		t.Errorf("French tree = %+v", tree)
	}
	var cols store.CollectionList
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/collections?locale=fr"}).Expect(t, http.StatusOK).JSON(t, &cols)
	if d := cmp.Diff([]string{"Meilleures ventes", "New In"}, []string{cols.Data[0].Title, cols.Data[1].Title}); d != "" {
		t.Errorf("collection titles (-want +got):\n%s", d)
	}
}

func TestStoreCategoryTree(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	var tree store.CategoryTree
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/categories"}).Expect(t, http.StatusOK).JSON(t, &tree)
	type node struct {
		Handle   string
		Children []node
	}
	var shape func([]store.Category) []node
	shape = func(cs []store.Category) []node {
		out := []node{}
		for _, c := range cs {
			out = append(out, node{c.Handle, shape(c.Children)})
		}
		return out
	}
	want := []node{
		{"tools", []node{}}, // position 0
		{"skincare", []node{{"cleansers", []node{{"gels", []node{}}}}, {"moisturisers", []node{}}}},
	}
	if d := cmp.Diff(want, shape(tree.Data)); d != "" {
		t.Errorf("tree (-want +got):\n%s", d)
	}
	if tree.Data[0].ParentID != nil || *tree.Data[1].Children[0].ParentID != s.cat["skincare"].ID {
		t.Errorf("parent ids: %+v", tree.Data)
	}
}

func TestStoreCurrency(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	l, res := s.list(t, vals("currency", "EUR", "category", "gels"), nil)
	res.Expect(t, http.StatusOK)
	aloe := l.Data[0]
	want := [][]money.Amount{{{Minor: 1200, Currency: "EUR"}}, {{Minor: 1800, Currency: "EUR"}}}
	got := [][]money.Amount{aloe.Variants[0].Prices, aloe.Variants[1].Prices}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("variant prices (-want +got):\n%s", d)
	}
	if aloe.Price == nil || *aloe.Price != (money.Amount{Minor: 1200, Currency: "EUR"}) {
		t.Errorf("price = %v, want the cheapest EUR price", aloe.Price)
	}

	l, _ = s.list(t, vals("category", "gels"), nil)
	if aloe := l.Data[0]; aloe.Price != nil || len(aloe.Variants[0].Prices) != 2 {
		t.Errorf("without currency: price %v, prices %v", aloe.Price, aloe.Variants[0].Prices)
	}

	var p store.Product
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + s.prod["calm"].ID + "?currency=usd"}).
		Expect(t, http.StatusOK).JSON(t, &p)
	if p.Price == nil || *p.Price != (money.Amount{Minor: 1000, Currency: "USD"}) || len(p.Variants[1].Prices) != 0 {
		t.Errorf("calm in USD: price %v, prices %v / %v", p.Price, p.Variants[0].Prices, p.Variants[1].Prices)
	}
	s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + s.prod["calm"].ID + "?currency=XYZ"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
}

func TestStoreProductNotFound(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for name, idOrHandle := range map[string]string{
		"unknown id":      "prod_06h1wbq289tcsfkv0n05e2brnc",
		"malformed id":    "prod_123",
		"unknown handle":  "no-such-thing",
		"not a handle":    "No%20Such",
		"draft by id":     s.prod["draft"].ID,
		"draft by handle": s.prod["draft"].Handle,
		"archived":        s.prod["serum"].ID,
		"variant id":      s.prod["aloe"].Variants[0].ID,
	} {
		t.Run(name, func(t *testing.T) {
			s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + idOrHandle}).
				ExpectProblem(t, http.StatusNotFound, "not_found")
		})
	}
	for _, idOrHandle := range []string{s.prod["aloe"].ID, "aloe-gel-cleanser"} {
		var p store.Product
		s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + idOrHandle}).Expect(t, http.StatusOK).JSON(t, &p)
		if p.ID != s.prod["aloe"].ID || len(p.Variants) != 2 || p.Variants[0].Available != 0 || p.Variants[0].InStock {
			t.Errorf("GET %s = %+v", idOrHandle, p)
		}
	}
}

func TestStoreResponsesHideAdminData(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	customer, _ := s.h.CustomerToken(t)
	for _, path := range []string{"/v1/store/products", "/v1/store/products/" + s.prod["aloe"].ID, "/v1/store/products?currency=EUR&locale=fr"} {
		for _, token := range []string{"", customer} {
			res := s.h.Do(apitest.Request{Method: http.MethodGet, Path: path, Token: token}).Expect(t, http.StatusOK)
			for _, leak := range []string{`"cost"`, `"translations"`, `"archived_at"`} {
				if strings.Contains(string(res.Body), leak) {
					t.Errorf("GET %s leaks %s", path, leak)
				}
			}
			// Other languages' text stays out too.
			if fr := strings.Contains(string(res.Body), "Nettoyant"); fr != strings.Contains(path, "locale=fr") {
				t.Errorf("GET %s: French title present = %v", path, fr)
			}
		}
	}
}

func TestStoreLimitIsClamped(t *testing.T) {
	t.Parallel()
	h := apitest.New(t)
	svc := catalog.NewService(h.DB)
	staff := auth.Actor{Kind: auth.Staff, ID: "stf_seed", Role: auth.RoleAdmin}
	for i := range 101 {
		_, err := svc.CreateProduct(t.Context(), staff, catalog.ProductInput{Title: "Bulk " + strconv.Itoa(i), Status: "published",
			Variants: []catalog.VariantInput{{SKU: "BULK-" + strconv.Itoa(i), Prices: []money.Amount{{Minor: 100, Currency: "EUR"}}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	var l store.ProductList
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?limit=100000"}).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 100 || l.NextCursor == nil {
		t.Fatalf("limit=100000 gave %d products, next_cursor %v; want 100 and a cursor", len(l.Data), l.NextCursor)
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products?limit=100000&cursor=" + *l.NextCursor}).
		Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.NextCursor != nil {
		t.Errorf("second page: %d products, next_cursor %v", len(l.Data), l.NextCursor)
	}
	h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products"}).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 20 {
		t.Errorf("default page size = %d, want 20", len(l.Data))
	}
}

func TestStoreResponsesCarryETagsAndFollowWrites(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	get := func(etag string) *apitest.Response {
		t.Helper()
		hdr := map[string]string{}
		if etag != "" {
			hdr["If-None-Match"] = etag
		}
		return s.h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/store/products/" + s.prod["calm"].Handle, Header: hdr})
	}
	first := get("").Expect(t, http.StatusOK)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res := get(etag); res.Status != http.StatusNotModified || len(res.Body) != 0 {
		t.Fatalf("If-None-Match with the current ETag: %d %q", res.Status, res.Body)
	}
	s.admin(t, http.MethodPatch, "/v1/admin/products/"+s.prod["calm"].ID, map[string]any{"title": "Calming Toner"}).
		Expect(t, http.StatusOK)
	res := get(etag).Expect(t, http.StatusOK)
	var p store.Product
	res.JSON(t, &p)
	if p.Title != "Calming Toner" || res.Header.Get("ETag") == etag {
		t.Errorf("after a write: title %q, ETag %q (was %q)", p.Title, res.Header.Get("ETag"), etag)
	}
}
