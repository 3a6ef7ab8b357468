package channels

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// Warehouses is what channels need of inventory: which warehouses exist
// and are active (inventory.Service has both).
type Warehouses interface {
	WarehouseStates(ctx context.Context, ids []string) (map[string]bool, error)
	ActiveWarehouseIDs(ctx context.Context) ([]string, error)
}

// Service manages sales channels and publishable keys.
type Service struct {
	db  *db.DB
	wh  Warehouses
	now func() time.Time
	// regionExists checks a region_id (SetRegionCheck); nil accepts any.
	regionExists func(ctx context.Context, regionID string) error

	// cache keeps resolved keys and scopes for cacheTTL (resolve.go).
	mu    sync.Mutex
	cache map[string]cached
}

// NewService returns the channels service. now is the clock (nil: db.Now).
func NewService(d *db.DB, wh Warehouses, now func() time.Time) *Service {
	if now == nil {
		now = db.Now
	}
	return &Service{db: d, wh: wh, now: now, cache: map[string]cached{}}
}

// SetRegionCheck sets how a channel's region_id is checked (checkout's
// regions, which are built after channels). Call at wiring time.
func (s *Service) SetRegionCheck(fn func(ctx context.Context, regionID string) error) {
	s.regionExists = fn
}

// checkRegion validates a region id ("" is no region).
func (s *Service) checkRegion(ctx context.Context, regionID *string) *errs.FieldError {
	if regionID == nil || *regionID == "" || s.regionExists == nil {
		return nil
	}
	if err := s.regionExists(ctx, *regionID); err != nil {
		return &errs.FieldError{Field: "region_id", Message: "region " + *regionID + " does not exist"}
	}
	return nil
}

// canManage: admins and managers manage channels and keys.
// (The route policy already refused everyone else; this keeps the rule in
// the domain for callers that are not routes.)
func canManage(a auth.Actor) error {
	if !a.HasRole(auth.RoleManager) {
		return errs.ErrForbidden
	}
	return nil
}

// Create adds a channel.
func (s *Service) Create(ctx context.Context, actor auth.Actor, in Input) (Channel, error) {
	if err := canManage(actor); err != nil {
		return Channel{}, err
	}
	var fields []errs.FieldError
	name, fe := validName(in.Name)
	if fe != nil {
		fields = append(fields, *fe)
	}
	if fe := validKind(in.Kind); fe != nil {
		fields = append(fields, *fe)
	}
	if fe := s.checkWarehouses(ctx, in.WarehouseIDs); fe != nil {
		fields = append(fields, *fe)
	}
	if fe := s.checkRegion(ctx, in.RegionID); fe != nil {
		fields = append(fields, *fe)
	}
	if len(fields) > 0 {
		return Channel{}, errs.ErrValidation.WithFields(fields...)
	}
	now := s.now()
	r := channelRow{ID: id.New("sc"), Name: name, Kind: in.Kind, Active: true, CreatedAt: now, UpdatedAt: now}
	if in.RegionID != nil && *in.RegionID != "" {
		r.RegionID = in.RegionID
	}
	if in.Active != nil {
		r.Active = *in.Active
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
			return fmt.Errorf("create sales channel: %w", err)
		}
		return s.setWarehouses(ctx, r.ID, in.WarehouseIDs)
	})
	if err != nil {
		return Channel{}, err
	}
	s.Invalidate()
	return s.load(ctx, r.ID)
}

// Get returns one channel. Admins and managers.
func (s *Service) Get(ctx context.Context, actor auth.Actor, channelID string) (Channel, error) {
	if err := canManage(actor); err != nil {
		return Channel{}, err
	}
	return s.load(ctx, channelID)
}

// Channel returns one channel: a trusted internal call (no actor), for
// domains that act on a channel named by staff (point of sale orders).
func (s *Service) Channel(ctx context.Context, channelID string) (Channel, error) {
	return s.load(ctx, channelID)
}

// List lists channels, the default first, then by id. Admins and managers.
func (s *Service) List(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Channel], error) {
	if err := canManage(actor); err != nil {
		return page.List[Channel]{}, err
	}
	q := s.db.Conn(ctx).Order("id").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id > ?", pr.Cursor.ID)
	}
	var rows []channelRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Channel]{}, fmt.Errorf("list sales channels: %w", err)
	}
	out, err := s.withWarehouses(ctx, rows)
	if err != nil {
		return page.List[Channel]{}, err
	}
	return page.Build(out, pr.Limit, func(c Channel) page.Cursor { return page.Cursor{ID: c.ID} }), nil
}

