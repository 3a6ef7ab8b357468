package automations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"storekeep/internal/platform/events"
	"storekeep/internal/platform/id"
	"storekeep/internal/platform/jobs"
)

// runMaxAttempts is how often a run's job is tried (River's backoff spreads
// 8 attempts over about an hour and a half) before the run is failed.
const runMaxAttempts = 8

// OnEvent is the events consumer (events.Dispatcher.Subscribe): for each
// active rule whose trigger is e's type it records a scheduled run and
// enqueues the run's job at e's time plus the rule's delay, all in the
// dispatch transaction. A run is unique per rule and event, so an event
// handed over again (a replay, a second dispatch after a crash) makes no
// second run and no second job.
func (s *Service) OnEvent(ctx context.Context, e events.Event) error {
	if _, ok := triggers[e.Type]; !ok {
		return nil
	}
	if s.jobs == nil {
		return errors.New("automations: no jobs runner (WithJobs)")
	}
	conn := s.db.Conn(ctx)
	var rules []automationRow
	err := conn.Select("id", "delay_seconds").
		Where("trigger_type = ? AND active = ? AND deleted_at IS NULL", e.Type, true).Order("id").Find(&rules).Error
	if err != nil {
		return fmt.Errorf("automations: rules for %s: %w", e.Type, err)
	}
	for _, r := range rules {
		at := e.CreatedAt.UTC().Add(time.Duration(r.DelaySeconds) * time.Second).Truncate(time.Microsecond)
		run := runRow{ID: id.New("arun"), AutomationID: r.ID, EventID: e.ID, EventType: e.Type, Status: RunScheduled,
			Actions: "[]", ScheduledAt: at, CreatedAt: s.clock()}
		res := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&run)
		if res.Error != nil {
			return fmt.Errorf("automations: record run: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			continue // this rule already has its run for this event
		}
		opts := &jobs.InsertOpts{MaxAttempts: runMaxAttempts}
		if r.DelaySeconds > 0 {
			opts.ScheduledAt = at
		}
		if err := s.jobs.Enqueue(ctx, RunArgs{RunID: run.ID, Event: eventArgsOf(e)}, opts); err != nil {
			return err
		}
	}
	return nil
}

// RunArgs is the job that performs one run. It carries the triggering
// event as it was recorded (the outbox row), so the run does not depend on
// the outbox keeping it; the facts conditions judge are read fresh.
type RunArgs struct {
	RunID string    `json:"run_id"`
	Event EventArgs `json:"event"`
}

// Kind names the job (River's JobArgs interface).
func (RunArgs) Kind() string { return "automations.run" }

// EventArgs is an events.Event in a job's arguments.
type EventArgs struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	ResourceType string          `json:"resource_type"`
	SubjectID    string          `json:"subject_id"`
	Payload      json.RawMessage `json:"payload"`
	OccurredAt   time.Time       `json:"occurred_at"`
}

func eventArgsOf(e events.Event) EventArgs {
	return EventArgs{ID: e.ID, Type: e.Type, ResourceType: e.ResourceType, SubjectID: e.SubjectID,
		Payload: e.Payload, OccurredAt: e.CreatedAt}
}

func (a EventArgs) event() events.Event {
	return events.Event{ID: a.ID, Type: a.Type, ResourceType: a.ResourceType, SubjectID: a.SubjectID,
		Payload: a.Payload, CreatedAt: a.OccurredAt}
}
