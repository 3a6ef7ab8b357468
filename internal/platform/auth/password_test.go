package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestHashAndVerifyPassword(t *testing.T) {
	hash, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string with the OWASP parameters", hash)
	}
	again, _ := HashPassword("correct horse battery")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"right password", "correct horse battery", true},
		{"wrong password", "correct horse battery!", false},
		{"empty password", "", false},
		{"case differs", "Correct horse battery", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyPassword(hash, tt.password)
			if err != nil || got != tt.want {
				t.Errorf("VerifyPassword = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{
		"",
		"plaintext",
		"$2a$10$abcdefghijklmnopqrstuv", // bcrypt
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5",     // argon2i, not id
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5",    // unknown version
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$a2V5a2V5",            // bad salt
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5", // absurd memory
		"$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHQ$a2V5a2V5",    // zero time
	} {
		ok, err := VerifyPassword(h, "anything")
		if ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false, ErrBadHash", h, ok, err)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	current, _ := HashPassword("a-password")
	weak, err := hashWith("a-password", PasswordParams{MemoryKiB: 8192, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	if NeedsRehash(current) {
		t.Error("a hash with the current parameters needs a rehash")
	}
	if !NeedsRehash(weak) {
		t.Error("a hash with m=8192,t=1 does not need a rehash")
	}
	if !NeedsRehash("garbage") {
		t.Error("a malformed hash does not need a rehash")
	}
	// The weaker hash still verifies, so the login that upgrades it succeeds.
	if ok, err := VerifyPassword(weak, "a-password"); !ok || err != nil {
		t.Errorf("weak hash does not verify: %v, %v", ok, err)
	}
}

func TestDummyVerifyDoesNotPanic(t *testing.T) {
	DummyVerify("whatever")
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		ok       bool
	}{
		{"9 characters", "123456789", false},
		{"10 characters", "1234567890", true},
		{"10 multibyte characters", "éééééééééé", true},
		{"128 characters", strings.Repeat("a", 128), true},
		{"129 characters", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckPassword("password", tt.password); (err == nil) != tt.ok {
				t.Errorf("CheckPassword = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
