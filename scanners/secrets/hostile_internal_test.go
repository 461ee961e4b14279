package secrets

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// hostileUnits, repeated into one long line, make every byte a keyword
// hit whose checks and windows, read naively, run to the line's end:
// time quadratic in the line's length (a 32 KiB line of "key=" took 8 s,
// a megabyte hours).
var hostileUnits = []string{
	"key=", "token ", "-----BEGIN ", "github_pat_", "aws_secret_access_key=", "-password ",
	"api_key=Zq8Lm3Xv7Rt2Kp9W ", "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n", "<password>", "curl -H ",
}

// TestHostileLinesLinear: a long line of keywords costs time linear in
// its length, for Scan and for Redact.
func TestHostileLinesLinear(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	size := 256 << 10
	if raceEnabled {
		size = 32 << 10
	}
	for _, unit := range hostileUnits {
		line := strings.Repeat(unit, size/len(unit))
		in := &scanners.Input{Path: "a.txt", Added: []scanners.Line{{Number: 1, Text: line}}}
		start := time.Now()
		if _, err := s.Scan(context.Background(), in); err != nil {
			t.Fatal(err)
		}
		// About 3 s at worst on a loaded machine; quadratic costs minutes.
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("%q: %d bytes took %v", unit, len(line), d)
		}
		start = time.Now()
		s.Redact(line)
		// Redact stops at redactTimeout; the slack is for a machine
		// loaded by -race and parallel packages (2.4 s was seen).
		if d := time.Since(start); d > redactTimeout+5*time.Second {
			t.Errorf("Redact %q: %d bytes took %v", unit, len(line), d)
		}
	}
}

// TestScanStopsAtDeadline: a scan of a line built to be slow stops soon
// after its context ends, inside the line, with the context's error (the
// file is then reported not scanned), instead of holding the worker.
func TestScanStopsAtDeadline(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("key=", (8<<20)/4)
	in := &scanners.Input{Path: "a.txt", Added: []scanners.Line{{Number: 1, Text: line}}}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Scan(ctx, in)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Scan went on for %v after a 300ms deadline", d)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Scan err = %v, want the context's deadline", err)
	}
}

// TestRedactWithholdsWhatItCannotCheck: a status text the rules cannot
// get through in time comes back withheld, never unchecked.
func TestRedactWithholdsWhatItCannotCheck(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	text := "token " + strings.Repeat("x", 100) + " ghp_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7"
	got := s.redact(ctx, text)
	if got != "[147 bytes withheld: not checked for secrets in time]" {
		t.Errorf("redact with its time spent = %q", got)
	}
}
