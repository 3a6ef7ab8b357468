package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/errs"
)

type bindReq struct {
	Name  string `json:"name" validate:"required,max=5"`
	Qty   int    `json:"qty" validate:"gte=1"`
	Items []struct {
		SKU string `json:"sku" validate:"required"`
	} `json:"items" validate:"dive"`
}

func bindString(t *testing.T, body, contentType string) (bindReq, error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set(echo.HeaderContentType, contentType)
	}
	c := echo.New().NewContext(req, httptest.NewRecorder())
	var r bindReq
	return r, Bind(c, &r)
}

func TestBindRejectsMalformedBodies(t *testing.T) {
	tests := []struct {
		name, body, contentType, code string
	}{
		{"syntax", `{"name":`, "application/json", "malformed_request"},
		{"unknown field", `{"name":"a","qty":1,"unit_price":1}`, "application/json", "malformed_request"},
		{"type mismatch", `{"name":"a","qty":"1"}`, "application/json", "malformed_request"},
		{"trailing value", `{"name":"a","qty":1} {}`, "application/json", "malformed_request"},
		{"empty", ``, "application/json", "malformed_request"},
		{"not json", `name=a`, "application/x-www-form-urlencoded", "unsupported_media_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bindString(t, tt.body, tt.contentType)
			de, ok := errs.As(err)
			if !ok || de.Code != tt.code || de.Kind != errs.Invalid {
				t.Fatalf("Bind error = %v, want %s (400)", err, tt.code)
			}
		})
	}
}

func TestBindValidationListsJSONFieldNames(t *testing.T) {
	_, err := bindString(t, `{"name":"toolong","qty":0,"items":[{"sku":""}]}`, "application/json")
	if !errors.Is(err, errs.ErrValidation) {
		t.Fatalf("err = %v, want validation_failed", err)
	}
	de, _ := errs.As(err)
	var got []string
	for _, f := range de.Fields {
		got = append(got, f.Field)
	}
	if d := cmp.Diff([]string{"name", "qty", "items[0].sku"}, got); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

func TestBindAcceptsValidBody(t *testing.T) {
	r, err := bindString(t, `{"name":"ok","qty":2}`, "application/json; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "ok" || r.Qty != 2 {
		t.Errorf("bound %+v", r)
	}
}

func TestProblemForNeverLeaksCauses(t *testing.T) {
	p := ProblemFor(errors.New(`pq: relation "secret_table" does not exist`))
	if p.Status != 500 || strings.Contains(p.Detail, "secret_table") {
		t.Errorf("internal error leaked or wrong status: %+v", p)
	}
	p = ProblemFor(echo.NewHTTPError(http.StatusInternalServerError, "db password is hunter2"))
	if strings.Contains(p.Detail, "hunter2") {
		t.Errorf("5xx echo message leaked: %+v", p)
	}
}

func TestProblemForMapsKinds(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{errs.ErrNotFound, 404},
		{errs.ErrValidation, 422},
		{errs.ErrMalformed, 400},
		{errs.ErrAuth, 401},
		{errs.ErrForbidden, 403},
		{errs.ErrConflict, 409},
		{ErrBodyTooLarge, 413},
		{echo.ErrMethodNotAllowed, 405},
	}
	for _, tt := range tests {
		if p := ProblemFor(tt.err); p.Status != tt.status {
			t.Errorf("ProblemFor(%v).Status = %d, want %d", tt.err, p.Status, tt.status)
		}
	}
}
