package webhooks

import (
	"net/netip"
	"strconv"
	"strings"
)

// blocked is an address range deliveries never reach, and how to say so.
type blocked struct {
	prefix netip.Prefix
	what   string
}

// blockedRanges are the special-purpose ranges of the IANA registries that
// are not the public internet. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)
// are unmapped before the check; NAT64 and 6to4 addresses are checked on
// the IPv4 address they carry.
var blockedRanges = func() []blocked {
	list := []struct{ cidr, what string }{
		{"0.0.0.0/8", "an unspecified (\"this network\") address"},
		{"10.0.0.0/8", "a private address (RFC 1918)"},
		{"100.64.0.0/10", "a carrier-grade NAT address (RFC 6598)"},
		{"127.0.0.0/8", "a loopback address"},
		{"169.254.0.0/16", "a link-local address (cloud metadata services live here)"},
		{"172.16.0.0/12", "a private address (RFC 1918)"},
		{"192.0.0.0/24", "an IETF protocol address"},
		{"192.0.2.0/24", "a documentation address"},
		{"192.88.99.0/24", "a 6to4 relay address"},
		{"192.168.0.0/16", "a private address (RFC 1918)"},
		{"198.18.0.0/15", "a benchmarking address"},
		{"198.51.100.0/24", "a documentation address"},
		{"203.0.113.0/24", "a documentation address"},
		{"224.0.0.0/4", "a multicast address"},
		{"240.0.0.0/4", "a reserved or broadcast address"},
		{"::/128", "an unspecified address"},
		{"::1/128", "a loopback address"},
		{"::/96", "an IPv4-compatible address"},
		{"::ffff:0:0:0/96", "an IPv4-translated address"},
		{"64:ff9b:1::/48", "a local-use NAT64 address"},
		{"100::/64", "a discard address"},
		{"2001::/32", "a Teredo address"},
		{"2001:db8::/32", "a documentation address"},
		{"fc00::/7", "a unique local (private) address"},
		{"fe80::/10", "a link-local address"},
		{"fec0::/10", "a site-local address"},
		{"ff00::/8", "a multicast address"},
	}
	out := make([]blocked, len(list))
	for i, b := range list {
		out[i] = blocked{prefix: netip.MustParsePrefix(b.cidr), what: b.what}
	}
	return out
}()

var (
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	sixToIP = netip.MustParsePrefix("2002::/16")
)

// internalAddr says what kind of internal address a is, or "" for a public
// one.
func internalAddr(a netip.Addr) string {
	if a.Zone() != "" {
		return "a scoped (zoned) address"
	}
	a = a.Unmap()
	if !a.IsValid() {
		return "not an address"
	}
	for _, b := range blockedRanges {
		if b.prefix.Contains(a) {
			return b.what
		}
	}
	// Addresses that carry an IPv4 address reach it: check that one.
	b := a.As16()
	switch {
	case nat64.Contains(a):
		if why := internalAddr(netip.AddrFrom4([4]byte(b[12:16]))); why != "" {
			return "a NAT64 address of " + why
		}
	case sixToIP.Contains(a):
		if why := internalAddr(netip.AddrFrom4([4]byte(b[2:6]))); why != "" {
			return "a 6to4 address of " + why
		}
	}
	return ""
}

// legacyIPv4 parses the spellings of an IPv4 address that inet_aton(3) and
// URL parsers accept besides dotted decimal: 1 to 4 parts, each decimal,
// octal (leading 0) or hexadecimal (0x), the last one filling the remaining
// bytes ("127.1", "0x7f000001", "2130706433", "017700000001"). Other
// software on the path may read such a host as that address, so a URL
// written so is refused, whatever the address.
func legacyIPv4(h string) (netip.Addr, bool) {
	parts := strings.Split(h, ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		v, ok := legacyNumber(p)
		if !ok {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var n uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= v << (24 - 8*uint(i))
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*uint(5-len(vals))) {
		return netip.Addr{}, false
	}
	n |= last
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

func legacyNumber(p string) (uint64, bool) {
	base := 10
	switch {
	case p == "":
		return 0, false
	case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
		base, p = 16, p[2:]
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	v, err := strconv.ParseUint(p, base, 32)
	return v, err == nil
}
