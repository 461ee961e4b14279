package code

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/shiftward/shiftward/scanners"
)

// Taint across the files of one change, for the languages whose package is
// a directory (Go, Java): a handler that hands input to a function of
// another file of its package.
//
// Scan sees one file, but the change's files share a scanners.Tree, whose
// Once runs a build once per change for all of them. The first file of a
// directory with a call to a function it does not define (a callRec whose
// key has no fnDef in the file: fetch(u) in Go, fetcher.get(u) on a field
// of a class of the package in Java) builds the directory's index: every
// file of the language in it, read through the tree (at most maxPkgFiles
// files, maxPkgBytes bytes), walked as a scan walks it, its functions
// keyed as calls name them. The call is then looked up there, the callee
// summarized in its own file for the parameters that receive input (once
// per change, however many files call it), and each sink it reaches is
// reported at the call, the file being scanned: that is the line the
// change can be said to introduce, and the finding names the sink's file
// and line ("reaching fetch.go:12"). The index holds the walked files of
// the directory for the change's scan; its summaries are made under its
// lock, within maxPkgSteps steps in all.
//
// Python and JavaScript resolve a callee through an import (from .helpers
// import fetch; require('./helpers').run; import { run } from './helpers'):
// such a call is keyed by the module and the name (importKey), the module
// resolved to the files it may be beside the scanned one (modulePaths;
// relative paths for JavaScript, relative and same-directory or
// root-relative modules for Python), and the first of them the tree has is
// indexed alone, once per change, the same way.

const (
	maxPkgFiles = 200
	maxPkgBytes = 8 << 20
	maxPkgSteps = 2_000_000
)

// treeKey carries the change's scanners.Tree in a scan's context.
type treeKey struct{}

func withTree(ctx context.Context, t scanners.Tree) context.Context {
	if t == nil {
		return ctx
	}
	return context.WithValue(ctx, treeKey{}, t)
}

func treeOf(ctx context.Context) scanners.Tree {
	t, _ := ctx.Value(treeKey{}).(scanners.Tree)
	return t
}

// pkgFile is one walked file of a directory's index.
type pkgFile struct {
	path string
	src  []byte
	u    *unit
	rc   *reacher
}

// fileIndexFor returns the index of the one file p of the change's tree,
// built once per change; nil when the tree has no such file.
func (s *Scanner) fileIndexFor(ctx context.Context, tree scanners.Tree, p string) *pkgIndex {
	lang := languageOf(p)
	if lang == "" {
		return nil
	}
	// The directory's listing first (once per change): most modules a
	// call names are no file of the change (os, subprocess).
	names, _ := tree.Once("code/list:"+path.Dir(p), func() any {
		out := map[string]bool{}
		list, _ := tree.List(ctx, path.Dir(p))
		for _, n := range list {
			out[n] = true
		}
		return out
	}).(map[string]bool)
	if !names[path.Base(p)] {
		return nil
	}
	key := fmt.Sprintf("code/%p/file:%s", s, p)
	idx, _ := tree.Once(key, func() any {
		src, err := tree.Read(ctx, p)
		if err != nil || len(src) > scanners.MaxParseBytes {
			return (*pkgIndex)(nil)
		}
		idx := &pkgIndex{defs: map[string][]pkgDef{}}
		idx.add(s, ctx, lang, p, src)
		return idx
	}).(*pkgIndex)
	return idx
}

// add walks the file p and indexes its functions.
func (idx *pkgIndex) add(s *Scanner, ctx context.Context, lang, p string, src []byte) {
	wants := s.sieve(lang).keep
	u, _, _ := parse(ctx, lang, p, src, wants)
	if u == nil || u.ip == nil {
		return
	}
	pf := &pkgFile{path: p, src: src, u: u, rc: newReacher(s, lang, u)}
	for key, ds := range u.ip.defs {
		for _, d := range ds {
			idx.defs[key] = append(idx.defs[key], pkgDef{f: pf, d: d})
		}
	}
}

