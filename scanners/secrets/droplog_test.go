package secrets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// dropRecord is one "secret candidate dropped" debug record.
type dropRecord struct {
	Msg       string `json:"msg"`
	Rule      string `json:"rule"`
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Reason    string `json:"reason"`
	Candidate string `json:"candidate"`
}

// scanLogged scans lines (numbered from 1) of path with a scanner logging
// at level into a buffer, and returns the buffer and its drop records.
func scanLogged(t *testing.T, level slog.Level, path string, lines []string, opts ...secrets.Option) (string, []dropRecord) {
	t.Helper()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: level}))
	s, err := secrets.New(append(opts, secrets.WithLogger(log))...)
	if err != nil {
		t.Fatal(err)
	}
	in := &scanners.Input{Path: path}
	for i, l := range lines {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	if _, err := s.Scan(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	var recs []dropRecord
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var r dropRecord
		if l == "" || json.Unmarshal([]byte(l), &r) != nil || r.Msg != "secret candidate dropped" {
			continue
		}
		recs = append(recs, r)
	}
	return buf.String(), recs
}

// find returns the drop records of rule on line.
func find(recs []dropRecord, rule string, line int) []dropRecord {
	var out []dropRecord
	for _, r := range recs {
		if r.Rule == rule && r.Line == line {
			out = append(out, r)
		}
	}
	return out
}

// TestDroppedCandidatesAreLogged: at debug level, each candidate a generic
// rule drops is logged once with the rule, path, line and reason (low
// entropy, a placeholder allowlist, gitleaks:allow), the candidate
// redacted; the value itself appears nowhere in the log.
func TestDroppedCandidatesAreLogged(t *testing.T) {
	const (
		lowEntropy  = "aaaaaaaaaaaaaaaaaaaaaaaa"
		placeholder = "changeme"
		allowed     = "q8Zr2Lw9Xk4Vb7Np3Ty6"
	)
	lines := []string{
		`api_key = "` + lowEntropy + `"`,
		`password = "` + placeholder + `"`,
		`client_secret = "` + allowed + `" # gitleaks:allow`,
	}
	out, recs := scanLogged(t, slog.LevelDebug, "config/app.py", lines)
	for _, tc := range []struct {
		rule   string
		line   int
		reason string
	}{
		{"secrets/generic-api-key", 1, "low entropy"},
		{"secrets/password-assignment", 2, "allowlist: placeholders"},
		{"secrets/generic-api-key", 3, "gitleaks:allow"},
	} {
		got := find(recs, tc.rule, tc.line)
		if len(got) != 1 {
			t.Errorf("%s line %d: %d drop records, want 1; log:\n%s", tc.rule, tc.line, len(got), out)
			continue
		}
		if r := got[0]; r.Path != "config/app.py" || !strings.Contains(r.Reason, tc.reason) || !strings.Contains(r.Candidate, "chars)") {
			t.Errorf("%s line %d: record %+v, want path config/app.py, a reason with %q and a redacted candidate", tc.rule, tc.line, r, tc.reason)
		}
	}
	for _, secret := range []string{lowEntropy, placeholder, allowed} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds the candidate %s…(%d chars) whole", secret[:2], len(secret))
		}
	}
}

// TestDroppedCandidatesNotLoggedAboveDebug: with debug off nothing is noted
// or logged.
func TestDroppedCandidatesNotLoggedAboveDebug(t *testing.T) {
	out, recs := scanLogged(t, slog.LevelInfo, "config/app.py", []string{`api_key = "aaaaaaaaaaaaaaaaaaaaaaaa"`})
	if len(recs) != 0 || out != "" {
		t.Errorf("logged at info level:\n%s", out)
	}
}

// TestDroppedCandidatesLoggedOnceAcrossChunks: chunks overlap, and a long
// line is scanned in overlapping pieces; each dropped candidate is still
// logged once, at its own line.
func TestDroppedCandidatesLoggedOnceAcrossChunks(t *testing.T) {
	var lines []string
	for i := range 400 {
		lines = append(lines, fmt.Sprintf(`api_key_%d = "bbbbbbbbbbbbbbbbbbbbbbbbbbbb"`, i))
	}
	out, recs := scanLogged(t, slog.LevelDebug, "settings.py", lines, secrets.WithChunkBytes(4<<10))
	for i := range lines {
		if got := find(recs, "secrets/generic-api-key", i+1); len(got) != 1 {
			t.Fatalf("line %d: %d generic-api-key drop records, want 1", i+1, len(got))
		}
	}
	// A line of 250 KB, over the length scanned in pieces, with one
	// candidate in its middle, after a short line.
	filler := strings.Repeat("x.y ", 32000)
	long := []string{`api_key = "dddddddddddddddddddddddddddd"`, filler + `api_key = "cccccccccccccccccccccccccccc" ` + filler}
	longOut, recs := scanLogged(t, slog.LevelDebug, "settings.py", long)
	for _, line := range []int{1, 2} {
		if got := find(recs, "secrets/generic-api-key", line); len(got) != 1 {
			t.Errorf("line %d: %d generic-api-key drop records, want 1", line, len(got))
		}
	}
	for _, secret := range []string{"bbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccccccc", "dddddddddddddddddddddddddddd"} {
		if strings.Contains(out+longOut, secret) {
			t.Errorf("the log holds the candidate %s…(%d chars) whole", secret[:2], len(secret))
		}
	}
}
