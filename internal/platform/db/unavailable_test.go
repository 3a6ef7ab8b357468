package db

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

func TestIsUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"shutting down", &pgconn.PgError{Code: "57P03"}, true},
		{"terminated by admin", fmt.Errorf("create order: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"connection refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{"bad connection", fmt.Errorf("commit: %w", driver.ErrBadConn), true},
		{"cut mid-answer", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"statement error", &pgconn.PgError{Code: "22021"}, false},
		{"not found", gorm.ErrRecordNotFound, false},
		{"our bug", errors.New("nil map"), false},
	} {
		if got := IsUnavailable(tc.err); got != tc.want {
			t.Errorf("%s: IsUnavailable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
