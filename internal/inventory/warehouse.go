package inventory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Warehouse is a place that holds stock. Lower Priority is preferred when
// reservations allocate stock (0 before 10); ties go by id (creation order).
// Inactive warehouses keep their stock and history but are skipped by
// reservations and do not count towards a variant's store availability.
type Warehouse struct {
	ID          string    `json:"id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Code        string    `json:"code" binding:"required" example:"PAR-1"`
	Name        string    `json:"name" binding:"required" example:"Paris central"`
	CountryCode string    `json:"country_code" binding:"required" example:"FR"`
	Address     Address   `json:"address" binding:"required"`
	Priority    int       `json:"priority" binding:"required" example:"10"`
	Active      bool      `json:"active" binding:"required" example:"true"`
	CreatedAt   time.Time `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	UpdatedAt   time.Time `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Warehouse

// Address is a warehouse's street address; every part is optional.
type Address struct {
	Line1      string `json:"line1,omitempty" validate:"max=200" example:"12 rue de Rivoli"`
	Line2      string `json:"line2,omitempty" validate:"max=200"`
	City       string `json:"city,omitempty" validate:"max=100" example:"Paris"`
	Province   string `json:"province,omitempty" validate:"max=100"`
	PostalCode string `json:"postal_code,omitempty" validate:"max=20" example:"75001"`
	Phone      string `json:"phone,omitempty" validate:"max=40"`
} // @name WarehouseAddress

// WarehouseInput creates a warehouse.
type WarehouseInput struct {
	// Code is unique, 2-20 of A-Z, 0-9 and '-'; it is upper-cased first.
	Code        string   `json:"code" validate:"required,max=20" example:"PAR-1"`
	Name        string   `json:"name" validate:"required,max=200" example:"Paris central"`
	CountryCode string   `json:"country_code" validate:"required,len=2,alpha" example:"FR"`
	Address     *Address `json:"address,omitempty"`
	// Priority orders allocation: lower is preferred. Default 100.
	Priority *int `json:"priority,omitempty" validate:"omitempty,min=0,max=1000000" example:"10"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty" example:"true"`
} // @name WarehouseInput

// WarehousePatch changes a warehouse; absent fields are kept. The code is
// immutable. Setting active=false deactivates (there is no delete).
type WarehousePatch struct {
	Name        *string  `json:"name,omitempty" validate:"omitempty,min=1,max=200"`
	CountryCode *string  `json:"country_code,omitempty" validate:"omitempty,len=2,alpha"`
	Address     *Address `json:"address,omitempty"`
	Priority    *int     `json:"priority,omitempty" validate:"omitempty,min=0,max=1000000"`
	Active      *bool    `json:"active,omitempty"`
} // @name WarehousePatch