// Update changes a channel. The default channel stays active.
func (s *Service) Update(ctx context.Context, actor auth.Actor, channelID string, p Patch) (Channel, error) {
	if err := canManage(actor); err != nil {
		return Channel{}, err
	}
	if !id.Valid("sc", channelID) {
		return Channel{}, ErrNotFound
	}
	var fields []errs.FieldError
	set := map[string]any{"updated_at": s.now()}
	if p.Name != nil {
		name, fe := validName(*p.Name)
		if fe != nil {
			fields = append(fields, *fe)
		}
		set["name"] = name
	}
	if p.Kind != nil {
		if fe := validKind(*p.Kind); fe != nil {
			fields = append(fields, *fe)
		}
		set["kind"] = *p.Kind
	}
	if p.WarehouseIDs != nil {
		if fe := s.checkWarehouses(ctx, *p.WarehouseIDs); fe != nil {
			fields = append(fields, *fe)
		}
	}
	if p.RegionID != nil {
		if fe := s.checkRegion(ctx, p.RegionID); fe != nil {
			fields = append(fields, *fe)
		}
		if *p.RegionID == "" {
			set["region_id"] = nil
		} else {
			set["region_id"] = *p.RegionID
		}
	}
	if p.Active != nil {
		set["active"] = *p.Active
	}
	if len(fields) > 0 {
		return Channel{}, errs.ErrValidation.WithFields(fields...)
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		var cur channelRow
		if err := s.db.Conn(ctx).Where("id = ?", channelID).Take(&cur).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		} else if err != nil {
			return fmt.Errorf("update sales channel: %w", err)
		}
		if cur.IsDefault && p.Active != nil && !*p.Active {
			return ErrDefaultInactive
		}
		if err := s.db.Conn(ctx).Model(&channelRow{}).Where("id = ?", channelID).Updates(set).Error; err != nil {
			return fmt.Errorf("update sales channel: %w", err)
		}
		if p.WarehouseIDs != nil {
			return s.setWarehouses(ctx, channelID, *p.WarehouseIDs)
		}
		return nil
	})
	if err != nil {
		return Channel{}, err
	}
	s.Invalidate()
	return s.load(ctx, channelID)
}

// WarehouseChanged is inventory's warehouse hook (inventory.WarehouseFunc):
// a new warehouse fulfils the default web channel (AddWarehouseToDefault);
// an activation or deactivation changes the channels' scopes.
func (s *Service) WarehouseChanged(ctx context.Context, warehouseID string, created bool) error {
	if created {
		return s.AddWarehouseToDefault(ctx, warehouseID)
	}
	s.Invalidate()
	return nil
}

// AddWarehouseToDefault makes a new warehouse fulfil the default web
// channel, last in its priority order: wired to inventory's warehouse hook
// so that a shop that never heard of channels keeps selling from every
// warehouse it adds. Runs in the caller's transaction.
func (s *Service) AddWarehouseToDefault(ctx context.Context, warehouseID string) error {
	err := s.db.Conn(ctx).Exec(`INSERT INTO sales_channel_warehouses (sales_channel_id, warehouse_id, position)
		SELECT ?, ?, COALESCE(MAX(position), 0) + 1 FROM sales_channel_warehouses WHERE sales_channel_id = ?`,
		channel.DefaultID, warehouseID, channel.DefaultID).Error
	if err != nil {
		return fmt.Errorf("add warehouse to default channel: %w", err)
	}
	s.Invalidate()
	return nil
}

// checkWarehouses validates a channel's warehouse list: known warehouses,
// no duplicates. Inactive warehouses may be listed (they count again when
// reactivated).
func (s *Service) checkWarehouses(ctx context.Context, ids []string) *errs.FieldError {
	if len(ids) > 100 {
		return &errs.FieldError{Field: "warehouse_ids", Message: "at most 100 warehouses"}
	}
	seen := map[string]bool{}
	for _, w := range ids {
		if seen[w] {
			return &errs.FieldError{Field: "warehouse_ids", Message: "lists " + w + " twice"}
		}
		seen[w] = true
	}
	known, err := s.wh.WarehouseStates(ctx, ids)
	if err != nil {
		return &errs.FieldError{Field: "warehouse_ids", Message: "could not be checked"}
	}
	for _, w := range ids {
		if _, ok := known[w]; !ok {
			return &errs.FieldError{Field: "warehouse_ids", Message: "warehouse " + w + " does not exist"}
		}
	}
	return nil
}

// setWarehouses replaces a channel's warehouse list.
func (s *Service) setWarehouses(ctx context.Context, channelID string, ids []string) error {
	conn := s.db.Conn(ctx)
	if err := conn.Where("sales_channel_id = ?", channelID).Delete(&channelWarehouseRow{}).Error; err != nil {
		return fmt.Errorf("set channel warehouses: %w", err)
	}
	for i, w := range ids {
		if err := conn.Create(&channelWarehouseRow{SalesChannelID: channelID, WarehouseID: w, Position: i + 1}).Error; err != nil {
			return fmt.Errorf("set channel warehouses: %w", err)
		}
	}
	return nil
}

// load reads one channel with its warehouses.
func (s *Service) load(ctx context.Context, channelID string) (Channel, error) {
	if !id.Valid("sc", channelID) {
		return Channel{}, ErrNotFound
	}
	var r channelRow
	err := s.db.Conn(ctx).Where("id = ?", channelID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Channel{}, ErrNotFound
	}
	if err != nil {
		return Channel{}, fmt.Errorf("load sales channel: %w", err)
	}
	out, err := s.withWarehouses(ctx, []channelRow{r})
	if err != nil {
		return Channel{}, err
	}
	return out[0], nil
}

// withWarehouses turns rows into channels with their warehouse lists.
func (s *Service) withWarehouses(ctx context.Context, rows []channelRow) ([]Channel, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var links []channelWarehouseRow
	if len(ids) > 0 {
		if err := s.db.Conn(ctx).Where("sales_channel_id IN ?", ids).Order("sales_channel_id, position").
			Find(&links).Error; err != nil {
			return nil, fmt.Errorf("channel warehouses: %w", err)
		}
	}
	byChannel := map[string][]string{}
	for _, l := range links {
		byChannel[l.SalesChannelID] = append(byChannel[l.SalesChannelID], l.WarehouseID)
	}
	out := make([]Channel, len(rows))
	for i, r := range rows {
		out[i] = r.channel(slices.Clip(byChannel[r.ID]))
	}
	return out, nil
}
