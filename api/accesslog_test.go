package api_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/api/web"
	"storekeep/internal/platform/logtest"
)

// TestAccessLogSettingReachesTheServer: the server's access log follows
// Options.AccessLog: in errors mode a successful read is not logged, a
// write and an error are; in off mode nothing is.
func TestAccessLogSettingReachesTheServer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode web.AccessLogMode
		want []string
	}{
		{web.AccessLogAll, []string{"GET /healthz 200", "POST /v1/admin/regions 201", "GET /v1/nope 404"}},
		{web.AccessLogErrors, []string{"POST /v1/admin/regions 201", "GET /v1/nope 404"}},
		{web.AccessLogOff, nil},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			rec := logtest.New(slog.LevelInfo)
			h := apitest.New(t, func(o *api.Options) {
				o.Log = rec.Logger()
				o.AccessLog = web.AccessLogConfig{Mode: tc.mode, Sample: 1}
			})
			manager := h.StaffToken(t, "manager")
			rec.Reset()
			h.Do(apitest.Request{Method: http.MethodGet, Path: "/healthz"}).Expect(t, http.StatusOK)
			h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/admin/regions", Token: manager, Body: map[string]any{
				"name": "EU", "currency": "EUR", "country_codes": []string{"FR"}, "tax_rate": 2000, "tax_inclusive": true}}).
				Expect(t, http.StatusCreated)
			h.Do(apitest.Request{Method: http.MethodGet, Path: "/v1/nope"}).Expect(t, http.StatusNotFound)
			var got []string
			for _, r := range rec.Where(func(r logtest.Record) bool { return r.Message == "request" }) {
				got = append(got, r.Attrs["method"]+" "+r.Attrs["path"]+" "+r.Attrs["status"])
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("access lines (-want +got)\n%s", d)
			}
		})
	}
}
