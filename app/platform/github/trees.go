package github

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners/diff"
)

// Where GitHub's file listings stop, and how far shiftward goes past them.
const (
	// maxCompareFiles is where the compare API stops: its files list "is
	// only shown on the first page of results, and it includes up to 300
	// changed files for the entire comparison" (REST docs, "Compare two
	// commits"). The response says nothing else when it cuts, so a listing
	// of exactly 300 is taken as cut; the tree walk then finds no extra
	// file when it was not.
	maxCompareFiles = 300
	// maxExtraFiles bounds the files a tree walk adds past a cut listing.
	// Each costs one content read (added) or two (modified), so at most
	// 2,000 reads: 40% of an installation's 5,000 requests an hour (the
	// floor of GitHub's installation rate limit), leaving room for the
	// listing itself (up to 33 calls), its patchless files, publishing and
	// the installation's other jobs; and, at the ~150 ms a read takes, about
	// five minutes, inside the default ten-minute job timeout.
	maxExtraFiles = 1000
	// maxTreeEntries and maxTreeBytes are where GitHub truncates a
	// recursive tree (REST docs, "Get a tree"); named in the warning.
	maxTreeEntries = 100000
	maxTreeBytes   = "7 MB"
	// symlinkMode is a symbolic link's git mode: its blob is a path, not
	// code, and scanners must not read it as a file.
	symlinkMode = "120000"
)

// treeBlob is one file of a recursive tree: its blob sha by path.
type treeBlob struct {
	path, sha string
}

// tree is a commit's files as the trees API lists them.
type tree struct {
	blobs     []treeBlob // in the API's order
	byPath    map[string]string
	truncated bool
	// modes holds every entry's git mode by path (files, links, submodules).
	modes map[string]string
}

// getTree reads the recursive tree of a commit (the trees API takes a
// commit sha or a ref where it says tree sha). Only files are kept:
// directories ("tree"), submodules ("commit") and symbolic links are not
// content to scan.
func (c *Client) getTree(ctx context.Context, ch platform.Change, sha string) (*tree, error) {
	gt, _, err := c.gh.Git.GetTree(ctx, ch.Repo.Owner, ch.Repo.Name, url.PathEscape(sha), true)
	if err != nil {
		return nil, err
	}
	t := &tree{truncated: gt.GetTruncated(), byPath: make(map[string]string, len(gt.Entries)), modes: make(map[string]string, len(gt.Entries))}
	for _, e := range gt.Entries {
		t.modes[e.GetPath()] = e.GetMode()
		if e.GetType() != "blob" || e.GetMode() == symlinkMode || e.GetPath() == "" || e.GetSHA() == "" {
			continue
		}
		t.blobs = append(t.blobs, treeBlob{e.GetPath(), e.GetSHA()})
		t.byPath[e.GetPath()] = e.GetSHA()
	}
	return t, nil
}