var (
	codeRE    = regexp.MustCompile(`^[A-Z0-9-]{2,20}$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
)

// warehouseRow is a warehouses row.
type warehouseRow struct {
	ID          string `gorm:"primaryKey"`
	Code        string
	Name        string
	CountryCode string
	Address     string // JSON
	Priority    int
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (warehouseRow) TableName() string { return "warehouses" }

func (r warehouseRow) warehouse() Warehouse {
	w := Warehouse{ID: r.ID, Code: r.Code, Name: r.Name, CountryCode: r.CountryCode,
		Priority: r.Priority, Active: r.Active, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	_ = json.Unmarshal([]byte(r.Address), &w.Address) // written by us; junk reads as empty
	return w
}

// CreateWarehouse adds a warehouse. Managers and admins.
func (s *Service) CreateWarehouse(ctx context.Context, actor auth.Actor, in WarehouseInput) (Warehouse, error) {
	if err := canManage(actor); err != nil {
		return Warehouse{}, err
	}
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	var fields []errs.FieldError
	if !codeRE.MatchString(code) {
		fields = append(fields, errs.FieldError{Field: "code", Message: "must be 2-20 characters of A-Z, 0-9 and '-'"})
	}
	if n := strings.TrimSpace(in.Name); n == "" || len(n) > 200 {
		fields = append(fields, errs.FieldError{Field: "name", Message: "is required (at most 200 characters)"})
	}
	if !countryRE.MatchString(strings.ToUpper(in.CountryCode)) {
		fields = append(fields, errs.FieldError{Field: "country_code", Message: "must be an ISO 3166-1 alpha-2 code"})
	}
	if in.Priority != nil && (*in.Priority < 0 || *in.Priority > 1_000_000) {
		fields = append(fields, errs.FieldError{Field: "priority", Message: "must be between 0 and 1000000"})
	}
	if len(fields) > 0 {
		return Warehouse{}, errs.ErrValidation.WithFields(fields...)
	}
	now := s.now()
	addr, _ := json.Marshal(in.Address)
	if in.Address == nil {
		addr = []byte("{}")
	}
	r := warehouseRow{ID: id.New("wh"), Code: code, Name: strings.TrimSpace(in.Name),
		CountryCode: strings.ToUpper(in.CountryCode), Address: string(addr), Priority: 100,
		Active: true, CreatedAt: now, UpdatedAt: now}
	if in.Priority != nil {
		r.Priority = *in.Priority
	}
	if in.Active != nil {
		r.Active = *in.Active
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
			return err
		}
		return s.warehouseChanged(ctx, r.ID, true)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Warehouse{}, ErrCodeTaken
	}
	if err != nil {
		return Warehouse{}, fmt.Errorf("create warehouse: %w", err)
	}
	return r.warehouse(), nil
}

// Warehouse returns one warehouse. Warehouse staff, managers and admins.
func (s *Service) Warehouse(ctx context.Context, actor auth.Actor, whID string) (Warehouse, error) {
	if err := canRead(actor); err != nil {
		return Warehouse{}, err
	}
	r, err := s.warehouseRow(ctx, whID)
	if err != nil {
		return Warehouse{}, err
	}
	return r.warehouse(), nil
}

// ListWarehouses lists warehouses in allocation order (priority, then id).
func (s *Service) ListWarehouses(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Warehouse], error) {
	if err := canRead(actor); err != nil {
		return page.List[Warehouse]{}, err
	}
	q := s.db.Conn(ctx).Order("priority, id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		var p int
		if _, err := fmt.Sscan(pr.Cursor.Key, &p); err != nil {
			return page.List[Warehouse]{}, page.ErrBadCursor
		}
		q = q.Where("priority > ? OR (priority = ? AND id > ?)", p, p, pr.Cursor.ID)
	}
	var rows []warehouseRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Warehouse]{}, fmt.Errorf("list warehouses: %w", err)
	}
	out := make([]Warehouse, len(rows))
	for i, r := range rows {
		out[i] = r.warehouse()
	}
	return page.Build(out, pr.Limit, func(w Warehouse) page.Cursor {
		return page.Cursor{Key: fmt.Sprint(w.Priority), ID: w.ID}
	}), nil
}

// UpdateWarehouse changes a warehouse. Activating or deactivating it moves
// its levels' available stock into or out of the catalog's figures, in the
// same transaction, after locking those levels so no concurrent stock change
// is counted twice or missed.
func (s *Service) UpdateWarehouse(ctx context.Context, actor auth.Actor, whID string, p WarehousePatch) (Warehouse, error) {
	if err := canManage(actor); err != nil {
		return Warehouse{}, err
	}
	var out Warehouse
	err := s.write(ctx, func(ctx context.Context) error {
		cur, err := s.warehouseRow(ctx, whID)
		if err != nil {
			return err
		}
		set := map[string]any{"updated_at": s.now()}
		if p.Name != nil {
			set["name"] = strings.TrimSpace(*p.Name)
		}
		if p.CountryCode != nil {
			set["country_code"] = strings.ToUpper(*p.CountryCode)
		}
		if p.Address != nil {
			b, _ := json.Marshal(p.Address)
			set["address"] = string(b)
		}
		if p.Priority != nil {
			set["priority"] = *p.Priority
		}
		if err := s.db.Conn(ctx).Model(&warehouseRow{}).Where("id = ?", whID).Updates(set).Error; err != nil {
			return fmt.Errorf("update warehouse: %w", err)
		}
		if p.Active != nil && *p.Active != cur.Active {
			// Guarded flip: of two concurrent toggles only one shifts stock.
			res := s.db.Conn(ctx).Model(&warehouseRow{}).Where("id = ? AND active = ?", whID, cur.Active).
				Update("active", *p.Active)
			if res.Error != nil {
				return fmt.Errorf("update warehouse: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				if err := s.shiftAvailable(ctx, whID, *p.Active); err != nil {
					return err
				}
			}
		}
		r, err := s.warehouseRow(ctx, whID)
		if err != nil {
			return err
		}
		out = r.warehouse()
		return s.warehouseChanged(ctx, out.ID, false)
	})
	return out, err
}

// WarehouseStates reports, for each of ids that is a warehouse, whether it
// is active; unknown ids are absent. A trusted internal call (no actor):
// sales channels validate their warehouse lists with it.
func (s *Service) WarehouseStates(ctx context.Context, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []warehouseRow
	if err := s.db.Conn(ctx).Select("id", "active").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("warehouse states: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Active
	}
	return out, nil
}

// ActiveWarehouseIDs lists every active warehouse in allocation order
// (priority, then id). A trusted internal call (no actor).
func (s *Service) ActiveWarehouseIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.db.Conn(ctx).Model(&warehouseRow{}).Where("active").Order("priority, id").Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("active warehouses: %w", err)
	}
	return ids, nil
}

// shiftAvailable adds (activate) or removes (deactivate) every level of the
// warehouse from its variant's store availability. The caller has just
// updated the warehouse row, so it holds it exclusively: stock changes that
// read the warehouse under a shared lock (see the lock order in ledger.go)
// have all committed and are included below, and later ones wait and then
// see the new flag.
func (s *Service) shiftAvailable(ctx context.Context, whID string, activate bool) error {
	var rows []levelRow
	if err := s.db.Conn(ctx).Where("warehouse_id = ?", whID).Order("variant_id").Find(&rows).Error; err != nil {
		return fmt.Errorf("read levels: %w", err)
	}
	for _, r := range rows {
		d := r.OnHand - r.Reserved
		if !activate {
			d = -d
		}
		if err := s.cat.AddAvailable(ctx, r.VariantID, d); err != nil {
			return err
		}
	}
	return nil
}

// warehouseRow reads one warehouse; unknown or malformed ids are 404.
func (s *Service) warehouseRow(ctx context.Context, whID string) (warehouseRow, error) {
	if !id.Valid("wh", whID) {
		return warehouseRow{}, ErrWarehouseNotFound
	}
	var r warehouseRow
	err := s.db.Conn(ctx).Where("id = ?", whID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return warehouseRow{}, ErrWarehouseNotFound
	}
	if err != nil {
		return warehouseRow{}, fmt.Errorf("read warehouse: %w", err)
	}
	return r, nil
}

// warehouseByID reads a warehouse named in a request body: unknown is a 422 on field.
func (s *Service) warehouseByID(ctx context.Context, field, whID string) (warehouseRow, error) {
	r, err := s.warehouseRow(ctx, whID)
	if errors.Is(err, ErrWarehouseNotFound) {
		return warehouseRow{}, errs.Invalidf(field, "unknown warehouse")
	}
	return r, err
}
