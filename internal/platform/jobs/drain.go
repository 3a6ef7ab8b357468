package jobs

import (
	"context"
	"fmt"
	"time"
)

// Drain starts the runner if needed and waits until no job is available or
// running and no loop (Loop) has work left, so a test can enqueue (or let a
// periodic job fire) and then assert the job's effect deterministically.
// Jobs scheduled in the future or waiting for a retry are not waited for. It
// gives up when ctx ends.
func (r *Runner) Drain(ctx context.Context) error {
	r.mu.Lock()
	started := r.started
	r.mu.Unlock()
	if !started {
		if err := r.Start(context.WithoutCancel(ctx)); err != nil {
			return err
		}
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		busy, err := r.runLoopsOnce(ctx)
		if err != nil {
			return err
		}
		n, err := r.Pending(ctx)
		if err != nil {
			return err
		}
		if n == 0 && !busy {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs: drain: %d jobs still pending: %w", n, ctx.Err())
		case <-tick.C:
		}
	}
}

// Pending counts jobs that are available or running (for tests and health).
func (r *Runner) Pending(ctx context.Context) (int64, error) {
	var n int64
	err := r.d.SQL().QueryRowContext(ctx,
		`SELECT count(*) FROM river_job WHERE state IN ('available', 'running')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("jobs: count pending: %w", err)
	}
	return n, nil
}
