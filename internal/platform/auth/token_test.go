package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func fixedClock(t *time.Time) func() time.Time { return func() time.Time { return *t } }

func TestNewTokensRequiresLongSecret(t *testing.T) {
	if _, err := NewTokens([]byte("too short"), nil); !errors.Is(err, ErrShortSecret) {
		t.Errorf("NewTokens(short) = %v, want ErrShortSecret", err)
	}
	if _, err := NewTokens(testSecret, nil); err != nil {
		t.Errorf("NewTokens(32 bytes) = %v", err)
	}
}

func TestIssueAndVerify(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tk, _ := NewTokens(testSecret, fixedClock(&now))
	staffTok, exp, err := tk.Issue(Subject{Kind: Staff, ID: "stf_1", Role: RoleManager, Version: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(AccessTTL)) {
		t.Errorf("exp = %v, want %v", exp, now.Add(AccessTTL))
	}
	c, err := tk.Verify(staffTok, AudienceAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Subject(); got != (Subject{Kind: Staff, ID: "stf_1", Role: RoleManager, Version: 3}) {
		t.Errorf("subject = %+v", got)
	}
	if c.ID == "" || c.IssuedAt == nil || c.Issuer != Issuer {
		t.Errorf("claims lack jti/iat/iss: %+v", c)
	}
	// A genuine staff token on the store API is the wrong audience: 403.
	if _, err := tk.Verify(staffTok, AudienceStore); !errors.Is(err, ErrWrongAudience) {
		t.Errorf("staff token on store API: %v, want ErrWrongAudience", err)
	}
	cusTok, _, _ := tk.Issue(Subject{Kind: Customer, ID: "cus_1"})
	if _, err := tk.Verify(cusTok, AudienceAdmin); !errors.Is(err, ErrWrongAudience) {
		t.Errorf("customer token on admin API: %v, want ErrWrongAudience", err)
	}
	if _, err := tk.Verify(cusTok, AudienceStore); err != nil {
		t.Errorf("customer token on store API: %v", err)
	}
}

func TestVerifyExpiryAndLeeway(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tk, _ := NewTokens(testSecret, fixedClock(&now))
	tok, _, _ := tk.Issue(Subject{Kind: Customer, ID: "cus_1"})
	tests := []struct {
		name  string
		after time.Duration
		ok    bool
	}{
		{"fresh", 0, true},
		{"just before expiry", AccessTTL - time.Second, true},
		{"expired within leeway", AccessTTL + 20*time.Second, true},
		{"expired beyond leeway", AccessTTL + Leeway + time.Second, false},
	}
	issued := now
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = issued.Add(tt.after)
			_, err := tk.Verify(tok, AudienceStore)
			if (err == nil) != tt.ok {
				t.Errorf("Verify after %v = %v, want ok=%v", tt.after, err, tt.ok)
			}
		})
	}
	now = issued.Add(-time.Minute) // issued "in the future": clock skew beyond leeway
	if _, err := tk.Verify(tok, AudienceStore); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token with iat a minute ahead: %v, want ErrInvalidToken", err)
	}
}

// sign makes a token with arbitrary claims and method, for attack tests.
func sign(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyRejectsForgeries(t *testing.T) {
	now := time.Now()
	tk, _ := NewTokens(testSecret, nil)
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": Issuer, "sub": "stf_1", "aud": []string{AudienceAdmin}, "kind": "staff",
			"role": "admin", "ver": 1, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "j"}
	}
	with := func(k string, v any) jwt.MapClaims { c := good(); c[k] = v; return c }
	without := func(k string) jwt.MapClaims { c := good(); delete(c, k); return c }
	valid := sign(t, jwt.SigningMethodHS256, testSecret, good())
	if _, err := tk.Verify(valid, AudienceAdmin); err != nil {
		t.Fatalf("the control token fails: %v", err)
	}
	parts := strings.Split(valid, ".")
	tests := map[string]string{
		"alg none":               sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good()),
		"HS512":                  sign(t, jwt.SigningMethodHS512, testSecret, good()),
		"HS384":                  sign(t, jwt.SigningMethodHS384, testSecret, good()),
		"other secret":           sign(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-!!"), good()),
		"tampered payload":       parts[0] + "." + strings.Split(sign(t, jwt.SigningMethodHS256, []byte("x"), with("sub", "stf_2")), ".")[1] + "." + parts[2],
		"tampered signature":     parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"wrong issuer":           sign(t, jwt.SigningMethodHS256, testSecret, with("iss", "evil")),
		"no issuer":              sign(t, jwt.SigningMethodHS256, testSecret, without("iss")),
		"no audience":            sign(t, jwt.SigningMethodHS256, testSecret, without("aud")),
		"unknown audience":       sign(t, jwt.SigningMethodHS256, testSecret, with("aud", "everything")),
		"no expiry":              sign(t, jwt.SigningMethodHS256, testSecret, without("exp")),
		"expired":                sign(t, jwt.SigningMethodHS256, testSecret, with("exp", now.Add(-time.Hour).Unix())),
		"customer kind on admin": sign(t, jwt.SigningMethodHS256, testSecret, with("kind", "customer")),
		"no subject":             sign(t, jwt.SigningMethodHS256, testSecret, without("sub")),
		"garbage":                "not.a.jwt",
		"empty":                  "",
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := tk.Verify(tok, AudienceAdmin); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
		})
	}
}

// flip changes the first character of a base64url segment.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
