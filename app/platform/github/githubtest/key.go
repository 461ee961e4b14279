package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"sync"
)

var (
	keyOnce sync.Once
	keyPEM  []byte
	keyErr  error
)

// KeyPEM returns a PKCS#1 PEM RSA private key for a test GitHub App, the
// format GitHub hands out. The key is generated once per test binary (2048
// bits takes a moment) and never leaves the process.
func KeyPEM() ([]byte, error) {
	keyOnce.Do(func() { keyPEM, keyErr = NewKeyPEM() })
	return keyPEM, keyErr
}

// NewKeyPEM generates a fresh key in the same format, for tests that need a
// key GitHub does not know.
func NewKeyPEM() ([]byte, error) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), nil
}
