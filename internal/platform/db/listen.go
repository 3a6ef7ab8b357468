package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrNotPostgres is returned by ListenConn on SQLite, which has no LISTEN.
var ErrNotPostgres = errors.New("db: LISTEN needs PostgreSQL")

// ListenApplicationName is the application_name of ListenConn's
// connections, so operators (and tests) can find them in pg_stat_activity.
const ListenApplicationName = "storekeep-listen"

// ListenConn opens a dedicated PostgreSQL connection outside the pool, for
// LISTEN: a listening session must stay open for the node's lifetime, and
// a pooled connection would be handed to other work or recycled. The
// caller closes it.
func (d *DB) ListenConn(ctx context.Context) (*pgx.Conn, error) {
	if d.dialect != Postgres {
		return nil, ErrNotPostgres
	}
	cfg, err := pgx.ParseConfig(d.url)
	if err != nil {
		return nil, fmt.Errorf("listen connection config: %w", err)
	}
	cfg.RuntimeParams["application_name"] = ListenApplicationName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("listen connection: %w", err)
	}
	return conn, nil
}
