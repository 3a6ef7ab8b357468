package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	tests := []struct {
		name, addr, want string
	}{
		{"all interfaces by port", ":8080", "http://127.0.0.1:8080/healthz"},
		{"all IPv4 interfaces", "0.0.0.0:9000", "http://127.0.0.1:9000/healthz"},
		{"all IPv6 interfaces", "[::]:9000", "http://127.0.0.1:9000/healthz"},
		{"a specific host", "127.0.0.2:8081", "http://127.0.0.2:8081/healthz"},
		{"an IPv6 host", "[::1]:8081", "http://[::1]:8081/healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := healthURL(tt.addr)
			if err != nil || got != tt.want {
				t.Errorf("healthURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
			}
		})
	}
	if _, err := healthURL("8080"); err == nil {
		t.Error(`healthURL("8080") accepted an address without a port separator`)
	}
}

func TestHealthcheckCommand(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		ok     bool
	}{
		{"healthy", http.StatusOK, `{"status":"ok"}`, true},
		{"unhealthy status", http.StatusServiceUnavailable, `{"status":"ok"}`, false},
		{"unexpected body", http.StatusOK, `<html>`, false},
		{"wrong status word", http.StatusOK, `{"status":"starting"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/healthz" {
					http.NotFound(w, r)
					return
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			var out bytes.Buffer
			err := cmdHealthcheck(t.Context(), []string{"--addr", strings.TrimPrefix(srv.URL, "http://")}, &out)
			if (err == nil) != tt.ok {
				t.Errorf("cmdHealthcheck = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestHealthcheckFailsWhenNothingListens(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close() // the port is now closed
	if err := cmdHealthcheck(t.Context(), []string{"--addr", addr}, &bytes.Buffer{}); err == nil {
		t.Error("cmdHealthcheck succeeded against a closed port")
	}
}
