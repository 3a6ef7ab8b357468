package web

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/errs"
)

// Authenticator turns a bearer credential into an Actor. audience is "store"
// or "admin": a customer token is never valid for "admin", by audience.
type Authenticator interface {
	Authenticate(ctx context.Context, credential, audience string) (auth.Actor, error)
}

// Audiences of tokens.
const (
	AudienceStore = "store"
	AudienceAdmin = "admin"
)

// Policy is a route's access rule. Every route is registered with one; a test
// walks echo's route table and fails on any route without it.
type Policy struct {
	// Name is what the policy is called in docs and tests.
	Name string
	// Audience is the token audience this route accepts ("" = no credential read).
	Audience string
	// Required: without a valid credential the request is 401.
	Required bool
	// Kinds lists the principal kinds allowed (empty = any authenticated).
	Kinds []auth.Kind
	// Roles, for staff and API keys; admin is always allowed.
	Roles []string
	// SelfAuth: the handler authenticates the caller itself, against the
	// fields above, and the router reads no credential. WebSocket routes
	// are so (socket.go): a browser cannot set headers on a WebSocket, so
	// the credential may come in the first frame, after the upgrade.
	SelfAuth bool
}

// Policies.
var (
	// Public routes read no credential (health, docs, login).
	Public = Policy{Name: "public"}
	// Shopper routes work for guests and read a customer token if sent.
	Shopper = Policy{Name: "shopper", Audience: AudienceStore}
	// CustomerOnly routes need a signed-in customer.
	CustomerOnly = Policy{Name: "customer", Audience: AudienceStore, Required: true, Kinds: []auth.Kind{auth.Customer}}
)

// NoCredential reports whether the route reads no credential at all.
func (p Policy) NoCredential() bool { return p.Audience == "" }

// AdmitsGuests reports whether a request without a credential gets through (a
// public route, or a shopper route: a token is read if one is sent).
func (p Policy) AdmitsGuests() bool { return !p.Required }

// AdmitsAPIKeys reports whether a secret API key (sk_...) may call the route.
func (p Policy) AdmitsAPIKeys() bool {
	return p.Audience == AudienceAdmin && kindIn(auth.APIKey, p.Kinds)
}

// StaffRoles is the policy of an admin route open to the given roles (and admin).
func StaffRoles(roles ...string) Policy {
	return Policy{Name: "staff:" + strings.Join(append([]string{"admin"}, roles...), ","), Audience: AudienceAdmin,
		Required: true, Kinds: []auth.Kind{auth.Staff, auth.APIKey}, Roles: roles}
}

// AnyStaff is the policy of admin routes every staff role may use.
var AnyStaff = StaffRoles(auth.RoleManager, auth.RoleSupport, auth.RoleWarehouse)

// Router registers routes with their policies.
type Router struct {
	e     *echo.Echo
	authn Authenticator
	mu    sync.Mutex
	pol   map[string]Policy
}

// NewRouter wraps e.
func NewRouter(e *echo.Echo, authn Authenticator) *Router {
	return &Router{e: e, authn: authn, pol: map[string]Policy{}}
}

// Echo returns the underlying echo instance.
func (r *Router) Echo() *echo.Echo { return r.e }

// Handle registers method path with policy p.
func (r *Router) Handle(method, path string, p Policy, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.mu.Lock()
	r.pol[method+" "+path] = p
	r.mu.Unlock()
	r.e.Add(method, path, h, append([]echo.MiddlewareFunc{r.enforce(p)}, mw...)...)
}

// GET registers a GET route, and HEAD on the same path with the same policy,
// handler and middleware: echo does not answer HEAD for a GET route by
// itself (it would be 405). net/http drops the body of a HEAD answer, so
// the client gets the GET's status and headers with no body.
func (r *Router) GET(path string, p Policy, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.Handle(http.MethodGet, path, p, h, mw...)
	r.Handle(http.MethodHead, path, p, h, mw...)
}

// POST registers a POST route.
func (r *Router) POST(path string, p Policy, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.Handle(http.MethodPost, path, p, h, mw...)
}

// PATCH registers a PATCH route.
func (r *Router) PATCH(path string, p Policy, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.Handle(http.MethodPatch, path, p, h, mw...)
}

// PUT registers a PUT route.
func (r *Router) PUT(path string, p Policy, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.Handle(http.MethodPut, path, p, h, mw...)
}

// DELETE registers a DELETE route.
func (r *Router) DELETE(path string, p Policy, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	r.Handle(http.MethodDelete, path, p, h, mw...)
}

// Route is one registered route and its access policy.
type Route struct {
	Method string
	// Path is echo's form: /v1/store/products/:id_or_handle.
	Path   string
	Policy Policy
}

// Routes lists every route registered through r, sorted by path then
// method: the table the contract's security requirements are generated
// from (tools/gendocs) and tested against.
func (r *Router) Routes() []Route {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Route, 0, len(r.pol))
	for k, p := range r.pol {
		method, path, _ := strings.Cut(k, " ")
		out = append(out, Route{Method: method, Path: path, Policy: p})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// PolicyFor returns the declared policy of a route, as echo lists it.
func (r *Router) PolicyFor(method, path string) (Policy, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.pol[method+" "+path]
	return p, ok
}

// ErrWrongRole is the 403 for an authenticated caller without the role.
var ErrWrongRole = errs.New(errs.Forbidden, "forbidden", "your role does not allow this")

func (r *Router) enforce(p Policy) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p.Audience == "" || p.SelfAuth {
				return next(c)
			}
			cred, hasCred := bearer(c.Request())
			actor := auth.Actor{Kind: auth.Guest}
			if hasCred {
				a, err := r.authn.Authenticate(c.Request().Context(), cred, p.Audience)
				if err != nil {
					return err
				}
				actor = a
			}
			if p.Required && actor.IsGuest() {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="storekeep"`)
				return errs.ErrAuth
			}
			if len(p.Kinds) > 0 && !actor.IsGuest() && !kindIn(actor.Kind, p.Kinds) {
				return ErrWrongRole
			}
			if (actor.Kind == auth.Staff || actor.Kind == auth.APIKey) && p.Audience == AudienceAdmin && !actor.HasRole(p.Roles...) {
				return ErrWrongRole
			}
			req := c.Request()
			c.SetRequest(req.WithContext(auth.WithActor(req.Context(), actor)))
			return next(c)
		}
	}
}

func kindIn(k auth.Kind, ks []auth.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// bearer reads "Authorization: Bearer X". Credentials are accepted only in
// this header, never in the query string, so they stay out of access logs.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get(echo.HeaderAuthorization)
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(cred) == "" {
		return "", false
	}
	return strings.TrimSpace(cred), true
}
