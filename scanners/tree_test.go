package scanners_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

func TestMemTreeList(t *testing.T) {
	tr := scanners.NewMemTree(map[string][]byte{
		"main.tf":             nil,
		"infra/main.tf":       nil,
		"infra/vars.tf":       nil,
		"infra/modules/db/a":  nil,
		"infra/modules/db/b":  nil,
		"infrastructure/x.tf": nil,
	})
	for _, c := range []struct {
		dir  string
		want []string
	}{
		{"", []string{"infra/", "infrastructure/", "main.tf"}},
		{".", []string{"infra/", "infrastructure/", "main.tf"}},
		{"infra", []string{"main.tf", "modules/", "vars.tf"}},
		{"infra/", []string{"main.tf", "modules/", "vars.tf"}},
		{"./infra/modules/../modules/db", []string{"a", "b"}},
		{"absent", nil},
	} {
		got, err := tr.List(context.Background(), c.dir)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("List(%q) = %q, %v; want %q", c.dir, got, err, c.want)
		}
	}
	if _, err := tr.Read(context.Background(), "infra/none.tf"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestMemoBuildsOnce(t *testing.T) {
	var m scanners.Memo
	var calls atomic.Int32
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = m.Do("k", func() any { calls.Add(1); return 42 })
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("build called %d times, want 1", calls.Load())
	}
	for _, v := range got {
		if v != 42 {
			t.Fatalf("Do = %v, want 42", v)
		}
	}
	if v := m.Do("other", func() any { return "x" }); v != "x" {
		t.Errorf("second key = %v", v)
	}
}
