package catalog

import (
	"context"
	"strconv"
	"strings"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/page"
)

// Sorts of the store listing.
const (
	SortNewest    = "newest"
	SortPriceAsc  = "price_asc"
	SortPriceDesc = "price_desc"
	SortTitle     = "title"
	SortRelevance = "relevance"
)

// Limits on listing filters, so one request stays one bounded query.
const (
	maxFilterValues = 20
	maxAttrFilters  = 10
	maxQueryLen     = 200
)

// ListQuery is a storefront product listing request. Repeating a filter
// (tags, or values of one attribute) matches any of its values; different
// filters must all match.
type ListQuery struct {
	Q          string
	Category   string // id or handle; includes the category's descendants
	Collection string // id or handle
	Tags       []string
	// MinPrice and MaxPrice are minor units of StoreView.Currency, as sent.
	MinPrice, MaxPrice string
	// Sort is one of the Sort* values; "" means relevance with Q, newest without.
	Sort string
	// Attributes maps attribute keys (from attr.KEY=VALUE) to wanted values.
	Attributes map[string][]string
	Page       page.Request
	StoreView
}

// ProductList is a page of products in one locale.
type ProductList struct {
	Data       []Product
	NextCursor *string
	Locale     string
}

// AdminListQuery is an admin product listing request, newest first.
type AdminListQuery struct {
	Status string // "" for every status
	Q      string
	Page   page.Request
}

// listSQL accumulates a listing query's FROM, WHERE and arguments.
type listSQL struct {
	from  string
	where []string
	args  []any
}

func (l *listSQL) and(cond string, args ...any) {
	l.where = append(l.where, cond)
	l.args = append(l.args, args...)
}

// sortSpec is an ORDER BY on a computed key, then id in the same direction.
type sortSpec struct {
	name    string
	key     string // SQL expression; "" orders by id alone (newest first)
	keyArgs []any
	desc    bool
	parse   func(string) (any, error) // cursor value -> SQL argument
}

// ListProducts is the storefront listing: published products matching q,
// localised and priced per q.StoreView.
func (s *Service) ListProducts(ctx context.Context, q ListQuery) (ProductList, error) {
	v, err := s.resolve(ctx, q.StoreView)
	if err != nil {
		return ProductList{}, err
	}
	l := &listSQL{from: "products p"}
	l.and("p.status = ?", StatusPublished)
	if v.scope != nil {
		l.and(onChannelSQL, v.scope.ID)
	}
	c := &checker{}
	terms := s.filterStore(c, l, q, v)
	sp := s.storeSort(c, q, v, terms)
	if err := c.err(); err != nil {
		return ProductList{}, err
	}
	rows, err := s.runList(ctx, l, sp, q.Page)
	if err != nil {
		return ProductList{}, err
	}
	out := page.Build(rows, q.Page.Limit, func(r productRow) page.Cursor { return cursorOf(sp, r) })
	ps, err := s.assemble(ctx, out.Data, v)
	if err != nil {
		return ProductList{}, err
	}
	return ProductList{Data: ps, NextCursor: out.NextCursor, Locale: v.locale}, nil
}

// AdminListProducts lists products of any status, newest first, optionally
// filtered by status and search text.
func (s *Service) AdminListProducts(ctx context.Context, actor auth.Actor, q AdminListQuery) (page.List[Product], error) {
	if err := canRead(actor); err != nil {
		return page.List[Product]{}, err
	}
	l := &listSQL{from: "products p"}
	c := &checker{}
	if q.Status != "" {
		if !Status(q.Status).Valid() {
			c.add("status", "must be one of: draft, published, archived")
		}
		l.and("p.status = ?", q.Status)
	}
	s.filterSearch(c, l, q.Q)
	if err := c.err(); err != nil {
		return page.List[Product]{}, err
	}
	sp := sortSpec{name: SortNewest}
	rows, err := s.runList(ctx, l, sp, q.Page)
	if err != nil {
		return page.List[Product]{}, err
	}
	out := page.Build(rows, q.Page.Limit, func(r productRow) page.Cursor { return cursorOf(sp, r) })
	ps, err := s.assemble(ctx, out.Data, view{admin: true})
	if err != nil {
		return page.List[Product]{}, err
	}
	return page.List[Product]{Data: ps, NextCursor: out.NextCursor}, nil
}

