package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"storekeep/internal/platform/errs"
	"storekeep/internal/platform/id"
)

// Token audiences. A customer token is only ever minted for AudienceStore and
// a staff token for AudienceAdmin, so the audience check alone keeps customer
// tokens off the admin API (RFC 8725 §3.9, §3.12).
const (
	AudienceStore = "store"
	AudienceAdmin = "admin"
)

// Token parameters.
const (
	// Issuer is the iss of every token Storekeep mints.
	Issuer = "storekeep"
	// AccessTTL is how long an access token is valid.
	AccessTTL = 15 * time.Minute
	// Leeway tolerates clock skew between API nodes; small, so an expired
	// token is not honoured for long.
	Leeway = 30 * time.Second
	// MinSecretLen is the shortest HS256 secret accepted (RFC 7518 §3.2).
	MinSecretLen = 32
)

// ErrInvalidToken is the 401 for a credential that is missing parts, forged,
// expired or otherwise unusable. The cause is never told to the client.
var ErrInvalidToken = errs.New(errs.Unauthenticated, "invalid_token", "the access token is invalid or expired")

// ErrWrongAudience is returned by Verify for a token that is genuine and
// current but was issued for the other API; callers answer 403.
var ErrWrongAudience = errs.New(errs.Forbidden, "forbidden", "this token is not valid for this API")

// ErrShortSecret is returned by NewTokens for a secret under MinSecretLen bytes.
var ErrShortSecret = fmt.Errorf("auth: the JWT secret must be at least %d bytes", MinSecretLen)

// Subject is who a token is about. It holds no PII: ids, kind, role and the
// staff token_version only, because a JWT payload is merely base64.
type Subject struct {
	Kind Kind
	ID   string
	// Role is the staff role (empty for customers).
	Role string
	// Version is the staff token_version at issue time; bumping it in the
	// database revokes every outstanding access token of that user.
	Version int
}

// Audience is the API a subject's tokens are for.
func (s Subject) Audience() string {
	if s.Kind == Customer {
		return AudienceStore
	}
	return AudienceAdmin
}

// Claims are the JWT claims Storekeep signs.
type Claims struct {
	jwt.RegisteredClaims
	Kind Kind   `json:"kind"`
	Role string `json:"role,omitempty"`
	Ver  int    `json:"ver,omitempty"`
}

// Subject returns who the claims are about.
func (c *Claims) Subject() Subject {
	return Subject{Kind: c.Kind, ID: c.RegisteredClaims.Subject, Role: c.Role, Version: c.Ver}
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	now    func() time.Time
}

// NewTokens returns a token service signing with secret (>= 32 bytes). now is
// the clock; nil means time.Now.
func NewTokens(secret []byte, now func() time.Time) (*Tokens, error) {
	if len(secret) < MinSecretLen {
		return nil, ErrShortSecret
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: append([]byte(nil), secret...), now: now}, nil
}

// Issue mints an access token for s and returns it with its expiry.
func (t *Tokens) Issue(s Subject) (string, time.Time, error) {
	if s.Kind != Customer && s.Kind != Staff {
		return "", time.Time{}, fmt.Errorf("auth: cannot issue a token for kind %q", s.Kind)
	}
	now := t.now().UTC().Truncate(time.Second)
	exp := now.Add(AccessTTL)
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   s.ID,
			Audience:  jwt.ClaimStrings{s.Audience()},
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        id.New("jti"),
		},
		Kind: s.Kind,
		Role: s.Role,
		Ver:  s.Version,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, err
	}
	return signed, exp, nil
}

// Verify checks raw is an HS256 token signed with our secret, issued by us, for
// audience, not expired (exp required), and that its kind matches the
// audience. A genuine token for the other audience is ErrWrongAudience (403);
// everything else is ErrInvalidToken (401).
func (t *Tokens) Verify(raw, audience string) (*Claims, error) {
	c, err := t.parse(raw, audience)
	if err == nil {
		return c, nil
	}
	if errors.Is(err, jwt.ErrTokenInvalidAudience) {
		other := AudienceAdmin
		if audience == AudienceAdmin {
			other = AudienceStore
		}
		if _, err2 := t.parse(raw, other); err2 == nil {
			return nil, ErrWrongAudience
		}
	}
	return nil, ErrInvalidToken
}

func (t *Tokens) parse(raw, audience string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, t.key,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return nil, err
	}
	// Token kinds are mutually exclusive per audience (RFC 8725 §3.12): a
	// store token must be a customer's, an admin token a staff member's.
	want := Staff
	if audience == AudienceStore {
		want = Customer
	}
	if c.Kind != want || c.RegisteredClaims.Subject == "" {
		return nil, ErrInvalidToken
	}
	return &c, nil
}

// key hands jwt the secret only for HMAC tokens; WithValidMethods already pins
// HS256, this type check is the belt to those braces.
func (t *Tokens) key(tok *jwt.Token) (any, error) {
	if _, ok := tok.Method.(*jwt.SigningMethodHMAC); !ok {
		return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
	}
	return t.secret, nil
}
