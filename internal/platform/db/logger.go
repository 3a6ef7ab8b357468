package db

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// queryLogger reports only failed and slow statements. GORM's own slog logger
// renders every statement's SQL text before deciding not to log it, which
// cost several percent of CPU on the catalog's hot read path; this one calls
// the renderer only when a line will actually be written.
type queryLogger struct {
	log  *slog.Logger
	slow time.Duration
}

var _ logger.Interface = queryLogger{}

func (l queryLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l queryLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, "gorm", "message", msg, "args", args)
}

func (l queryLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, "gorm", "message", msg, "args", args)
}

func (l queryLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, "gorm", "message", msg, "args", args)
}

// Trace logs statements slower than the threshold at Warn. Failed statements
// are not logged here: the error is returned to the caller, and the HTTP
// error handler logs it once (log or return, never both).
func (l queryLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	if elapsed < l.slow || (err != nil && !errors.Is(err, gorm.ErrRecordNotFound)) {
		return
	}
	sql, rows := fc()
	l.log.WarnContext(ctx, "slow query", "elapsed", elapsed, "rows", rows, "sql", sql)
}
