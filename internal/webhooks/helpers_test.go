package webhooks

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/page"
)

func itoa(n int) string { return strconv.Itoa(n) }

func errorsAsProblem(err error) (*errs.Error, bool) { return errors.AsType[*errs.Error](err) }

func jsonEncoder(w io.Writer) *json.Encoder { return json.NewEncoder(w) }

// pageAll is the largest page.
var pageAll = page.Request{Limit: page.MaxLimit}

// statuses is the log's statuses, newest first, space-separated.
func statuses(ds []Delivery) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Status
	}
	return strings.Join(out, " ")
}
