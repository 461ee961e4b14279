package secrets

import (
	"encoding/base64"
	"strings"
)

// validators hold checks a regex cannot express, by rule id. They run
// after the regex and entropy checks, on the secret only.
var validators = map[string]func(secret string) bool{
	"private-key-base64": decodesToPrivateKey,
}

// decodesToPrivateKey reports whether a base64 run starting with
// "LS0tLS1CRUdJTi" decodes to an unencrypted PEM private key header. The
// run may be cut short (a key split over string literals), so only whole
// quanta are decoded.
func decodesToPrivateKey(s string) bool {
	s = strings.TrimRight(s, "=")
	s = s[:len(s)/4*4]
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	head := string(b)
	if !strings.HasPrefix(head, "-----BEGIN") {
		return false
	}
	end := strings.Index(head[5:], "-----")
	if end < 0 {
		return strings.Contains(head, "PRIVATE") && !strings.Contains(head, "ENCRYPTED")
	}
	label := head[:end+5]
	return strings.Contains(label, "PRIVATE KEY") && !strings.Contains(label, "ENCRYPTED") &&
		!strings.Contains(head, "Proc-Type: 4,ENCRYPTED")
}
