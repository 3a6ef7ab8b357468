package webhooks

import (
	"errors"
	"strconv"

	"storekeep/internal/platform/errs"
)

func itoa(n int) string { return strconv.Itoa(n) }

func errorsAsProblem(err error) (*errs.Error, bool) { return errors.AsType[*errs.Error](err) }
