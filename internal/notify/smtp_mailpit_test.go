package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storekeep/internal/platform/mailtest"
)

func outgoing(to string) Outgoing {
	html := "<p>Bonjour</p>"
	return Outgoing{MessageID: "mail_test1", From: "Shop <shop@example.com>", To: to, Subject: "Test 15\u202f%",
		Text: "Bonjour\n", HTML: html}
}

// The mailer tells a temporary refusal (4xx) from a permanent one (5xx),
// and a server that is not there is temporary.
func TestSMTPMailerClassifiesFailures(t *testing.T) {
	t.Parallel()
	mp := mailtest.Start(t)
	cfg, err := ParseSMTPURL(mp.SMTPURL)
	if err != nil {
		t.Fatal(err)
	}
	m := NewSMTPMailer(cfg, nil)
	ctx := t.Context()
	if err := m.Send(ctx, outgoing("ok@example.com")); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := mp.WaitFor(t, "ok@example.com", 1, 5*time.Second)[0]
	if got.Subject != "Test 15\u202f%" || got.MessageID != "mail_test1@storekeep" || !strings.Contains(got.HTML, "<p>Bonjour</p>") {
		t.Errorf("arrived: %+v", got)
	}
	mp.Chaos(t, 451, 100)
	if err := m.Send(ctx, outgoing("later@example.com")); err == nil || IsPermanent(err) {
		t.Errorf("451: %v, want a temporary error", err)
	}
	mp.Chaos(t, 550, 100)
	if err := m.Send(ctx, outgoing("never@example.com")); err == nil || !IsPermanent(err) {
		t.Errorf("550: %v, want a permanent error", err)
	}
	mp.Stop()
	if err := m.Send(ctx, outgoing("down@example.com")); err == nil || IsPermanent(err) {
		t.Errorf("server down: %v, want a temporary error", err)
	}
}

// smtp:// requires STARTTLS (a plain server is refused, temporarily: the
// next try may find it fixed); smtps:// speaks TLS from the first byte.
func TestSMTPMailerTLS(t *testing.T) {
	t.Parallel()
	cert, key, roots := selfSigned(t)
	plain := mailtest.Start(t)
	host, port, _ := net.SplitHostPort(plain.SMTPAddr)
	cfg, _ := ParseSMTPURL("smtp://" + net.JoinHostPort(host, port))
	if err := NewSMTPMailer(cfg, nil).Send(t.Context(), outgoing("x@example.com")); err == nil || IsPermanent(err) {
		t.Errorf("STARTTLS against a plain server: %v, want a temporary refusal", err)
	}

	starttls := mailtest.StartWith(t, mailtest.Options{Args: []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key,
		"--smtp-require-starttls"}})
	cfg, _ = ParseSMTPURL("smtp://" + starttls.SMTPAddr)
	if err := NewSMTPMailer(cfg, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}).Send(t.Context(), outgoing("tls@example.com")); err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	starttls.WaitFor(t, "tls@example.com", 1, 5*time.Second)

	implicit := mailtest.StartWith(t, mailtest.Options{Args: []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key,
		"--smtp-require-tls"}})
	cfg, _ = ParseSMTPURL("smtps://" + implicit.SMTPAddr)
	if err := NewSMTPMailer(cfg, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}).Send(t.Context(), outgoing("ssl@example.com")); err != nil {
		t.Fatalf("implicit TLS: %v", err)
	}
	implicit.WaitFor(t, "ssl@example.com", 1, 5*time.Second)
	// The system roots do not know the test certificate: refused.
	if err := NewSMTPMailer(cfg, nil).Send(t.Context(), outgoing("ssl@example.com")); err == nil {
		t.Error("an unknown certificate was accepted")
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts it.
func selfSigned(t *testing.T) (certPath, keyPath string, roots *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	roots = x509.NewCertPool()
	roots.AddCert(c)
	return certPath, keyPath, roots
}
