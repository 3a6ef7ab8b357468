package metrics

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"storekeep/internal/platform/errs"
)

// Date is a calendar day (no time, no zone), stored in DATE columns as
// "YYYY-MM-DD" on both databases so SQL compares days as days, and written
// as that string in JSON.
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// String is the day as YYYY-MM-DD.
func (d Date) String() string { return d.Format(dateLayout) }

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD" (clients of this package read back what
// the API wrote).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return d.parse(s)
}

// Value stores the day as text: SQLite keeps it as is, PostgreSQL casts it
// to its DATE.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads what either database returns for a DATE column: a time (at
// midnight UTC) or the text.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("metrics: cannot scan %T into a Date", v)
}

func (d *Date) parse(s string) error {
	if len(s) > len(dateLayout) {
		s = s[:len(dateLayout)]
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return fmt.Errorf("metrics: bad date %q: %w", s, err)
	}
	d.Time = t
	return nil
}

// parseDate reads a YYYY-MM-DD request field, adding a field error to fe
// when it is not one.
func parseDate(fe []errs.FieldError, field, s string) (Date, []errs.FieldError) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return Date{}, append(fe, errs.FieldError{Field: field, Message: "must be a date as YYYY-MM-DD (years 2000 to 2999)"})
	}
	return Date{t}, fe
}
