package checkout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"storekeep/internal/channels"
	"storekeep/internal/inventory"
	"storekeep/internal/orders"
	"storekeep/internal/payments"
	"storekeep/internal/platform/address"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// draftHold is how long an order staff record without a payment (a draft)
// keeps its stock before it is canceled like an unpaid pending order.
const draftHold = 24 * time.Hour

// counterCarrier is the carrier recorded on the fulfilment of an
// over-the-counter sale (the buyer took the goods away).
const counterCarrier = "over the counter"

// StaffOrderInput is an order staff record for a sales channel: a sale at
// a point of sale, or a draft order taken by phone.
type StaffOrderInput struct {
	SalesChannelID string `json:"sales_channel_id" validate:"required" example:"sc_01jc9z8m7k5w3v2t1s0r9q8p7n"`
	// CustomerID links the order to an account (its e-mail is the default).
	CustomerID *string `json:"customer_id,omitempty" example:"cus_06h1wbq28dxanf5st2bqp8yfxm"`
	// Email is the buyer's address for the receipt; optional at a counter.
	Email           string           `json:"email,omitempty" validate:"omitempty,email,max=254" example:"camille@example.com"`
	Items           []StaffOrderItem `json:"items" validate:"required,min=1,max=100,dive"`
	ShippingAddress *address.Address `json:"shipping_address,omitempty"`
	// Payment is how the buyer paid; absent: a draft awaiting payment.
	Payment *StaffPayment `json:"payment,omitempty"`
	// Fulfill hands the goods over at once (default: true on a pos
	// channel, false elsewhere); only a paid order is fulfilled.
	Fulfill *bool `json:"fulfill,omitempty" example:"true"`
} // @name StaffOrderCreate

// StaffOrderItem is units of one variant.
type StaffOrderItem struct {
	VariantID string `json:"variant_id" validate:"required" example:"var_06h1wbq28dxanf5st2bqp8yfxm"`
	Quantity  int64  `json:"quantity" validate:"required,min=1,max=100" example:"1"`
} // @name StaffOrderItem

// StaffPayment is the payment of a staff order: provider manual (cash or a
// terminal outside Storekeep, recorded with its reference) or an online
// provider with a token (test, stripe).
type StaffPayment struct {
	Provider string `json:"provider" validate:"required,max=40" example:"manual"`
	// Method: cash, card or other for manual (default cash); card,
	// paypal, apple_pay or bnpl otherwise.
	Method string `json:"method,omitempty" validate:"max=40" example:"cash"`
	// Token is the online provider's payment token (required for them).
	Token string `json:"token,omitempty" validate:"max=255" example:"tok_visa"`
	// Reference is the till receipt or terminal transaction number of a
	// manual payment.
	Reference string `json:"reference,omitempty" validate:"max=100" example:"TERM-4411"`
} // @name StaffOrderPayment

// StaffOrders is what staff orders need from orders beyond checkout's:
// handing the goods over at once.
type StaffOrders interface {
	CreateFulfillment(ctx context.Context, actor auth.Actor, orderID string, in orders.FulfillmentInput) (orders.Fulfillment, error)
	ShipFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID string, in orders.ShipInput) (orders.Fulfillment, error)
	DeliverFulfillment(ctx context.Context, actor auth.Actor, orderID, fulfillmentID string) (orders.Fulfillment, error)
}

// ManualPayments records money staff took themselves.
type ManualPayments interface {
	AuthorizeManual(ctx context.Context, in payments.ManualInput) (payments.Authorization, error)
}

// WithStaffOrders enables staff orders (point of sale).
func WithStaffOrders(o StaffOrders, m ManualPayments) Option {
	return func(s *Service) { s.staffOrders, s.manual = o, m }
}

