package inventory

import (
	"context"
	"fmt"
	"time"

	"storekeep/internal/platform/id"
)

// Hold moves an active reservation's expiry to until: checkout keeps the
// stock of a placed order this way (until fulfilment commits it or a
// cancellation releases it, or until a pending payment's deadline). It runs
// in the caller's transaction when ctx carries one. A reservation that is no
// longer active (the expiry job released it in the meantime) is 409
// reservation_closed, which fails the checkout instead of selling stock that
// was given back.
func (s *Service) Hold(ctx context.Context, reservationID string, until time.Time) error {
	if !id.Valid("res", reservationID) {
		return ErrReservationNotFound
	}
	res := s.db.Conn(ctx).Model(&reservationRow{}).Where("id = ? AND status = ?", reservationID, StatusActive).
		Updates(map[string]any{"expires_at": until.UTC(), "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("hold reservation: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrReservationClosed
	}
	return nil
}