// importKey is the key of a call of member of the module spec, imported
// (from .helpers import fetch; require('./helpers').run).
func importKey(spec, member string) string { return "@" + spec + "#" + member }

// modulePaths returns the files of the change the module spec, imported
// in the file p, may be, and the member the key names.
func modulePaths(lang, p, key string) ([]string, string) {
	spec, member, ok := strings.Cut(strings.TrimPrefix(key, "@"), "#")
	if !ok || spec == "" || member == "" {
		return nil, ""
	}
	dir := path.Dir(p)
	var bases []string
	switch lang {
	case "python":
		dots := len(spec) - len(strings.TrimLeft(spec, "."))
		rest := strings.ReplaceAll(spec[dots:], ".", "/")
		if dots > 0 {
			base := dir
			for range dots - 1 {
				base = path.Dir(base)
			}
			bases = []string{path.Join(base, rest)}
		} else {
			bases = []string{path.Join(dir, rest), rest}
		}
		var out []string
		for _, b := range bases {
			out = append(out, b+".py", b+"/__init__.py")
		}
		return out, member
	case "javascript", "typescript":
		if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
			return nil, ""
		}
		b := path.Join(dir, spec)
		var out []string
		for _, ext := range []string{"", ".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", "/index.js", "/index.ts"} {
			if languageOf(b+ext) != "" {
				out = append(out, b+ext)
			}
		}
		return out, member
	}
	return nil, ""
}

type pkgDef struct {
	f *pkgFile
	d *fnDef
}

// pkgIndex is the functions of one directory's files.
type pkgIndex struct {
	mu    sync.Mutex
	defs  map[string][]pkgDef
	steps int
}

// packageByDir reports whether lang's package is its directory.
func packageByDir(lang string) bool { return lang == "go" || lang == "java" }

// pkgIndexFor returns the index of p's directory, built once per change.
func (s *Scanner) pkgIndexFor(ctx context.Context, tree scanners.Tree, lang, p string) *pkgIndex {
	dir := path.Dir(p)
	key := fmt.Sprintf("code/%p/%s:%s", s, lang, dir)
	idx, _ := tree.Once(key, func() any { return s.buildPkg(ctx, tree, lang, dir) }).(*pkgIndex)
	return idx
}

func (s *Scanner) buildPkg(ctx context.Context, tree scanners.Tree, lang, dir string) *pkgIndex {
	idx := &pkgIndex{defs: map[string][]pkgDef{}}
	names, err := tree.List(ctx, dir)
	if err != nil {
		return idx
	}
	total, files := 0, 0
	for _, name := range names {
		if strings.HasSuffix(name, "/") || languageOf(name) != lang {
			continue
		}
		if files >= maxPkgFiles || ctx.Err() != nil {
			break
		}
		p := path.Join(dir, name)
		src, err := tree.Read(ctx, p)
		if err != nil || total+len(src) > maxPkgBytes || len(src) > scanners.MaxParseBytes {
			continue
		}
		files++
		total += len(src)
		idx.add(s, ctx, lang, p, src)
	}
	return idx
}

// fileHit is a sink of another file of the package that input passed at a
// call of the scanned file reaches.
type fileHit struct {
	rec  *callRec
	f    *pkgFile
	sink crossSink
	v    value
}