// Errors of staff orders.
var (
	ErrChannelHasNoRegion = errs.New(errs.Unprocessable, "channel_has_no_region",
		"the sales channel has no region: set its region_id (currency and tax) before recording orders on it")
	ErrStaffChannelInactive = errs.New(errs.Unprocessable, "sales_channel_inactive", "the sales channel is not active")
	ErrStaffOrdersForbidden = errs.New(errs.Forbidden, "forbidden", "only managers and admins record orders")
	errStaffOrdersOff       = errs.New(errs.Internal, "internal", "checkout: staff orders are not configured")
)

// staffSale is a staff order priced and checked, before anything is written.
type staffSale struct {
	scope   channel.Scope
	region  Region
	items   []StaffOrderItem
	purch   map[string]purchasableVariant
	totals  totals
	email   string
	ship    address.Address
	fulfil  bool
	orderID string
}

// CreateStaffOrder records an order staff took for a sales channel. The
// same machinery as checkout, in the same order: prices from the catalog
// in the currency of the channel's region, tax by that region, stock
// reserved from the channel's warehouses in its priority order, the
// payment outside any transaction, then the order, its payment and its
// stock hold in one transaction (with, for an over-the-counter sale, its
// fulfilment, shipment and delivery: the stock leaves through the ledger
// under the order's reference and the order is completed). Any failure
// gives back what was taken: no order, no reservation, no payment kept.
func (s *Service) CreateStaffOrder(ctx context.Context, actor auth.Actor, in StaffOrderInput, meta Meta) (orders.Order, error) {
	if !actor.HasRole(auth.RoleManager) {
		return orders.Order{}, ErrStaffOrdersForbidden
	}
	if s.channels == nil || s.staffOrders == nil {
		return orders.Order{}, errStaffOrdersOff
	}
	sale, err := s.priceStaffOrder(ctx, in)
	if err != nil {
		return orders.Order{}, err
	}
	lines := make([]inventory.Line, len(sale.items))
	for i, it := range sale.items {
		lines[i] = inventory.Line{VariantID: it.VariantID, Quantity: it.Quantity}
	}
	res, err := s.inv.Reserve(ctx, inventory.ReserveInput{Reference: sale.orderID, Lines: lines, TTL: holdTTL,
		WarehouseIDs: sale.scope.WarehouseIDs})
	if err != nil {
		return orders.Order{}, withItemsField(err)
	}
	release := func() {
		if _, err := s.inv.Release(context.WithoutCancel(ctx), res.ID); err != nil {
			s.log.ErrorContext(ctx, "release the stock of a failed staff order", "order_id", sale.orderID, "err", err)
		}
	}
	if sale.fulfil {
		for _, l := range res.Lines {
			if l.Backordered {
				release()
				return orders.Order{}, ErrInsufficientStock.WithDetail(
					"%s: %d units are not in stock to hand over; record the sale without fulfill", l.VariantID, l.Quantity)
			}
		}
	}
	authz, err := s.staffPayment(ctx, in.Payment, sale, meta)
	if err != nil {
		release()
		return orders.Order{}, err
	}
	if authz.Result.Declined() {
		release()
		return orders.Order{}, ErrPaymentDeclined.WithDetail("the payment was declined (%s)", authz.Result.DeclineCode)
	}
	o, err := s.placeStaffOrder(ctx, actor, sale, res, authz, in.CustomerID, meta)
	if err != nil {
		if authz.Provider != "" {
			s.voidAuthorization(ctx, authz, sale.orderID)
		}
		release()
		return orders.Order{}, err
	}
	return o, nil
}

