package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// attributesFile is the file whose linguist-vendored and linguist-generated
// lines say what no one wrote by hand.
const attributesFile = ".gitattributes"

// maxAttributeFiles bounds the .gitattributes files one review reads, the
// root's included: each is a request (or a cached answer at a base already
// seen). Real repositories have one, or a few.
const maxAttributeFiles = 64

// gitAttributes reads the .gitattributes files that apply to the change's
// files, at the base its configuration is read from (configChange), never
// at its head: a pull request must not mark its own code generated to keep
// it from the code scanner. They are the root's and those of the
// directories above a changed file; where the client can list a tree, one
// listing (cached per base commit, shared with subConfigs' kind) says which
// directories hold one. At most maxAttributeFiles are read, nearest the
// root first. A file that cannot be read, or only in part, is passed over
// (its files are judged as if it were absent) and notes say so; only a
// cancelled ctx is an error. The result is nil when no file was read.
func (w *Worker) gitAttributes(ctx context.Context, client platform.Client, c platform.Change, files []*diff.File) (*scanners.GitAttributes, []string, error) {
	cc, ok := configChange(c)
	if !ok {
		return nil, []string{"the push names no default branch to read " + attributesFile + " from: " +
			"files it marks linguist-vendored or linguist-generated were judged by their path and content only"}, nil
	}
	dirs, notes := attributeDirs(files), []string(nil)
	if l, ok := client.(configLister); ok && len(dirs) > 1 {
		listed, complete, err := w.configDirs(ctx, l, cc, attributesFile)
		switch {
		case errors.Is(err, platform.ErrNotFound):
			dirs = dirs[:1] // no tree listed at the base: the root is still asked
		case err != nil:
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			notes = append(notes, fmt.Sprintf("listing the %s files at the base failed (%v); "+
				"shiftward looked for one in each changed directory instead", attributesFile, err))
		case complete:
			dirs = slices.DeleteFunc(dirs, func(d string) bool { return d != "" && !listed[d] })
		}
	}
	if len(dirs) > maxAttributeFiles {
		notes = append(notes, fmt.Sprintf("%d directories may hold a %s that applies to the change's files; "+
			"shiftward reads at most %d per review (nearest the root first), so the linguist-vendored "+
			"and linguist-generated lines of the others were not applied", len(dirs), attributesFile, maxAttributeFiles))
		dirs = dirs[:maxAttributeFiles]
	}

	datas := make([][]byte, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, subConfigReaders)
	for i, d := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			datas[i], errs[i] = w.baseFile(ctx, client, cc, path.Join(d, attributesFile))
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var attrs *scanners.GitAttributes
	for i, d := range dirs {
		file := path.Join(d, attributesFile)
		switch err := errs[i]; {
		case errors.Is(err, platform.ErrNotFound):
			continue
		case err != nil:
			notes = append(notes, fmt.Sprintf("%s could not be read at the base (%v): "+
				"the files below it were judged as if it were absent", file, err))
			continue
		}
		if attrs == nil {
			attrs = &scanners.GitAttributes{}
		}
		if err := attrs.Parse(d, datas[i]); err != nil {
			notes = append(notes, attributesBound(file, err))
		}
	}
	return attrs, notes, nil
}

// attributeDirs lists the directories whose .gitattributes may apply to
// files: the root (""), then every directory above one of them, nearest
// the root first (by depth, then by name), so a bound keeps the files
// that apply to the most paths.
func attributeDirs(files []*diff.File) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, f := range files {
		if f.IsDelete {
			continue
		}
		for d := path.Dir(f.Path()); d != "." && d != "/" && d != "" && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	slices.SortFunc(dirs, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(a, "/"), strings.Count(b, "/")), cmp.Compare(a, b))
	})
	return append([]string{""}, dirs...)
}

// attributesBound is the note for a .gitattributes file (or the files
// together) over a bound of GitAttributes.Parse, whose lines within it
// still apply.
func attributesBound(file string, err error) string {
	var b *scanners.BoundError
	if errors.As(err, &b) {
		return fmt.Sprintf("%s is over a bound (%s: %d): its linguist lines past it were not applied", file, b.What, b.Limit)
	}
	return fmt.Sprintf("%s: %v", file, err)
}
