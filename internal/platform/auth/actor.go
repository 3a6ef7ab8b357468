// Package auth holds who is calling (the Actor), the staff role model, JWT
// issuing and verification with the algorithm pinned, argon2id password hashing
// and rotating refresh tokens. Services receive an Actor argument and make their
// own ownership and role decisions; this package only establishes identity.
package auth

import "context"

// Kind is the kind of principal behind a request.
type Kind string

// The principal kinds.
const (
	Guest    Kind = "guest"
	Customer Kind = "customer"
	Staff    Kind = "staff"
	APIKey   Kind = "api_key"
)

// Staff roles; docs/auth.md says what each may do.
const (
	RoleAdmin     = "admin"
	RoleManager   = "manager"
	RoleSupport   = "support"
	RoleWarehouse = "warehouse"
)

// Roles lists every staff role.
var Roles = []string{RoleAdmin, RoleManager, RoleSupport, RoleWarehouse}

// ValidRole reports whether r is a staff role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Actor is the authenticated caller. The zero value is a guest.
type Actor struct {
	Kind Kind
	// ID is the customer id, staff id or API key id.
	ID string
	// Role is the staff role, for Staff and APIKey actors.
	Role string
}

// IsGuest reports whether no one is signed in.
func (a Actor) IsGuest() bool { return a.Kind == "" || a.Kind == Guest }

// HasRole reports whether a staff or API-key actor holds one of roles; admin
// holds every role.
func (a Actor) HasRole(roles ...string) bool {
	if a.Kind != Staff && a.Kind != APIKey {
		return false
	}
	if a.Role == RoleAdmin {
		return true
	}
	for _, r := range roles {
		if r == a.Role {
			return true
		}
	}
	return false
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// FromContext returns the actor in ctx, or a guest.
func FromContext(ctx context.Context) Actor {
	a, ok := ctx.Value(actorKey{}).(Actor)
	if !ok {
		return Actor{Kind: Guest}
	}
	return a
}
