// Package demo loads "The Skincare Manager", the demo shop that `storekeep
// serve --demo` and `storekeep seed --demo` put into an empty database. It goes
// through the domain services' exported methods only, so demo data obeys the
// same rules as data entered over the API.
package demo

import (
	"context"
	"fmt"
	"strings"

	"storekeep/internal/automations"
	"storekeep/internal/catalog"
	"storekeep/internal/channels"
	"storekeep/internal/checkout"
	"storekeep/internal/customers"
	"storekeep/internal/inventory"
	"storekeep/internal/loyalty"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/money"
	"storekeep/internal/staff"
	"storekeep/internal/support"
)

// Demo logins, printed at start. They are for a local demo database only.
const (
	AdminEmail       = "admin@skincare.test"
	AdminPassword    = "demo-admin-password"
	CustomerEmail    = "camille@skincare.test"
	CustomerPassword = "demo-customer-password"
)

// Services are the domain services the demo writes through.
type Services struct {
	// DB runs the whole load in one transaction: a failure leaves nothing behind.
	DB        *db.DB
	Catalog   *catalog.Service
	Staff     *staff.Service
	Customers *customers.Service
	Inventory *inventory.Service
	Checkout  *checkout.Service
	// Support, when set, gets the FAQ entries and canned replies.
	Support *support.Service
	// Automations, when set, gets the demo's two automation rules.
	Automations *automations.Service
	// Loyalty, when set, gets the loyalty programme (three tiers) and
	// Camille's welcome points.
	Loyalty *loyalty.Service
	// Channels, when set, gets the mobile app and Paris pop-up sales
	// channels with a publishable key each.
	Channels *channels.Service
}

// Result says what was loaded.
type Result struct {
	Loaded      bool // false when the database already had data
	Products    int
	Categories  int
	Collections int
	Automations int
	// Channels are the sales channels made besides the default web store,
	// with their publishable keys.
	Channels []ChannelKey
}

