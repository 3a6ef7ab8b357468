package api

import (
	"storekeep/api/web"
	"storekeep/internal/catalog"
)

// inventoryService stands in until the inventory domain lands.
type inventoryService struct{}

// registerInventory wires warehouses, stock levels, the ledger and
// reservations to the admin routes.
func registerInventory(r *web.Router, opts Options, cat *catalog.Service) (*inventoryService, error) {
	return &inventoryService{}, nil
}
