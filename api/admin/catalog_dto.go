package admin

import (
	"time"

	"storekeep/api/store"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/money"
)

// Product is a product as staff see it: any status, with variant costs
// and every translation.
type Product struct {
	ID            string                        `json:"id" binding:"required" example:"prod_06h1wbq289tcsfkv0n05e2brnc"`
	Handle        string                        `json:"handle" binding:"required" example:"gentle-foaming-cleanser"`
	Title         string                        `json:"title" binding:"required" example:"Gentle Foaming Cleanser"`
	Description   string                        `json:"description" binding:"required" example:"A soap-free gel cleanser for every skin type."`
	Status        string                        `json:"status" binding:"required" enums:"draft,published,archived" example:"published"`
	CategoryIDs   []string                      `json:"category_ids" binding:"required"`
	CollectionIDs []string                      `json:"collection_ids" binding:"required"`
	Tags          []string                      `json:"tags" binding:"required" example:"vegan,fragrance-free"`
	Attributes    map[string]any                `json:"attributes" binding:"required"`
	Options       []store.ProductOption         `json:"options" binding:"required"`
	Variants      []Variant                     `json:"variants" binding:"required"`
	Images        []store.ProductImage          `json:"images" binding:"required"`
	SEO           store.SEO                     `json:"seo" binding:"required"`
	Translations  map[string]ProductTranslation `json:"translations" binding:"required"`
	// SalesChannelIDs are the sales channels the product is sold on.
	SalesChannelIDs []string  `json:"sales_channel_ids" binding:"required" example:"sc_00000000000000000000000web"`
	CreatedAt       time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt       time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	// ArchivedAt is when the product was archived; null unless status is archived.
	ArchivedAt *time.Time `json:"archived_at" binding:"required" extensions:"x-nullable" format:"date-time"`
} // @name AdminProduct

// Variant is a variant with its cost and stock settings.
type Variant struct {
	ID             string            `json:"id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	SKU            string            `json:"sku" binding:"required" example:"GFC-150"`
	Title          string            `json:"title" binding:"required" example:"150 ml"`
	Options        map[string]string `json:"options" binding:"required"`
	Prices         []money.Amount    `json:"prices" binding:"required"`
	Cost           *money.Amount     `json:"cost,omitempty"` // absent when not set
	WeightGrams    int               `json:"weight_grams" binding:"required" example:"180"`
	Position       int               `json:"position" binding:"required" example:"0"`
	AllowBackorder bool              `json:"allow_backorder" binding:"required" example:"false"`
	Available      int               `json:"available" binding:"required" example:"12"`
	InStock        bool              `json:"in_stock" binding:"required" example:"true"`
} // @name AdminVariant

// ProductTranslation is a product's text in one locale; empty fields fall
// back to the default language.
type ProductTranslation struct {
	Title       string    `json:"title" binding:"required" example:"Nettoyant moussant doux"`
	Description string    `json:"description" binding:"required"`
	SEO         store.SEO `json:"seo" binding:"required"`
} // @name ProductTranslation

// ProductList is a page of products.
type ProductList struct {
	Data       []Product `json:"data" binding:"required"`
	NextCursor *string   `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AdminProductList

// Category is a category with its translations.
type Category struct {
	ID           string                             `json:"id" binding:"required" example:"cat_06h1wbq289tcsfkv0n05e2brnc"`
	ParentID     *string                            `json:"parent_id" binding:"required" extensions:"x-nullable"`
	Handle       string                             `json:"handle" binding:"required" example:"cleansers"`
	Name         string                             `json:"name" binding:"required" example:"Cleansers"`
	Description  string                             `json:"description" binding:"required"`
	Position     int                                `json:"position" binding:"required" example:"0"`
	Translations map[string]catalog.NameTranslation `json:"translations" binding:"required"`
	CreatedAt    time.Time                          `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt    time.Time                          `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name AdminCategory

// CategoryList is a page of categories, flat.
type CategoryList struct {
	Data       []Category `json:"data" binding:"required"`
	NextCursor *string    `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AdminCategoryList

// Collection is a collection with its translations.
type Collection struct {
	ID           string                              `json:"id" binding:"required" example:"col_06h1wbq289tcsfkv0n05e2brnc"`
	Handle       string                              `json:"handle" binding:"required" example:"bestsellers"`
	Title        string                              `json:"title" binding:"required" example:"Bestsellers"`
	Description  string                              `json:"description" binding:"required"`
	Translations map[string]catalog.TitleTranslation `json:"translations" binding:"required"`
	CreatedAt    time.Time                           `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt    time.Time                           `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name AdminCollection

// CollectionList is a page of collections.
type CollectionList struct {
	Data       []Collection `json:"data" binding:"required"`
	NextCursor *string      `json:"next_cursor" binding:"required" extensions:"x-nullable"`
} // @name AdminCollectionList

// ProductOf is p as the admin API returns it: the payload of the catalog's
// product events (catalog.WithEventView).
func ProductOf(p catalog.Product) any { return adminProductOf(p) }

func adminProductOf(p catalog.Product) Product {
	out := Product{
		ID: p.ID, Handle: p.Handle, Title: p.Title, Description: p.Description, Status: string(p.Status),
		CategoryIDs: p.CategoryIDs, CollectionIDs: p.CollectionIDs, Tags: p.Tags, Attributes: p.Attributes,
		Options: store.OptionsOf(p.Options), Images: store.ImagesOf(p.Images), SEO: store.SEO(p.SEO),
		Variants:     make([]Variant, len(p.Variants)),
		Translations: make(map[string]ProductTranslation, len(p.Translations)),
		CreatedAt:    p.CreatedAt, UpdatedAt: p.UpdatedAt, ArchivedAt: p.ArchivedAt,
		SalesChannelIDs: p.SalesChannelIDs,
	}
	if out.SalesChannelIDs == nil {
		out.SalesChannelIDs = []string{}
	}
	for i, v := range p.Variants {
		out.Variants[i] = Variant{ID: v.ID, SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices,
			Cost: v.Cost, WeightGrams: v.WeightGrams, Position: v.Position, AllowBackorder: v.AllowBackorder,
			Available: v.Available, InStock: v.InStock}
	}
	for l, t := range p.Translations {
		out.Translations[l] = ProductTranslation{Title: t.Title, Description: t.Description, SEO: store.SEO(t.SEO)}
	}
	return out
}

func adminCategoryOf(c catalog.Category) Category {
	out := Category{ID: c.ID, Handle: c.Handle, Name: c.Name, Description: c.Description, Position: c.Position,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Translations: make(map[string]catalog.NameTranslation, len(c.Translations))}
	if c.ParentID != "" {
		parent := c.ParentID
		out.ParentID = &parent
	}
	for l, t := range c.Translations {
		out.Translations[l] = catalog.NameTranslation{Name: t.Title, Description: t.Description}
	}
	return out
}

func adminCollectionOf(c catalog.Collection) Collection {
	out := Collection{ID: c.ID, Handle: c.Handle, Title: c.Title, Description: c.Description,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Translations: make(map[string]catalog.TitleTranslation, len(c.Translations))}
	for l, t := range c.Translations {
		out.Translations[l] = catalog.TitleTranslation{Title: t.Title, Description: t.Description}
	}
	return out
}
