package pipelines

import (
	"context"
	"strings"
	"sync"
)

// ActionResolver finds the commit a GitHub action reference names. The app
// implements it with the platform's API, scoped to one job (its credentials,
// its rate limit); the scanner only asks.
type ActionResolver interface {
	// ResolveAction returns the full 40-hex commit SHA that ref (a tag or a
	// branch) names in owner/repo.
	ResolveAction(ctx context.Context, owner, repo, ref string) (sha string, err error)
}

// Option configures a Scanner.
type Option func(*Scanner)

// WithResolver makes the scanner pin actions through r: the app builds one
// such scanner per job, with the job's client. Without one, unpinned-action
// findings have no suggestion and say how to pin by hand.
func WithResolver(r ActionResolver) Option { return func(s *Scanner) { s.resolver = r } }

// maxResolutions bounds the API calls one change can cause: a change that
// touches hundreds of workflows pins the first distinct references and
// reports the rest without a suggestion.
const maxResolutions = 64

// pinCache remembers resolutions for one change (one Scan or ScanBatch
// call). It is never shared across changes: a tag can move, and another
// repository's job may see other refs.
type pinCache struct {
	r    ActionResolver
	mu   sync.Mutex
	seen map[string]pinResult
}

type pinResult struct {
	sha string
	ok  bool
}

func newPinCache(r ActionResolver) *pinCache {
	return &pinCache{r: r, seen: make(map[string]pinResult)}
}

// resolve returns the commit of owner/repo@ref, or false when there is no
// resolver, it failed, the budget is spent, or its answer is not a SHA.
func (c *pinCache) resolve(ctx context.Context, owner, repo, ref string) (string, bool) {
	if c == nil || c.r == nil {
		return "", false
	}
	// A workflow is a stranger's text: a ref such as "../../../user" would
	// otherwise take the app's authenticated request out of the action's
	// repository. Nothing that is not a valid name reaches the resolver.
	if !validActionRef(owner, repo, ref) {
		return "", false
	}
	key := strings.ToLower(owner+"/"+repo) + "@" + ref
	c.mu.Lock()
	if res, ok := c.seen[key]; ok {
		c.mu.Unlock()
		return res.sha, res.ok
	}
	if len(c.seen) >= maxResolutions {
		c.mu.Unlock()
		return "", false
	}
	c.seen[key] = pinResult{} // reserve: a failure is not retried within the change
	c.mu.Unlock()

	sha, err := c.r.ResolveAction(ctx, owner, repo, ref)
	res := pinResult{}
	if err == nil && isFullSHA(sha) {
		res = pinResult{sha: strings.ToLower(sha), ok: true}
	}
	c.mu.Lock()
	c.seen[key] = res
	c.mu.Unlock()
	return res.sha, res.ok
}

// isFullSHA reports whether s is 40 hexadecimal digits.
func isFullSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// Naming rules an action reference must meet before any request is made
// for it. GitHub: an account name is alphanumerics and single hyphens,
// neither first nor last, at most 39 characters; a repository name is at
// most 100 of [A-Za-z0-9._-] and not "." or "..". A ref follows git's
// check-ref-format, kept to what a URL path can carry unchanged in shape.
const (
	maxOwnerLen = 39
	maxRepoLen  = 100
	maxRefLen   = 255
)

// validActionRef reports whether owner/repo@ref may be looked up.
func validActionRef(owner, repo, ref string) bool {
	return validOwner(owner) && validRepoName(repo) && validRefName(ref)
}

// validOwner applies GitHub's account naming rules.
func validOwner(s string) bool {
	if s == "" || len(s) > maxOwnerLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// validRepoName applies GitHub's repository naming rules.
func validRepoName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > maxRepoLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// validRefName applies git check-ref-format's rules to a branch or tag
// name: no "..", "@{" or "//", no control character, space or any of
// ~^:?*[\, no leading or trailing "/", no trailing ".", no component
// starting with "." or ending with ".lock", not "@". Characters git allows
// that mean something in a URL (%, #) are refused too, so an escaped ref
// and the ref are the same path.
func validRefName(s string) bool {
	if s == "" || s == "@" || len(s) > maxRefLen || s[len(s)-1] == '.' ||
		strings.Contains(s, "..") || strings.Contains(s, "@{") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == ' ' || strings.IndexByte("~^:?*[\\%#", c) >= 0 {
			return false
		}
	}
	for _, comp := range strings.Split(s, "/") {
		if comp == "" || comp[0] == '.' || strings.HasSuffix(comp, ".lock") {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