// treeFiles finds, by comparing the blob shas of base's and head's trees,
// the files a cut listing left out, and builds their diffs the way a
// patchless listed file's are built (fillPatchless): a path absent from
// base is added (every line new), any other is modified. Removed paths add
// nothing to scan and are skipped.
//
// A tree diff has no rename detection, so a file renamed past the cut would
// be a delete and an add, every line of it "new". An exact rename (the
// added path's blob equals that of a path gone from head) is reported as a
// rename with no added lines, as git's diff reports it, and costs no read;
// a rename with edits stays an added file, scanned whole.
//
// base is the merge base, the side GitHub's listings diff against; head
// is the change's head. listed holds every path the listing named (new
// and previous). It returns the extra files and what could not be done.
func (c *Client) treeFiles(ctx context.Context, ch platform.Change, base string, listed map[string]bool, cut string) ([]*diff.File, []string, error) {
	log := c.logger(ch)
	var gaps []string
	trees := [2]*tree{}
	for i, sha := range []string{base, ch.HeadSHA} {
		t, err := c.getTree(ctx, ch, sha)
		if err != nil {
			switch status(err) {
			case http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity:
				// A missing commit or an empty repository: the listed
				// files are still worth a review, said to be partial.
				log.Warn("cannot read the git tree to list files past GitHub's cap; they are not scanned", "sha", shortSHA(sha), "err", err)
				return nil, []string{fmt.Sprintf("%s; the git tree of %s could not be read, so files past that cap were not scanned.", cut, shortSHA(sha))}, nil
			}
			return nil, nil, apiError("reading tree of "+shortSHA(sha), err)
		}
		if t.truncated {
			log.Warn("GitHub truncated a git tree; files past the listing cap may be missed", "sha", shortSHA(sha), "entries", len(t.blobs))
			gaps = append(gaps, fmt.Sprintf("%s, and GitHub truncated the git tree of %s (over %d entries or %s), so some files past that cap may not have been scanned.", cut, shortSHA(sha), maxTreeEntries, maxTreeBytes))
		}
		trees[i] = t
	}
	bt, ht := trees[0], trees[1]

	// Blobs gone from head, by sha, for exact renames. A truncated head
	// tree cannot tell gone from unlisted, so then none is looked for.
	gone := map[string][]string{}
	if !ht.truncated {
		for _, b := range bt.blobs {
			if _, ok := ht.byPath[b.path]; !ok && !listed[b.path] {
				gone[b.sha] = append(gone[b.sha], b.path)
			}
		}
	}

	var renames, reads []*gh.CommitFile
	for _, b := range ht.blobs {
		if listed[b.path] {
			continue
		}
		old, inBase := bt.byPath[b.path]
		if inBase && old == b.sha {
			continue
		}
		switch {
		case inBase:
			// Changes is unknown from a tree; non-zero makes fillPatchless
			// compare both versions.
			reads = append(reads, &gh.CommitFile{Filename: gh.String(b.path), Status: gh.String("modified"), Changes: gh.Int(1)})
		case len(gone[b.sha]) > 0:
			from := gone[b.sha][0]
			gone[b.sha] = gone[b.sha][1:]
			renames = append(renames, &gh.CommitFile{Filename: gh.String(b.path), PreviousFilename: gh.String(from), Status: gh.String("renamed")})
		case bt.truncated:
			// Absent from a truncated base may still be in base:
			// fillPatchless reads base and takes a 404 as "all new".
			reads = append(reads, &gh.CommitFile{Filename: gh.String(b.path), Status: gh.String("modified"), Changes: gh.Int(1)})
		default:
			reads = append(reads, &gh.CommitFile{Filename: gh.String(b.path), Status: gh.String("added"), Changes: gh.Int(1)})
		}
	}
	byName := func(a, b *gh.CommitFile) int { return strings.Compare(a.GetFilename(), b.GetFilename()) }
	slices.SortFunc(reads, byName)
	found := len(reads) + len(renames)
	if len(reads) > maxExtraFiles {
		left := len(reads) - maxExtraFiles
		log.Warn("too many changed files past GitHub's cap; scanning the first by path", "found", found, "scanned", maxExtraFiles+len(renames), "not_scanned", left)
		gaps = append(gaps, fmt.Sprintf("%s; the git trees show %d more changed files, of which %d were not scanned (shiftward reads at most %d such files per review).", cut, found, left, maxExtraFiles))
		reads = reads[:maxExtraFiles]
	}
	files := slices.SortedFunc(slices.Values(append(reads, renames...)), byName)

	// Base content is read at the merge base, like the tree.
	chb := ch
	chb.BaseSHA = base
	out := make([]*diff.File, 0, len(files))
	for _, f := range files {
		df, err := c.toDiff(ctx, chb, f, &gaps)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, df)
	}
	log.Info("listing cut by GitHub; filled from the git trees", "extra_files", len(out), "renames", len(renames), "base", shortSHA(base))
	return out, gaps, nil
}

// FilesNamed lists the path of every file called one of names in the tree
// at ref (a commit sha, or a branch name), with one recursive tree listing
// (GET /repos/{owner}/{repo}/git/trees/{ref}?recursive=1): how the worker
// finds every subdirectory .shiftward.yml and .gitattributes of a monorepo
// in one request. complete is false when GitHub truncated the tree (over
// 100,000 entries or 7 MB): files past the cut are not listed. A missing
// commit or an empty repository gives platform.ErrNotFound.
func (c *Client) FilesNamed(ctx context.Context, ch platform.Change, ref string, names ...string) ([]string, bool, error) {
	if ref == "" || ref == "." || ref == ".." {
		return nil, false, fmt.Errorf("listing %s: no ref: %w", strings.Join(names, ", "), platform.ErrNotFound)
	}
	gt, _, err := c.gh.Git.GetTree(ctx, ch.Repo.Owner, ch.Repo.Name, url.PathEscape(ref), true)
	if err != nil {
		switch status(err) {
		case http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity:
			return nil, false, fmt.Errorf("listing the tree of %s: %w", shortSHA(ref), platform.ErrNotFound)
		}
		return nil, false, apiError("listing the tree of "+shortSHA(ref), err)
	}
	var out []string
	for _, e := range gt.Entries {
		p := e.GetPath()
		// A symbolic link counts: the contents API reads its target.
		if e.GetType() == "blob" && slices.Contains(names, p[strings.LastIndexByte(p, '/')+1:]) {
			out = append(out, p)
		}
	}
	if gt.GetTruncated() {
		c.logger(ch).Warn("GitHub truncated the git tree; looking for files by name another way", "ref", shortSHA(ref), "entries", len(gt.Entries))
	}
	return out, !gt.GetTruncated(), nil
}
