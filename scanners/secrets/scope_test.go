package secrets_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestScopeOfFindings runs the scanner as a review does (scanners.Run,
// which scopes). The secrets scanner matches the added lines only, so
// what it reports is always on a line the change adds: introduced, fix
// and all. A secret already on an untouched line of the file is not read,
// so not reported (pre-existing or otherwise).
func TestScopeOfFindings(t *testing.T) {
	lines := []string{
		`package main`,
		`const old = "` + ghToken + `"`,
		// shiftward:ignore secrets/github-pat a made-up token the test plants
		`const fresh = "ghp_Mk4Tz9Qw2Lx7Vb3Nc8Rd5Hs1Jf6Gp0Ye4Ua9"`,
		`func main() {}`,
	}
	content := strings.Join(lines, "\n") + "\n"
	in := &scanners.Input{Path: "main.go", Content: []byte(content), Added: []scanners.Line{{Number: 3, Text: lines[2]}}}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{newScanner(t)}, []*scanners.Input{in})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("got %v; want the one secret on the added line", ids(res.Findings))
	}
	if f := res.Findings[0]; f.Location.StartLine != 3 || f.Preexisting {
		t.Errorf("finding on line %d, pre-existing %v; want line 3, introduced", f.Location.StartLine, f.Preexisting)
	}

	// A private key over several added lines is introduced whole.
	key := strings.Split(pemKey, "\n")
	in = &scanners.Input{Path: "deploy/key.txt", Content: []byte("# key\n" + pemKey + "\n")}
	for i, l := range key {
		in.Added = append(in.Added, scanners.Line{Number: i + 2, Text: l})
	}
	res, err = scanners.Run(context.Background(), []scanners.Scanner{newScanner(t)}, []*scanners.Input{in})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no finding for the private key")
	}
	for _, f := range res.Findings {
		if f.Preexisting {
			t.Errorf("%s on lines %d-%d marked pre-existing, though its lines are added", f.RuleID, f.Location.StartLine, f.Location.EndLine)
		}
	}
}
