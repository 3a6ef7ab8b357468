package webhooks

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SecretPrefix starts every signing secret, as Standard Webhooks writes them.
const SecretPrefix = "whsec_"

// secretBytes is the size of a signing key: 192 bits, base64 without padding.
const secretBytes = 24

// newSecret returns a fresh "whsec_<base64>" signing secret.
func newSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// secretKey is the HMAC key a secret stands for: the bytes its base64 encodes.
func secretKey(secret string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || len(b) == 0 {
		return nil, errors.New("webhooks: malformed signing secret")
	}
	return b, nil
}

// signature is the webhook-signature header for body sent as message msgID
// at unix time ts: "v1,<base64 HMAC-SHA256(key, id.ts.body)>" per key,
// space-separated (two keys during a rotation overlap).
func signature(keys [][]byte, msgID string, ts int64, body []byte) string {
	sigs := make([]string, len(keys))
	for i, k := range keys {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(msgID))
		m.Write([]byte{'.'})
		m.Write([]byte(strconv.FormatInt(ts, 10)))
		m.Write([]byte{'.'})
		m.Write(body)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	return strings.Join(sigs, " ")
}

// sealer keeps signing secrets sealed at rest: AES-256-GCM under a key
// derived (HKDF-SHA256) from the server's own secret, with the webhook id as
// additional data, so a sealed secret copied onto another webhook's row does
// not open. A database dump alone does not reveal the secrets; the server's
// secret (STOREKEEP_JWT_SECRET) does, so keep that out of the database's
// backups (docs/webhooks.md, "Secrets").
type sealer struct{ aead cipher.AEAD }

// sealedPrefix versions the sealed format.
const sealedPrefix = "v1:"

// ErrSecretUnreadable is a sealed secret the server cannot open: the
// server's secret changed since it was sealed. Rotating the webhook's secret
// makes a new one.
var ErrSecretUnreadable = errors.New("the signing secret cannot be read (the server's secret changed): rotate the webhook's secret")

func newSealer(serverSecret []byte) (*sealer, error) {
	if len(serverSecret) == 0 {
		return nil, errors.New("webhooks: no server secret to seal signing secrets with")
	}
	key, err := hkdf.Key(sha256.New, serverSecret, nil, "storekeep webhook signing secrets v1", 32)
	if err != nil {
		return nil, fmt.Errorf("webhooks: derive sealing key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("webhooks: sealing cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("webhooks: sealing cipher: %w", err)
	}
	return &sealer{aead: aead}, nil
}

// seal encrypts secret for the webhook webhookID.
func (s *sealer) seal(webhookID, secret string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce) // never fails (crypto/rand)
	out := s.aead.Seal(nonce, nonce, []byte(secret), []byte(webhookID))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// open decrypts what seal returned for webhookID.
func (s *sealer) open(webhookID, sealed string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", ErrSecretUnreadable
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	n := s.aead.NonceSize()
	if err != nil || len(b) < n {
		return "", ErrSecretUnreadable
	}
	out, err := s.aead.Open(nil, b[:n], b[n:], []byte(webhookID))
	if err != nil {
		return "", ErrSecretUnreadable
	}
	return string(out), nil
}
