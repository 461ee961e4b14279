package review_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/scanners"
)

// listing is a change that can also list its head (a review.Lister),
// counting the listings asked.
type listing struct {
	*change
	lmu   sync.Mutex
	lists []string
}

func (l *listing) List(ctx context.Context, dir string) ([]string, error) {
	l.lmu.Lock()
	l.lists = append(l.lists, dir)
	l.lmu.Unlock()
	files := map[string][]byte{}
	for p, s := range l.head {
		files[p] = []byte(s)
	}
	return scanners.NewMemTree(files).List(ctx, dir)
}

// neighbours reads, for every input, the listing of its directory and
// each file there, through in.Tree: what a Terraform scanner does for a
// module. It reports a finding per input naming the siblings it read, and
// keeps the trees it was given.
type neighbours struct {
	mu    sync.Mutex
	trees map[scanners.Tree]int
	nils  int
}

func (*neighbours) Name() string      { return "neighbours" }
func (*neighbours) Wants(string) bool { return true }
func (n *neighbours) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	n.mu.Lock()
	if in.Tree == nil {
		n.nils++
	} else {
		n.trees[in.Tree]++
	}
	n.mu.Unlock()
	if in.Tree == nil {
		return nil, nil
	}
	dir := ""
	if i := strings.LastIndexByte(in.Path, '/'); i >= 0 {
		dir = in.Path[:i]
	}
	names, err := in.Tree.List(ctx, dir)
	if err != nil {
		return nil, err
	}
	var read []string
	for _, name := range names {
		if strings.HasSuffix(name, "/") {
			continue
		}
		p := strings.TrimPrefix(dir+"/"+name, "/")
		b, err := in.Tree.Read(ctx, p)
		if err != nil {
			return nil, err
		}
		read = append(read, p+"="+string(b))
	}
	// A module's work, shared: built once for all the files of dir.
	in.Tree.Once("neighbours:"+dir, func() any { return len(names) })
	return []scanners.Finding{{Scanner: "neighbours", RuleID: "neighbours/read", Severity: scanners.SeverityLow,
		Title: "read", Message: strings.Join(read, ","), Identity: in.Path,
		Location: scanners.Location{Path: in.Path, StartLine: 1, EndLine: 1}}}, nil
}

// treeChange is a change of n files in mod/, whose head also holds an
// untouched variables.tf there and a file elsewhere.
func treeChange(n int) *change {
	c := &change{head: map[string]string{"mod/variables.tf": "variable \"x\" {}", "other/readme.md": "hi"}}
	for i := range n {
		p := fmt.Sprintf("mod/f%02d.tf", i)
		c.files = append(c.files, file(p, map[int]string{1: "x"}))
		c.head[p] = "x"
	}
	return c
}

// A Source that lists gets one tree per change, the same for every input,
// through which scanners see the files the change does not touch; each
// directory is listed once and each file read once however many inputs
// and goroutines ask.
func TestRunGivesEveryInputTheChangesTree(t *testing.T) {
	l := &listing{change: treeChange(20)}
	s := &neighbours{trees: map[scanners.Tree]int{}}
	out := run(t, l.change, review.Options{Scanners: []scanners.Scanner{s}, Concurrency: 4})
	if len(out.Result.Findings) != 0 {
		t.Fatalf("without review.Lister: %d findings, want none (no tree)", len(out.Result.Findings))
	}
	if s.nils != 20 || len(s.trees) != 0 {
		t.Fatalf("without review.Lister: %d inputs without a tree, %d trees; want 20 and none", s.nils, len(s.trees))
	}

	l = &listing{change: treeChange(20)}
	s = &neighbours{trees: map[scanners.Tree]int{}}
	got, err := review.Run(context.Background(), l, review.Options{Scanners: []scanners.Scanner{s}, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.trees) != 1 || s.nils != 0 {
		t.Fatalf("inputs got %d distinct trees and %d none, want one tree shared by all", len(s.trees), s.nils)
	}
	for tr, n := range s.trees {
		if n != 20 {
			t.Errorf("the tree reached %d inputs, want 20", n)
		}
		if v := tr.Once("neighbours:mod", func() any { return -1 }); v != 21 {
			t.Errorf("Once kept %v for mod, want the 21 entries the first build counted", v)
		}
	}
	if len(got.Result.Findings) != 20 {
		t.Fatalf("%d findings, want one per input", len(got.Result.Findings))
	}
	if msg := got.Result.Findings[0].Message; !strings.Contains(msg, `mod/variables.tf=variable "x" {}`) {
		t.Errorf("the scanner read %q, want the untouched mod/variables.tf among the siblings", msg)
	}
	if len(l.lists) != 1 || l.lists[0] != "mod" {
		t.Errorf("listed %q, want mod once", l.lists)
	}
	reads := map[string]int{}
	for _, p := range l.reads {
		reads[p]++
	}
	for p, n := range reads {
		if n > 1 {
			t.Errorf("%s read %d times, want once", p, n)
		}
	}
	if reads["mod/variables.tf"] != 1 || reads["other/readme.md"] != 0 {
		t.Errorf("reads %v: want mod/variables.tf once and nothing outside mod", reads)
	}
}

// A batch scanner's inputs carry the tree too.
func TestRunGivesBatchInputsTheTree(t *testing.T) {
	l := &listing{change: treeChange(3)}
	b := &treeBatch{}
	if _, err := review.Run(context.Background(), l, review.Options{Scanners: []scanners.Scanner{b}}); err != nil {
		t.Fatal(err)
	}
	if b.with != 3 {
		t.Errorf("%d of the batch's inputs had a tree, want all 3", b.with)
	}
}

// treeBatch counts the batch inputs that come with a tree.
type treeBatch struct{ with int }

func (*treeBatch) Name() string      { return "treebatch" }
func (*treeBatch) Wants(string) bool { return true }
func (*treeBatch) Scan(context.Context, *scanners.Input) ([]scanners.Finding, error) {
	panic("a batch scanner is not called per file")
}
func (b *treeBatch) ScanBatch(_ context.Context, ins []*scanners.Input) ([]scanners.Finding, error) {
	for _, in := range ins {
		if in.Tree != nil {
			b.with++
		}
	}
	return nil, nil
}

var _ review.Lister = (*listing)(nil)
