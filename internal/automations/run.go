package automations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/events"
	"storekeep/internal/platform/jobs"
)

// failure is an outcome a run records rather than retries: a condition
// whose fact does not exist, an action that cannot be done (no customer,
// e-mail off, an unknown group). Its message goes into the run log.
type failure struct{ msg string }

func (f *failure) Error() string { return f.msg }

func failuref(format string, args ...any) error { return &failure{msg: fmt.Sprintf(format, args...)} }

// failureOf tells whether err is an outcome to record (a failure, or a
// domain's refusal such as an unknown group) and gives its message; any
// other error (the database, a bug) fails the attempt, which is retried.
func failureOf(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	if f, ok := errors.AsType[*failure](err); ok {
		return f.msg, true
	}
	if e, ok := errs.As(err); ok && e.Kind != errs.Internal && e.Kind != errs.Unavailable {
		return e.Error(), true
	}
	return "", false
}

// Execute performs a run once: in one transaction it claims the run (a run
// no longer scheduled, finished by an earlier attempt, is left alone),
// re-reads its rule, judges the conditions on fresh data, performs every
// action and records the outcome. An error rolls all of it back: the job
// is retried and nothing was done twice.
func (s *Service) Execute(ctx context.Context, runID string, e events.Event) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		// The guarded update claims the run: on PostgreSQL it holds the
		// row's lock until commit, so a duplicate job waits, then finds the
		// run finished; SQLite has one writer at a time.
		res := conn.Model(&runRow{}).Where("id = ? AND status = ?", runID, RunScheduled).
			UpdateColumn("attempts", gorm.Expr("attempts + 1"))
		if res.Error != nil {
			return fmt.Errorf("claim automation run: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		var run runRow
		if err := conn.Where("id = ?", runID).Take(&run).Error; err != nil {
			return fmt.Errorf("read automation run: %w", err)
		}
		rule, err := s.rule(ctx, run.AutomationID)
		if err != nil {
			return err
		}
		switch {
		case rule.DeletedAt != nil:
			return s.finish(ctx, run.ID, RunSkipped, "the automation was deleted before the run", nil)
		case !rule.Active:
			return s.finish(ctx, run.ID, RunSkipped, "the automation was deactivated before the run", nil)
		case rule.TriggerType != run.EventType:
			return s.finish(ctx, run.ID, RunSkipped, "the automation's trigger changed to "+rule.TriggerType, nil)
		}
		a, err := rule.automation()
		if err != nil {
			return err
		}
		sub := s.newSubject(e)
		ok, reason, err := sub.conditionsHold(ctx, a.Conditions)
		if err != nil {
			return err
		}
		if !ok {
			return s.finish(ctx, run.ID, RunSkipped, reason, nil)
		}
		results, err := s.perform(ctx, run, a, sub)
		if err != nil {
			return err
		}
		status, reason := RunSucceeded, ""
		if n := failed(results); n > 0 {
			status, reason = RunFailed, fmt.Sprintf("%d of %d actions failed", n, len(results))
		}
		return s.finish(ctx, run.ID, status, reason, results)
	})
}

func failed(results []RunAction) int {
	n := 0
	for _, r := range results {
		if r.Status == RunFailed {
			n++
		}
	}
	return n
}

// finish records a run's outcome.
func (s *Service) finish(ctx context.Context, runID, status, reason string, results []RunAction) error {
	acts, err := json.Marshal(orEmpty(results))
	if err != nil {
		return fmt.Errorf("encode run actions: %w", err)
	}
	err = s.db.Conn(ctx).Model(&runRow{}).Where("id = ?", runID).Updates(map[string]any{
		"status": status, "reason": reason, "actions": string(acts), "finished_at": s.clock()}).Error
	if err != nil {
		return fmt.Errorf("finish automation run: %w", err)
	}
	return nil
}

// giveUp fails a run whose job ran out of attempts, so the run log does not
// show it scheduled for ever.
func (s *Service) giveUp(ctx context.Context, runID string, attempts int) error {
	err := s.db.Conn(ctx).Model(&runRow{}).Where("id = ? AND status = ?", runID, RunScheduled).
		Updates(map[string]any{"status": RunFailed, "attempts": attempts, "finished_at": s.clock(),
			"reason": fmt.Sprintf("could not run after %d attempts (an internal error: see the server log)", attempts)}).Error
	if err != nil {
		return fmt.Errorf("give up automation run: %w", err)
	}
	return nil
}

// runWorker works RunArgs.
type runWorker struct {
	jobs.WorkerDefaults[RunArgs]
	svc *Service
}

// Work performs the run; after the last attempt fails it records the run
// as failed.
func (w *runWorker) Work(ctx context.Context, j *jobs.Job[RunArgs]) error {
	err := w.svc.Execute(ctx, j.Args.RunID, j.Args.Event.event())
	if err == nil || j.Attempt < j.MaxAttempts {
		return err
	}
	w.svc.log.ErrorContext(ctx, "automation run failed for good", "run_id", j.Args.RunID, "error", err.Error())
	return errors.Join(err, w.svc.giveUp(ctx, j.Args.RunID, j.Attempt))
}

// RegisterJobs registers the run worker; call it while wiring, before the
// runner starts, and subscribe OnEvent to the events dispatcher.
func RegisterJobs(r *jobs.Runner, s *Service) {
	jobs.Register(r, &runWorker{svc: s})
}
