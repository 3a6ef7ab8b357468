package orders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/money"
	"storekeep/internal/platform/page"
)

// Return statuses.
const (
	ReturnRequested = "requested"
	ReturnReceived  = "received"
	ReturnRefunded  = "refunded"
)

// ReturnInput is a customer's return request.
type ReturnInput struct {
	Items  []ReturnItemInput `json:"items" validate:"required,min=1,max=100,dive"`
	Reason string            `json:"reason" text:"free" validate:"required,max=500" example:"too small"`
} // @name ReturnInput

// ReturnItemInput is how many units of one order line go back.
type ReturnItemInput struct {
	ItemID   string `json:"item_id" validate:"required" example:"oitem_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity int64  `json:"quantity" validate:"required,min=1,max=1000000" example:"1"`
} // @name ReturnItemInput

// Return is a customer's return: requested, received by staff, refunded.
type Return struct {
	ID          string       `json:"id" binding:"required" example:"ret_06h1wbq28dxanf5st2bqp8yfxm"`
	OrderID     string       `json:"order_id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	Status      string       `json:"status" binding:"required" enums:"requested,received,refunded" example:"requested"`
	Reason      string       `json:"reason" binding:"required" example:"too small"`
	WarehouseID *string      `json:"warehouse_id" binding:"required" extensions:"x-nullable" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Items       []ReturnItem `json:"items" binding:"required"`
	// RefundAmount is what the received units were paid, set on receipt.
	RefundAmount money.Amount `json:"refund_amount" binding:"required"`
	CreatedAt    time.Time    `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	ReceivedAt   *time.Time   `json:"received_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-03T12:00:00Z"`
	RefundedAt   *time.Time   `json:"refunded_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-03T12:00:00Z"`
	UpdatedAt    time.Time    `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Return

// ReturnItem is one order line of a return.
type ReturnItem struct {
	ItemID    string `json:"item_id" binding:"required" example:"oitem_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	SKU       string `json:"sku" binding:"required" example:"GEL-150"`
	Title     string `json:"title" binding:"required" example:"Gentle Gel Cleanser - 150 ml"`
	// Quantity is the units the customer asked to return.
	Quantity int64 `json:"quantity" binding:"required" example:"1"`
	// Sellable and Damaged are the units received in each condition.
	Sellable int64 `json:"sellable" binding:"required" example:"1"`
	Damaged  int64 `json:"damaged" binding:"required" example:"0"`
} // @name ReturnItem

type returnRow struct {
	ID           string
	OrderID      string
	CustomerID   *string
	Status       string
	Reason       string
	WarehouseID  *string
	Currency     string
	RefundAmount int64
	CreatedAt    time.Time
	ReceivedAt   *time.Time
	RefundedAt   *time.Time
	UpdatedAt    time.Time
}

func (returnRow) TableName() string { return "returns" }

type returnItemRow struct {
	ReturnID    string
	OrderItemID string
	Quantity    int64
	Sellable    int64
	Damaged     int64
}

func (returnItemRow) TableName() string { return "return_items" }

// ReturnQuery filters the staff return list.
type ReturnQuery struct {
	Status string
	Page   page.Request
}

// RequestReturn opens a return on one of the customer's own delivered
// orders (else 404, or 409 invalid_status when not delivered) for at most
// the units delivered and neither returned nor already requested (422
// quantity_exceeds_returnable). Requests for one order are serialised by
// the order lock, so concurrent requests never over-claim.
func (s *Service) RequestReturn(ctx context.Context, actor auth.Actor, orderID string, in ReturnInput) (Return, error) {
	if actor.Kind != auth.Customer || !id.Valid("order", orderID) {
		return Return{}, ErrOrderNotFound
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if err := validateReturn(in); err != nil {
		return Return{}, err
	}
	var out Return
	err := s.tx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Model(&orderRow{}).Where("id = ? AND customer_id = ?", orderID, actor.ID).
			Count(&n).Error; err != nil {
			return fmt.Errorf("find order: %w", err)
		}
		if n == 0 {
			return ErrOrderNotFound
		}
		o, err := s.lockOrder(ctx, orderID, "only delivered orders can be returned", "fulfillment_status = ?", FulfillmentDelivered)
		if err != nil {
			return err
		}
		items, err := s.orderItems(ctx, orderID)
		if err != nil {
			return err
		}
		open, err := s.openReturnUnits(ctx, orderID)
		if err != nil {
			return err
		}
		byID := map[string]itemRow{}
		for _, it := range items {
			byID[it.ID] = it
		}
		want := map[string]int64{}
		var fields, unknown []errs.FieldError
		for i, r := range in.Items {
			it, ok := byID[r.ItemID]
			if !ok {
				unknown = append(unknown, errs.FieldError{Field: fmt.Sprintf("items[%d].item_id", i), Message: "is not an item of this order"})
				continue
			}
			want[it.ID] += r.Quantity
			if left := it.FulfilledQuantity - it.ReturnedQuantity - open[it.ID]; want[it.ID] > left {
				fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].quantity", i),
					Message: fmt.Sprintf("only %d of this item can be returned", left)})
			}
		}
		if len(unknown) > 0 {
			return errs.ErrValidation.WithFields(unknown...)
		}
		if len(fields) > 0 {
			return ErrOverReturn.WithFields(fields...)
		}
		now := s.now()
		r := returnRow{ID: id.New("ret"), OrderID: orderID, CustomerID: o.CustomerID, Status: ReturnRequested,
			Reason: in.Reason, Currency: o.Currency, CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&r).Error; err != nil {
			return fmt.Errorf("insert return: %w", err)
		}
		var rows []returnItemRow
		for _, it := range items {
			if q := want[it.ID]; q > 0 {
				rows = append(rows, returnItemRow{ReturnID: r.ID, OrderItemID: it.ID, Quantity: q})
			}
		}
		if err := s.db.Conn(ctx).Create(&rows).Error; err != nil {
			return fmt.Errorf("insert return items: %w", err)
		}
		if err := s.record(ctx, orderID, "return.requested", actor.ID, map[string]any{"return_id": r.ID,
			"units": sumValues(want), "reason": r.Reason}); err != nil {
			return err
		}
		if err := s.emit(ctx, EventReturnRequested, resourceReturn, r.ID); err != nil {
			return err
		}
		out = returnView(r, rows, items)
		return nil
	})
	return out, err
}

