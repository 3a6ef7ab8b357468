package catalog

import "storekeep/internal/platform/errs"

// Errors the catalog returns. Codes are part of the API contract.
var (
	// ErrProductNotFound is returned for unknown, malformed or (on the store
	// side) unpublished products.
	ErrProductNotFound = errs.New(errs.NotFound, "not_found", "the product does not exist")
	// ErrVariantNotFound is returned for a variant that is not a live variant of the product.
	ErrVariantNotFound = errs.New(errs.NotFound, "not_found", "the variant does not exist")
	// ErrCategoryNotFound is returned for unknown categories.
	ErrCategoryNotFound = errs.New(errs.NotFound, "not_found", "the category does not exist")
	// ErrCollectionNotFound is returned for unknown collections.
	ErrCollectionNotFound = errs.New(errs.NotFound, "not_found", "the collection does not exist")
	// ErrHandleTaken is returned when an explicit handle is already used.
	ErrHandleTaken = errs.New(errs.Conflict, "handle_taken", "the handle is already taken")
	// ErrSKUTaken is returned when a SKU is used by another variant (live or removed).
	ErrSKUTaken = errs.New(errs.Conflict, "sku_taken", "the SKU is already taken")
	// ErrCategoryCycle is returned when a category would become its own ancestor.
	ErrCategoryCycle = errs.New(errs.Unprocessable, "category_cycle", "a category cannot be moved under itself or its descendants")
	// ErrCategoryHasChildren is returned when deleting a category that still has children.
	ErrCategoryHasChildren = errs.New(errs.Conflict, "category_has_children", "move or delete the category's children first")
	// ErrLastVariant is returned when removing a product's only live variant.
	ErrLastVariant = errs.New(errs.Unprocessable, "last_variant", "a product needs at least one variant")
	// ErrForbidden is returned when the actor may not change the catalog.
	ErrForbidden = errs.ErrForbidden
)
