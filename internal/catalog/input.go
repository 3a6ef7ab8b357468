package catalog

import "storekeep/internal/platform/money"

// The request bodies of the admin catalog routes, also used by Go callers such
// as the demo seeder. The service validates every field itself (so all callers
// are covered); the tags below only describe the fields in the contract.

// ProductInput creates a product.
type ProductInput struct {
	Title       string `json:"title" binding:"required" maxLength:"200" example:"Gentle Foaming Cleanser"`
	Handle      string `json:"handle,omitempty" maxLength:"120" example:"gentle-foaming-cleanser"` // generated from the title when empty
	Description string `json:"description,omitempty" text:"free" maxLength:"20000" example:"A soap-free gel cleanser for every skin type."`
	// Status defaults to draft.
	Status        string                      `json:"status,omitempty" enums:"draft,published,archived" example:"published"`
	CategoryIDs   []string                    `json:"category_ids,omitempty"`
	CollectionIDs []string                    `json:"collection_ids,omitempty"`
	Tags          []string                    `json:"tags,omitempty" example:"vegan,fragrance-free"`
	Attributes    map[string]any              `json:"attributes,omitempty"`
	Options       []OptionInput               `json:"options,omitempty"`
	Variants      []VariantInput              `json:"variants" binding:"required"`
	Images        []ImageInput                `json:"images,omitempty"`
	SEO           *SEOInput                   `json:"seo,omitempty"`
	Translations  map[string]TranslationInput `json:"translations,omitempty"`
	// SalesChannelIDs are the channels the product is sold on; absent: the
	// default web channel only (what a shop without channels expects).
	SalesChannelIDs []string `json:"sales_channel_ids,omitempty" example:"sc_00000000000000000000000web"`
} // @name ProductInput

// ProductPatch changes some fields of a product. Absent fields are unchanged;
// lists, attributes and seo given are replaced whole. variants, when given, is
// the complete new list: entries with an id keep and overwrite that variant,
// entries without one are new, and live variants left out are removed.
// translations is merged per locale; a null locale removes that translation.
type ProductPatch struct {
	Title         *string                      `json:"title,omitempty" maxLength:"200" example:"Gentle Foaming Cleanser"`
	Handle        *string                      `json:"handle,omitempty" maxLength:"120" example:"gentle-foaming-cleanser"`
	Description   *string                      `json:"description,omitempty" text:"free" maxLength:"20000"`
	Status        *string                      `json:"status,omitempty" enums:"draft,published,archived" example:"published"`
	CategoryIDs   []string                     `json:"category_ids,omitempty"`
	CollectionIDs []string                     `json:"collection_ids,omitempty"`
	Tags          []string                     `json:"tags,omitempty"`
	Attributes    map[string]any               `json:"attributes,omitempty"`
	Options       []OptionInput                `json:"options,omitempty"`
	Variants      []VariantInput               `json:"variants,omitempty"`
	Images        []ImageInput                 `json:"images,omitempty"`
	SEO           *SEOInput                    `json:"seo,omitempty"`
	Translations  map[string]*TranslationInput `json:"translations,omitempty"`
	// SalesChannelIDs, when given, replaces the channels the product is sold
	// on ([] takes it off every channel).
	SalesChannelIDs []string `json:"sales_channel_ids,omitempty" example:"sc_00000000000000000000000web"`
} // @name ProductPatch

// OptionInput is one option axis and its values, in display order.
type OptionInput struct {
	Name   string   `json:"name" binding:"required" maxLength:"50" example:"Size"`
	Values []string `json:"values" binding:"required" example:"150 ml,300 ml"`
} // @name OptionInput

// VariantInput is a whole variant. ID is only meaningful in a product PATCH's
// variants list, where it names the existing variant the entry replaces.
type VariantInput struct {
	ID    string `json:"id,omitempty" example:"var_01jq3v6m2b8k9x7c5d4e3f2g1h"`
	SKU   string `json:"sku" binding:"required" maxLength:"64" example:"GFC-150"`
	Title string `json:"title,omitempty" maxLength:"200" example:"150 ml"` // defaults to the option values joined by " / "
	// Options maps each product option name to this variant's value.
	Options        map[string]string `json:"options,omitempty"`
	Prices         []money.Amount    `json:"prices" binding:"required"`
	Cost           *money.Amount     `json:"cost,omitempty"`
	WeightGrams    int               `json:"weight_grams,omitempty" minimum:"0" maximum:"1000000" example:"180"`
	AllowBackorder bool              `json:"allow_backorder,omitempty"`
} // @name VariantInput

