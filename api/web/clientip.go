package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"
)

// ParseTrustedProxies reads STOREKEEP_TRUSTED_PROXIES: a comma-separated
// list of CIDRs ("10.0.0.0/8") and single addresses ("192.0.2.7", a /32 or
// /128). Blank entries are skipped; anything else that does not parse is an
// error, so a typo stops the server instead of trusting the wrong hosts.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q is not a CIDR: %w", f, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("trusted proxy %q is not an IP address or CIDR", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// ClientIP is the server's echo.IPExtractor, behind c.RealIP() and so behind
// every per-IP limit. Without trusted proxies the client is the TCP peer and
// X-Forwarded-For is never read: anyone can write that header. When the peer
// is one of the trusted proxies, the X-Forwarded-For entries (all the
// header's lines, in order) are read right to left, skipping trusted hops;
// the first address that is not trusted is the client. Only the configured
// ranges are trusted: loopback and private networks are not trusted by
// default (echo's own XFF extractor trusts them).
//
// An entry that is not an address (garbage, "unknown", an obfuscated
// identifier) ends the walk: the client is then the nearest trusted hop, the
// one that passed the entry on. Limits get coarser for those requests; an
// attacker never gets to choose the address they are counted under.
func ClientIP(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return func(r *http.Request) string { return addrString(peerAddr(r)) }
	}
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(r *http.Request) string {
		client := peerAddr(r)
		if !client.IsValid() || !isTrusted(client) {
			return addrString(client)
		}
		lines := r.Header.Values(echo.HeaderXForwardedFor)
		for i := len(lines) - 1; i >= 0; i-- {
			rest := lines[i]
			for rest != "" {
				entry := rest
				if k := strings.LastIndexByte(rest, ','); k >= 0 {
					entry, rest = rest[k+1:], rest[:k]
				} else {
					rest = ""
				}
				a, ok := parseForwardedAddr(entry)
				if !ok {
					return client.String()
				}
				client = a
				if !isTrusted(a) {
					return a.String()
				}
			}
		}
		// Every hop is trusted: the furthest one is the best we know.
		return client.String()
	}
}

// peerAddr is the TCP peer's address (IPv4-mapped IPv6 unmapped, zone
// dropped); the zero Addr when RemoteAddr does not parse.
func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// addrString is a's text, "" for the zero Addr (as echo's extractors).
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// parseForwardedAddr reads one X-Forwarded-For entry: "192.0.2.1",
// "2001:db8::1", and the forms some proxies write with a port,
// "192.0.2.1:443" and "[2001:db8::1]:443".
func parseForwardedAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil && a.Zone() == "" {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}
