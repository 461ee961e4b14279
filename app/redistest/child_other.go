//go:build !linux

package redistest

import "syscall"

// childAttr: only Linux can tie a child's life to its parent's; elsewhere
// the test's cleanups stop the servers.
func childAttr() *syscall.SysProcAttr { return nil }
