// Package reco recommends products (docs/recommendations.md): "bought
// together" from co-purchase counts that a consumer of order events keeps
// up to date one order at a time, falling back to the product's category,
// and a customer's own picks from their purchases and skin quiz answers.
// It owns the co_purchases and co_purchase_orders tables; every request
// reads a few indexed rows, never the orders.
package reco

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"storekeep/internal/catalog"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/page"
)

// Limits on a recommendation list.
const (
	DefaultLimit = 8
	MaxLimit     = 20
	// perAnchor is how many co-purchased products are read per product.
	perAnchor = 20
)

// Purchase is a product a customer bought and when they last did.
type Purchase struct {
	ProductID string
	At        time.Time
}

// Quiz is what the customer told the shop's skin quiz.
type Quiz struct {
	SkinType string
	Concern  string
}

// Customers is what reco needs to know about a customer.
type Customers interface {
	// Purchases lists the products of the customer's non-canceled orders.
	Purchases(ctx context.Context, customerID string) ([]Purchase, error)
	// Quiz returns the customer's quiz answers (zero when none).
	Quiz(ctx context.Context, customerID string) (Quiz, error)
}

// Catalog is what reco reads of the catalog.
type Catalog interface {
	StoreProduct(ctx context.Context, idOrHandle string, sv catalog.StoreView) (catalog.Product, error)
	ListProducts(ctx context.Context, q catalog.ListQuery) (catalog.ProductList, error)
	AdviceCandidates(ctx context.Context, locale string) ([]catalog.AdviceProduct, error)
}

// Service keeps the co-purchase table and answers recommendation requests.
type Service struct {
	db        *db.DB
	catalog   Catalog
	customers Customers
	log       *slog.Logger
	now       func() time.Time
}

// NewService returns a recommendation service; log and now may be nil.
func NewService(d *db.DB, cat Catalog, cus Customers, log *slog.Logger, now func() time.Time) *Service {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, catalog: cat, customers: cus, log: log, now: now}
}

type pairRow struct {
	ProductID string
	OtherID   string
	Orders    int64
}

func (pairRow) TableName() string { return "co_purchases" }

type countedRow struct {
	OrderID   string
	CreatedAt time.Time
}

func (countedRow) TableName() string { return "co_purchase_orders" }

// orderFacts is what the consumer reads of an order event's payload.
type orderFacts struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Items  []struct {
		ProductID string `json:"product_id"`
	} `json:"items"`
}

// HandleEvent is the events.Consumer that counts each order once, at the
// first of order.created and order.paid that shows it confirmed (a pending
// order waits for its payment; a canceled one is never counted). It runs in
// the dispatcher's transaction; a payload it cannot read is logged and
// skipped.
func (s *Service) HandleEvent(ctx context.Context, e events.Event) error {
	if e.Type != "order.created" && e.Type != "order.paid" {
		return nil
	}
	var f orderFacts
	if err := json.Unmarshal(e.Payload, &f); err != nil || f.ID == "" {
		s.log.WarnContext(ctx, "co-purchases: unreadable order event", "event_id", e.ID)
		return nil
	}
	if f.Status != "confirmed" && f.Status != "completed" {
		return nil
	}
	ids := make([]string, 0, len(f.Items))
	for _, it := range f.Items {
		ids = append(ids, it.ProductID)
	}
	return s.RecordOrder(ctx, f.ID, ids)
}

// RecordOrder counts an order's products as bought together, once per
// order (a second call for the same order changes nothing). It runs in the
// caller's transaction when ctx carries one.
func (s *Service) RecordOrder(ctx context.Context, orderID string, productIDs []string) error {
	ids := distinct(productIDs)
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Create(&countedRow{OrderID: orderID, CreatedAt: s.now().UTC()})
		if res.Error != nil {
			return fmt.Errorf("count order %s: %w", orderID, res.Error)
		}
		if res.RowsAffected == 0 || len(ids) < 2 {
			return nil
		}
		pairs := make([]pairRow, 0, len(ids)*(len(ids)-1))
		for _, a := range ids {
			for _, b := range ids {
				if a != b {
					pairs = append(pairs, pairRow{ProductID: a, OtherID: b, Orders: 1})
				}
			}
		}
		err := s.db.Conn(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "product_id"}, {Name: "other_id"}},
			DoUpdates: clause.Set{{Column: clause.Column{Name: "orders"}, Value: clause.Expr{SQL: "co_purchases.orders + 1"}}},
		}).CreateInBatches(pairs, 200).Error
		if err != nil {
			return fmt.Errorf("co-purchases of %s: %w", orderID, err)
		}
		return nil
	})
}

// distinct returns the non-empty ids once each, sorted (a stable lock
// order for concurrent upserts).
func distinct(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// boughtWith returns the products most often bought with productID, best
// first.
func (s *Service) boughtWith(ctx context.Context, productID string, n int) ([]pairRow, error) {
	var rows []pairRow
	err := s.db.Conn(ctx).Where("product_id = ?", productID).Order("orders DESC, other_id").Limit(n).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read co-purchases: %w", err)
	}
	return rows, nil
}

// sellable reports whether a store product may be recommended: published
// (StoreProduct only returns those) with a variant in stock now.
func sellable(p catalog.Product) bool {
	if p.Status != catalog.StatusPublished {
		return false
	}
	for _, v := range p.Variants {
		if v.Available > 0 {
			return true
		}
	}
	return false
}

