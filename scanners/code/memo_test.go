package code

import (
	"fmt"
	"regexp"
	"sync"
	"testing"
)

// TestMemoRegexp: a memoized regexp answers as the regexp does, the same
// again from its memo, keeps no more than memoLimit names, and may be
// used from several goroutines.
func TestMemoRegexp(t *testing.T) {
	re := regexp.MustCompile(`(?i)(^|\.)logger\.(info|error)$`)
	m := newMemoRegexp(re)
	names := []string{"logger.info", "app.Logger.ERROR", "log.info", "loggerx.info", "", "logger.info"}
	for round := 0; round < 2; round++ {
		for _, n := range names {
			if got, want := m.match(n), re.MatchString(n); got != want {
				t.Errorf("round %d: match(%q) = %v, want %v", round, n, got, want)
			}
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < memoLimit; i++ {
				n := fmt.Sprintf("x%d.logger.info", i)
				if !m.match(n) {
					t.Errorf("match(%q) = false", n)
					return
				}
			}
		}()
	}
	wg.Wait()
	kept := 0
	m.seen.Range(func(any, any) bool { kept++; return true })
	if kept > memoLimit+4 { // LoadOrStore races may pass the count by one per goroutine
		t.Errorf("memo keeps %d names, want at most about %d", kept, memoLimit)
	}
	if !m.match("past.the.limit.logger.error") || m.match("past.the.limit") {
		t.Error("past the limit the regexp no longer answers")
	}
}

// TestScopePutSlab: values stored past a slab's room, and overwritten in
// place, read back as stored; a value read before an overwrite keeps what
// it read; an arm's write does not reach the enclosing scope before join.
func TestScopePutSlab(t *testing.T) {
	sc := newScope(nil)
	for i := 0; i < 100; i++ {
		sc.set(fmt.Sprintf("v%d", i), value{t: constant, lit: fmt.Sprint(i)})
	}
	before, _ := sc.lookup("v7")
	sc.set("v7", value{t: tainted, source: "req.query"})
	for i := 0; i < 100; i++ {
		v, ok := sc.lookup(fmt.Sprintf("v%d", i))
		if !ok {
			t.Fatalf("v%d lost", i)
		}
		if i == 7 {
			if v.t != tainted || v.source != "req.query" {
				t.Errorf("v7 = %+v after overwrite", v)
			}
			continue
		}
		if v.t != constant || v.lit != fmt.Sprint(i) {
			t.Errorf("v%d = %q, want %d", i, v.lit, i)
		}
	}
	if before.t != constant || before.lit != "7" {
		t.Errorf("a value read before the overwrite changed: %+v", before)
	}
	arm := sc.branch()
	arm.assign("v3", value{t: tainted, source: "x"})
	if v, _ := sc.lookup("v3"); v.t != constant {
		t.Errorf("an arm's write reached the enclosing scope before join: %+v", v)
	}
	sc.join([]*scope{arm}, false)
	if v, _ := sc.lookup("v3"); v.t != tainted {
		t.Errorf("join lost the arm's input: %+v", v)
	}
}
