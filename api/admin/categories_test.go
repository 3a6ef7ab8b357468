package admin_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api/admin"
	"storekeep/internal/catalog"
)

func TestCategoryTreeRules(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	root := c.createCategory(map[string]any{"name": "Skincare"})
	child := c.createCategory(map[string]any{"name": "Cleansers", "parent_id": root.ID,
		"translations": map[string]any{"fr": map[string]any{"name": "Nettoyants"}}})
	grandchild := c.createCategory(map[string]any{"name": "Gel Cleansers", "parent_id": child.ID, "handle": "gels"})
	if child.Handle != "cleansers" || grandchild.Handle != "gels" || *child.ParentID != root.ID {
		t.Fatalf("created %+v, %+v", child, grandchild)
	}
	if d := cmp.Diff(map[string]catalog.NameTranslation{"fr": {Name: "Nettoyants"}}, child.Translations); d != "" {
		t.Errorf("translations (-want +got):\n%s", d)
	}
	p := c.createProduct(func() map[string]any {
		b := sizedProduct("Gel", "GEL")
		b["category_ids"] = []string{grandchild.ID}
		return b
	}())

	before := catalogCounts(t, c.h)
	for name, parent := range map[string]string{"itself": root.ID, "a child": child.ID, "a grandchild": grandchild.ID} {
		t.Run("under "+name, func(t *testing.T) {
			pr := c.do(http.MethodPatch, "/v1/admin/categories/"+root.ID, map[string]any{"parent_id": parent}).
				ExpectProblem(t, http.StatusUnprocessableEntity, "category_cycle")
			if d := cmp.Diff([]string{"parent_id"}, fieldsOf(pr)); d != "" {
				t.Errorf("fields (-want +got):\n%s", d)
			}
		})
	}
	c.do(http.MethodPatch, "/v1/admin/categories/"+child.ID, map[string]any{"parent_id": "cat_06h1wbq289tcsfkv0n05e2brnc"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPost, "/v1/admin/categories", map[string]any{"name": "Orphan", "parent_id": "cat_06h1wbq289tcsfkv0n05e2brnc"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPost, "/v1/admin/categories", map[string]any{"name": ""}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPost, "/v1/admin/categories", map[string]any{"name": "Dup", "handle": "gels"}).
		ExpectProblem(t, http.StatusConflict, "handle_taken")
	c.do(http.MethodPost, "/v1/admin/categories", map[string]any{"name": "Dup", "id": root.ID}).
		ExpectProblem(t, http.StatusBadRequest, "malformed_request")
	c.do(http.MethodDelete, "/v1/admin/categories/"+root.ID, nil).ExpectProblem(t, http.StatusConflict, "category_has_children")
	c.do(http.MethodDelete, "/v1/admin/categories/nope", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	c.do(http.MethodGet, "/v1/admin/categories/cat_06h1wbq289tcsfkv0n05e2brnc", nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	unchanged(t, c.h, before)

	// Moving the grandchild to the root, then under the root, is fine.
	var moved admin.Category
	c.do(http.MethodPatch, "/v1/admin/categories/"+grandchild.ID, map[string]any{"parent_id": ""}).
		Expect(t, http.StatusOK).JSON(t, &moved)
	if moved.ParentID != nil {
		t.Errorf("parent after moving to the root = %v", *moved.ParentID)
	}
	c.do(http.MethodPatch, "/v1/admin/categories/"+grandchild.ID, map[string]any{"parent_id": root.ID, "name": "Gels",
		"translations": map[string]any{"fr": map[string]any{"name": "Gels"}}}).Expect(t, http.StatusOK).JSON(t, &moved)
	if *moved.ParentID != root.ID || moved.Name != "Gels" || moved.Handle != "gels" || moved.Translations["fr"].Name != "Gels" {
		t.Errorf("moved = %+v", moved)
	}

	// A leaf can go; its products lose it.
	c.do(http.MethodDelete, "/v1/admin/categories/"+grandchild.ID, nil).Expect(t, http.StatusNoContent)
	var got admin.Product
	c.do(http.MethodGet, "/v1/admin/products/"+p.ID, nil).Expect(t, http.StatusOK).JSON(t, &got)
	if len(got.CategoryIDs) != 0 {
		t.Errorf("product categories after deleting the category = %v", got.CategoryIDs)
	}
	var l admin.CategoryList
	c.do(http.MethodGet, "/v1/admin/categories?limit=1", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != root.ID || l.NextCursor == nil {
		t.Fatalf("first page = %+v", l)
	}
	c.do(http.MethodGet, "/v1/admin/categories?limit=1&cursor="+*l.NextCursor, nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != child.ID || l.NextCursor != nil {
		t.Errorf("second page = %+v", l)
	}
}

func TestCollectionCRUD(t *testing.T) {
	t.Parallel()
	c := newCatalogClient(t)
	col := c.createCollection(map[string]any{"title": "Best Sellers", "description": "Loved.",
		"translations": map[string]any{"fr": map[string]any{"title": "Meilleures ventes"}}})
	if col.Handle != "best-sellers" || col.Translations["fr"].Title != "Meilleures ventes" {
		t.Fatalf("created %+v", col)
	}
	p := c.createProduct(func() map[string]any {
		b := sizedProduct("In Collection", "IC")
		b["collection_ids"] = []string{col.ID, col.ID}
		return b
	}())
	if d := cmp.Diff([]string{col.ID}, p.CollectionIDs); d != "" {
		t.Errorf("collection_ids (-want +got):\n%s", d)
	}

	before := catalogCounts(t, c.h)
	c.do(http.MethodPatch, "/v1/admin/collections/"+col.ID, map[string]any{"title": ""}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, "/v1/admin/collections/"+col.ID, map[string]any{"handle": "Bad Handle"}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, "/v1/admin/collections/"+col.ID, map[string]any{"translations": map[string]any{"xx_YY": map[string]any{}}}).
		ExpectProblem(t, http.StatusUnprocessableEntity, "validation_failed")
	c.do(http.MethodPatch, "/v1/admin/collections/col_06h1wbq289tcsfkv0n05e2brnc", map[string]any{"title": "x"}).
		ExpectProblem(t, http.StatusNotFound, "not_found")
	unchanged(t, c.h, before)

	var got admin.Collection
	c.do(http.MethodPatch, "/v1/admin/collections/"+col.ID, map[string]any{"title": "Bestsellers", "handle": "bestsellers",
		"translations": map[string]any{"fr": nil}}).Expect(t, http.StatusOK).JSON(t, &got)
	if got.Title != "Bestsellers" || got.Handle != "bestsellers" || got.Description != "Loved." || len(got.Translations) != 0 {
		t.Errorf("patched %+v", got)
	}
	var l admin.CollectionList
	c.do(http.MethodGet, "/v1/admin/collections", nil).Expect(t, http.StatusOK).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != col.ID {
		t.Errorf("list = %+v", l)
	}
	c.do(http.MethodDelete, "/v1/admin/collections/"+col.ID, nil).Expect(t, http.StatusNoContent)
	c.do(http.MethodGet, "/v1/admin/collections/"+col.ID, nil).ExpectProblem(t, http.StatusNotFound, "not_found")
	var prod admin.Product
	c.do(http.MethodGet, "/v1/admin/products/"+p.ID, nil).Expect(t, http.StatusOK).JSON(t, &prod)
	if len(prod.CollectionIDs) != 0 {
		t.Errorf("collection_ids after delete = %v", prod.CollectionIDs)
	}
}
