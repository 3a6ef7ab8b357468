package storekeep

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestBearerToken checks that a client built with BearerToken sends the
// token on every request, in the form the server expects.
func TestBearerToken(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer srv.Close()
	c, err := NewClientWithResponses(srv.URL, WithRequestEditorFn(BearerToken("sk_test")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.GetHealthzWithResponse(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode())
	}
	if h := <-got; h != "Bearer sk_test" {
		t.Errorf("Authorization = %q, want %q", h, "Bearer sk_test")
	}
}
