package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's cost parameters. DefaultPasswordParams is the
// OWASP Password Storage Cheat Sheet minimum (m=19 MiB, t=2, p=1).
type PasswordParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	SaltLen   int
	KeyLen    uint32
}

// DefaultPasswordParams is what new hashes are made with; a stored hash with
// weaker parameters is upgraded on the next successful login (NeedsRehash).
var DefaultPasswordParams = PasswordParams{MemoryKiB: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrBadHash is returned for a stored hash that is not an argon2id PHC string.
var ErrBadHash = errors.New("auth: malformed password hash")

var b64 = base64.RawStdEncoding

// HashPassword returns the PHC string
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key> for password.
func HashPassword(password string) (string, error) {
	return hashWith(password, DefaultPasswordParams)
}

func hashWith(password string, p PasswordParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

type phc struct {
	params PasswordParams
	salt   []byte
	key    []byte
}

func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return phc{}, ErrBadHash
	}
	var h phc
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.params.MemoryKiB, &h.params.Time, &h.params.Threads); err != nil {
		return phc{}, ErrBadHash
	}
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) == 0 {
		return phc{}, ErrBadHash
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) == 0 {
		return phc{}, ErrBadHash
	}
	// Refuse absurd parameters from a corrupted row rather than allocate
	// gigabytes or spin for minutes.
	if h.params.MemoryKiB == 0 || h.params.MemoryKiB > 1<<20 || h.params.Time == 0 || h.params.Time > 16 || h.params.Threads == 0 {
		return phc{}, ErrBadHash
	}
	h.params.SaltLen, h.params.KeyLen = len(h.salt), uint32(len(h.key))
	return h, nil
}

// VerifyPassword reports whether password matches the PHC hash, comparing in
// constant time. A malformed hash is an error, never a match.
func VerifyPassword(hash, password string) (bool, error) {
	h, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), h.salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, h.params.KeyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// NeedsRehash reports whether hash was made with parameters weaker than (or
// different from) DefaultPasswordParams, so a successful login should store a
// fresh hash.
func NeedsRehash(hash string) bool {
	h, err := parsePHC(hash)
	if err != nil {
		return true
	}
	d := DefaultPasswordParams
	return h.params.MemoryKiB != d.MemoryKiB || h.params.Time != d.Time || h.params.Threads != d.Threads ||
		len(h.salt) != d.SaltLen || uint32(len(h.key)) != d.KeyLen
}

// dummyHash is verified against when an e-mail is unknown, so a login for a
// missing account costs the same argon2 work as one for a real account and
// response timing does not reveal which e-mails are registered.
// It is made lazily so binaries that never log anyone in don't pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("storekeep-dummy-password-for-timing")
	if err != nil {
		panic("auth: " + err.Error())
	}
	return h
})

// DummyVerify spends the same work as VerifyPassword and always fails.
func DummyVerify(password string) {
	_, _ = VerifyPassword(dummyHash(), password)
}