// filterStore adds the storefront filters and returns the search terms.
func (s *Service) filterStore(c *checker, l *listSQL, q ListQuery, v view) []string {
	terms := s.filterSearch(c, l, q.Q)
	if q.Category != "" {
		c.text("category", q.Category, MaxHandleLen, false)
		l.and(`p.id IN (SELECT pc.product_id FROM product_categories pc WHERE pc.category_id IN (
			WITH RECURSIVE tree(id) AS (
				SELECT id FROM categories WHERE id = ? OR handle = ?
				UNION SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id)
			SELECT id FROM tree))`, q.Category, q.Category)
	}
	if q.Collection != "" {
		c.text("collection", q.Collection, MaxHandleLen, false)
		l.and(`p.id IN (SELECT pc.product_id FROM product_collections pc JOIN collections c ON c.id = pc.collection_id
			WHERE c.id = ? OR c.handle = ?)`, q.Collection, q.Collection)
	}
	if len(q.Tags) > 0 {
		s.filterTags(c, l, q.Tags)
	}
	if len(q.Attributes) > 0 {
		s.filterAttributes(c, l, q.Attributes)
	}
	s.filterPrice(c, l, q, v)
	return terms
}

// filterSearch adds the full-text condition and returns the terms used.
func (s *Service) filterSearch(c *checker, l *listSQL, q string) []string {
	if len(q) > maxQueryLen {
		c.add("q", "must be at most %d characters", maxQueryLen)
		return nil
	}
	terms := searchTerms(q)
	if len(terms) == 0 {
		return nil
	}
	if s.db.Dialect() == db.Postgres {
		l.and("p.search @@ to_tsquery('simple', ?)", tsQuery(terms))
	} else {
		l.from += " JOIN products_fts ON products_fts.rowid = p.seq"
		l.and("products_fts MATCH ?", ftsQuery(terms))
	}
	return terms
}

func (s *Service) filterTags(c *checker, l *listSQL, tags []string) {
	if len(tags) > maxFilterValues {
		c.add("tag", "must be given at most %d times", maxFilterValues)
		return
	}
	norm := make([]string, len(tags))
	for i, t := range tags {
		norm[i] = strings.ToLower(strings.TrimSpace(t))
	}
	if s.db.Dialect() == db.Postgres {
		conds := make([]string, len(norm))
		args := make([]any, len(norm))
		for i, t := range norm {
			conds[i], args[i] = "p.tags @> ?::jsonb", mustJSON([]string{t})
		}
		l.and("("+strings.Join(conds, " OR ")+")", args...)
		return
	}
	l.and("EXISTS (SELECT 1 FROM json_each(p.tags) jt WHERE jt.value IN ?)", norm)
}

func (s *Service) filterPrice(c *checker, l *listSQL, q ListQuery, v view) {
	var bounds []string
	var args []any
	for _, b := range []struct{ field, raw, op string }{{"min_price", q.MinPrice, ">="}, {"max_price", q.MaxPrice, "<="}} {
		if b.raw == "" {
			continue
		}
		n, err := strconv.ParseInt(b.raw, 10, 64)
		if err != nil || n < 0 {
			c.add(b.field, "must be a whole number of minor units, 0 or more")
			continue
		}
		if v.currency == "" {
			c.add("currency", "is required with %s: prices are filtered in one currency", b.field)
		}
		bounds = append(bounds, " AND vp.amount "+b.op+" ?")
		args = append(args, n)
	}
	if lo, hi := q.MinPrice, q.MaxPrice; lo != "" && hi != "" {
		if a, err1 := strconv.ParseInt(lo, 10, 64); err1 == nil {
			if b, err2 := strconv.ParseInt(hi, 10, 64); err2 == nil && a > b {
				c.add("min_price", "must not be above max_price")
			}
		}
	}
	if v.currency == "" {
		return
	}
	// With a currency, only products sellable in it are listed: some live
	// variant has a price in it (within the bounds, when given).
	l.and("EXISTS (SELECT 1 FROM variant_prices vp WHERE vp.product_id = p.id AND vp.currency = ?"+
		strings.Join(bounds, "")+")", append([]any{v.currency}, args...)...)
}

