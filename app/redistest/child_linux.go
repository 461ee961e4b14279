package redistest

import "syscall"

// childAttr makes the kernel kill a test's server if the test binary dies
// without running its cleanups (a timeout panic, a kill).
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
