package webhooks

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"storekeep/internal/platform/errs"
)

func itoa(n int) string { return strconv.Itoa(n) }

func errorsAsProblem(err error) (*errs.Error, bool) { return errors.AsType[*errs.Error](err) }

func jsonEncoder(w io.Writer) *json.Encoder { return json.NewEncoder(w) }
