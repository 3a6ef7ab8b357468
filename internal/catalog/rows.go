package catalog

import "time"

// The GORM row types of the catalog tables. They never leave the package:
// the service maps them to Product, Category and Collection.

type productRow struct {
	ID             string `gorm:"column:id;primaryKey"`
	Handle         string `gorm:"column:handle"`
	Title          string `gorm:"column:title"`
	Description    string `gorm:"column:description"`
	Status         Status `gorm:"column:status"`
	Tags           string `gorm:"column:tags"`       // JSON array
	Attributes     string `gorm:"column:attributes"` // JSON object
	SEOTitle       string `gorm:"column:seo_title"`
	SEODescription string `gorm:"column:seo_description"`
	SortTitle      string `gorm:"column:sort_title"`
	SearchA        string `gorm:"column:search_a"`
	SearchB        string `gorm:"column:search_b"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ArchivedAt     *time.Time
	// SortKey is the listing's sort value, read only, for the next cursor.
	SortKey *string `gorm:"column:sort_key;->"`
}

func (productRow) TableName() string { return "products" }

type optionRow struct {
	ProductID string `gorm:"column:product_id;primaryKey"`
	Position  int    `gorm:"column:position;primaryKey"`
	Name      string `gorm:"column:name"`
	Vals      string `gorm:"column:vals"` // JSON array
}

func (optionRow) TableName() string { return "product_options" }

type variantRow struct {
	ID             string  `gorm:"column:id;primaryKey"`
	ProductID      string  `gorm:"column:product_id"`
	SKU            string  `gorm:"column:sku"`
	Title          string  `gorm:"column:title"`
	Options        string  `gorm:"column:options"` // JSON object
	CostAmount     *int64  `gorm:"column:cost_amount"`
	CostCurrency   *string `gorm:"column:cost_currency"`
	WeightGrams    int     `gorm:"column:weight_grams"`
	Position       int     `gorm:"column:position"`
	AllowBackorder bool    `gorm:"column:allow_backorder"`
	Available      int     `gorm:"column:available"` // placeholder stock; updates never select it
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ArchivedAt     *time.Time
}

func (variantRow) TableName() string { return "variants" }

type priceRow struct {
	VariantID string `gorm:"column:variant_id;primaryKey"`
	ProductID string `gorm:"column:product_id"`
	Currency  string `gorm:"column:currency;primaryKey"`
	Amount    int64  `gorm:"column:amount"`
}

func (priceRow) TableName() string { return "variant_prices" }

type imageRow struct {
	ProductID string `gorm:"column:product_id;primaryKey"`
	Position  int    `gorm:"column:position;primaryKey"`
	URL       string `gorm:"column:url"`
	Alt       string `gorm:"column:alt"`
}

func (imageRow) TableName() string { return "product_images" }

type productCategoryRow struct {
	ProductID  string `gorm:"column:product_id;primaryKey"`
	CategoryID string `gorm:"column:category_id;primaryKey"`
}

func (productCategoryRow) TableName() string { return "product_categories" }

type productCollectionRow struct {
	ProductID    string `gorm:"column:product_id;primaryKey"`
	CollectionID string `gorm:"column:collection_id;primaryKey"`
}

func (productCollectionRow) TableName() string { return "product_collections" }

// Entity types of the translations table.
const (
	entityProduct    = "product"
	entityCategory   = "category"
	entityCollection = "collection"
)

type translationRow struct {
	EntityType     string `gorm:"column:entity_type;primaryKey"`
	EntityID       string `gorm:"column:entity_id;primaryKey"`
	Locale         string `gorm:"column:locale;primaryKey"`
	Title          string `gorm:"column:title"`
	Description    string `gorm:"column:description"`
	SEOTitle       string `gorm:"column:seo_title"`
	SEODescription string `gorm:"column:seo_description"`
	SortTitle      string `gorm:"column:sort_title"`
}

func (translationRow) TableName() string { return "translations" }

type categoryRow struct {
	ID          string  `gorm:"column:id;primaryKey"`
	ParentID    *string `gorm:"column:parent_id"`
	Handle      string  `gorm:"column:handle"`
	Name        string  `gorm:"column:name"`
	Description string  `gorm:"column:description"`
	Position    int     `gorm:"column:position"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (categoryRow) TableName() string { return "categories" }

type collectionRow struct {
	ID          string `gorm:"column:id;primaryKey"`
	Handle      string `gorm:"column:handle"`
	Title       string `gorm:"column:title"`
	Description string `gorm:"column:description"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (collectionRow) TableName() string { return "collections" }
