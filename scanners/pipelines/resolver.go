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

type resolverKey struct{}

// WithResolver returns a context whose scans pin actions through r. Without
// one, unpinned-action findings have no suggestion and say how to pin by
// hand.
func WithResolver(ctx context.Context, r ActionResolver) context.Context {
	return context.WithValue(ctx, resolverKey{}, r)
}

// resolverFrom returns the resolver in ctx, or nil.
func resolverFrom(ctx context.Context) ActionResolver {
	r, _ := ctx.Value(resolverKey{}).(ActionResolver)
	return r
}

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
