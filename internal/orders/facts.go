package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/id"
)

// Facts is the short form of an order that support answers "where is my
// order?" with: states and shipments, no lines, prices or addresses.
type Facts struct {
	ID                string
	Number            string
	Status            string
	FulfillmentStatus string
	CreatedAt         time.Time
	// Shipments are the order's fulfilments that were not canceled, oldest
	// first.
	Shipments []Shipment
}

// Shipment is one fulfilment as support shows it.
type Shipment struct {
	Status         string
	Carrier        string
	TrackingNumber string
}

// The Facts readers are trusted internal calls without an actor, but each one
// takes the owner's credential and puts it in the WHERE clause: the support
// bot cannot read an order it was not shown to be the owner's, so another
// customer's order is the same ErrOrderNotFound as a missing one.

// CustomerFacts returns up to limit of the customer's orders, newest first.
func (s *Service) CustomerFacts(ctx context.Context, customerID string, limit int) ([]Facts, error) {
	if customerID == "" || limit <= 0 {
		return nil, nil
	}
	var rows []orderRow
	err := s.db.Conn(ctx).Where("customer_id = ?", customerID).Order("id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read customer orders: %w", err)
	}
	return s.facts(ctx, rows)
}

// CustomerFactsByNumber returns the customer's order numbered number
// (case-insensitive), or ErrOrderNotFound when it is not theirs.
func (s *Service) CustomerFactsByNumber(ctx context.Context, customerID, number string) (Facts, error) {
	if customerID == "" {
		return Facts{}, ErrOrderNotFound
	}
	return s.oneFacts(ctx, "customer_id = ? AND number = ?", customerID, strings.ToUpper(number))
}

// CustomerFactsByID returns the customer's order id, or ErrOrderNotFound.
func (s *Service) CustomerFactsByID(ctx context.Context, customerID, orderID string) (Facts, error) {
	if customerID == "" || !id.Valid("order", orderID) {
		return Facts{}, ErrOrderNotFound
	}
	return s.oneFacts(ctx, "customer_id = ? AND id = ?", customerID, orderID)
}

// GuestFactsByNumber returns the order numbered number when email is the
// order's e-mail, or ErrOrderNotFound: a guest proves an order is theirs with
// both.
func (s *Service) GuestFactsByNumber(ctx context.Context, number, email string) (Facts, error) {
	email = auth.NormalizeEmail(email)
	if number == "" || email == "" {
		return Facts{}, ErrOrderNotFound
	}
	return s.oneFacts(ctx, "number = ? AND lower(email) = ?", strings.ToUpper(number), email)
}

// GuestFactsByID is GuestFactsByNumber for an order id.
func (s *Service) GuestFactsByID(ctx context.Context, orderID, email string) (Facts, error) {
	email = auth.NormalizeEmail(email)
	if !id.Valid("order", orderID) || email == "" {
		return Facts{}, ErrOrderNotFound
	}
	return s.oneFacts(ctx, "id = ? AND lower(email) = ?", orderID, email)
}

func (s *Service) oneFacts(ctx context.Context, where string, args ...any) (Facts, error) {
	var r orderRow
	err := s.db.Conn(ctx).Where(where, args...).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Facts{}, ErrOrderNotFound
	}
	if err != nil {
		return Facts{}, fmt.Errorf("read order facts: %w", err)
	}
	out, err := s.facts(ctx, []orderRow{r})
	if err != nil {
		return Facts{}, err
	}
	return out[0], nil
}

// facts adds the shipments to rows, keeping their order.
func (s *Service) facts(ctx context.Context, rows []orderRow) ([]Facts, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var frows []fulfillmentRow
	err := s.db.Conn(ctx).Where("order_id IN ? AND status <> ?", ids, FulfillmentCanceled).
		Order("order_id, id").Find(&frows).Error
	if err != nil {
		return nil, fmt.Errorf("read order shipments: %w", err)
	}
	ships := map[string][]Shipment{}
	for _, f := range frows {
		ships[f.OrderID] = append(ships[f.OrderID], Shipment{Status: f.Status, Carrier: f.Carrier, TrackingNumber: f.TrackingNumber})
	}
	out := make([]Facts, len(rows))
	for i, r := range rows {
		out[i] = Facts{ID: r.ID, Number: r.Number, Status: r.Status, FulfillmentStatus: r.FulfillmentStatus,
			CreatedAt: r.CreatedAt.UTC(), Shipments: ships[r.ID]}
	}
	return out, nil
}
