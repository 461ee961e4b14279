package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// readSource is a Source that only reads.
type readSource func(ctx context.Context, path string) ([]byte, error)

func (readSource) Policy(context.Context) (*Policy, error) { return DefaultPolicy(), nil }
func (readSource) Files(context.Context, func(*diff.File) error) ([]error, error) {
	return nil, nil
}
func (r readSource) Read(ctx context.Context, path string) ([]byte, error) { return r(ctx, path) }

// readAll is readContent over inputs, as the pipeline calls it, within a
// budget of limit bytes (0: none).
func readAll(list []scanners.Scanner, inputs []*scanners.Input, read readSource, limit int) error {
	b := &contentBudget{limit: limit}
	for _, in := range inputs {
		if err := readContent(context.Background(), read, list, in, b, false); err != nil {
			return err
		}
	}
	return nil
}

// wholeFile wants every path and needs the content of *.yaml files.
type wholeFile struct{}

func (wholeFile) Name() string               { return "whole" }
func (wholeFile) Wants(string) bool          { return true }
func (wholeFile) NeedsContent(p string) bool { return strings.HasSuffix(p, ".yaml") }
func (wholeFile) Scan(context.Context, *scanners.Input) ([]scanners.Finding, error) {
	return nil, nil
}

func TestReadContentReadsOnlyWhatScannersNeedWhole(t *testing.T) {
	lines := func(n ...int) []scanners.Line {
		var out []scanners.Line
		for _, i := range n {
			out = append(out, scanners.Line{Number: i, Text: fmt.Sprint("line ", i)})
		}
		return out
	}
	inputs := []*scanners.Input{
		{Path: "new.yaml", New: true, Added: lines(1, 2)},
		{Path: "changed.yaml", Added: lines(4)},
		{Path: "main.go", Added: lines(1)},
		{Path: "gone.yaml", Added: lines(1)},
		{Path: "huge.yaml", Added: lines(1)},
	}
	var reads atomic.Int32
	read := func(_ context.Context, path string) ([]byte, error) {
		reads.Add(1)
		switch path {
		case "changed.yaml":
			return []byte("whole file\n"), nil
		case "gone.yaml":
			return nil, platform.ErrNotFound
		case "huge.yaml":
			return nil, fmt.Errorf("reading: %w", platform.ErrTooLarge)
		}
		t.Errorf("read %s, which no scanner needs whole (or is new)", path)
		return nil, nil
	}
	list := []scanners.Scanner{wholeFile{}}
	if err := readAll(list, inputs, read, 0); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"new.yaml": "line 1\nline 2\n", "changed.yaml": "whole file\n"}
	for _, in := range inputs {
		if got := string(in.Content); got != want[in.Path] || (in.Content == nil) != (want[in.Path] == "") {
			t.Errorf("%s: content %q, want %q", in.Path, got, want[in.Path])
		}
	}
	if n := reads.Load(); n != 3 {
		t.Errorf("%d reads, want 3 (the new file is rebuilt from its added lines)", n)
	}

	failing := []*scanners.Input{{Path: "a.yaml", Added: lines(1)}}
	boom := errors.New("502 bad gateway")
	err := readAll(list, failing, func(context.Context, string) ([]byte, error) { return nil, boom }, 0)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "a.yaml") {
		t.Errorf("err = %v, want the read failure naming the file (the job is retried)", err)
	}
}

func TestReadContentSaysWhyAFileWasNotRead(t *testing.T) {
	inputs := []*scanners.Input{
		{Path: "gone.yaml", Added: []scanners.Line{{Number: 2, Text: "x"}}},
		{Path: "huge.yaml", Added: []scanners.Line{{Number: 2, Text: "x"}}},
	}
	read := func(_ context.Context, path string) ([]byte, error) {
		if path == "gone.yaml" {
			return nil, platform.ErrNotFound
		}
		return nil, fmt.Errorf("reading: %w", platform.ErrTooLarge)
	}
	list := []scanners.Scanner{wholeFile{}}
	if err := readAll(list, inputs, read, 0); err != nil {
		t.Fatal(err)
	}
	res, err := scanners.Run(context.Background(), list, inputs)
	if err != nil {
		t.Fatal(err)
	}
	if errs := res.Statuses[0].Errors; len(errs) != 2 {
		t.Fatalf("errors %v: want both files reported as not scanned whole", errs)
	}
	if !res.Incomplete() {
		t.Error("files a scanner needed whole were not read, yet the scan is complete")
	}
}

func TestReadContentKeepsToTheChangesBudget(t *testing.T) {
	var inputs []*scanners.Input
	for i := range 10 {
		inputs = append(inputs, &scanners.Input{Path: fmt.Sprintf("f%d.yaml", i), Added: []scanners.Line{{Number: 2, Text: "x"}}})
	}
	var reads atomic.Int32
	read := func(context.Context, string) ([]byte, error) {
		reads.Add(1)
		return make([]byte, 1000), nil
	}
	if err := readAll([]scanners.Scanner{wholeFile{}}, inputs, read, 4500); err != nil {
		t.Fatal(err)
	}
	held, unread := 0, 0
	for _, in := range inputs {
		held += len(in.Content)
		if in.Unread != nil {
			unread++
			if !errors.Is(in.Unread, scanners.ErrBound) {
				t.Errorf("%s: unread for %v, want the budget bound", in.Path, in.Unread)
			}
		}
	}
	if held > 4500 || unread != 10-held/1000 {
		t.Errorf("held %d bytes (budget 4500), %d files unread", held, unread)
	}
	if n := reads.Load(); n != 5 {
		t.Errorf("%d reads, want 5: files past the budget should not be read", n)
	}
}

func TestHoldsAdded(t *testing.T) {
	added := []scanners.Line{{Number: 2, Text: "b"}, {Number: 4, Text: "d"}}
	for _, c := range []struct {
		file string
		want bool
	}{
		{"a\nb\nc\nd\n", true},
		{"a\r\nb\r\nc\r\nd", true},
		{"a\nb\nc\nX\n", false},
		{"a\nb\n", false},
		{"b\nc\nd\n", false},
	} {
		if got := holdsAdded([]byte(c.file), added); got != c.want {
			t.Errorf("holdsAdded(%q) = %v, want %v", c.file, got, c.want)
		}
	}
}
