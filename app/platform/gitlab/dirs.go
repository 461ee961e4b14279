package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/shiftward/shiftward/app/platform"
)

// maxTreePages bounds the pages of one directory's listing: 1,000
// entries, where GitHub's contents API stops too, so both hosts give
// scanners the same view. A directory that holds more is listed cut.
const maxTreePages = 10

var _ platform.DirLister = (*Client)(nil)

// ListDir lists dir at sha through GET /projects/:id/repository/tree
// (path=dir, ref=sha, every page up to maxTreePages): blobs (files and
// symbolic links) by name, trees with a trailing "/", submodules ("commit")
// left out. A path that does not exist (GitLab answers 404 "Tree Not
// Found") lists nothing. A directory with more pages than the bound is
// listed as far as read, with an error wrapping platform.ErrListingCut.
func (c *Client) ListDir(ctx context.Context, ch platform.Change, dir, sha string) ([]string, error) {
	if sha == "" {
		return nil, fmt.Errorf("listing %s: no ref: %w", dir, platform.ErrNotFound)
	}
	opt := &gl.ListTreeOptions{Ref: gl.Ptr(sha), ListOptions: gl.ListOptions{PerPage: perPage, Page: 1}}
	if dir = strings.Trim(dir, "/"); dir != "" && dir != "." {
		opt.Path = gl.Ptr(dir)
	}
	var names []string
	for range maxTreePages {
		nodes, resp, err := c.gl.Repositories.ListTree(pid(ch), opt, gl.WithContext(ctx))
		if err != nil {
			if status(err) == http.StatusNotFound {
				return nil, nil
			}
			return nil, apiError("listing "+dir, err)
		}
		names = append(names, treeNames(nodes)...)
		if resp.NextPage == 0 || resp.NextPage <= opt.Page {
			slices.Sort(names)
			return names, nil
		}
		opt.Page = resp.NextPage
	}
	slices.Sort(names)
	return names, fmt.Errorf("listing %s at %s: %w: past %d entries (%d pages)",
		dir, shortSHA(sha), platform.ErrListingCut, maxTreePages*perPage, maxTreePages)
}

// treeNames names a tree page's entries as platform.DirLister does.
func treeNames(nodes []*gl.TreeNode) []string {
	var names []string
	for _, n := range nodes {
		if n == nil || n.Name == "" || strings.Contains(n.Name, "/") {
			continue
		}
		switch n.Type {
		case "tree":
			names = append(names, n.Name+"/")
		case "blob":
			names = append(names, n.Name)
		}
	}
	return names
}
