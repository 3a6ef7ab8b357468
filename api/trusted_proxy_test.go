package api_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"

	"storekeep/api"
	"storekeep/api/apitest"
	"storekeep/internal/customers"
)

// signup registers a fresh customer as a client behind xff (the test
// server's TCP peer is always 127.0.0.1) and returns the status.
func signup(h *apitest.Harness, n int, xff string) *apitest.Response {
	return h.Do(apitest.Request{Method: http.MethodPost, Path: "/v1/auth/customers/register",
		Header: map[string]string{"X-Forwarded-For": xff},
		Body: map[string]string{"email": fmt.Sprintf("proxy-%d@example.com", n), "password": apitest.TestPassword,
			"first_name": "Proxied", "last_name": "Client"}})
}

func trustProxies(cidrs ...string) apitest.Option {
	return func(o *api.Options) {
		for _, c := range cidrs {
			o.TrustedProxies = append(o.TrustedProxies, netip.MustParsePrefix(c))
		}
	}
}

// TestSpoofedForwardedForIsIgnored: from a peer that is not a trusted
// proxy, X-Forwarded-For changes nothing: varying it does not escape the
// per-IP sign-up limit, which counts the TCP peer. Loopback is not trusted
// unless configured (echo's XFF extractor would trust it by default).
func TestSpoofedForwardedForIsIgnored(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, apitest.WindowAligned, trustProxies("10.0.0.0/8"))
	for i := range customers.SignupsPerIP {
		signup(h, i, fmt.Sprintf("198.51.100.%d", i+1)).Expect(t, http.StatusCreated)
	}
	signup(h, 1000, "198.51.100.200").ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
}

// TestTrustedProxyNamesTheClient: behind a trusted proxy each client has
// its own per-IP limit, counted under the right-most address the proxies
// did not add; what the client itself put in the header does not count.
func TestTrustedProxyNamesTheClient(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, apitest.WindowAligned, trustProxies("127.0.0.1/32", "10.0.0.0/8"))
	for i := range customers.SignupsPerIP {
		// A client that prepends a different address each time, through
		// two proxies (the load balancer 10.0.0.2 and the peer).
		signup(h, i, fmt.Sprintf("192.0.2.%d, 203.0.113.7, 10.0.0.2", i+1)).Expect(t, http.StatusCreated)
	}
	signup(h, 100, "203.0.113.7").ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	signup(h, 101, "9.9.9.9, 203.0.113.7").ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	// Another client behind the same proxies has its own count (one shared
	// bucket for every shopper is the defect this guards against)...
	signup(h, 102, "203.0.113.8, 10.0.0.2").Expect(t, http.StatusCreated)
	// ...and so does a client the proxy writes with a port.
	signup(h, 103, "[2001:db8::5]:443").Expect(t, http.StatusCreated)
}

// TestGarbageForwardedForFallsBackToTheProxy: an entry that is not an
// address stops the walk at the proxy that passed it on, so every such
// request shares the proxy's count: the limit gets stricter, never looser.
func TestGarbageForwardedForFallsBackToTheProxy(t *testing.T) {
	t.Parallel()
	h := apitest.New(t, apitest.WindowAligned, trustProxies("127.0.0.1/32"))
	for i := range customers.SignupsPerIP {
		signup(h, i, fmt.Sprintf("203.0.113.%d, garbage-%d", i+1, i)).Expect(t, http.StatusCreated)
	}
	// The proxy's own bucket (127.0.0.1) is full; a real client is not.
	signup(h, 100, "unknown").ExpectProblem(t, http.StatusTooManyRequests, "rate_limited")
	signup(h, 101, "203.0.113.50").Expect(t, http.StatusCreated)
}
