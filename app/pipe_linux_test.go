package app

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// fGetPipeSz is Linux's F_GETPIPE_SZ fcntl.
const fGetPipeSz = 1032

func pipeSize(t *testing.T, f *os.File) int {
	t.Helper()
	n, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), fGetPipeSz, 0)
	if errno != 0 {
		t.Fatalf("F_GETPIPE_SZ: %v", errno)
	}
	return int(n)
}

// TestGrowPipe: the pipe git's diff comes through is grown to pipeBytes
// (where the system allows that much), and still carries data.
func TestGrowPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	before := pipeSize(t, r)
	if before >= pipeBytes {
		t.Skipf("pipes here start at %d bytes", before)
	}
	if b, err := os.ReadFile("/proc/sys/fs/pipe-max-size"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n < pipeBytes {
			t.Skipf("pipe-max-size is %d", n)
		}
	}
	growPipe(r)
	if got := pipeSize(t, r); got != pipeBytes {
		t.Fatalf("pipe holds %d bytes after growPipe, want %d", got, pipeBytes)
	}
	if _, err := w.Write([]byte("diff --git a/x b/x\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if n, err := r.Read(buf); err != nil || string(buf[:n]) != "diff --git a/x b/x\n" {
		t.Fatalf("read %q, %v", buf[:n], err)
	}
}
