// Package page implements cursor pagination as docs/api.md documents it: ?limit=
// (default 20, clamped to 100) and an opaque ?cursor= that encodes the last
// row's sort key and id, so ORDER BY ... , id is always stable.
package page

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/text"
)

// Limits on page size.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// ErrBadCursor is returned for a cursor this server did not issue.
var ErrBadCursor = errs.New(errs.Invalid, "invalid_cursor", "the cursor is malformed or expired")

// Request is a parsed page request.
type Request struct {
	Limit  int
	Cursor Cursor
}

// Cursor is the position after which the next page starts. Key is the sort
// column's value as a string (empty when sorting by id alone).
type Cursor struct {
	Key string `json:"k,omitempty"`
	ID  string `json:"i"`
}

// IsZero reports whether the request starts at the beginning.
func (c Cursor) IsZero() bool { return c.ID == "" }

// Parse reads limit and cursor query values. A limit above MaxLimit is clamped
// (documented behaviour); a non-numeric or non-positive limit is a 422.
func Parse(limit, cursor string) (Request, error) {
	r := Request{Limit: DefaultLimit}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 {
			return r, errs.Invalidf("limit", "must be a whole number from 1 to %d", MaxLimit)
		}
		r.Limit = min(n, MaxLimit)
	}
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		// A cursor is client input: its strings reach SQL, so they obey the
		// text rules (a NUL would be a 500 on PostgreSQL).
		if err != nil || !utf8.Valid(b) || json.Unmarshal(b, &r.Cursor) != nil || r.Cursor.ID == "" ||
			!text.Valid(r.Cursor.ID, text.Line) || !text.Valid(r.Cursor.Key, text.Line) {
			return r, ErrBadCursor
		}
	}
	return r, nil
}

// Encode returns the opaque cursor string for c.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// List is the response envelope of every list route.
type List[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// Build makes a List from up to limit+1 rows fetched by the store: the extra
// row only signals that another page exists. key returns a row's cursor.
func Build[T any](rows []T, limit int, key func(T) Cursor) List[T] {
	l := List[T]{Data: rows}
	if len(rows) > limit {
		l.Data = rows[:limit]
		next := key(rows[limit-1]).Encode()
		l.NextCursor = &next
	}
	if l.Data == nil {
		l.Data = []T{}
	}
	return l
}
