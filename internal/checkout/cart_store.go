package checkout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/address"
	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/channel"
	"storekeep/internal/platform/id"
)

type cartRow struct {
	ID               string
	CustomerID       *string
	Email            string
	Currency         string
	SalesChannelID   string
	RegionID         *string
	ShippingOptionID *string
	ShippingAddress  *string
	BillingAddress   *string
	Status           string
	OrderID          *string
	SessionID        string
	AnonymousID      string
	ClaimedAt        *time.Time
	ClaimToken       *string
	ClaimKey         *string
	ClaimProvider    *string
	LoyaltyPoints    int64
	CompletedAt      *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (cartRow) TableName() string { return "carts" }

type cartItemRow struct {
	ID        string
	CartID    string
	VariantID string
	Quantity  int64
	UnitPrice int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (cartItemRow) TableName() string { return "cart_items" }

type cartDiscountRow struct {
	CartID      string
	PromotionID string
	Code        string
	CreatedAt   time.Time
}

func (cartDiscountRow) TableName() string { return "cart_discounts" }

// cartFor loads a cart the actor may open: anonymous carts by id alone, a
// customer's cart only with that customer's token (anyone else gets the same
// 404 as for a missing id).
func (s *Service) cartFor(ctx context.Context, actor auth.Actor, cartID string) (cartRow, error) {
	if !id.Valid("cart", cartID) {
		return cartRow{}, ErrCartNotFound
	}
	var r cartRow
	err := s.db.Conn(ctx).Where("id = ? AND status <> ?", cartID, CartMerged).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return cartRow{}, ErrCartNotFound
	}
	if err != nil {
		return cartRow{}, fmt.Errorf("read cart: %w", err)
	}
	if r.CustomerID != nil && (actor.Kind != auth.Customer || actor.ID != *r.CustomerID) {
		return cartRow{}, ErrCartNotFound
	}
	// A cart belongs to its sales channel: asked for with another channel's
	// key (or none, for a cart of a non-default channel) it does not exist.
	if sc, ok := channel.FromContext(ctx); ok && sc.ID != r.SalesChannelID {
		return cartRow{}, ErrCartNotFound
	}
	return r, nil
}

// lockOpenCart takes the cart for a change: a no-op update guarded by
// status = open and by who may change it (anyone while anonymous, else only
// its customer), which holds the cart's row lock on PostgreSQL until the
// transaction ends (SQLite has one writer), so changes to one cart are
// serialised and none lands on a cart being checked out. The row is then
// read under the lock. When nothing was updated, a read tells 404 (missing
// or someone else's) from 409 (not open).
func (s *Service) lockOpenCart(ctx context.Context, actor auth.Actor, cartID string) (cartRow, error) {
	if !id.Valid("cart", cartID) {
		return cartRow{}, ErrCartNotFound
	}
	q := s.db.Conn(ctx).Model(&cartRow{}).Where("id = ? AND status = ?", cartID, CartOpen)
	if actor.Kind == auth.Customer {
		q = q.Where("(customer_id IS NULL OR customer_id = ?)", actor.ID)
	} else {
		q = q.Where("customer_id IS NULL")
	}
	res := q.Update("updated_at", s.now())
	if res.Error != nil {
		return cartRow{}, fmt.Errorf("lock cart: %w", res.Error)
	}
	r, err := s.cartFor(ctx, actor, cartID)
	if err != nil {
		return cartRow{}, err
	}
	if res.RowsAffected == 0 {
		return cartRow{}, ErrCartClosed
	}
	return r, nil
}

func (s *Service) cartItems(ctx context.Context, cartID string) ([]cartItemRow, error) {
	var items []cartItemRow
	if err := s.db.Conn(ctx).Where("cart_id = ?", cartID).Order("created_at, id").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("read cart items: %w", err)
	}
	return items, nil
}

func (s *Service) cartDiscounts(ctx context.Context, cartID string) ([]cartDiscountRow, error) {
	var ds []cartDiscountRow
	if err := s.db.Conn(ctx).Where("cart_id = ?", cartID).Order("created_at, promotion_id").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("read cart discounts: %w", err)
	}
	return ds, nil
}

func encodeAddress(a *address.Address) (*string, error) {
	if a == nil {
		return nil, nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func decodeAddress(s *string) (*address.Address, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	var a address.Address
	if err := json.Unmarshal([]byte(*s), &a); err != nil {
		return nil, fmt.Errorf("decode address: %w", err)
	}
	return &a, nil
}
