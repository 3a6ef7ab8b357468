package catalog

import (
	"fmt"
	"maps"
	"strings"

	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/money"
)

// productState is the complete desired state of a product. Create, PATCH and
// the variant sub-routes all build one, validate it as a whole and persist it,
// so every path enforces the same rules.
type productState struct {
	ID            string // empty for a new product
	Handle        string
	HandleChanged bool // explicit handle given in this request
	Title         string
	Description   string
	Status        Status
	CategoryIDs   []string
	CollectionIDs []string
	Tags          []string
	Attributes    map[string]any
	Options       []Option
	Variants      []variantState
	Images        []Image
	SEO           SEO
	Translations  map[string]Translation
	// SalesChannelIDs are the channels the product is sold on.
	SalesChannelIDs []string
}

// variantState is one desired variant.
type variantState struct {
	ID             string // empty for a new variant
	SKU            string
	Title          string // empty: derived from the option values
	Options        map[string]string
	Prices         []money.Amount
	Cost           *money.Amount
	WeightGrams    int
	AllowBackorder bool
	// path prefixes this variant's error fields ("variants[2]"), "" when the
	// request body is the variant itself (the variant sub-routes).
	path string
	// touched marks the variants this request changes, so a clash between two
	// variants is reported on the one the client sent.
	touched bool
}

func (v variantState) field(name string) string {
	if v.path == "" {
		return name
	}
	return v.path + "." + name
}

// newState builds the state of a product to create.
func newState(in ProductInput) *productState {
	st := &productState{
		Handle: in.Handle, HandleChanged: in.Handle != "",
		Title: in.Title, Description: in.Description, Status: Status(in.Status),
		CategoryIDs: in.CategoryIDs, CollectionIDs: in.CollectionIDs,
		Tags: in.Tags, Attributes: in.Attributes,
		Options: optionsFrom(in.Options), Images: imagesFrom(in.Images),
		SEO: seoFrom(in.SEO), Translations: map[string]Translation{},
	}
	if st.Status == "" {
		st.Status = StatusDraft
	}
	st.SalesChannelIDs = in.SalesChannelIDs
	if st.SalesChannelIDs == nil {
		st.SalesChannelIDs = []string{channel.DefaultID}
	}
	for l, t := range in.Translations {
		st.Translations[l] = translationFrom(t)
	}
	st.Variants = variantsFrom(in.Variants)
	return st
}

// stateOf turns a stored product (admin view) into a state to modify.
func stateOf(p *Product) *productState {
	st := &productState{
		ID: p.ID, Handle: p.Handle, Title: p.Title, Description: p.Description, Status: p.Status,
		CategoryIDs: p.CategoryIDs, CollectionIDs: p.CollectionIDs, Tags: p.Tags,
		Attributes: p.Attributes, Options: p.Options, Images: p.Images, SEO: p.SEO,
		Translations: maps.Clone(p.Translations), SalesChannelIDs: p.SalesChannelIDs,
	}
	if st.Translations == nil {
		st.Translations = map[string]Translation{}
	}
	for i, v := range p.Variants {
		st.Variants = append(st.Variants, variantState{
			ID: v.ID, SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices,
			Cost: v.Cost, WeightGrams: v.WeightGrams, AllowBackorder: v.AllowBackorder,
			path: fmt.Sprintf("variants[%d]", i),
		})
	}
	return st
}

// applyPatch overlays a PATCH body on st.
func (st *productState) applyPatch(p ProductPatch) {
	if p.Title != nil {
		st.Title = *p.Title
	}
	if p.Handle != nil {
		st.Handle, st.HandleChanged = *p.Handle, true
	}
	if p.Description != nil {
		st.Description = *p.Description
	}
	if p.Status != nil {
		st.Status = Status(*p.Status)
	}
	if p.CategoryIDs != nil {
		st.CategoryIDs = p.CategoryIDs
	}
	if p.CollectionIDs != nil {
		st.CollectionIDs = p.CollectionIDs
	}
	if p.SalesChannelIDs != nil {
		st.SalesChannelIDs = p.SalesChannelIDs
	}
	if p.Tags != nil {
		st.Tags = p.Tags
	}
	if p.Attributes != nil {
		st.Attributes = p.Attributes
	}
	if p.Options != nil {
		st.Options = optionsFrom(p.Options)
	}
	if p.Images != nil {
		st.Images = imagesFrom(p.Images)
	}
	if p.SEO != nil {
		st.SEO = seoFrom(p.SEO)
	}
	for l, t := range p.Translations {
		if t == nil {
			delete(st.Translations, l)
			continue
		}
		st.Translations[l] = translationFrom(*t)
	}
	if p.Variants != nil {
		st.Variants = variantsFrom(p.Variants)
	}
}

// applyVariantPatch overlays a variant PATCH on the variant at index i.
func (st *productState) applyVariantPatch(i int, p VariantPatch) {
	v := &st.Variants[i]
	v.path, v.touched = "", true
	if p.SKU != nil {
		v.SKU = *p.SKU
	}
	if p.Title != nil {
		v.Title = *p.Title
	}
	if p.Options != nil {
		v.Options = p.Options
	}
	if p.Prices != nil {
		v.Prices = p.Prices
	}
	if p.Cost != nil {
		v.Cost = p.Cost
	}
	if p.WeightGrams != nil {
		v.WeightGrams = *p.WeightGrams
	}
	if p.AllowBackorder != nil {
		v.AllowBackorder = *p.AllowBackorder
	}
}

func variantsFrom(in []VariantInput) []variantState {
	out := make([]variantState, 0, len(in))
	for i, v := range in {
		out = append(out, variantState{
			ID: v.ID, SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices, Cost: v.Cost,
			WeightGrams: v.WeightGrams, AllowBackorder: v.AllowBackorder,
			path: fmt.Sprintf("variants[%d]", i), touched: true,
		})
	}
	return out
}

func variantFrom(v VariantInput) variantState {
	return variantState{
		SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices, Cost: v.Cost,
		WeightGrams: v.WeightGrams, AllowBackorder: v.AllowBackorder, touched: true,
	}
}

func optionsFrom(in []OptionInput) []Option {
	out := make([]Option, 0, len(in))
	for _, o := range in {
		out = append(out, Option{Name: strings.TrimSpace(o.Name), Values: o.Values})
	}
	return out
}

func imagesFrom(in []ImageInput) []Image {
	out := make([]Image, 0, len(in))
	for _, im := range in {
		out = append(out, Image{URL: strings.TrimSpace(im.URL), Alt: im.Alt})
	}
	return out
}

func seoFrom(in *SEOInput) SEO {
	if in == nil {
		return SEO{}
	}
	return SEO{Title: in.Title, Description: in.Description}
}

func translationFrom(t TranslationInput) Translation {
	return Translation{Title: t.Title, Description: t.Description, SEO: seoFrom(t.SEO)}
}

// variantTitle is the title a variant gets when none is given: its option
// values in option order ("150 ml / Rose"), or "Default" without options.
func variantTitle(opts []Option, values map[string]string) string {
	parts := make([]string, 0, len(opts))
	for _, o := range opts {
		if v := values[o.Name]; v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return "Default"
	}
	return strings.Join(parts, " / ")
}
