package worker_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// dirClient is a fakeClient that lists directories (platform.DirLister)
// from its contents, recording what it was asked; with cut, every listing
// is cut, as a host's past its cap.
type dirClient struct {
	*fakeClient
	cut   bool
	lmu   sync.Mutex
	asked []string
}

var _ platform.DirLister = (*dirClient)(nil)

func (l *dirClient) ListDir(ctx context.Context, _ platform.Change, dir, sha string) ([]string, error) {
	l.lmu.Lock()
	l.asked = append(l.asked, sha+":"+dir)
	l.lmu.Unlock()
	files := map[string][]byte{}
	for k, v := range l.contents {
		if p, ok := strings.CutPrefix(k, sha+":"); ok {
			files[p] = []byte(v)
		}
	}
	names, _ := scanners.NewMemTree(files).List(ctx, dir)
	if l.cut {
		return names, fmt.Errorf("listing %s: %w", dir, platform.ErrListingCut)
	}
	return names, nil
}

type listingFactory struct{ c platform.Client }

func (f listingFactory) Client(context.Context, int64) (platform.Client, error) { return f.c, nil }

// siblings reports, for a .go file, what its directory's other files say
// when they say "danger", read through in.Tree, on its added line 3; a
// tree error is its own finding's message.
type siblings struct{}

func (siblings) Name() string           { return "code" }
func (siblings) Wants(path string) bool { return strings.HasSuffix(path, ".go") }
func (siblings) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	finding := func(msg string) scanners.Finding {
		return scanners.Finding{Scanner: "code", RuleID: "code/sibling", Severity: scanners.SeverityHigh, Title: "Sibling",
			Message: msg, Identity: msg, Location: scanners.Location{Path: in.Path, StartLine: 3, EndLine: 3}}
	}
	if in.Tree == nil {
		return []scanners.Finding{finding("no tree")}, nil
	}
	names, err := in.Tree.List(ctx, "")
	if err != nil {
		return []scanners.Finding{finding("list: " + err.Error())}, nil
	}
	var out []scanners.Finding
	for _, n := range names {
		if n == in.Path || strings.HasSuffix(n, "/") {
			continue
		}
		b, err := in.Tree.Read(ctx, n)
		if err != nil {
			return nil, err
		}
		if strings.Contains(string(b), "danger") {
			out = append(out, finding("sibling "+n))
		}
	}
	return out, nil
}

// A client that lists gives the job's scanners the tree at the head: a
// scanner sees a file the change does not touch. One that cannot gives no
// tree.
func TestHandleGivesScannersTheTreeAtTheHead(t *testing.T) {
	head := strings.Repeat("b", 40)
	newClient := func() *fakeClient {
		return &fakeClient{files: []*diff.File{changedFile(t)}, contents: map[string]string{
			head + ":a.go":                           "keep\nsafe\ndanger added\n",
			head + ":untouched.c":                    "danger in a file the change leaves alone",
			strings.Repeat("a", 40) + ":untouched.c": "fine at the base",
		}}
	}
	run := func(c platform.Client, fc *fakeClient) []string {
		t.Helper()
		w := newWorker(fc, true, true)
		w.Scanners = []scanners.Scanner{siblings{}}
		w.Platforms = map[platform.Name]platform.Factory{platform.GitHub: listingFactory{c}}
		if err := w.Handle(context.Background(), job()); err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, f := range fc.review.Findings {
			msgs = append(msgs, f.Message)
		}
		return msgs
	}

	fc := newClient()
	lc := &dirClient{fakeClient: fc}
	if got := strings.Join(run(lc, fc), ";"); got != "sibling untouched.c" {
		t.Errorf("findings %q, want the untouched file read at the head", got)
	}
	if got := strings.Join(lc.asked, ","); got != head+":" {
		t.Errorf("listings %q, want the root at the head sha, once", got)
	}

	fc = newClient()
	if got := strings.Join(run(fc, fc), ";"); got != "no tree" {
		t.Errorf("a client that cannot list: findings %q, want no tree", got)
	}
}

// A listing the host cut reaches the scanner as a bound, not as whole.
func TestHandleCutListingIsABound(t *testing.T) {
	fc := &fakeClient{files: []*diff.File{changedFile(t)}, contents: map[string]string{}}
	lc := &dirClient{fakeClient: fc, cut: true}
	var got error
	probe := probeScanner{f: func(ctx context.Context, in *scanners.Input) {
		_, got = in.Tree.List(ctx, "")
	}}
	w := newWorker(fc, true, true)
	w.Scanners = []scanners.Scanner{probe}
	w.Platforms = map[platform.Name]platform.Factory{platform.GitHub: listingFactory{lc}}
	if err := w.Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(got, scanners.ErrBound) || !errors.Is(got, platform.ErrListingCut) {
		t.Errorf("a cut listing gave %v, want ErrBound", got)
	}
}

// probeScanner calls f on every .go input.
type probeScanner struct {
	f func(context.Context, *scanners.Input)
}

func (probeScanner) Name() string           { return "code" }
func (probeScanner) Wants(path string) bool { return strings.HasSuffix(path, ".go") }
func (p probeScanner) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	p.f(ctx, in)
	return nil, nil
}