// priceStaffOrder checks the request and prices it; it writes nothing.
func (s *Service) priceStaffOrder(ctx context.Context, in StaffOrderInput) (staffSale, error) {
	sale := staffSale{orderID: id.New("order")}
	var fe []errs.FieldError
	if len(in.Items) == 0 || len(in.Items) > MaxCartLines {
		fe = append(fe, errs.FieldError{Field: "items", Message: fmt.Sprintf("must have 1 to %d lines", MaxCartLines)})
	}
	byVariant := map[string]int{}
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d].", i)
		if !id.Valid("var", it.VariantID) {
			fe = append(fe, errs.FieldError{Field: f + "variant_id", Message: "unknown variant"})
		}
		if it.Quantity < 1 || it.Quantity > MaxLineQuantity {
			fe = append(fe, errs.FieldError{Field: f + "quantity", Message: fmt.Sprintf("must be between 1 and %d", MaxLineQuantity)})
		}
		if j, ok := byVariant[it.VariantID]; ok { // one line per variant, as in a cart
			sale.items[j].Quantity += it.Quantity
			continue
		}
		byVariant[it.VariantID] = len(sale.items)
		sale.items = append(sale.items, it)
	}
	sale.email = auth.NormalizeEmail(in.Email)
	if sale.email != "" {
		if e, ok := errs.As(auth.CheckEmail("email", sale.email)); ok {
			fe = append(fe, e.Fields...)
		}
	}
	if in.ShippingAddress != nil {
		n := in.ShippingAddress.Normalize()
		if e, ok := errs.As(n.Validate("shipping_address.")); ok {
			fe = append(fe, e.Fields...)
		}
		sale.ship = n
	}
	if len(fe) > 0 {
		return sale, errs.ErrValidation.WithFields(fe...)
	}
	if err := s.checkStaffPayment(in.Payment); err != nil {
		return sale, err
	}
	ch, err := s.channels.Channel(ctx, in.SalesChannelID)
	if errors.Is(err, channels.ErrNotFound) {
		return sale, errs.Invalidf("sales_channel_id", "unknown sales channel")
	}
	if err != nil {
		return sale, err
	}
	if !ch.Active {
		return sale, ErrStaffChannelInactive
	}
	if ch.RegionID == nil {
		return sale, ErrChannelHasNoRegion
	}
	if sale.scope, err = s.channels.Scope(ctx, ch.ID); err != nil {
		return sale, err
	}
	if len(sale.scope.WarehouseIDs) == 0 {
		return sale, ErrChannelHasNoWarehouses
	}
	if sale.region, err = s.Region(ctx, *ch.RegionID); err != nil {
		return sale, err
	}
	sale.fulfil = ch.Kind == channels.KindPOS
	if in.Fulfill != nil {
		sale.fulfil = *in.Fulfill
	}
	if in.CustomerID != nil {
		email, err := s.customers.CustomerEmail(ctx, *in.CustomerID)
		if _, known := errs.As(err); known { // missing or closed: not a buyer
			return sale, errs.Invalidf("customer_id", "unknown customer")
		}
		if err != nil {
			return sale, err
		}
		if sale.email == "" {
			sale.email = email
		}
	}
	// Read as a request on the channel: products it does not sell are not
	// for sale.
	ids := make([]string, len(sale.items))
	for i, it := range sale.items {
		ids[i] = it.VariantID
	}
	if sale.purch, err = s.cat.Purchasables(channel.NewContext(ctx, sale.scope), ids, sale.region.Currency); err != nil {
		return sale, err
	}
	lines := make([]totalsLine, len(sale.items))
	for i, it := range sale.items {
		f := fmt.Sprintf("items[%d].variant_id", i)
		p, ok := sale.purch[it.VariantID]
		switch {
		case !ok:
			return sale, errs.Invalidf(f, "unknown variant")
		case !p.Published || !p.HasPrice:
			return sale, ErrVariantUnavailable.WithFields(errs.FieldError{Field: f, Message: "is not for sale in " + sale.region.Currency})
		case !p.OnChannel:
			return sale, ErrVariantUnavailable.WithFields(errs.FieldError{Field: f, Message: "is not sold on this sales channel"})
		}
		lines[i] = totalsLine{ProductID: p.ProductID, CategoryIDs: p.CategoryIDs, UnitPrice: p.Price,
			Quantity: it.Quantity, WeightGrams: p.WeightGrams}
	}
	sale.totals, _, err = computeTotalsWith(sale.region.Currency, lines, &sale.region, nil, nil, redemption{})
	return sale, err
}

