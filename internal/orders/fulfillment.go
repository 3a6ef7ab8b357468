package orders

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"storekeep/internal/inventory"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// Statuses of a fulfilment record (besides FulfillmentShipped and
// FulfillmentDelivered, which it shares with the order's machine).
const (
	FulfillmentCreated = "created"
	FulfillmentPacked  = "packed"
	// FulfillmentCanceled is a fulfilment canceled before it shipped: its
	// units went back to the order's lines and its stock back to the order.
	FulfillmentCanceled = "canceled"
)

// maxFulfillmentLines bounds one request.
const maxFulfillmentLines = 100

// FulfillmentInput asks to ship order lines from one warehouse.
type FulfillmentInput struct {
	// WarehouseID defaults to the warehouse where the order's reservation
	// holds most of the requested units.
	WarehouseID string                 `json:"warehouse_id,omitempty" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Items       []FulfillmentItemInput `json:"items" validate:"required,min=1,max=100,dive"`
} // @name FulfillmentInput

// FulfillmentItemInput is how many units of one order line to ship.
type FulfillmentItemInput struct {
	ItemID   string `json:"item_id" validate:"required" example:"oitem_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity int64  `json:"quantity" validate:"required,min=1,max=1000000" example:"1"`
} // @name FulfillmentItemInput

// Fulfillment is one shipment of an order from one warehouse. Items is its
// pick list.
type Fulfillment struct {
	ID             string            `json:"id" binding:"required" example:"ful_06h1wbq28dxanf5st2bqp8yfxm"`
	OrderID        string            `json:"order_id" binding:"required" example:"order_06h1wbq28dxanf5st2bqp8yfxm"`
	WarehouseID    string            `json:"warehouse_id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	Status         string            `json:"status" binding:"required" enums:"created,packed,shipped,delivered,canceled" example:"created"`
	Carrier        string            `json:"carrier" binding:"required" example:"Colissimo"`
	TrackingNumber string            `json:"tracking_number" binding:"required" example:"6A12345678901"`
	Items          []FulfillmentLine `json:"items" binding:"required"`
	CreatedAt      time.Time         `json:"created_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
	PackedAt       *time.Time        `json:"packed_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T13:00:00Z"`
	ShippedAt      *time.Time        `json:"shipped_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T15:00:00Z"`
	DeliveredAt    *time.Time        `json:"delivered_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-02-02T10:00:00Z"`
	// CanceledAt is when the fulfilment was canceled before shipping.
	CanceledAt *time.Time `json:"canceled_at" binding:"required" extensions:"x-nullable" format:"date-time" example:"2025-01-31T14:00:00Z"`
	UpdatedAt  time.Time  `json:"updated_at" binding:"required" format:"date-time" example:"2025-01-31T12:00:00Z"`
} // @name Fulfillment

