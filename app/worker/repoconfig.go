package worker

import (
	"github.com/shiftward/shiftward/app/platform"
)

// configChange is c as its configuration is read: a pull request's at its
// base. A push's base is its "before", a commit of the branch pushed to,
// which whoever can push there wrote; so a push reads its configuration from
// the repository's default branch: as it was before the push when the push
// is to the default branch (its own edits apply from the next change on, as
// a pull request's do), else at its head. ok is false when the payload did
// not name the default branch: nothing trustworthy can then be read.
func configChange(c platform.Change) (platform.Change, bool) {
	if !c.IsPush() {
		return c, true
	}
	d := c.Repo.DefaultBranch
	switch {
	case d == "":
		return c, false
	case c.Ref == d && platform.ValidSHA(c.BaseSHA) && !platform.IsZeroSHA(c.BaseSHA):
		return c, true
	}
	c.BaseSHA = d
	return c, true
}
