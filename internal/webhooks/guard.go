package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"storekeep/internal/platform/errs"
)

// Resolver looks host names up; *net.Resolver satisfies it (tests bring
// their own to play DNS tricks).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Guard decides which URLs webhooks may be registered with and which
// addresses a delivery may connect to: the server-side request forgery
// rules of docs/webhooks.md. The same rules run when a webhook is created
// or changed (on the addresses its host resolves to then) and on every
// delivery (on the addresses it resolves to then, and again on the socket
// being dialled), so a host name that later resolves to an internal address
// (DNS rebinding) is refused when it matters.
type Guard struct {
	// AllowPrivate lifts the address checks (STOREKEEP_WEBHOOKS_ALLOW_PRIVATE):
	// for development and tests, with receivers on this machine.
	AllowPrivate bool
	// AllowHTTP accepts http URLs besides https (STOREKEEP_WEBHOOKS_ALLOW_HTTP).
	AllowHTTP bool
	// Resolver looks host names up; nil is net.DefaultResolver.
	Resolver Resolver
}

// RefusedError is a URL or an address the guard will not connect to.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refused(format string, args ...any) *RefusedError {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// maxURLLen bounds a webhook URL.
const maxURLLen = 2000

// resolveTimeout bounds the look-up made when a webhook is saved.
const resolveTimeout = 5 * time.Second

func (g Guard) resolver() Resolver {
	if g.Resolver != nil {
		return g.Resolver
	}
	return net.DefaultResolver
}

// CheckURL validates a webhook URL as it is saved: its form, its scheme and
// every address its host resolves to now. It returns the URL normalised
// (scheme and host in lower case) or ErrURLNotAllowed naming the reason on
// field.
func (g Guard) CheckURL(ctx context.Context, field, raw string) (string, error) {
	u, err := g.parseURL(raw)
	if err == nil {
		err = g.checkHost(ctx, u.Hostname())
	}
	if re, ok := errors.AsType[*RefusedError](err); ok {
		return "", ErrURLNotAllowed.WithFields(errs.FieldError{Field: field, Message: re.Reason})
	}
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// parseURL checks a URL's form and scheme (not its addresses).
func (g Guard) parseURL(raw string) (*url.URL, error) {
	if len(raw) > maxURLLen {
		return nil, refused("must be at most %d characters", maxURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" || u.Host == "" {
		return nil, refused("must be an absolute URL such as https://example.com/hooks")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme == "http" && !g.AllowHTTP:
		return nil, refused("must use https (http URLs are off: STOREKEEP_WEBHOOKS_ALLOW_HTTP)")
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, refused("must use https")
	case u.User != nil:
		return nil, refused("must not carry a user name or password")
	case u.Fragment != "" || u.RawFragment != "":
		return nil, refused("must not have a #fragment")
	}
	host := u.Hostname()
	if p := u.Port(); p != "" && (len(p) > 5 || p == "0" || atoiPort(p) > 65535) {
		return nil, refused("has an invalid port %q", p)
	}
	if strings.ContainsAny(host, "%") {
		return nil, refused("must not use a zone or percent-encoding in the host")
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if reason := g.addrRefused(a); reason != "" {
			return nil, refused("%s is %s", host, reason)
		}
	} else if a, ok := legacyIPv4(strings.TrimSuffix(host, ".")); ok {
		return nil, refused("%s is the IP address %s written in a non-standard form: write addresses in dotted decimal", host, a)
	} else if !validHostName(host) {
		return nil, refused("has an invalid host name %q (use the xn-- form for international names)", host)
	}
	u.Host = strings.ToLower(u.Host)
	return u, nil
}

func atoiPort(p string) int {
	n := 0
	for _, c := range p {
		n = n*10 + int(c-'0')
	}
	return n
}

// validHostName: letters, digits, '-', '_' and '.', not empty, ASCII.
func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// checkHost resolves a host name and refuses it when any of its addresses
// is internal (an IP literal was checked by parseURL).
func (g Guard) checkHost(ctx context.Context, host string) error {
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	addrs, err := g.resolver().LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return refused("its host %s does not resolve", host)
	}
	for _, a := range addrs {
		if reason := g.addrRefused(a); reason != "" {
			return refused("its host %s resolves to %s, %s", host, a.Unmap(), reason)
		}
	}
	return nil
}

// addrRefused says why a is off limits ("" when it is not, or when
// AllowPrivate lifts the checks).
func (g Guard) addrRefused(a netip.Addr) string {
	if g.AllowPrivate {
		return ""
	}
	return internalAddr(a)
}

// DialContext connects to address (host:port) for a delivery: it resolves
// the host, refuses if any address is internal, then dials the checked
// addresses in turn; the socket's Control hook checks the address once more
// right before connect, whatever path led there.
func (g Guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = g.resolver().LookupNetIP(ctx, "ip", host); err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("resolve %s: no addresses", host)
	}
	for _, a := range addrs {
		if reason := g.addrRefused(a); reason != "" {
			if a.String() == host {
				return nil, refused("%s is %s", host, reason)
			}
			return nil, refused("%s resolves to %s, %s", host, a.Unmap(), reason)
		}
	}
	d := net.Dialer{Timeout: 10 * time.Second, Control: g.control}
	var errsSeen []error
	for _, a := range addrs {
		c, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		errsSeen = append(errsSeen, err)
	}
	return nil, errors.Join(errsSeen...)
}

// control runs on the socket before it connects: the last word on where a
// delivery goes.
func (g Guard) control(_, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return refused("cannot check the address %q", address)
	}
	if reason := internalAddr(ap.Addr()); reason != "" {
		return refused("%s is %s", ap.Addr().Unmap(), reason)
	}
	return nil
}