// VariantPatch changes some fields of one variant; absent fields are unchanged
// and prices, when given, replace the variant's prices.
type VariantPatch struct {
	SKU            *string           `json:"sku,omitempty" maxLength:"64" example:"GFC-150"`
	Title          *string           `json:"title,omitempty" maxLength:"200" example:"150 ml"`
	Options        map[string]string `json:"options,omitempty"`
	Prices         []money.Amount    `json:"prices,omitempty"`
	Cost           *money.Amount     `json:"cost,omitempty"`
	WeightGrams    *int              `json:"weight_grams,omitempty" minimum:"0" maximum:"1000000" example:"180"`
	AllowBackorder *bool             `json:"allow_backorder,omitempty"`
} // @name VariantPatch

// ImageInput is an image by absolute http(s) URL.
type ImageInput struct {
	URL string `json:"url" binding:"required" maxLength:"2048" example:"https://cdn.example.com/cleanser.jpg"`
	Alt string `json:"alt,omitempty" maxLength:"300" example:"A white bottle of cleanser"`
} // @name ImageInput

// SEOInput holds search-engine fields.
type SEOInput struct {
	Title       string `json:"title,omitempty" maxLength:"200" example:"Gentle Foaming Cleanser | The Skincare Manager"`
	Description string `json:"description,omitempty" text:"free" maxLength:"500" example:"Soap-free daily cleanser."`
} // @name SEOInput

// TranslationInput is a product's text in one locale; empty fields fall back
// to the default language.
type TranslationInput struct {
	Title       string    `json:"title,omitempty" maxLength:"200" example:"Nettoyant moussant doux"`
	Description string    `json:"description,omitempty" text:"free" maxLength:"20000"`
	SEO         *SEOInput `json:"seo,omitempty"`
} // @name TranslationInput

// CategoryInput creates a category.
type CategoryInput struct {
	Name        string `json:"name" binding:"required" maxLength:"200" example:"Cleansers"`
	Handle      string `json:"handle,omitempty" maxLength:"120" example:"cleansers"`
	Description string `json:"description,omitempty" text:"free" maxLength:"20000"`
	// ParentID places the category under another; empty for a root.
	ParentID     string                     `json:"parent_id,omitempty" example:"cat_01jq3v6m2b8k9x7c5d4e3f2g1h"`
	Position     int                        `json:"position,omitempty" minimum:"0" maximum:"100000"`
	Translations map[string]NameTranslation `json:"translations,omitempty"`
} // @name CategoryInput

// CategoryPatch changes some fields of a category. parent_id "" moves it to
// the root.
type CategoryPatch struct {
	Name         *string                     `json:"name,omitempty" maxLength:"200" example:"Cleansers"`
	Handle       *string                     `json:"handle,omitempty" maxLength:"120" example:"cleansers"`
	Description  *string                     `json:"description,omitempty" text:"free" maxLength:"20000"`
	ParentID     *string                     `json:"parent_id,omitempty" example:"cat_01jq3v6m2b8k9x7c5d4e3f2g1h"`
	Position     *int                        `json:"position,omitempty" minimum:"0" maximum:"100000"`
	Translations map[string]*NameTranslation `json:"translations,omitempty"`
} // @name CategoryPatch

// NameTranslation is a category's name and description in one locale.
type NameTranslation struct {
	Name        string `json:"name,omitempty" maxLength:"200" example:"Nettoyants"`
	Description string `json:"description,omitempty" text:"free" maxLength:"20000"`
} // @name CategoryTranslation

// CollectionInput creates a collection.
type CollectionInput struct {
	Title        string                      `json:"title" binding:"required" maxLength:"200" example:"Best sellers"`
	Handle       string                      `json:"handle,omitempty" maxLength:"120" example:"best-sellers"`
	Description  string                      `json:"description,omitempty" text:"free" maxLength:"20000"`
	Translations map[string]TitleTranslation `json:"translations,omitempty"`
} // @name CollectionInput

// CollectionPatch changes some fields of a collection.
type CollectionPatch struct {
	Title        *string                      `json:"title,omitempty" maxLength:"200" example:"Best sellers"`
	Handle       *string                      `json:"handle,omitempty" maxLength:"120" example:"best-sellers"`
	Description  *string                      `json:"description,omitempty" text:"free" maxLength:"20000"`
	Translations map[string]*TitleTranslation `json:"translations,omitempty"`
} // @name CollectionPatch

// TitleTranslation is a collection's title and description in one locale.
type TitleTranslation struct {
	Title       string `json:"title,omitempty" maxLength:"200" example:"Meilleures ventes"`
	Description string `json:"description,omitempty" text:"free" maxLength:"20000"`
} // @name CollectionTranslation