// ErrOverReturn is a return of more units than can be returned.
var ErrOverReturn = errs.New(errs.Unprocessable, "quantity_exceeds_returnable", "more units than can be returned")

func validateReturn(in ReturnInput) error {
	var fields []errs.FieldError
	if len(in.Items) == 0 || len(in.Items) > 100 {
		fields = append(fields, errs.FieldError{Field: "items", Message: "must have 1 to 100 items"})
	}
	for i, it := range in.Items {
		if it.Quantity < 1 || it.Quantity > 1_000_000 {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].quantity", i), Message: "must be between 1 and 1000000"})
		}
	}
	if in.Reason == "" || len(in.Reason) > 500 {
		fields = append(fields, errs.FieldError{Field: "reason", Message: "is required (at most 500 characters)"})
	}
	if len(fields) > 0 {
		return errs.ErrValidation.WithFields(fields...)
	}
	return nil
}

// openReturnUnits sums, per order line, the units of returns requested and
// not yet received.
func (s *Service) openReturnUnits(ctx context.Context, orderID string) (map[string]int64, error) {
	var rows []struct {
		OrderItemID string
		Units       int64
	}
	err := s.db.Conn(ctx).Raw(`SELECT ri.order_item_id, SUM(ri.quantity) AS units
		FROM return_items ri JOIN returns r ON r.id = ri.return_id
		WHERE r.order_id = ? AND r.status = ? GROUP BY ri.order_item_id`, orderID, ReturnRequested).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("sum open returns: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.OrderItemID] = r.Units
	}
	return out, nil
}

// CustomerReturns lists the returns of one of the customer's own orders.
func (s *Service) CustomerReturns(ctx context.Context, actor auth.Actor, orderID string) ([]Return, error) {
	if _, err := s.CustomerOrder(ctx, actor, orderID); err != nil {
		return nil, err
	}
	var rows []returnRow
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list returns: %w", err)
	}
	return s.returnViews(ctx, rows)
}

// Returns lists returns for staff, newest first, optionally by status.
func (s *Service) Returns(ctx context.Context, actor auth.Actor, q ReturnQuery) (page.List[Return], error) {
	if err := canRead(actor); err != nil {
		return page.List[Return]{}, err
	}
	tx := s.db.Conn(ctx).Order("id DESC").Limit(q.Page.Limit + 1)
	switch q.Status {
	case "":
	case ReturnRequested, ReturnReceived, ReturnRefunded:
		tx = tx.Where("status = ?", q.Status)
	default:
		return page.List[Return]{}, errs.Invalidf("status", "must be one of requested, received, refunded")
	}
	if !q.Page.Cursor.IsZero() {
		tx = tx.Where("id < ?", q.Page.Cursor.ID)
	}
	var rows []returnRow
	if err := tx.Find(&rows).Error; err != nil {
		return page.List[Return]{}, fmt.Errorf("list returns: %w", err)
	}
	l := page.Build(rows, q.Page.Limit, func(r returnRow) page.Cursor { return page.Cursor{ID: r.ID} })
	views, err := s.returnViews(ctx, l.Data)
	if err != nil {
		return page.List[Return]{}, err
	}
	return page.List[Return]{Data: views, NextCursor: l.NextCursor}, nil
}

// returnViews assembles returns with their lines.
func (s *Service) returnViews(ctx context.Context, rows []returnRow) ([]Return, error) {
	out := make([]Return, 0, len(rows))
	for _, r := range rows {
		var irows []returnItemRow
		if err := s.db.Conn(ctx).Where("return_id = ?", r.ID).Find(&irows).Error; err != nil {
			return nil, fmt.Errorf("read return items: %w", err)
		}
		items, err := s.orderItems(ctx, r.OrderID)
		if err != nil {
			return nil, err
		}
		out = append(out, returnView(r, irows, items))
	}
	return out, nil
}

func returnView(r returnRow, irows []returnItemRow, items []itemRow) Return {
	out := Return{ID: r.ID, OrderID: r.OrderID, Status: r.Status, Reason: r.Reason, WarehouseID: r.WarehouseID,
		Items: []ReturnItem{}, RefundAmount: money.Amount{Minor: r.RefundAmount, Currency: r.Currency},
		CreatedAt: r.CreatedAt, ReceivedAt: r.ReceivedAt, RefundedAt: r.RefundedAt, UpdatedAt: r.UpdatedAt}
	for _, it := range items { // in order line position
		for _, ri := range irows {
			if ri.OrderItemID == it.ID {
				out.Items = append(out.Items, ReturnItem{ItemID: it.ID, VariantID: it.VariantID, SKU: it.SKU,
					Title: it.Title, Quantity: ri.Quantity, Sellable: ri.Sellable, Damaged: ri.Damaged})
			}
		}
	}
	return out
}
