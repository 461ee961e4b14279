package github_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

func TestFilesNamed(t *testing.T) {
	fx := newFixture(t)
	for _, p := range []string{".shiftward.yml", "a/.shiftward.yml", "a/b/c/.shiftward.yml", "a/x.go", "b/not.shiftward.yml", "b/.shiftward.yml.bak"} {
		fx.srv.SetContent(repo.Owner, repo.Name, baseSHA, p, []byte("version: 1\n"))
	}
	fx.srv.SetContent(repo.Owner, repo.Name, "main", "m/.shiftward.yml", []byte("version: 1\n"))
	fx.srv.SetTree(repo.Owner, repo.Name, baseSHA, []githubtest.TreeEntry{{Path: "d/.shiftward.yml", Type: "tree", Mode: "040000"}})
	c := fx.client.(*github.Client)
	ctx := context.Background()

	got, complete, err := c.FilesNamed(ctx, prChangeN(7), baseSHA, ".shiftward.yml")
	slices.Sort(got)
	if want := []string{".shiftward.yml", "a/.shiftward.yml", "a/b/c/.shiftward.yml"}; err != nil || !complete || !slices.Equal(got, want) {
		t.Errorf("FilesNamed at the base = %q, %v, %v; want %q, complete", got, complete, err, want)
	}
	if calls := fx.srv.CallsTo(githubtest.RouteGetTree); len(calls) != 1 || calls[0].Query != "recursive=1" {
		t.Errorf("tree calls %+v, want one recursive listing", calls)
	}
	got, complete, err = c.FilesNamed(ctx, prChangeN(7), "main", ".shiftward.yml")
	if err != nil || !complete || !slices.Equal(got, []string{"m/.shiftward.yml"}) {
		t.Errorf("FilesNamed at a branch = %q, %v, %v", got, complete, err)
	}

	fx.srv.SetTreeLimit(3)
	if _, complete, err = c.FilesNamed(ctx, prChangeN(7), baseSHA, ".shiftward.yml"); err != nil || complete {
		t.Errorf("a truncated tree gave complete=%v, err %v; want incomplete", complete, err)
	}
	if _, _, err = c.FilesNamed(ctx, prChangeN(7), "3333333333333333333333333333333333333333", ".shiftward.yml"); !errors.Is(err, platform.ErrNotFound) {
		t.Errorf("missing commit: err %v, want not found", err)
	}
}
