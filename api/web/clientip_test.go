package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,,2001:db8::/32, ::ffff:198.51.100.9, 172.16.5.4/12")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("198.51.100.9/32"),
		netip.MustParsePrefix("172.16.0.0/12"),
	}
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if got, err := ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty setting = %v, %v; want none", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "10.0.0", "example.com", "10.0.0.0/8;192.0.2.1", "fe80::1%eth0", "*"} {
		if _, err := ParseTrustedProxies("192.0.2.1," + bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// TestClientIP: which address per-IP limits count a request under.
func TestClientIP(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 2001:db8:ff::/48")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		xff     []string
		want    string
	}{
		// No proxy configured: the header is never read.
		{"direct, no header", nil, "203.0.113.9:5000", nil, "203.0.113.9"},
		{"direct, spoofed header", nil, "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"loopback is not trusted by default", nil, "127.0.0.1:5000", []string{"198.51.100.1"}, "127.0.0.1"},
		{"private peer is not trusted by default", nil, "192.168.1.2:5000", []string{"198.51.100.1"}, "192.168.1.2"},
		// Proxies configured, but the peer is not one of them.
		{"untrusted peer, spoofed header", proxies, "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"loopback peer outside the ranges", proxies, "127.0.0.1:5000", []string{"198.51.100.1"}, "127.0.0.1"},
		{"private peer outside the ranges", proxies, "192.168.1.2:5000", []string{"198.51.100.1"}, "192.168.1.2"},
		// Trusted peer: right to left, skipping trusted hops.
		{"trusted peer, no header", proxies, "10.1.1.1:5000", nil, "10.1.1.1"},
		{"one hop", proxies, "10.1.1.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client prepends a fake", proxies, "10.1.1.1:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"trusted hops skipped", proxies, "10.1.1.1:5000", []string{"6.6.6.6, 198.51.100.1, 10.2.2.2,10.3.3.3"}, "198.51.100.1"},
		{"several header lines", proxies, "10.1.1.1:5000", []string{"6.6.6.6, 198.51.100.1", "10.2.2.2", "10.3.3.3"}, "198.51.100.1"},
		{"last line decides", proxies, "10.1.1.1:5000", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},
		{"every hop trusted", proxies, "10.1.1.1:5000", []string{"10.9.9.9, 10.2.2.2"}, "10.9.9.9"},
		{"ipv6 client", proxies, "[2001:db8:ff::1]:5000", []string{"2001:db8:1::7"}, "2001:db8:1::7"},
		{"ipv4-mapped peer", proxies, "[::ffff:10.1.1.1]:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"entry with a port", proxies, "10.1.1.1:5000", []string{"198.51.100.1:4711"}, "198.51.100.1"},
		{"bracketed ipv6 with a port", proxies, "10.1.1.1:5000", []string{"[2001:db8:1::7]:443"}, "2001:db8:1::7"},
		{"bracketed ipv6", proxies, "10.1.1.1:5000", []string{"[2001:db8:1::7]"}, "2001:db8:1::7"},
		// Garbage never lets the client pick its address.
		{"garbage left of the client", proxies, "10.1.1.1:5000", []string{"not-an-ip, 198.51.100.1"}, "198.51.100.1"},
		{"garbage from the proxy", proxies, "10.1.1.1:5000", []string{"6.6.6.6, unknown"}, "10.1.1.1"},
		{"garbage behind a trusted hop", proxies, "10.1.1.1:5000", []string{"6.6.6.6, _hidden, 10.2.2.2"}, "10.2.2.2"},
		{"empty entry", proxies, "10.1.1.1:5000", []string{"6.6.6.6,"}, "10.1.1.1"},
		{"zone in an entry", proxies, "10.1.1.1:5000", []string{"6.6.6.6, fe80::1%eth0"}, "10.1.1.1"},
		{"cidr in an entry", proxies, "10.1.1.1:5000", []string{"6.6.6.6, 0.0.0.0/0"}, "10.1.1.1"},
		{"empty header line", proxies, "10.1.1.1:5000", []string{""}, "10.1.1.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientIP(tc.trusted)(r); got != tc.want {
				t.Errorf("client = %q, want %q", got, tc.want)
			}
		})
	}
}
