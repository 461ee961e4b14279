package scannertest

import (
	"strings"
	"testing"
)

func TestHostileFiles(t *testing.T) {
	files := HostileFiles()
	if len(files) < 20 {
		t.Fatalf("HostileFiles: %d files, want the data formats covered", len(files))
	}
	for p, b := range files {
		if !strings.HasPrefix(p, "hostile/") || len(b) == 0 {
			t.Errorf("%s: %d bytes; want a hostile/ path and content", p, len(b))
		}
		if len(b) > 8<<20 {
			t.Errorf("%s: %d bytes; keep hostile files small", p, len(b))
		}
	}
}
