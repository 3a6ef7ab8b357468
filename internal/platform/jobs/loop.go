package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// LoopFunc does one round of a loop's work and says how much it handled; a
// loop whose round handled something runs again at once.
type LoopFunc func(ctx context.Context) (handled int, err error)

type loop struct {
	name     string
	interval time.Duration
	fn       LoopFunc
}

// loops holds a runner's in-process loops and the goroutines running them.
type loops struct {
	list   []loop
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Loop registers fn to run every interval while the runner is started, in
// every process. It is for work whose durable state is its own table (the
// events outbox, say), where a River job per round would only add writes: fn
// must be safe to run concurrently in several processes (lock what must run
// once). Drain also runs every loop until none has work left, so tests see
// its effect deterministically. Register loops before Start.
func (r *Runner) Loop(name string, interval time.Duration, fn LoopFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		panic("jobs: Loop after Start")
	}
	r.loops.list = append(r.loops.list, loop{name: name, interval: interval, fn: fn})
}

// startLoops runs each loop in its own goroutine until stopLoops.
func (r *Runner) startLoops() {
	r.mu.Lock()
	defer r.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	r.loops.cancel = cancel
	for _, l := range r.loops.list {
		r.loops.wg.Add(1)
		go func() {
			defer r.loops.wg.Done()
			r.runLoop(ctx, l)
		}()
	}
}

func (r *Runner) runLoop(ctx context.Context, l loop) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := l.fn(ctx)
		next := l.interval
		switch {
		case err != nil && ctx.Err() == nil:
			r.opts.Log.Warn("jobs: loop round failed", slog.String("loop", l.name), slog.Any("error", err))
		case err == nil && n > 0:
			next = 0 // more may be waiting
		}
		t.Reset(next)
	}
}

// stopLoops cancels the loops and waits for their current round to end.
func (r *Runner) stopLoops() {
	r.mu.Lock()
	cancel := r.loops.cancel
	r.loops.cancel = nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		r.loops.wg.Wait()
	}
}

// runLoopsOnce runs every loop until a round handles nothing; it reports
// whether any round handled something.
func (r *Runner) runLoopsOnce(ctx context.Context) (bool, error) {
	r.mu.Lock()
	list := append([]loop(nil), r.loops.list...)
	r.mu.Unlock()
	busy := false
	for _, l := range list {
		for {
			n, err := l.fn(ctx)
			if err != nil {
				return busy, err
			}
			if n == 0 {
				break
			}
			busy = true
		}
	}
	return busy, nil
}
