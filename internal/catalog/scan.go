package catalog

import (
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// The listing's hot queries scan rows by hand instead of through GORM's
// reflection, which cost more CPU than the queries themselves. These helpers
// read the values both drivers hand over.

// timeLayouts are the text forms SQLite stores timestamps in; the driver
// parses them itself only when it knows a column's declared type, which a
// column of a subquery may lose.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// timeCol scans a timestamp into *t, as UTC; with nullable, NULL leaves the
// pointer *p nil.
type timeCol struct {
	t *time.Time
	p **time.Time
}

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	var t time.Time
	switch x := v.(type) {
	case nil:
		if c.p == nil {
			return fmt.Errorf("timestamp is NULL")
		}
		*c.p = nil
		return nil
	case time.Time:
		t = x
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	default:
		return fmt.Errorf("timestamp of type %T", v)
	}
	return c.set(t)
}

func (c timeCol) parse(s string) error {
	s = strings.TrimSuffix(s, "Z")
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return c.set(t)
		}
	}
	return fmt.Errorf("timestamp %q", s)
}

func (c timeCol) set(t time.Time) error {
	t = t.UTC()
	if c.p != nil {
		*c.p = &t
	} else {
		*c.t = t
	}
	return nil
}

// textCol scans text or bytes (PostgreSQL jsonb arrives as either) into *s.
type textCol struct{ s *string }

// Scan implements sql.Scanner.
func (c textCol) Scan(v any) error {
	switch x := v.(type) {
	case string:
		*c.s = x
	case []byte:
		*c.s = string(x)
	case nil:
		*c.s = ""
	default:
		*c.s = fmt.Sprint(x)
	}
	return nil
}

// scanProducts reads productCols (and sort_key when withKey) rows.
func scanProducts(rows *sql.Rows, withKey bool) ([]productRow, error) {
	defer rows.Close()
	var out []productRow
	for rows.Next() {
		var r productRow
		var status string
		dst := []any{&r.ID, &r.Handle, &r.Title, &r.Description, &status, textCol{&r.Tags}, textCol{&r.Attributes},
			&r.SEOTitle, &r.SEODescription, timeCol{t: &r.CreatedAt}, timeCol{t: &r.UpdatedAt}, timeCol{p: &r.ArchivedAt}}
		var key sql.NullString
		if withKey {
			dst = append(dst, &key)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		r.Status = Status(status)
		if key.Valid {
			r.SortKey = &key.String
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