// storeSort picks the ORDER BY for the request.
func (s *Service) storeSort(c *checker, q ListQuery, v view, terms []string) sortSpec {
	name := q.Sort
	if name == "" {
		name = SortNewest
		if len(terms) > 0 {
			name = SortRelevance
		}
	}
	parseInt := func(x string) (any, error) { return strconv.ParseInt(x, 10, 64) }
	parseFloat := func(x string) (any, error) { return strconv.ParseFloat(x, 64) }
	parseString := func(x string) (any, error) { return x, nil }
	switch name {
	case SortNewest:
		return sortSpec{name: name}
	case SortPriceAsc, SortPriceDesc:
		if v.currency == "" {
			c.add("currency", "is required when sorting by price")
		}
		return sortSpec{name: name, desc: name == SortPriceDesc, parse: parseInt,
			key:     "(SELECT MIN(vp.amount) FROM variant_prices vp WHERE vp.product_id = p.id AND vp.currency = ?)",
			keyArgs: []any{v.currency}}
	case SortTitle:
		// The localised title when the locale has one, else the default title.
		key, args := "p.sort_title", []any{}
		for i := len(v.chain) - 1; i >= 0; i-- {
			key = "COALESCE((SELECT NULLIF(t.sort_title, '') FROM translations t WHERE t.entity_type = 'product' " +
				"AND t.entity_id = p.id AND t.locale = ?), " + key + ")"
			args = append([]any{v.chain[i]}, args...)
		}
		return sortSpec{name: name, key: key, keyArgs: args, parse: parseString}
	case SortRelevance:
		if len(terms) == 0 {
			c.add("sort", "relevance needs a search query q")
			return sortSpec{name: SortNewest}
		}
		if s.db.Dialect() == db.Postgres {
			return sortSpec{name: name, desc: true, parse: parseFloat,
				key: "ts_rank(p.search, to_tsquery('simple', ?))::float8", keyArgs: []any{tsQuery(terms)}}
		}
		// bm25 is lower for better matches; negate so both databases sort
		// the key descending. Title matches weigh four times the rest.
		return sortSpec{name: name, desc: true, parse: parseFloat, key: "-bm25(products_fts, 4.0, 1.0)"}
	}
	c.add("sort", "must be one of: newest, price_asc, price_desc, title, relevance")
	return sortSpec{name: SortNewest}
}

// runList runs the listing query for one page (limit+1 rows).
func (s *Service) runList(ctx context.Context, l *listSQL, sp sortSpec, pr page.Request) ([]productRow, error) {
	where := strings.Join(l.where, " AND ")
	if where == "" {
		where = "1 = 1"
	}
	args := []any{}
	var q strings.Builder
	after := ""
	if !pr.Cursor.IsZero() {
		name, val, _ := strings.Cut(pr.Cursor.Key, ":")
		if name != sp.name {
			return nil, page.ErrBadCursor.WithDetail("the cursor belongs to another sort order")
		}
		after = val
	}
	if sp.key == "" {
		q.WriteString("SELECT " + productCols + " FROM " + l.from + " WHERE " + where)
		args = append(args, l.args...)
		if !pr.Cursor.IsZero() {
			q.WriteString(" AND p.id < ?")
			args = append(args, pr.Cursor.ID)
		}
		q.WriteString(" ORDER BY p.id DESC LIMIT ?")
	} else {
		q.WriteString("SELECT * FROM (SELECT " + productCols + ", " + sp.key + " AS sort_key FROM " + l.from +
			" WHERE " + where + ") s")
		args = append(append(args, sp.keyArgs...), l.args...)
		cmp, dir := ">", "ASC"
		if sp.desc {
			cmp, dir = "<", "DESC"
		}
		if !pr.Cursor.IsZero() {
			k, err := sp.parse(after)
			if err != nil {
				return nil, page.ErrBadCursor
			}
			q.WriteString(" WHERE (s.sort_key " + cmp + " ? OR (s.sort_key = ? AND s.id " + cmp + " ?))")
			args = append(args, k, k, pr.Cursor.ID)
		}
		q.WriteString(" ORDER BY s.sort_key " + dir + ", s.id " + dir + " LIMIT ?")
	}
	args = append(args, pr.Limit+1)
	rows, err := s.db.Conn(ctx).Raw(q.String(), args...).Rows()
	if err != nil {
		return nil, err
	}
	return scanProducts(rows, sp.key != "")
}

// cursorOf is the cursor after row r: the sort's name and key, and the id.
func cursorOf(sp sortSpec, r productRow) page.Cursor {
	key := sp.name
	if sp.key != "" && r.SortKey != nil {
		key += ":" + *r.SortKey
	}
	return page.Cursor{Key: key, ID: r.ID}
}