// picker collects up to limit sellable products, each once.
type picker struct {
	s     *Service
	sv    catalog.StoreView
	limit int
	seen  map[string]bool
	out   []catalog.Product
}

func (p *picker) full() bool { return len(p.out) >= p.limit }

// try adds the product when it is sellable and new.
func (p *picker) try(ctx context.Context, productID string) error {
	if p.full() || p.seen[productID] {
		return nil
	}
	p.seen[productID] = true
	prod, err := p.s.catalog.StoreProduct(ctx, productID, p.sv)
	if errors.Is(err, catalog.ErrProductNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if sellable(prod) {
		p.out = append(p.out, prod)
	}
	return nil
}

// ForProduct recommends products bought together with idOrHandle (a
// published product, else catalog.ErrProductNotFound), most often first, then
// products of its first category, newest first.
func (s *Service) ForProduct(ctx context.Context, idOrHandle string, sv catalog.StoreView, limit int) ([]catalog.Product, error) {
	base, err := s.catalog.StoreProduct(ctx, idOrHandle, sv)
	if err != nil {
		return nil, err
	}
	pk := &picker{s: s, sv: sv, limit: limit, seen: map[string]bool{base.ID: true}}
	pairs, err := s.boughtWith(ctx, base.ID, limit*2+perAnchor)
	if err != nil {
		return nil, err
	}
	for _, r := range pairs {
		if err := pk.try(ctx, r.OtherID); err != nil {
			return nil, err
		}
	}
	for _, cat := range base.CategoryIDs {
		if pk.full() {
			break
		}
		if err := s.fillFromCategory(ctx, pk, cat); err != nil {
			return nil, err
		}
	}
	return pk.out, nil
}

func (s *Service) fillFromCategory(ctx context.Context, pk *picker, categoryID string) error {
	l, err := s.catalog.ListProducts(ctx, catalog.ListQuery{Category: categoryID, StoreView: pk.sv,
		Sort: catalog.SortNewest, Page: pageOf(pk.limit * 3)})
	if err != nil {
		return err
	}
	for _, p := range l.Data {
		if pk.full() {
			break
		}
		if !pk.seen[p.ID] {
			pk.seen[p.ID] = true
			if sellable(p) {
				pk.out = append(pk.out, p)
			}
		}
	}
	return nil
}

// Consumable reports whether a product is used up and bought again
// (attribute consumable: true); recommendations may repeat those.
func Consumable(attrs map[string]any) bool {
	v, ok := attrs["consumable"].(bool)
	return ok && v
}

// ForCustomer recommends products to a customer: those most often bought
// with what they bought (each anchor's counts scaled to 0..1), plus one
// point for matching their quiz skin type and one for their concern; ties
// go to the newest. Products they bought are left out unless consumable;
// only published products in stock are returned. With no history and no
// quiz, the newest products in stock.
func (s *Service) ForCustomer(ctx context.Context, customerID string, sv catalog.StoreView, limit int) ([]catalog.Product, error) {
	bought, err := s.customers.Purchases(ctx, customerID)
	if err != nil {
		return nil, err
	}
	quiz, err := s.customers.Quiz(ctx, customerID)
	if err != nil {
		return nil, err
	}
	owned := map[string]bool{}
	for _, b := range bought {
		owned[b.ProductID] = true
	}
	score := map[string]float64{}
	// Most recent purchases first, at most 20 anchors.
	sort.SliceStable(bought, func(i, j int) bool { return bought[i].At.After(bought[j].At) })
	for i, b := range bought {
		if i == 20 {
			break
		}
		pairs, err := s.boughtWith(ctx, b.ProductID, perAnchor)
		if err != nil {
			return nil, err
		}
		if len(pairs) == 0 {
			continue
		}
		top := float64(pairs[0].Orders)
		for _, r := range pairs {
			score[r.OtherID] += float64(r.Orders) / top
		}
	}
	// Titles come from StoreProduct below, localised; only ids are used here.
	candidates, err := s.catalog.AdviceCandidates(ctx, "")
	if err != nil {
		return nil, err
	}
	// candidates are the published products in stock, newest first.
	type cand struct {
		id    string
		score float64
		rank  int
	}
	list := make([]cand, 0, len(candidates))
	for i, c := range candidates {
		if owned[c.ID] && !Consumable(c.Attributes) {
			continue
		}
		sc := score[c.ID]
		if quiz.SkinType != "" && matches(c.Attributes["skin_types"], quiz.SkinType) {
			sc++
		}
		if quiz.Concern != "" && matches(c.Attributes["concerns"], quiz.Concern) {
			sc++
		}
		list = append(list, cand{id: c.ID, score: sc, rank: i})
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].rank < list[j].rank
	})
	pk := &picker{s: s, sv: sv, limit: limit, seen: map[string]bool{}}
	for _, c := range list {
		if pk.full() {
			break
		}
		if err := pk.try(ctx, c.id); err != nil {
			return nil, err
		}
	}
	return pk.out, nil
}

func pageOf(n int) page.Request { return page.Request{Limit: min(n, page.MaxLimit)} }

// matches reports whether an attribute (a string or a list of strings)
// holds want, ignoring case.
func matches(attr any, want string) bool {
	switch v := attr.(type) {
	case string:
		return strings.EqualFold(v, want)
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok && strings.EqualFold(s, want) {
				return true
			}
		}
	case []string:
		for _, s := range v {
			if strings.EqualFold(s, want) {
				return true
			}
		}
	}
	return false
}
