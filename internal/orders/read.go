package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/page"
)

// ListQuery filters the staff order list.
type ListQuery struct {
	Status     string
	CustomerID string
	// SalesChannelID keeps the orders of one sales channel.
	SalesChannelID string
	Page           page.Request
}

// CustomerOrder returns one of the customer's own orders. Anyone else's
// order, or a guest asking, is the same 404 as a missing id.
func (s *Service) CustomerOrder(ctx context.Context, actor auth.Actor, orderID string) (Order, error) {
	if actor.Kind != auth.Customer || !id.Valid("order", orderID) {
		return Order{}, ErrOrderNotFound
	}
	return s.load(ctx, s.db.Conn(ctx).Where("id = ? AND customer_id = ?", orderID, actor.ID))
}

// CustomerOrders lists the customer's own orders, newest first.
func (s *Service) CustomerOrders(ctx context.Context, actor auth.Actor, pr page.Request) (page.List[Order], error) {
	if actor.Kind != auth.Customer {
		return page.List[Order]{Data: []Order{}}, nil
	}
	return s.list(ctx, s.db.Conn(ctx).Where("customer_id = ?", actor.ID), pr)
}

// ByID returns an order for domain callers that already decided who may
// see it (checkout returns the order it just placed).
func (s *Service) ByID(ctx context.Context, orderID string) (Order, error) {
	return s.orderByID(ctx, orderID)
}

// Order returns any order to staff.
func (s *Service) Order(ctx context.Context, actor auth.Actor, orderID string) (Order, error) {
	if err := canRead(actor); err != nil {
		return Order{}, err
	}
	if !id.Valid("order", orderID) {
		return Order{}, ErrOrderNotFound
	}
	return s.load(ctx, s.db.Conn(ctx).Where("id = ?", orderID))
}

// Orders lists orders for staff, newest first, optionally by status and customer.
func (s *Service) Orders(ctx context.Context, actor auth.Actor, q ListQuery) (page.List[Order], error) {
	if err := canRead(actor); err != nil {
		return page.List[Order]{}, err
	}
	tx := s.db.Conn(ctx)
	if q.Status != "" {
		switch q.Status {
		case StatusPending, StatusConfirmed, StatusCompleted, StatusCanceled:
		default:
			return page.List[Order]{}, errs.Invalidf("status", "must be one of pending, confirmed, completed, canceled")
		}
		tx = tx.Where("status = ?", q.Status)
	}
	if q.CustomerID != "" {
		tx = tx.Where("customer_id = ?", q.CustomerID)
	}
	if q.SalesChannelID != "" {
		tx = tx.Where("sales_channel_id = ?", q.SalesChannelID)
	}
	return s.list(ctx, tx, q.Page)
}

// Events returns an order's timeline, oldest first.
func (s *Service) Events(ctx context.Context, actor auth.Actor, orderID string) ([]Event, error) {
	if _, err := s.Order(ctx, actor, orderID); err != nil {
		return nil, err
	}
	var rows []eventRow
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read order events: %w", err)
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = Event{ID: r.ID, Type: r.Type, Actor: r.Actor, Data: map[string]any{}, CreatedAt: r.CreatedAt}
		if err := json.Unmarshal([]byte(r.Data), &out[i].Data); err != nil {
			return nil, fmt.Errorf("decode order event: %w", err)
		}
	}
	return out, nil
}

func (s *Service) load(ctx context.Context, q *gorm.DB) (Order, error) {
	var r orderRow
	err := q.Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Order{}, ErrOrderNotFound
	}
	if err != nil {
		return Order{}, fmt.Errorf("read order: %w", err)
	}
	items, discounts, err := s.children(ctx, r.ID)
	if err != nil {
		return Order{}, err
	}
	return r.order(items[r.ID], discounts[r.ID])
}

func (s *Service) list(ctx context.Context, q *gorm.DB, pr page.Request) (page.List[Order], error) {
	q = q.Order("id DESC").Limit(pr.Limit + 1)
	if !pr.Cursor.IsZero() {
		q = q.Where("id < ?", pr.Cursor.ID)
	}
	var rows []orderRow
	if err := q.Find(&rows).Error; err != nil {
		return page.List[Order]{}, fmt.Errorf("list orders: %w", err)
	}
	l := page.Build(rows, pr.Limit, func(r orderRow) page.Cursor { return page.Cursor{ID: r.ID} })
	ids := make([]string, len(l.Data))
	for i, r := range l.Data {
		ids[i] = r.ID
	}
	items, discounts, err := s.children(ctx, ids...)
	if err != nil {
		return page.List[Order]{}, err
	}
	out := page.List[Order]{Data: make([]Order, len(l.Data)), NextCursor: l.NextCursor}
	for i, r := range l.Data {
		if out.Data[i], err = r.order(items[r.ID], discounts[r.ID]); err != nil {
			return page.List[Order]{}, err
		}
	}
	return out, nil
}

// children reads the lines and discounts of orders, by order id.
func (s *Service) children(ctx context.Context, ids ...string) (map[string][]itemRow, map[string][]discountRow, error) {
	items, discounts := map[string][]itemRow{}, map[string][]discountRow{}
	if len(ids) == 0 {
		return items, discounts, nil
	}
	var irows []itemRow
	if err := s.db.Conn(ctx).Where("order_id IN ?", ids).Order("order_id, position").Find(&irows).Error; err != nil {
		return nil, nil, fmt.Errorf("read order items: %w", err)
	}
	for _, it := range irows {
		items[it.OrderID] = append(items[it.OrderID], it)
	}
	var drows []discountRow
	if err := s.db.Conn(ctx).Where("order_id IN ?", ids).Order("order_id, code").Find(&drows).Error; err != nil {
		return nil, nil, fmt.Errorf("read order discounts: %w", err)
	}
	for _, d := range drows {
		discounts[d.OrderID] = append(discounts[d.OrderID], d)
	}
	return items, discounts, nil
}

// canRead lets every staff role read orders (support answers questions
// about them, warehouse staff fulfil them).
func canRead(actor auth.Actor) error {
	if actor.Kind == auth.Staff || actor.Kind == auth.APIKey {
		return nil
	}
	return ErrForbidden
}
