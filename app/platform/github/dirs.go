package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
)

// maxDirEntries is where the contents API stops listing a directory: "This
// API has an upper limit of 1,000 files for a directory" (REST docs, "Get
// repository content"). The answer says nothing else when it cuts, so a
// listing of exactly 1,000 is taken as cut.
const maxDirEntries = 1000

var _ platform.DirLister = (*Client)(nil)

// ListDir lists dir at sha through the contents API (GET
// /repos/{owner}/{repo}/contents/{dir}?ref={sha}, "" for the root): files
// and symbolic links by name, directories with a trailing "/", submodules
// left out. A path that does not exist, or names a file, lists nothing. A
// directory of 1,000 entries or more is listed as far as GitHub goes, with
// an error wrapping platform.ErrListingCut: the git trees API would list
// the rest, at the cost of finding the directory's tree first, for
// directories (a Terraform module, a chart) that rarely hold that many.
func (c *Client) ListDir(ctx context.Context, ch platform.Change, dir, sha string) ([]string, error) {
	if sha == "" {
		return nil, fmt.Errorf("listing %s: no ref: %w", dir, platform.ErrNotFound)
	}
	dir = strings.Trim(dir, "/")
	if dir == "." || slices.ContainsFunc(strings.Split(dir, "/"), func(s string) bool { return s == "." || s == ".." }) {
		return nil, nil // not a directory of the repository: the URL would leave it
	}
	u := fmt.Sprintf("repos/%s/%s/contents/%s?ref=%s", url.PathEscape(ch.Repo.Owner), url.PathEscape(ch.Repo.Name),
		escapePath(dir), url.QueryEscape(sha))
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	var raw json.RawMessage
	if _, err := c.gh.Do(ctx, req, &raw); err != nil {
		if status(err) == http.StatusNotFound {
			return nil, nil
		}
		return nil, apiError("listing "+dir, err)
	}
	var entries []*gh.RepositoryContent
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '[' {
		return nil, nil // a file, a symbolic link or a submodule: no directory
	}
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	names := dirNames(entries)
	if len(entries) >= maxDirEntries {
		return names, fmt.Errorf("listing %s at %s: %w: GitHub lists at most %d entries of a directory",
			dir, shortSHA(sha), platform.ErrListingCut, maxDirEntries)
	}
	return names, nil
}

// dirNames names a directory's entries as platform.DirLister does. In a
// directory listing GitHub types a submodule "file" ("for backwards
// compatibility", REST docs), with no download URL and a git URL that is
// no blob's; "submodule" is taken too, should the API ever say so.
func dirNames(entries []*gh.RepositoryContent) []string {
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		name := e.GetName()
		if name == "" || strings.Contains(name, "/") {
			continue
		}
		switch e.GetType() {
		case "dir":
			names = append(names, name+"/")
		case "file":
			if e.DownloadURL == nil && !strings.Contains(e.GetGitURL(), "/git/blobs/") {
				continue // a submodule
			}
			names = append(names, name)
		case "symlink":
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
