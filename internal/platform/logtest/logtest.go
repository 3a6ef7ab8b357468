// Package logtest captures what code logs through log/slog, so tests can
// assert on log lines (their level, message and attributes) instead of
// parsing text. It is safe for concurrent use: servers log from many
// goroutines.
package logtest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// Record is one captured log line with its attributes flattened to text.
type Record struct {
	Level   slog.Level
	Message string
	Attrs   map[string]string
}

// Recorder is a slog.Handler that keeps every record at or above its level.
type Recorder struct {
	level slog.Level
	mu    *sync.Mutex
	recs  *[]Record
	attrs []slog.Attr
}

var _ slog.Handler = (*Recorder)(nil)

// New returns a Recorder keeping records at level and above.
func New(level slog.Level) *Recorder {
	return &Recorder{level: level, mu: &sync.Mutex{}, recs: &[]Record{}}
}

// Logger is a logger writing to r.
func (r *Recorder) Logger() *slog.Logger { return slog.New(r) }

// Enabled implements slog.Handler.
func (r *Recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= r.level }

// Handle implements slog.Handler.
func (r *Recorder) Handle(_ context.Context, rec slog.Record) error {
	out := Record{Level: rec.Level, Message: rec.Message, Attrs: map[string]string{}}
	for _, a := range r.attrs {
		out.Attrs[a.Key] = fmt.Sprint(a.Value.Any())
	}
	rec.Attrs(func(a slog.Attr) bool {
		out.Attrs[a.Key] = fmt.Sprint(a.Value.Resolve().Any())
		return true
	})
	r.mu.Lock()
	*r.recs = append(*r.recs, out)
	r.mu.Unlock()
	return nil
}

// WithAttrs implements slog.Handler.
func (r *Recorder) WithAttrs(as []slog.Attr) slog.Handler {
	c := *r
	c.attrs = append(append([]slog.Attr(nil), r.attrs...), as...)
	return &c
}

// WithGroup implements slog.Handler; groups are not kept apart (tests look
// records up by plain keys).
func (r *Recorder) WithGroup(string) slog.Handler { return r }

// Records returns a copy of what was logged so far.
func (r *Recorder) Records() []Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Record(nil), *r.recs...)
}

// Where returns the records for which keep is true.
func (r *Recorder) Where(keep func(Record) bool) []Record {
	var out []Record
	for _, rec := range r.Records() {
		if keep(rec) {
			out = append(out, rec)
		}
	}
	return out
}

// Reset forgets every record so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	*r.recs = nil
	r.mu.Unlock()
}
