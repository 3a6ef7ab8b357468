package catalog

import (
	"time"

	"storekeep/internal/platform/money"
)

// Status is a product's lifecycle state.
type Status string

// Product statuses. Only published products are visible in the store.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusPublished || s == StatusArchived
}

// DefaultLocale is the language of a product's own fields; translations
// override them field by field.
const DefaultLocale = "en"

// Product is a product as the service returns it. Store reads fill Locale
// (and Price when a currency was asked for) and leave Translations and
// variant costs empty; admin reads fill Translations and costs.
type Product struct {
	ID            string
	Handle        string
	Title         string
	Description   string
	Status        Status
	CategoryIDs   []string
	CollectionIDs []string
	Tags          []string
	Attributes    map[string]any
	Options       []Option
	Variants      []Variant
	Images        []Image
	SEO           SEO
	// Translations by locale; admin reads only.
	Translations map[string]Translation
	// SalesChannelIDs are the channels the product is sold on; admin reads only.
	SalesChannelIDs []string
	// Locale is the language the text fields are in (store reads).
	Locale string
	// Price is the cheapest variant price in the requested currency (store reads).
	Price      *money.Amount
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// Option is one option axis of a product, such as Size with its values.
type Option struct {
	Name   string
	Values []string
}

// Variant is a sellable version of a product.
type Variant struct {
	ID             string
	SKU            string
	Title          string
	Options        map[string]string
	Prices         []money.Amount
	Cost           *money.Amount // admin reads only
	WeightGrams    int
	Position       int
	AllowBackorder bool
	// Available is sellable stock (a placeholder column until inventory owns it).
	Available int
	// InStock is Available > 0 or AllowBackorder.
	InStock bool
}

// Image is a product image by URL.
type Image struct {
	URL string
	Alt string
}

// SEO holds search-engine fields.
type SEO struct {
	Title       string
	Description string
}

// Translation is the localised text of a product, category or collection in
// one locale. Empty fields fall back to the default language.
type Translation struct {
	Title       string
	Description string
	SEO         SEO
}

// Category is a node of the category tree. Children is filled by Tree.
type Category struct {
	ID           string
	ParentID     string // empty for a root
	Handle       string
	Name         string
	Description  string
	Position     int
	Translations map[string]Translation // admin reads only
	Locale       string                 // store reads
	// ProductCount is how many published products the category and its
	// descendants hold, on the request's channel (store reads).
	ProductCount int
	Children     []Category
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Collection is a curated group of products.
type Collection struct {
	ID           string
	Handle       string
	Title        string
	Description  string
	Translations map[string]Translation // admin reads only
	Locale       string                 // store reads
	CreatedAt    time.Time
	UpdatedAt    time.Time
}
