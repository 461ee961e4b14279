package platform

import "strings"

// Checks webhook parsers apply to what a delivery names before it reaches an
// API path. Deliveries are verified, but a verified sender can still send a
// malformed body; these keep it out of URLs.

// Invalid returns a *ValidationError with reason, which must be short and
// never quote the payload.
func Invalid(reason string) error { return &ValidationError{Reason: reason} }

// ValidSHA accepts a full lower-case hex object name: 40 digits (SHA-1) or
// 64 (SHA-256 repositories). Anything else would end up in an API path.
func ValidSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// IsZeroSHA reports whether s is git's all-zeros object name, which a push
// sends as the "before" of a new branch and the "after" of a deleted one.
func IsZeroSHA(s string) bool { return s != "" && strings.Trim(s, "0") == "" }

// ValidPathSegment accepts one segment of an owner, namespace or
// repository name of at most maxLen bytes: printable ASCII without
// whitespace, '/', '\\', '?', '#' or '%', and not "." or "..", so it cannot
// change the shape of the API path it goes into.
func ValidPathSegment(s string, maxLen int) bool {
	if s == "" || s == "." || s == ".." || len(s) > maxLen {
		return false
	}
	for _, c := range s {
		if c <= ' ' || c == '/' || c == '\\' || c == '?' || c == '#' || c == '%' || c > '~' {
			return false
		}
	}
	return true
}