// Load fills an empty database with the demo shop. On a database that already
// has staff users it does nothing and reports Loaded false.
func Load(ctx context.Context, s Services) (Result, error) {
	var res Result
	err := s.DB.WithTx(ctx, func(ctx context.Context) error {
		var err error
		res, err = load(ctx, s)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

func load(ctx context.Context, s Services) (Result, error) {
	if has, err := s.Staff.HasAny(ctx); err != nil || has {
		return Result{}, err
	}
	system := auth.Actor{Kind: auth.Staff, ID: "demo-loader", Role: auth.RoleAdmin}
	res := Result{Loaded: true}

	catIDs := map[string]string{}
	for i, c := range categories {
		in := catalog.CategoryInput{Name: c.Name, Handle: c.Handle, Description: c.Description, Position: i,
			ParentID: catIDs[c.Parent], Translations: map[string]catalog.NameTranslation{"fr": {Name: c.NameFR}}}
		cat, err := s.Catalog.CreateCategory(ctx, system, in)
		if err != nil {
			return res, fmt.Errorf("demo category %s: %w", c.Handle, err)
		}
		catIDs[c.Handle] = cat.ID
		res.Categories++
	}
	colIDs := map[string]string{}
	for _, c := range collections {
		col, err := s.Catalog.CreateCollection(ctx, system, catalog.CollectionInput{Title: c.Title, Handle: c.Handle,
			Description: c.Description, Translations: map[string]catalog.TitleTranslation{"fr": {Title: c.TitleFR}}})
		if err != nil {
			return res, fmt.Errorf("demo collection %s: %w", c.Handle, err)
		}
		colIDs[c.Handle] = col.ID
		res.Collections++
	}
	skuIDs := map[string]string{}
	var productIDs []string
	for _, p := range products {
		prd, err := s.Catalog.CreateProduct(ctx, system, productInput(p, catIDs, colIDs))
		if err != nil {
			return res, fmt.Errorf("demo product %q: %w", p.Title, err)
		}
		for i, v := range p.Variants {
			skuIDs[v.SKU] = prd.Variants[i].ID
		}
		productIDs = append(productIDs, prd.ID)
		res.Products++
	}
	// Stock goes in through the ledger, which keeps the store's available in step.
	whIDs, err := loadInventory(ctx, s.Inventory, system, skuIDs)
	if err != nil {
		return res, fmt.Errorf("demo inventory: %w", err)
	}
	euRegion, err := loadCheckout(ctx, s.Checkout, system)
	if err != nil {
		return res, fmt.Errorf("demo checkout: %w", err)
	}
	if s.Channels != nil {
		if res.Channels, err = loadChannels(ctx, s, system, whIDs, euRegion, productIDs, catIDs["skincare"]); err != nil {
			return res, fmt.Errorf("demo sales channels: %w", err)
		}
		res.Products++ // the pop-up's exclusive kit
	}
	if s.Automations != nil {
		n, err := loadAutomations(ctx, s.Automations, system, catIDs["cleansers"])
		if err != nil {
			return res, fmt.Errorf("demo automations: %w", err)
		}
		res.Automations = n
	}
	if _, err := s.Staff.Create(ctx, staff.CreateInput{Email: AdminEmail, Password: AdminPassword, Role: auth.RoleAdmin}); err != nil {
		return res, fmt.Errorf("demo admin: %w", err)
	}
	if _, err := s.Staff.Create(ctx, staff.CreateInput{Email: SupportEmail, Password: SupportPassword, Role: auth.RoleSupport}); err != nil {
		return res, fmt.Errorf("demo support agent: %w", err)
	}
	if s.Support != nil {
		if err := loadSupport(ctx, s.Support); err != nil {
			return res, fmt.Errorf("demo support: %w", err)
		}
	}
	camille, err := s.Customers.Create(ctx, customers.CreateInput{Email: CustomerEmail, Password: CustomerPassword,
		FirstName: "Camille", LastName: "Durand", Locale: "fr"})
	if err != nil {
		return res, fmt.Errorf("demo customer: %w", err)
	}
	if s.Loyalty != nil {
		if err := loadLoyalty(ctx, s.Loyalty, camille.ID); err != nil {
			return res, fmt.Errorf("demo loyalty: %w", err)
		}
	}
	if err := loadSegments(ctx, s.Customers, system, camille.ID); err != nil {
		return res, fmt.Errorf("demo segments: %w", err)
	}
	return res, nil
}

func productInput(p demoProduct, catIDs, colIDs map[string]string) catalog.ProductInput {
	status := "published"
	if p.Draft {
		status = "draft"
	}
	in := catalog.ProductInput{
		Title: p.Title, Description: p.Description, Status: status,
		CategoryIDs: []string{catIDs[p.Category]}, Tags: p.Tags,
		Attributes: map[string]any{"skin_types": p.SkinTypes, "vegan": p.Vegan, "key_ingredients": p.KeyIngredients,
			"cruelty_free": true},
		SEO: &catalog.SEOInput{Title: p.Title + " | The Skincare Manager", Description: p.Description},
		Translations: map[string]catalog.TranslationInput{"fr": {Title: p.TitleFR, Description: p.DescriptionFR,
			SEO: &catalog.SEOInput{Title: p.TitleFR + " | The Skincare Manager", Description: p.DescriptionFR}}},
	}
	for _, h := range p.Collections {
		in.CollectionIDs = append(in.CollectionIDs, colIDs[h])
	}
	sizes := make([]string, len(p.Variants))
	for i, v := range p.Variants {
		sizes[i] = v.Size
	}
	in.Options = []catalog.OptionInput{{Name: "Size", Values: sizes}}
	slug := strings.ToLower(strings.ReplaceAll(p.Variants[0].SKU, "-", ""))
	in.Images = []catalog.ImageInput{{URL: "https://images.skincare.test/" + slug + ".jpg", Alt: p.Title}}
	for _, v := range p.Variants {
		cost := money.Amount{Minor: v.CostEUR, Currency: "EUR"}
		in.Variants = append(in.Variants, catalog.VariantInput{
			SKU: v.SKU, Title: v.Size, Options: map[string]string{"Size": v.Size},
			Prices: []money.Amount{{Minor: v.EUR, Currency: "EUR"}, {Minor: v.USD, Currency: "USD"}},
			Cost:   &cost, WeightGrams: v.Grams,
		})
	}
	return in
}
