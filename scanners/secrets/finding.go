package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

// cwe798 is "Use of Hard-coded Credentials".
const cwe798 = "CWE-798"

// finding turns a match in a chunk into a Finding. lines are the chunk's
// added lines and idx their start offsets in text.
func (s *Scanner) finding(in *scanners.Input, lines []scanners.Line, idx lineIndex, text string, m match) scanners.Finding {
	r := s.eng.rules[m.rule]
	secret := text[m.secretStart:m.secretEnd]
	sl := idx.find(m.secretStart)
	el := idx.find(max(m.secretStart, m.secretEnd-1))
	redacted := Redact(secret)
	f := scanners.Finding{
		Scanner:  Name,
		RuleID:   Name + "/" + r.id,
		Severity: r.severity,
		Title:    r.title,
		Message: fmt.Sprintf("%s %s was added (%s). Anything committed stays in git history even after it is "+
			"deleted, so treat it as leaked: revoke or rotate it, then load it from a secret store or the environment.",
			article(r.title), r.title, redacted),
		Location: scanners.Location{
			Path:        in.Path,
			StartLine:   lines[sl].Number,
			EndLine:     lines[el].Number,
			StartColumn: m.secretStart - idx[sl] + 1,
			EndColumn:   m.secretEnd - idx[el],
		},
		References: references(r),
		Evidence:   redacted,
		Identity:   Identity(secret),
		Sensitive:  true,
	}
	return f
}

// fileFinding reports a path-only rule: the file itself is the secret.
func (s *Scanner) fileFinding(r *rule, in *scanners.Input) scanners.Finding {
	line := 0
	if len(in.Added) > 0 {
		line = in.Added[0].Number
	}
	return scanners.Finding{
		Scanner:  Name,
		RuleID:   Name + "/" + r.id,
		Severity: r.severity,
		Title:    r.title,
		Message: fmt.Sprintf("%s was added (%s). Files like this usually bundle private keys; anything committed stays "+
			"in git history, so treat the keys in it as leaked and rotate them.", r.title, in.Path),
		Location:   scanners.Location{Path: in.Path, StartLine: line, EndLine: line},
		References: references(r),
		Identity:   Identity("file:" + in.Path),
	}
}

func article(title string) string {
	if title == "" {
		return "A"
	}
	switch strings.ToLower(title[:1]) {
	case "a", "e", "i", "o", "u":
		return "An"
	}
	return "A"
}

// extraCWE names the weakness more precisely than CWE-798 where one
// does: a hard-coded password (CWE-259), a hard-coded key (CWE-321), a
// secret on a command line (CWE-214).
var extraCWE = map[string]string{
	"password-assignment": "CWE-259", "password-in-config": "CWE-259", "xml-password": "CWE-259", // shiftward:ignore secrets/password-assignment rule ids mapped to CWE ids, not passwords
	"connection-string-password": "CWE-259", "hashicorp-tf-password": "CWE-259", "nuget-config-password": "CWE-259",
	"private-key": "CWE-321", "private-key-base64": "CWE-321", "pkcs12-file": "CWE-321",
	"cli-credential-flag": "CWE-214",
}

func references(r *rule) []string {
	refs := []string{cwe798}
	if c := extraCWE[r.id]; c != "" {
		refs = append(refs, c)
	}
	if r.docURL != "" {
		refs = append(refs, r.docURL)
	} else if u := vendorDocs(r.id); u != "" {
		refs = append(refs, u)
	}
	return refs
}

// vendorDocs points at the vendor's revocation or rotation page for the
// most common token families.
func vendorDocs(id string) string {
	switch {
	case strings.HasPrefix(id, "github-"):
		return "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/token-expiration-and-revocation"
	case strings.HasPrefix(id, "gitlab-"):
		return "https://docs.gitlab.com/security/tokens/"
	case strings.HasPrefix(id, "aws-"):
		return "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console"
	case strings.HasPrefix(id, "slack-"):
		return "https://api.slack.com/authentication/rotation"
	case strings.HasPrefix(id, "stripe-"):
		return "https://docs.stripe.com/keys#rolling-keys"
	case strings.HasPrefix(id, "gcp-"):
		return "https://cloud.google.com/docs/authentication/api-keys#securing"
	}
	return ""
}

// Redact shows at most the first four characters of secret, never more
// than a quarter of it, then "…" and the length: "ghp_…(40 chars)". A
// secret of fewer than four characters shows none.
func Redact(secret string) string {
	n := utf8.RuneCountInString(secret)
	show := min(4, n/4)
	var b strings.Builder
	i := 0
	for _, c := range secret {
		if i >= show {
			break
		}
		b.WriteRune(c)
		i++
	}
	fmt.Fprintf(&b, "…(%d chars)", n)
	return b.String()
}

// Identity is the hex sha256 of secret: it names a secret across pushes
// and files without holding it.
func Identity(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
