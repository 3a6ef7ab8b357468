package admin

import (
	"storekeep/api/web"
	"storekeep/internal/catalog"
	"storekeep/internal/platform/auth"
)

// Catalog serves /v1/admin/products, /v1/admin/categories and
// /v1/admin/collections.
type Catalog struct{ Svc *catalog.Service }

// Catalog access: managers (and admins) write; support staff may also read.
var (
	catalogWrite = web.StaffRoles(auth.RoleManager)
	catalogRead  = web.StaffRoles(auth.RoleManager, auth.RoleSupport)
)

// RegisterCatalog adds the admin catalog routes.
func RegisterCatalog(r *web.Router, svc *catalog.Service) {
	h := Catalog{Svc: svc}
	r.POST("/v1/admin/products", catalogWrite, h.createProduct)
	r.GET("/v1/admin/products", catalogRead, h.listProducts)
	r.GET("/v1/admin/products/:id", catalogRead, h.getProduct)
	r.PATCH("/v1/admin/products/:id", catalogWrite, h.updateProduct)
	r.DELETE("/v1/admin/products/:id", catalogWrite, h.archiveProduct)
	r.POST("/v1/admin/products/:id/variants", catalogWrite, h.addVariant)
	r.PATCH("/v1/admin/products/:id/variants/:variant_id", catalogWrite, h.updateVariant)
	r.DELETE("/v1/admin/products/:id/variants/:variant_id", catalogWrite, h.removeVariant)
	r.POST("/v1/admin/sales-channels/:id/products", catalogWrite, h.setChannelProducts)

	r.POST("/v1/admin/categories", catalogWrite, h.createCategory)
	r.GET("/v1/admin/categories", catalogRead, h.listCategories)
	r.GET("/v1/admin/categories/:id", catalogRead, h.getCategory)
	r.PATCH("/v1/admin/categories/:id", catalogWrite, h.updateCategory)
	r.DELETE("/v1/admin/categories/:id", catalogWrite, h.deleteCategory)

	r.POST("/v1/admin/collections", catalogWrite, h.createCollection)
	r.GET("/v1/admin/collections", catalogRead, h.listCollections)
	r.GET("/v1/admin/collections/:id", catalogRead, h.getCollection)
	r.PATCH("/v1/admin/collections/:id", catalogWrite, h.updateCollection)
	r.DELETE("/v1/admin/collections/:id", catalogWrite, h.deleteCollection)
}
