// Package id makes Storekeep's public identifiers: a type prefix, an underscore
// and a UUIDv7 in lowercase Crockford-style base32 (26 characters). The alphabet
// is in ASCII order, so ids sort by creation time as strings, which lets cursors
// and indexes order by id.
package id

import (
	"encoding/base32"
	"strings"

	"github.com/google/uuid"
)

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var enc = base32.NewEncoding(alphabet).WithPadding(base32.NoPadding)

// New returns a fresh id with the given prefix, such as New("prod").
func New(prefix string) string {
	u, err := uuid.NewV7()
	if err != nil {
		// NewV7 only fails when the system random source fails; nothing sensible
		// can continue without randomness.
		panic("id: " + err.Error())
	}
	return prefix + "_" + enc.EncodeToString(u[:])
}

// Valid reports whether s looks like an id with the given prefix. Handlers use it
// to answer 404 for malformed ids without touching the database.
func Valid(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok || len(rest) != 26 {
		return false
	}
	_, err := enc.DecodeString(rest)
	return err == nil
}
