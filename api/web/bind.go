package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
)

// Errors of binding.
var (
	ErrUnsupportedMedia = errs.New(errs.Invalid, "unsupported_media_type", "send the body as application/json")
	ErrBodyTooLarge     = errs.New(errs.TooLarge, "body_too_large", "the request body is over 1 MB (1 000 000 bytes)")
)

// Bind decodes the JSON body into dst strictly: unknown fields, trailing data
// and type mismatches are 400 malformed_request (so a client cannot smuggle
// `unit_price` or `status` past us), and so are duplicate keys and keys that
// match a field only case-insensitively (CheckJSON). Then every string is
// held to the text rules of its field (single line, or free text where the
// DTO says `text:"free"`): 422 validation_failed naming each offending JSON
// path. Last, the validator: 422 with one errors[] entry per invalid field.
func Bind(c echo.Context, dst any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return ErrUnsupportedMedia
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		var he *echo.HTTPError
		if errors.As(err, &mbe) || (errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge) {
			return ErrBodyTooLarge
		}
		return errs.ErrMalformed.WithDetail("the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errs.ErrMalformed.WithDetail("the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return errs.ErrMalformed.WithDetail("%s", describeJSONError(err))
	}
	if dec.More() {
		return errs.ErrMalformed.WithDetail("the body holds more than one JSON value")
	}
	report, err := CheckJSON(body, reflect.TypeOf(dst))
	if err != nil {
		return errs.ErrMalformed.WithDetail("malformed JSON")
	}
	if err := report.Err(); err != nil {
		return err
	}
	return Validate(dst)
}

func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s", te.Field, jsonKind(te.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON body ends early"
	}
	return "malformed JSON"
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON names so errors[].field matches the request.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	return v
}

// Validator returns the shared validator, so packages can register custom tags.
func Validator() *validator.Validate { return validate }

// Validate runs the struct's `validate` tags and returns a 422 listing each
// failing field by its JSON path (e.g. variants[0].sku).
func Validate(v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var ve validator.ValidationErrors
	if !errors.As(err, &ve) {
		return errs.ErrValidation.WithDetail("%s", err.Error())
	}
	fields := make([]errs.FieldError, 0, len(ve))
	for _, fe := range ve {
		fields = append(fields, errs.FieldError{Field: fieldPath(fe.Namespace()), Message: message(fe)})
	}
	return errs.ErrValidation.WithFields(fields...)
}

// fieldPath drops the struct type name the validator puts first.
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

func message(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be an e-mail address"
	case "min":
		if fe.Kind() == reflect.String {
			return "must be at least " + p + " characters"
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return "must have at least " + p + " entries"
		}
		return "must be at least " + p
	case "max":
		if fe.Kind() == reflect.String {
			return "must be at most " + p + " characters"
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return "must have at most " + p + " entries"
		}
		return "must be at most " + p
	case "gte":
		return "must be greater than or equal to " + p
	case "gt":
		return "must be greater than " + p
	case "lte":
		return "must be less than or equal to " + p
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "url", "http_url":
		return "must be an http(s) URL"
	case "iso3166_1_alpha2":
		return "must be an ISO 3166-1 alpha-2 country code"
	case "iso4217":
		return "must be an ISO 4217 currency code"
	case "len":
		return "must have length " + p
	case "dive", "unique":
		return "must not contain duplicates"
	}
	return "is invalid (" + fe.Tag() + ")"
}