// staffPayment takes the payment: manual ones are recorded as captured;
// online ones are authorised and captured at once (the buyer is there).
// No payment (or nothing to pay): a zero Authorization.
func (s *Service) staffPayment(ctx context.Context, p *StaffPayment, sale staffSale, meta Meta) (payments.Authorization, error) {
	if p == nil || sale.totals.Total.Minor == 0 {
		return payments.Authorization{}, nil
	}
	if p.Provider == payments.ManualName {
		return s.manual.AuthorizeManual(ctx, payments.ManualInput{Method: p.Method, Reference: strings.TrimSpace(p.Reference),
			Amount: sale.totals.Total, OrderID: sale.orderID})
	}
	return s.pay.Authorize(ctx, payments.AuthorizeInput{Provider: p.Provider, Method: p.Method, Token: p.Token,
		Amount: sale.totals.Total, Reference: sale.orderID, IdempotencyKey: meta.IdempotencyKey, Capture: true})
}

// checkStaffPayment refuses a payment that cannot be taken, before any
// stock is reserved; a manual one without a method is cash.
func (s *Service) checkStaffPayment(p *StaffPayment) error {
	if p == nil {
		return nil
	}
	if p.Provider != payments.ManualName {
		if err := checkPayment(PaymentInput{Provider: p.Provider, Method: p.Method, Token: p.Token}); err != nil {
			return err
		}
		_, err := s.pay.Provider(p.Provider)
		return withField(err, "payment.provider")
	}
	if s.manual == nil {
		return withField(payments.ErrUnknownProvider, "payment.provider")
	}
	if p.Method == "" {
		p.Method = payments.MethodCash
	}
	if !slices.Contains(payments.ManualMethods, p.Method) {
		return errs.Invalidf("payment.method", "must be one of %s for a manual payment", strings.Join(payments.ManualMethods, ", "))
	}
	return nil
}

