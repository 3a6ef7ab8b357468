package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"

	"gorm.io/gorm"

	"storekeep/internal/platform/events"
	"storekeep/internal/platform/money"
)

// orderFacts is what loyalty reads of an order.fulfilled payload.
type orderFacts struct {
	ID           string       `json:"id"`
	CustomerID   *string      `json:"customer_id"`
	Currency     string       `json:"currency"`
	TaxInclusive bool         `json:"tax_inclusive"`
	Total        money.Amount `json:"total"`
	Items        []struct {
		Subtotal      money.Amount `json:"subtotal"`
		DiscountTotal money.Amount `json:"discount_total"`
		TaxTotal      money.Amount `json:"tax_total"`
	} `json:"items"`
}

type refundFacts struct {
	ID      string       `json:"id"`
	OrderID string       `json:"order_id"`
	Amount  money.Amount `json:"amount"`
}

// OnEvent is the events consumer (events.Dispatcher.Subscribe), run in the
// dispatch transaction: order.fulfilled earns, refund.created reverses.
func (s *Service) OnEvent(ctx context.Context, e events.Event) error {
	switch e.Type {
	case "order.fulfilled":
		var o orderFacts
		if err := json.Unmarshal(e.Payload, &o); err != nil {
			return fmt.Errorf("decode %s: %w", e.Type, err)
		}
		return s.Earn(ctx, o)
	case "refund.created":
		var r refundFacts
		if err := json.Unmarshal(e.Payload, &r); err != nil {
			return fmt.Errorf("decode %s: %w", e.Type, err)
		}
		return s.Reverse(ctx, r.ID, r.OrderID, r.Amount.Minor)
	}
	return nil
}

// basis is the order's paid total excluding shipping and tax.
func (o orderFacts) basis() int64 {
	var b int64
	for _, it := range o.Items {
		net := it.Subtotal.Minor - it.DiscountTotal.Minor
		if o.TaxInclusive {
			net -= it.TaxTotal.Minor
		}
		b += net
	}
	return max(b, 0)
}

// Earn credits a fulfilled order's points: earn_per_unit per whole unit of
// its basis, times the tier's multiplier (the tier the order itself moves
// the customer to). Once per order.
func (s *Service) Earn(ctx context.Context, o orderFacts) error {
	if o.CustomerID == nil {
		return nil
	}
	p, err := s.Program(ctx)
	if err != nil || !p.Active {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		key := "earn:" + o.ID
		var n int64
		if err := s.db.Conn(ctx).Model(&ledgerRow{}).Where("dedupe_key = ?", key).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		basis := o.basis()
		spend, err := s.spend12m(ctx, *o.CustomerID, p)
		if err != nil {
			return err
		}
		if o.Currency == p.RedeemValue.Currency {
			spend += basis
		}
		tier, err := s.setTier(ctx, *o.CustomerID, p, spend)
		if err != nil {
			return err
		}
		mult := 1.0
		if tier != nil && tier.Perks.EarnMultiplier > 0 {
			mult = tier.Perks.EarnMultiplier
		}
		exp, _ := money.Exponent(o.Currency)
		units := new(big.Int).Mul(big.NewInt(basis), big.NewInt(p.EarnPerUnit))
		units.Quo(units, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
		points := int64(math.Floor(float64(units.Int64())*mult + 1e-9))
		_, err = s.post(ctx, ledgerRow{CustomerID: *o.CustomerID, Kind: KindEarn, Points: points, OrderID: &o.ID,
			Currency: o.Currency, Basis: basis, OrderTotal: o.Total.Minor, Reason: "order fulfilled",
			DedupeKey: &key, ExpiresAt: s.expiry(p)})
		return err
	})
}

// Reverse takes back, once per refund, the share of an order's earned
// points that the refund is of the order's total (rounded down, never more
// than was earned, never below a zero balance).
func (s *Service) Reverse(ctx context.Context, refundID, orderID string, amount int64) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		var earn ledgerRow
		err := s.db.Conn(ctx).Where("order_id = ? AND kind = ?", orderID, KindEarn).Take(&earn).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && (earn.OrderTotal <= 0 || earn.Points <= 0)) {
			return nil
		}
		if err != nil {
			return err
		}
		var reversed int64
		if err := s.db.Conn(ctx).Model(&ledgerRow{}).Select("COALESCE(SUM(points), 0)").
			Where("order_id = ? AND kind = ?", orderID, KindReverse).Scan(&reversed).Error; err != nil {
			return err
		}
		amount = min(amount, earn.OrderTotal)
		pts := new(big.Int).Mul(big.NewInt(earn.Points), big.NewInt(amount))
		pts.Quo(pts, big.NewInt(earn.OrderTotal))
		take := min(pts.Int64(), earn.Points+reversed) // reversed is <= 0
		bal, _, err := s.Balance(ctx, earn.CustomerID)
		if err != nil {
			return err
		}
		take = min(take, bal)
		basis := new(big.Int).Mul(big.NewInt(earn.Basis), big.NewInt(amount))
		basis.Quo(basis, big.NewInt(earn.OrderTotal))
		key := "reverse:" + refundID
		if take <= 0 && basis.Int64() == 0 {
			return nil
		}
		if _, err := s.post(ctx, ledgerRow{CustomerID: earn.CustomerID, Kind: KindReverse, Points: -max(take, 0),
			OrderID: &orderID, Currency: earn.Currency, Basis: basis.Int64(), Reason: "refund " + refundID,
			DedupeKey: &key}); err != nil {
			return err
		}
		return s.RecomputeTier(ctx, earn.CustomerID)
	})
}
