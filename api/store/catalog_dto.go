package store

import (
	"time"

	"storekeep/internal/catalog"
	"storekeep/internal/platform/money"
	"storekeep/internal/reviews"
)

// Product is a published product as a storefront sees it: localised, never
// with costs or translations.
type Product struct {
	ID            string   `json:"id" binding:"required" example:"prod_06h1wbq289tcsfkv0n05e2brnc"`
	Handle        string   `json:"handle" binding:"required" example:"gentle-foaming-cleanser"`
	Title         string   `json:"title" binding:"required" example:"Gentle Foaming Cleanser"`
	Description   string   `json:"description" binding:"required" example:"A soap-free gel cleanser for every skin type."`
	Status        string   `json:"status" binding:"required" enums:"draft,published,archived" example:"published"`
	CategoryIDs   []string `json:"category_ids" binding:"required"`
	CollectionIDs []string `json:"collection_ids" binding:"required"`
	Tags          []string `json:"tags" binding:"required" example:"vegan,fragrance-free"`
	// Attributes are free-form: string, number, boolean or list-of-strings values.
	Attributes map[string]any  `json:"attributes" binding:"required"`
	Options    []ProductOption `json:"options" binding:"required"`
	Variants   []Variant       `json:"variants" binding:"required"`
	Images     []ProductImage  `json:"images" binding:"required"`
	SEO        SEO             `json:"seo" binding:"required"`
	// Locale is the language of the text fields.
	Locale string `json:"locale" binding:"required" example:"fr"`
	// Price is the cheapest variant price in the requested currency (only with ?currency=).
	Price *money.Amount `json:"price,omitempty"`
	// Rating is the average and count of the product's approved reviews.
	Rating    reviews.Rating `json:"rating" binding:"required"`
	CreatedAt time.Time      `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt time.Time      `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Product

// ProductOption is one option axis of a product and its values.
type ProductOption struct {
	Name   string   `json:"name" binding:"required" example:"Size"`
	Values []string `json:"values" binding:"required" example:"150 ml,300 ml"`
} // @name ProductOption

// Variant is a sellable version of a product.
type Variant struct {
	ID    string `json:"id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	SKU   string `json:"sku" binding:"required" example:"GFC-150"`
	Title string `json:"title" binding:"required" example:"150 ml"`
	// Options maps each product option name to this variant's value.
	Options map[string]string `json:"options" binding:"required"`
	// Prices lists one price per currency (only the requested one with ?currency=).
	Prices []money.Amount `json:"prices" binding:"required"`
	// Available is the quantity that can be sold now.
	Available int `json:"available" binding:"required" example:"12"`
	// InStock is available > 0, or the variant may be backordered.
	InStock bool `json:"in_stock" binding:"required" example:"true"`
} // @name Variant

// ProductImage is an image by URL.
type ProductImage struct {
	URL string `json:"url" binding:"required" example:"https://cdn.example.com/cleanser.jpg"`
	Alt string `json:"alt" binding:"required" example:"A white bottle of cleanser"`
} // @name ProductImage

// SEO holds search-engine fields.
type SEO struct {
	Title       string `json:"title" binding:"required" example:"Gentle Foaming Cleanser | The Skincare Manager"`
	Description string `json:"description" binding:"required" example:"Soap-free daily cleanser."`
} // @name SEO

// ProductList is a page of products in one locale.
type ProductList struct {
	Data       []Product `json:"data" binding:"required"`
	NextCursor *string   `json:"next_cursor" binding:"required" extensions:"x-nullable" example:"eyJrIjoibmV3ZXN0IiwiaSI6InByb2RfMDEifQ"`
	Locale     string    `json:"locale" binding:"required" example:"fr"`
} // @name ProductList

// Category is a node of the category tree.
type Category struct {
	ID          string  `json:"id" binding:"required" example:"cat_06h1wbq289tcsfkv0n05e2brnc"`
	ParentID    *string `json:"parent_id" binding:"required" extensions:"x-nullable"`
	Handle      string  `json:"handle" binding:"required" example:"cleansers"`
	Name        string  `json:"name" binding:"required" example:"Cleansers"`
	Description string  `json:"description" binding:"required" example:"Gentle cleansers that respect the skin barrier."`
	Position    int     `json:"position" binding:"required" example:"0"`
	// ProductCount is how many published products the category and its
	// descendants hold on the request's sales channel (each product once).
	ProductCount int        `json:"product_count" binding:"required" example:"12"`
	Children     []Category `json:"children" binding:"required"`
} // @name Category

// CategoryTree is every category, roots first, children nested.
type CategoryTree struct {
	Data   []Category `json:"data" binding:"required"`
	Locale string     `json:"locale" binding:"required" example:"fr"`
} // @name CategoryTree

// Collection is a curated group of products.
type Collection struct {
	ID          string `json:"id" binding:"required" example:"col_06h1wbq289tcsfkv0n05e2brnc"`
	Handle      string `json:"handle" binding:"required" example:"bestsellers"`
	Title       string `json:"title" binding:"required" example:"Bestsellers"`
	Description string `json:"description" binding:"required" example:"What our customers reorder most."`
} // @name Collection

// CollectionList is a page of collections in one locale.
type CollectionList struct {
	Data       []Collection `json:"data" binding:"required"`
	NextCursor *string      `json:"next_cursor" binding:"required" extensions:"x-nullable"`
	Locale     string       `json:"locale" binding:"required" example:"fr"`
} // @name CollectionList

// ProductOf maps a catalog product to its store shape.
func ProductOf(p catalog.Product) Product {
	out := Product{
		ID: p.ID, Handle: p.Handle, Title: p.Title, Description: p.Description, Status: string(p.Status),
		CategoryIDs: p.CategoryIDs, CollectionIDs: p.CollectionIDs, Tags: p.Tags, Attributes: p.Attributes,
		Options: OptionsOf(p.Options), Images: ImagesOf(p.Images), SEO: SEO(p.SEO),
		Locale: p.Locale, Price: p.Price, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Variants: make([]Variant, len(p.Variants)),
	}
	for i, v := range p.Variants {
		out.Variants[i] = Variant{ID: v.ID, SKU: v.SKU, Title: v.Title, Options: v.Options, Prices: v.Prices,
			Available: v.Available, InStock: v.InStock}
	}
	return out
}

// OptionsOf maps product options.
func OptionsOf(in []catalog.Option) []ProductOption {
	out := make([]ProductOption, len(in))
	for i, o := range in {
		out[i] = ProductOption{Name: o.Name, Values: o.Values}
	}
	return out
}

// ImagesOf maps product images.
func ImagesOf(in []catalog.Image) []ProductImage {
	out := make([]ProductImage, len(in))
	for i, im := range in {
		out[i] = ProductImage{URL: im.URL, Alt: im.Alt}
	}
	return out
}

func categoriesOf(in []catalog.Category) []Category {
	out := make([]Category, len(in))
	for i, c := range in {
		out[i] = Category{ID: c.ID, Handle: c.Handle, Name: c.Name, Description: c.Description,
			Position: c.Position, ProductCount: c.ProductCount, Children: categoriesOf(c.Children)}
		if c.ParentID != "" {
			parent := c.ParentID
			out[i].ParentID = &parent
		}
	}
	return out
}