// placeStaffOrder writes the order in one transaction: an internal cart
// (completed, on the channel) that the order is made from, the order, the
// stock hold, the payment and, for an over-the-counter sale, the handover.
func (s *Service) placeStaffOrder(ctx context.Context, actor auth.Actor, sale staffSale, res inventory.Reservation,
	authz payments.Authorization, customerID *string, meta Meta) (orders.Order, error) {
	t := sale.totals
	status := string(authz.Result.Status)
	switch {
	case authz.Provider == "" && t.Total.Minor == 0:
		status = orders.PaymentCaptured // nothing to pay
	case authz.Provider == "":
		status = orders.PaymentPending // a draft
	}
	var o orders.Order
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		now := s.now()
		cart := cartRow{ID: id.New("cart"), CustomerID: customerID, Email: sale.email, Currency: sale.region.Currency,
			SalesChannelID: sale.scope.ID, RegionID: &sale.region.ID, Status: CartCompleted, OrderID: &sale.orderID,
			SessionID: clip(meta.SessionID, 100), CompletedAt: &now, CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&cart).Error; err != nil {
			return fmt.Errorf("create staff order cart: %w", err)
		}
		in := orders.NewOrder{ID: sale.orderID, CartID: cart.ID, SalesChannelID: sale.scope.ID, CustomerID: customerID,
			Email: sale.email, Currency: sale.region.Currency, RegionID: &sale.region.ID, ShippingAddress: sale.ship,
			BillingAddress: sale.ship, Subtotal: t.Subtotal.Minor, DiscountTotal: t.DiscountTotal.Minor,
			ShippingTotal: t.Shipping.Minor, ShippingDiscount: t.ShippingDiscount.Minor, ShippingTax: t.ShippingTax.Minor,
			TaxTotal: t.TaxTotal.Minor, Total: t.Total.Minor, TaxInclusive: t.TaxInclusive, ReservationID: res.ID,
			ClientIP: meta.IP, TaxName: sale.region.Name, TaxRate: sale.region.TaxRate, PaymentStatus: status,
			Actor: actor.ID}
		items := make([]cartItemRow, len(sale.items))
		for i, it := range sale.items {
			p, lt := sale.purch[it.VariantID], t.Lines[i]
			items[i] = cartItemRow{ID: id.New("citem"), CartID: cart.ID, VariantID: it.VariantID, Quantity: it.Quantity,
				UnitPrice: p.Price.Minor, CreatedAt: now, UpdatedAt: now}
			in.Items = append(in.Items, orders.NewItem{VariantID: it.VariantID, ProductID: p.ProductID, SKU: p.SKU,
				Title: p.Title, Quantity: it.Quantity, UnitPrice: p.Price.Minor, Subtotal: lt.Subtotal.Minor,
				DiscountTotal: lt.Discount.Minor, TaxTotal: lt.Tax.Minor, Total: lt.Total.Minor})
		}
		if err := s.db.Conn(ctx).Create(&items).Error; err != nil {
			return fmt.Errorf("create staff order cart items: %w", err)
		}
		hold := forever
		if status == orders.PaymentPending {
			until := now.Add(draftHold)
			in.ExpiresAt, hold = &until, until
		}
		created, err := s.orders.Create(ctx, in)
		if err != nil {
			return err
		}
		if err := s.inv.Hold(ctx, res.ID, hold); err != nil {
			return err
		}
		if authz.Provider != "" {
			if _, err := s.pay.Record(ctx, sale.orderID, authz); err != nil {
				return err
			}
		}
		if sale.fulfil && status != orders.PaymentPending {
			if err := s.handOver(ctx, actor, created, res); err != nil {
				return err
			}
		}
		o, err = s.orders.ByID(ctx, sale.orderID)
		return err
	})
	return o, err
}

// handOver fulfils the whole order from the warehouses its reservation
// took the stock from (one fulfilment each), ships and delivers it at
// once: the goods left over the counter. The stock leaves through the
// ledger with the order as reference and the order is completed.
func (s *Service) handOver(ctx context.Context, actor auth.Actor, o orders.Order, res inventory.Reservation) error {
	itemOf := map[string]string{}
	for _, it := range o.Items {
		itemOf[it.VariantID] = it.ID
	}
	var whs []string
	byWarehouse := map[string][]orders.FulfillmentItemInput{}
	for _, l := range res.Lines {
		if l.WarehouseID == nil {
			continue
		}
		wh := *l.WarehouseID
		if _, ok := byWarehouse[wh]; !ok {
			whs = append(whs, wh)
		}
		byWarehouse[wh] = append(byWarehouse[wh], orders.FulfillmentItemInput{ItemID: itemOf[l.VariantID], Quantity: l.Quantity})
	}
	for _, wh := range whs {
		f, err := s.staffOrders.CreateFulfillment(ctx, actor, o.ID, orders.FulfillmentInput{WarehouseID: wh, Items: byWarehouse[wh]})
		if err != nil {
			return err
		}
		if _, err := s.staffOrders.ShipFulfillment(ctx, actor, o.ID, f.ID,
			orders.ShipInput{Carrier: counterCarrier, TrackingNumber: o.Number}); err != nil {
			return err
		}
		if _, err := s.staffOrders.DeliverFulfillment(ctx, actor, o.ID, f.ID); err != nil {
			return err
		}
	}
	return nil
}

// withItemsField names the reservation's lines[i] fields as the request's
// items[i] (the lines are the request's items, in order).
func withItemsField(err error) error {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = strings.Replace(f.Field, "lines[", "items[", 1)
		out.Fields[i] = f
	}
	return &out
}