// FulfillmentLine is one pick-list line: what to take from where.
type FulfillmentLine struct {
	ItemID      string `json:"item_id" binding:"required" example:"oitem_06h1wbq28dxanf5st2bqp8yfxm"`
	VariantID   string `json:"variant_id" binding:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	SKU         string `json:"sku" binding:"required" example:"GEL-150"`
	Title       string `json:"title" binding:"required" example:"Gentle Gel Cleanser - 150 ml"`
	Quantity    int64  `json:"quantity" binding:"required" example:"1"`
	WarehouseID string `json:"warehouse_id" binding:"required" example:"wh_06h1wbq28dxanf5st2bqp8yfxm"`
	// Bin is the shelf position when one is set on the stock level.
	Bin *string `json:"bin,omitempty" example:"A-03-2"`
} // @name FulfillmentLine

type fulfillmentRow struct {
	ID             string
	OrderID        string
	WarehouseID    string
	Status         string
	Carrier        string
	TrackingNumber string
	CreatedAt      time.Time
	PackedAt       *time.Time
	ShippedAt      *time.Time
	DeliveredAt    *time.Time
	CanceledAt     *time.Time
	UpdatedAt      time.Time
}

func (fulfillmentRow) TableName() string { return "fulfillments" }

type fulfillmentItemRow struct {
	FulfillmentID string
	OrderItemID   string
	VariantID     string
	Quantity      int64
}

func (fulfillmentItemRow) TableName() string { return "fulfillment_items" }

// CreateFulfillment ships units of a confirmed order's lines from one
// warehouse: in one transaction the order is locked, each line's
// fulfilled_quantity rises with a guarded update (never above the ordered
// quantity, even under concurrent requests: 422
// quantity_exceeds_unfulfilled), the stock leaves the warehouse through the
// inventory (reserved units first, see inventory.Fulfil) and the order's
// fulfillment_status becomes partially_fulfilled or fulfilled. When the
// order is then fully fulfilled and its payment only authorised, the
// payment is captured after the commit (docs/orders.md, capture rule).
// Warehouse staff, managers, admins.
func (s *Service) CreateFulfillment(ctx context.Context, actor auth.Actor, orderID string, in FulfillmentInput) (Fulfillment, error) {
	if err := canFulfil(actor); err != nil {
		return Fulfillment{}, err
	}
	if !id.Valid("order", orderID) {
		return Fulfillment{}, ErrOrderNotFound
	}
	if s.inv == nil {
		return Fulfillment{}, ErrNotConfigured
	}
	if err := validateFulfillment(in); err != nil {
		return Fulfillment{}, err
	}
	var (
		out  Fulfillment
		full bool
	)
	err := s.tx(ctx, func(ctx context.Context) error {
		o, err := s.lockOrder(ctx, orderID, "only confirmed orders are fulfilled", "status = ?", StatusConfirmed)
		if err != nil {
			return err
		}
		items, err := s.orderItems(ctx, orderID)
		if err != nil {
			return err
		}
		want, err := fulfillmentQuantities(in, items)
		if err != nil {
			return err
		}
		wh := in.WarehouseID
		if wh == "" {
			if wh, err = s.defaultWarehouse(ctx, o, want, items); err != nil {
				return err
			}
		}
		if err := s.raiseFulfilled(ctx, want); err != nil {
			return err
		}
		var lines []inventory.Line
		for _, it := range items {
			if q := want[it.ID]; q > 0 {
				lines = append(lines, inventory.Line{VariantID: it.VariantID, Quantity: q})
			}
		}
		res := ""
		if o.ReservationID != nil {
			res = *o.ReservationID
		}
		if _, err := s.inv.Fulfil(ctx, inventory.FulfilInput{ReservationID: res, WarehouseID: wh,
			Reference: orderID, Actor: actor, Lines: lines}); err != nil {
			return err
		}
		now := s.now()
		f := fulfillmentRow{ID: id.New("ful"), OrderID: orderID, WarehouseID: wh, Status: FulfillmentCreated,
			CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&f).Error; err != nil {
			return fmt.Errorf("insert fulfillment: %w", err)
		}
		var frows []fulfillmentItemRow
		for _, it := range items {
			if q := want[it.ID]; q > 0 {
				frows = append(frows, fulfillmentItemRow{FulfillmentID: f.ID, OrderItemID: it.ID, VariantID: it.VariantID, Quantity: q})
			}
		}
		if err := s.db.Conn(ctx).Create(&frows).Error; err != nil {
			return fmt.Errorf("insert fulfillment items: %w", err)
		}
		full = true
		for _, it := range items {
			if it.FulfilledQuantity+it.CanceledQuantity+want[it.ID] < it.Quantity {
				full = false
			}
		}
		to := FulfillmentPartiallyFulfilled
		if full {
			to = FulfillmentFulfilled
		}
		if err := s.Transition(ctx, orderID, MachineFulfillment, to, actorName(actor), nil); err != nil {
			return err
		}
		if err := s.record(ctx, orderID, "fulfillment.created", actorName(actor), map[string]any{
			"fulfillment_id": f.ID, "warehouse_id": wh, "units": sumValues(want)}); err != nil {
			return err
		}
		out, err = s.fulfillmentView(ctx, f, frows, items)
		return err
	})
	if err != nil {
		return Fulfillment{}, err
	}
	if full {
		s.captureOnFulfilment(ctx, orderID)
	}
	return out, nil
}

// validateFulfillment checks the request's shape (the handler's validator
// does too; services are called from elsewhere).
func validateFulfillment(in FulfillmentInput) error {
	var fields []errs.FieldError
	if in.WarehouseID != "" && !id.Valid("wh", in.WarehouseID) {
		fields = append(fields, errs.FieldError{Field: "warehouse_id", Message: "unknown warehouse"})
	}
	if len(in.Items) == 0 || len(in.Items) > maxFulfillmentLines {
		fields = append(fields, errs.FieldError{Field: "items", Message: "must have 1 to 100 items"})
	}
	for i, it := range in.Items {
		if it.Quantity < 1 || it.Quantity > inventory.MaxDelta {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].quantity", i), Message: "must be between 1 and 1000000"})
		}
	}
	if len(fields) > 0 {
		return errs.ErrValidation.WithFields(fields...)
	}
	return nil
}

// fulfillmentQuantities sums the request per order line and checks each
// against what is left to fulfil (read under the order lock).
func fulfillmentQuantities(in FulfillmentInput, items []itemRow) (map[string]int64, error) {
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
		if left := it.Quantity - it.FulfilledQuantity - it.CanceledQuantity; want[it.ID] > left {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("items[%d].quantity", i),
				Message: fmt.Sprintf("only %d of this item are left to fulfil", left)})
		}
	}
	if len(unknown) > 0 {
		return nil, errs.ErrValidation.WithFields(unknown...)
	}
	if len(fields) > 0 {
		return nil, ErrOverFulfil.WithFields(fields...)
	}
	return want, nil
}

// ErrOverFulfil is a fulfilment asking for more units than are left.
var ErrOverFulfil = errs.New(errs.Unprocessable, "quantity_exceeds_unfulfilled", "more units than are left to fulfil")

// raiseFulfilled adds the shipped units to the lines with guarded updates
// (in item id order), the backstop for concurrent fulfilments: a line never
// has more units fulfilled and canceled than ordered.
func (s *Service) raiseFulfilled(ctx context.Context, want map[string]int64) error {
	ids := make([]string, 0, len(want))
	for k := range want {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	for _, itemID := range ids {
		q := want[itemID]
		res := s.db.Conn(ctx).Exec(`UPDATE order_items SET fulfilled_quantity = fulfilled_quantity + ?
			WHERE id = ? AND fulfilled_quantity + canceled_quantity + ? <= quantity`, q, itemID, q)
		if res.Error != nil {
			return fmt.Errorf("raise fulfilled quantity: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrOverFulfil.WithDetail("item %s has fewer than %d units left to fulfil", itemID, q)
		}
	}
	return nil
}

// defaultWarehouse is the warehouse where the order's reservation holds the
// most of the requested units (ties: lowest id).
func (s *Service) defaultWarehouse(ctx context.Context, o orderRow, want map[string]int64, items []itemRow) (string, error) {
	missing := errs.Invalidf("warehouse_id", "is required: the order's stock is not held in a warehouse")
	if o.ReservationID == nil {
		return "", missing
	}
	r, err := s.inv.Reservation(ctx, *o.ReservationID)
	if err != nil {
		return "", err
	}
	wanted := map[string]int64{}
	for _, it := range items {
		wanted[it.VariantID] += want[it.ID]
	}
	held := map[string]int64{}
	for _, l := range r.Lines {
		if l.WarehouseID != nil && wanted[l.VariantID] > 0 {
			held[*l.WarehouseID] += min(l.Quantity, wanted[l.VariantID])
		}
	}
	best := ""
	for wh, n := range held {
		if best == "" || n > held[best] || (n == held[best] && wh < best) {
			best = wh
		}
	}
	if best == "" {
		return "", missing
	}
	return best, nil
}

// fulfillmentView assembles the API shape with the pick list's bins.
func (s *Service) fulfillmentView(ctx context.Context, f fulfillmentRow, frows []fulfillmentItemRow, items []itemRow) (Fulfillment, error) {
	byID := map[string]itemRow{}
	var variants []string
	for _, it := range items {
		byID[it.ID] = it
	}
	for _, fi := range frows {
		variants = append(variants, fi.VariantID)
	}
	bins := map[string]string{}
	if s.inv != nil && len(variants) > 0 {
		var err error
		if bins, err = s.inv.Bins(ctx, f.WarehouseID, variants); err != nil {
			return Fulfillment{}, err
		}
	}
	out := Fulfillment{ID: f.ID, OrderID: f.OrderID, WarehouseID: f.WarehouseID, Status: f.Status,
		Carrier: f.Carrier, TrackingNumber: f.TrackingNumber, Items: []FulfillmentLine{}, CreatedAt: f.CreatedAt,
		PackedAt: f.PackedAt, ShippedAt: f.ShippedAt, DeliveredAt: f.DeliveredAt, CanceledAt: f.CanceledAt,
		UpdatedAt: f.UpdatedAt}
	for _, fi := range frows {
		it := byID[fi.OrderItemID]
		l := FulfillmentLine{ItemID: fi.OrderItemID, VariantID: fi.VariantID, SKU: it.SKU, Title: it.Title,
			Quantity: fi.Quantity, WarehouseID: f.WarehouseID}
		if b, ok := bins[fi.VariantID]; ok {
			l.Bin = &b
		}
		out.Items = append(out.Items, l)
	}
	slices.SortFunc(out.Items, func(a, b FulfillmentLine) int {
		return cmp.Or(cmp.Compare(byID[a.ItemID].Position, byID[b.ItemID].Position), cmp.Compare(a.ItemID, b.ItemID))
	})
	return out, nil
}

func sumValues(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}
