package webhooks

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

// fakeResolver answers from a table; a host missing from it does not exist.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	ips, ok := f[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]netip.Addr, len(ips))
	for i, s := range ips {
		out[i] = netip.MustParseAddr(s)
	}
	return out, nil
}

var testDNS = fakeResolver{
	"hooks.example.com":  {"93.184.216.34"},
	"dual.example.com":   {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"},
	"localhost":          {"127.0.0.1", "::1"},
	"rebind.example.com": {"93.184.216.34", "10.0.0.1"},
	"metadata.internal":  {"169.254.169.254"},
	"mapped.example.com": {"::ffff:127.0.0.1"},
}

// TestCheckURLRefusesInternalTargets: every way of naming an internal
// address is refused when a webhook is saved, with a reason that says what
// the address is; public https URLs pass.
func TestCheckURLRefusesInternalTargets(t *testing.T) {
	g := Guard{Resolver: testDNS}
	refusedURLs := map[string]string{
		"https://127.0.0.1/hook":                 "loopback",
		"https://127.0.0.1:8443/hook":            "loopback",
		"https://[::1]/hook":                     "loopback",
		"https://169.254.169.254/latest/meta":    "link-local",
		"https://10.0.0.1/":                      "private",
		"https://172.16.5.4/":                    "private",
		"https://192.168.1.1/":                   "private",
		"https://100.64.0.1/":                    "carrier-grade NAT",
		"https://0.0.0.0/":                       "unspecified",
		"https://[::]/":                          "unspecified",
		"https://224.0.0.1/":                     "multicast",
		"https://255.255.255.255/":               "broadcast",
		"https://[fe80::1]/":                     "link-local",
		"https://[fc00::1]/":                     "unique local",
		"https://[fd12:3456::1]/":                "unique local",
		"https://[ff02::1]/":                     "multicast",
		"https://[::ffff:127.0.0.1]/":            "loopback",
		"https://[::ffff:7f00:1]/":               "loopback",
		"https://[::ffff:a9fe:a9fe]/":            "link-local",
		"https://[::127.0.0.1]/":                 "IPv4-compatible",
		"https://[64:ff9b::7f00:1]/":             "NAT64 address of a loopback",
		"https://[2002:a00:1::]/":                "6to4 address of a private",
		"https://0x7f000001/":                    "non-standard form",
		"https://2130706433/":                    "non-standard form",
		"https://017700000001/":                  "non-standard form",
		"https://127.1/":                         "non-standard form",
		"https://0177.0.0.1/":                    "non-standard form",
		"https://0x7f.0.0.1/":                    "non-standard form",
		"https://127.0.0.1./":                    "non-standard form",
		"https://localhost/hook":                 "resolves to 127.0.0.1, a loopback",
		"https://LOCALHOST/hook":                 "a loopback address",
		"https://rebind.example.com/":            "resolves to 10.0.0.1, a private",
		"https://metadata.internal/":             "link-local",
		"https://mapped.example.com/":            "resolves to 127.0.0.1",
		"https://nowhere.example.com/":           "does not resolve",
		"http://hooks.example.com/":              "must use https",
		"ftp://hooks.example.com/":               "must use https",
		"file:///etc/passwd":                     "absolute URL",
		"https://user:pw@hooks.example.com/":     "user name or password",
		"https://hooks.example.com/#frag":        "fragment",
		"/relative":                              "absolute URL",
		"https://[fe80::1%25eth0]/":              "zone",
		"https://hooks.example.com:0/":           "invalid port",
		"https://hooks.example.com:99999/":       "invalid port",
		"https://bad_host!.example.com/":         "invalid host name",
		"https://" + strings.Repeat("a", 2000):   "at most 2000",
		"https://xn--bcher-kva.example/\x00":     "absolute URL",
		"https://h\u00e9llo.example.com/webhook": "xn--",
	}
	for raw, want := range refusedURLs {
		_, err := g.CheckURL(t.Context(), "url", raw)
		e, ok := errorsAsProblem(err)
		if !ok || e.Code != "webhook_url_not_allowed" || len(e.Fields) != 1 || e.Fields[0].Field != "url" {
			t.Errorf("%s: err = %v, want webhook_url_not_allowed on url", raw, err)
			continue
		}
		if !strings.Contains(e.Fields[0].Message, want) {
			t.Errorf("%s: reason %q, want it to mention %q", raw, e.Fields[0].Message, want)
		}
	}
	for raw, want := range map[string]string{
		"https://hooks.example.com/storekeep?x=1": "https://hooks.example.com/storekeep?x=1",
		"HTTPS://Hooks.Example.com/Path":          "https://hooks.example.com/Path",
		"https://dual.example.com:8443/":          "https://dual.example.com:8443/",
		"https://93.184.216.34/hook":              "https://93.184.216.34/hook",
		"https://[2606:2800:220:1::1]/hook":       "https://[2606:2800:220:1::1]/hook",
	} {
		got, err := g.CheckURL(t.Context(), "url", raw)
		if err != nil || got != want {
			t.Errorf("%s: = %q, %v; want %q accepted", raw, got, err, want)
		}
	}
}

// TestCheckURLFlags: STOREKEEP_WEBHOOKS_ALLOW_HTTP admits http; allow-private
// lifts the address checks (not the spelling and scheme rules).
func TestCheckURLFlags(t *testing.T) {
	httpOK := Guard{Resolver: testDNS, AllowHTTP: true}
	if _, err := httpOK.CheckURL(t.Context(), "url", "http://hooks.example.com/"); err != nil {
		t.Errorf("http with AllowHTTP: %v", err)
	}
	if _, err := httpOK.CheckURL(t.Context(), "url", "http://127.0.0.1/"); err == nil {
		t.Error("AllowHTTP alone admitted loopback")
	}
	private := Guard{Resolver: testDNS, AllowPrivate: true}
	for _, raw := range []string{"https://127.0.0.1:9/", "https://localhost/", "https://[::1]/", "https://10.0.0.1/"} {
		if _, err := private.CheckURL(t.Context(), "url", raw); err != nil {
			t.Errorf("%s with AllowPrivate: %v", raw, err)
		}
	}
	for _, raw := range []string{"http://127.0.0.1/", "https://0x7f000001/"} {
		if _, err := private.CheckURL(t.Context(), "url", raw); err == nil {
			t.Errorf("%s admitted with AllowPrivate only", raw)
		}
	}
}

// TestDialRefusesInternalAddresses: at delivery time the dialer resolves
// again (a host that now resolves to a private address is refused before
// any connection) and the socket's Control hook refuses an internal address
// however it was reached.
func TestDialRefusesInternalAddresses(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan struct{}, 10)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			c.Close()
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	dns := fakeResolver{"receiver.example.com": {"127.0.0.1"}}
	g := Guard{Resolver: dns}
	for _, addr := range []string{net.JoinHostPort("receiver.example.com", itoa(port)), l.Addr().String(),
		net.JoinHostPort("::ffff:127.0.0.1", itoa(port))} {
		_, err := g.DialContext(t.Context(), "tcp", addr)
		if re, ok := errors.AsType[*RefusedError](err); !ok || !strings.Contains(re.Reason, "loopback") {
			t.Errorf("dial %s: %v, want refused as loopback", addr, err)
		}
	}
	if err := g.control("tcp4", "169.254.169.254:80", nil); err == nil {
		t.Error("control admitted the metadata address")
	}
	if err := g.control("tcp4", "93.184.216.34:443", nil); err != nil {
		t.Errorf("control refused a public address: %v", err)
	}
	select {
	case <-accepted:
		t.Fatal("a refused dial reached the listener")
	default:
	}
	open := Guard{Resolver: dns, AllowPrivate: true}
	c, err := open.DialContext(t.Context(), "tcp", net.JoinHostPort("receiver.example.com", itoa(port)))
	if err != nil {
		t.Fatalf("dial with AllowPrivate: %v", err)
	}
	c.Close()
}

func TestLegacyIPv4(t *testing.T) {
	for in, want := range map[string]string{"0x7f000001": "127.0.0.1", "2130706433": "127.0.0.1",
		"017700000001": "127.0.0.1", "127.1": "127.0.0.1", "10.1.258": "10.1.1.2", "0xa.0.0.1": "10.0.0.1",
		"1.2.3.4": "1.2.3.4"} {
		got, ok := legacyIPv4(in)
		if !ok || got.String() != want {
			t.Errorf("legacyIPv4(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"example.com", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "0x", "09", "", "1..2", "4294967296"} {
		if got, ok := legacyIPv4(in); ok {
			t.Errorf("legacyIPv4(%q) = %v, want not an address", in, got)
		}
	}
}