// crossFileHits follows the calls of u (the file p) to functions of the
// other files of its directory.
func (s *Scanner) crossFileHits(ctx context.Context, lang, p string, u *unit) []fileHit {
	tree := treeOf(ctx)
	if tree == nil || u.ip == nil || len(u.ip.calls) == 0 {
		return nil
	}
	var dirIdx *pkgIndex
	var out []fileHit
	type hitKey struct {
		rec int
		fam string
	}
	done := map[hitKey]bool{}
	for i := range u.ip.calls {
		rec := &u.ip.calls[i]
		if len(u.ip.defs[rec.key]) > 0 || ctx.Err() != nil {
			continue
		}
		var idx *pkgIndex
		member := rec.key
		if strings.HasPrefix(rec.key, "@") {
			var paths []string
			paths, member = modulePaths(lang, p, rec.key)
			for _, mp := range paths {
				if mp != p {
					if idx = s.fileIndexFor(ctx, tree, mp); idx != nil {
						break
					}
				}
			}
		} else if packageByDir(lang) {
			if dirIdx == nil {
				dirIdx = s.pkgIndexFor(ctx, tree, lang, p)
			}
			idx = dirIdx
		}
		if idx == nil {
			continue
		}
		var cands []pkgDef
		for _, pd := range idx.defs[member] {
			if pd.f.path != p {
				cands = append(cands, pd)
			}
		}
		if len(cands) == 0 {
			continue
		}
		src := hotArg(rec)
		idx.mu.Lock()
		for _, pd := range cands {
			ip := pd.f.u.ip
			if ip.g == nil || idx.steps > maxPkgSteps {
				continue
			}
			// The walker was made under the context of the file that built
			// the index: it runs now under this one's.
			g := ip.g
			g.ctx = ctx
			if g.stopped && (errors.Is(g.err, context.Canceled) || errors.Is(g.err, context.DeadlineExceeded)) {
				g.stopped, g.err = false, nil
			}
			n := ip.ensure(pd.d, maskFor(pd.d, rec), 1)
			if n == nil {
				continue
			}
			before := g.steps
			ip.drain(g, pd.f.u, summaryFloor)
			idx.steps += g.steps - before
			for _, sk := range pd.f.rc.reachable(n) {
				k := hitKey{i, sk.r.Family}
				if done[k] || !sk.r.takesSource(src.source) {
					continue
				}
				done[k] = true
				v := sk.v
				v.source, v.srcLine = src.source, src.srcLine
				out = append(out, fileHit{rec: rec, f: pd.f, sink: sk, v: v})
			}
		}
		idx.mu.Unlock()
	}
	return out
}

// fileFinding is the finding of h, at its call in the file p.
func (s *Scanner) fileFinding(h fileHit, p string, src []byte, li lineIndex) scanners.Finding {
	r, rec, st := h.sink.r, h.rec, h.sink.st
	sink := redactLiterals(snippet(h.f.src, st.start, st.end))
	why := strings.ReplaceAll(r.Why, "{call}", "`"+sink+"`")
	src0 := h.v.source
	if src0 == "" {
		src0 = "request input"
	}
	why = strings.ReplaceAll(why, "{source}", "`"+src0+"`")
	msg := why + sourceNote(r, h.v, src0) + fmt.Sprintf(" (from `%s` via %s, reaching %s:%d)", strings.ReplaceAll(src0, "`", "'"), viaName(rec), h.f.path, st.line)
	start, end := max(0, min(rec.start, len(src))), max(0, min(rec.end, len(src)))
	line := rec.line
	ls, le, cut := evidenceSpan(src, li, line, start)
	evidence := redactLiterals(strings.TrimSpace(string(src[ls:le])))
	if cut {
		evidence = "…" + evidence
	}
	if len(evidence) > 200 {
		evidence = evidence[:200] + "…"
	}
	hs := sha256.New()
	hs.Write([]byte(r.ID + "\x00across\x00" + rec.key + "\x00"))
	writeFields(hs, src[start:end])
	f := scanners.Finding{
		Scanner:    Name,
		RuleID:     Name + "/" + r.ID,
		Severity:   severity(r, h.v),
		Title:      r.Title,
		Message:    msg,
		Location:   scanners.Location{Path: p, StartLine: line, EndLine: line},
		References: r.References,
		Evidence:   evidence,
		Identity:   hex.EncodeToString(hs.Sum(nil)[:16]),
	}
	if line >= 1 && line <= len(li) {
		f.Location.StartColumn = start - li[line-1] + 1
	}
	if end > start {
		f.Location.EndLine = max(line, li.line(end-1))
	}
	if h.v.srcLine > 0 && h.v.srcLine != line {
		f.Scope = []scanners.LineRange{{Start: h.v.srcLine, End: h.v.srcLine}}
	}
	return f
}
