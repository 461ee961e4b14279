package secrets_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// Tokens in gitleaks' formats (made up, not real credentials).
const (
	awsKey   = "AKIAQYLPMN5HHHFPZAM2"
	slackBot = "xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"
)

// TestScannerRedact: a secret any rule finds inside an arbitrary text (a parser
// error, a status line) is masked as findings show it, the rest of the
// text kept; a text without one comes back unchanged.
func TestScannerRedact(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"GitHub PAT in a go.mod error", `go.mod:3: invalid version "` + ghToken + `": unknown revision`,
			`go.mod:3: invalid version "ghp_…(40 chars)": unknown revision`},
		{"AWS key", "dial: key " + awsKey + " rejected", "dial: key AKIA…(20 chars) rejected"},
		{"Slack bot token", "yaml: line 2: did not find expected key near " + slackBot,
			"yaml: line 2: did not find expected key near xoxb…(56 chars)"},
		{"password=", "connect: password=Zq8!xp2Lw9 failed", "connect: password=Zq…(10 chars) failed"},
		{"quoted password", `yaml: line 3: password: "Xk9#mm2qzT1" could not be parsed`,
			`yaml: line 3: password: "Xk…(11 chars)" could not be parsed`},
		{"two secrets, two lines", "a: " + ghToken + "\nb: " + awsKey, "a: ghp_…(40 chars)\nb: AKIA…(20 chars)"},
		{"connection string", "postgres://app:Zq8!xp2Lw@db.internal:5432/app: refused",
			"postgres://app:Zq…(9 chars)@db.internal:5432/app: refused"},
		{"bound error", "go.mod: nesting depth over 512: not scanned", "go.mod: nesting depth over 512: not scanned"},
		{"parse error", `package-lock.json:12:3: unexpected token "}" after "integrity"`, `package-lock.json:12:3: unexpected token "}" after "integrity"`},
		{"digest in an error", "go.sum:4: bad line golang.org/x/oauth2 v0.37.0 h1:JUlcxA8oAtauLfiH8FX2/FkAWHAdi0QtGCGc+hofE98=",
			"go.sum:4: bad line golang.org/x/oauth2 v0.37.0 h1:JUlcxA8oAtauLfiH8FX2/FkAWHAdi0QtGCGc+hofE98="},
		{"empty", "", ""},
		{"not UTF-8", "bad \xff\xfe byte \x00", "bad \xff\xfe byte \x00"},
	}
	s := newScanner(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Redact(tc.text); got != tc.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestRedactLongText: a text over 64 KiB is cut, and a secret the cut
// falls inside is still masked whole, not left half-quoted.
func TestRedactLongText(t *testing.T) {
	s := newScanner(t)
	for _, size := range []int{64 << 10, 1 << 20, 16 << 20} {
		pad := strings.Repeat("x ", (64<<10-20)/2)
		text := pad + " " + ghToken + " " + strings.Repeat("y", size)
		start := time.Now()
		got := s.Redact(text)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d bytes: %v", len(text), d)
		}
		if strings.Contains(got, ghToken[:12]) {
			t.Errorf("%d bytes: the token across the cut is quoted: %q", len(text), got[len(pad)-10:])
		}
		if len(got) > 64<<10+len("…(truncated)") || !strings.HasSuffix(got, "…(truncated)") || !utf8.ValidString(got[len(got)-200:]) {
			t.Errorf("%d bytes: got %d bytes ending %q, want 64 KiB and a truncation mark", len(text), len(got), got[len(got)-40:])
		}
	}
}

// TestRedactConcurrent: one Scanner redacts from many goroutines (the
// worker shares it between jobs).
func TestRedactConcurrent(t *testing.T) {
	s := newScanner(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 200 {
				text := strings.Repeat("z", i) + " token " + ghToken
				if got := s.Redact(text); strings.Contains(got, ghToken) {
					t.Errorf("not masked: %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// failing is a scanner whose error quotes its input, as parsers do.
type failing struct{}

func (failing) Name() string        { return "deps" }
func (failing) Wants(p string) bool { return strings.HasSuffix(p, "go.mod") }
func (failing) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	line := strings.Split(string(in.Content), "\n")[2]
	return nil, errors.New("line 3: unexpected " + strings.TrimSpace(line))
}

// TestRunMasksStatusErrors: through scanners.Run, another scanner's error
// quoting a token (in a file where the secrets scanner's findings would
// not name it: a disabled rule's path, a line not added) comes out masked.
func TestRunMasksStatusErrors(t *testing.T) {
	s := newScanner(t)
	// The token is on a line the change does not add: no finding names it.
	in := &scanners.Input{Path: "go.mod", Added: []scanners.Line{{Number: 1, Text: "module x"}},
		Content: []byte("module x\n\nrequire x v1 " + slackBot + "\n")}
	for _, list := range [][]scanners.Scanner{{failing{}, s}, {failing{}, scanners.WithBudget(s, time.Minute)}} {
		res, err := scanners.Run(context.Background(), list, []*scanners.Input{in})
		if err != nil {
			t.Fatal(err)
		}
		errs := res.Statuses[0].Errors
		if len(errs) != 1 {
			t.Fatalf("status errors %v, want one", errs)
		}
		if msg := errs[0].Error(); strings.Contains(msg, slackBot[:16]) || !strings.Contains(msg, secrets.Redact(slackBot)) {
			t.Errorf("status error %q quotes the token", msg)
		}
	}
}

// BenchmarkRedact: a 1 KB status text, as most are (no keyword), and one
// holding a token.
func BenchmarkRedact(b *testing.B) {
	s := newScanner(b)
	clean := strings.Repeat("go.mod:12:3: parse error: unexpected end of input in require block; ", 16)[:1024]
	dirty := clean[:900] + " " + ghToken
	for _, bc := range []struct{ name, text string }{{"clean", clean}, {"token", dirty}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				s.Redact(bc.text)
			}
		})
	}
}
