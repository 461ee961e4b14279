package review

import (
	"errors"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

// A file the configuration ignores, or whose scanner it switches off, is
// no reason to call the review incomplete; any other file still is.
func TestFilesNobodyWantsReviewedDoNotMakeTheReviewIncomplete(t *testing.T) {
	repo, problems := config.ParseSettings(config.RepoFile, []byte(`version: 1
ignore_paths: ["vendor/**"]
scanners:
  code:
    ignore_paths: ["web/legacy/**"]
  iac:
    enabled: false
`))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	fileErr := func(path string) error {
		return &scanners.FileError{Path: path, Err: scanners.TooDeep(scanners.MaxDepth)}
	}
	res := &scanners.Result{Statuses: []scanners.Status{
		{Scanner: "code", Errors: []error{fileErr("vendor/x/a.js"), fileErr("web/legacy/b.jsx"), fileErr("web/app/c.jsx")}},
		{Scanner: "iac", Errors: []error{fileErr("main.tf")}},
		{Scanner: "deps", Errors: []error{errors.New("advisories unreachable")}},
	}}
	opt := comments.Options{FailOn: scanners.SeverityHigh}
	apply(&Policy{Settings: repo}, res, nil, &opt, time.Now())
	var left []string
	for _, st := range res.Statuses {
		for _, err := range st.Errors {
			left = append(left, st.Scanner+": "+err.Error())
		}
	}
	want := []string{"code: web/app/c.jsx: nesting depth over 512: not scanned", "deps: advisories unreachable"}
	if len(left) != len(want) || left[0] != want[0] || left[1] != want[1] {
		t.Errorf("errors left %q, want %q", left, want)
	}
}
