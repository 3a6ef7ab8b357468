package metrics

import (
	"context"
	"fmt"
	"strings"
)

// eventColumns are the metric_events columns a batch writes (seq is the
// database's).
const eventColumns = "event_id, type, anonymous_id, session_id, customer_id, path, product_id, utm_source, " +
	"utm_medium, utm_campaign, experiment_id, arm, occurred_at, received_at, sales_channel_id"

// insertEvents stores rows with ONE multi-row INSERT. ON CONFLICT DO NOTHING
// (no target: the only unique key besides seq is the partial index on
// event_id) makes a replayed event_id, in this batch or an earlier one, a
// no-op on both SQLite and PostgreSQL. 500 rows x 15 columns stay well
// under both databases' bound-parameter limits.
func (s *Tracker) insertEvents(ctx context.Context, rows []event) error {
	var sb strings.Builder
	sb.Grow(64 + len(rows)*48)
	sb.WriteString("INSERT INTO metric_events (" + eventColumns + ") VALUES ")
	args := make([]any, 0, len(rows)*15)
	for i, r := range rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
		args = append(args, r.EventID, r.Type, r.AnonymousID, r.SessionID, r.CustomerID, r.Path, r.ProductID,
			r.UTMSource, r.UTMMedium, r.UTMCampaign, r.ExperimentID, r.Arm, r.OccurredAt, r.ReceivedAt, r.SalesChannelID)
	}
	sb.WriteString(" ON CONFLICT DO NOTHING")
	if err := s.db.Conn(ctx).Exec(sb.String(), args...).Error; err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	return nil
}

// noteAcquisition records the customer's acquisition channel from the
// earliest event of the batch that carries a UTM source, once: a customer
// who already has a channel keeps it, so later campaigns never overwrite
// where they came from. first_seen_at is that event's time.
func (s *Tracker) noteAcquisition(ctx context.Context, customerID string, rows []event) error {
	var first *event
	for i := range rows {
		if rows[i].UTMSource != nil && (first == nil || rows[i].OccurredAt.Before(first.OccurredAt)) {
			first = &rows[i]
		}
	}
	if first == nil {
		return nil
	}
	err := s.db.Conn(ctx).Exec(`UPDATE customers SET acquisition_channel = ?, first_seen_at = ?
WHERE id = ? AND acquisition_channel IS NULL`, *first.UTMSource, first.OccurredAt, customerID).Error
	if err != nil {
		return fmt.Errorf("note acquisition channel: %w", err)
	}
	return nil
}
