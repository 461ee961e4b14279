// Package secrets finds credentials added by a change: API tokens, private
// keys, passwords assigned in code and config, connection strings with
// passwords.
//
// Its rules are gitleaks' default rule set, read from the gitleaks module's
// embedded gitleaks.toml and compiled with Go's RE2 regexp, plus shiftward's
// own rules (shiftward.toml) for what gitleaks is weak at. A repository may
// bring its own .gitleaks.toml (ParseGitleaksConfig).
//
// Speed comes from never running a regex over a whole file: one
// case-insensitive fingerprint pass over the added text (prefilter.go)
// finds every rule keyword, and each rule whose keyword hit runs only on a window around
// the hit (the line; a bounded block for multi-line rules such as private
// keys).
package secrets

import (
	"context"
	"log/slog"
	"path"
	"strings"
	"sync"
	"unsafe"

	"github.com/shiftward/shiftward/scanners"
)

// Name is the scanner's name and the prefix of its rule ids.
const Name = "secrets"

// defaultChunkBytes bounds the text built from one run of added lines at a
// time, so a huge added file costs a bounded amount of extra memory.
const defaultChunkBytes = 1 << 20

// Scanner reports secrets on added lines. It is immutable after New and
// safe for concurrent use.
type Scanner struct {
	eng        *engine
	log        *slog.Logger
	chunkBytes int
	scratch    sync.Pool // of *scratch
	// verifier, when set, is asked about the secrets of verifiable rules
	// (verify.go).
	verifier Verifier
}

var _ scanners.Scanner = (*Scanner)(nil)

// Option configures a Scanner.
type Option func(*options)

type options struct {
	cfg        *Config
	log        *slog.Logger
	chunkBytes int
	verifier   Verifier
}

// WithConfig replaces the default rules by cfg (a repository's
// .gitleaks.toml; with [extend] useDefault it already includes them).
func WithConfig(cfg *Config) Option { return func(o *options) { o.cfg = cfg } }

// WithLogger sets the logger. The scanner never logs secret material.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithChunkBytes sets how much added text is matched at a time (default
// 1 MiB). Chunks overlap by more than any multi-line match can span, so a
// secret across a chunk boundary is reported exactly once. Tests use small
// values to exercise the boundaries.
func WithChunkBytes(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.chunkBytes = n
		}
	}
}

// New compiles the rules once; the returned Scanner can be shared.
func New(opts ...Option) (*Scanner, error) {
	o := options{chunkBytes: defaultChunkBytes}
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	if o.cfg == nil {
		cfg, err := DefaultConfig()
		if err != nil {
			return nil, err
		}
		o.cfg = cfg
	}
	s := &Scanner{eng: newEngine(o.cfg), log: o.log, chunkBytes: o.chunkBytes, verifier: o.verifier}
	s.scratch.New = func() any { return &scratch{cs: *s.eng.newChunkScan("", nil)} }
	return s, nil
}

// Name returns "secrets".
func (s *Scanner) Name() string { return Name }

// skipExt are files that cannot hold a readable secret: images, fonts,
// archives, office documents, compiled objects. Lockfiles, go.mod and
// go.sum are text and are scanned (a registry token in a resolved URL is a
// leak); their digests are dropped candidate by candidate (isLockfileHash).
var skipExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".bmp": true, ".ico": true, ".webp": true,
	".tif": true, ".tiff": true, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true,
	".eot": true, ".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".7z": true,
	".rar": true, ".jar": true, ".war": true, ".class": true, ".so": true, ".dll": true, ".exe": true,
	".dylib": true, ".o": true, ".a": true, ".pyc": true, ".wasm": true, ".pdf": true, ".mp3": true,
	".mp4": true, ".mov": true, ".avi": true, ".webm": true, ".doc": true, ".docx": true, ".xls": true,
	".xlsx": true, ".bin": true, ".pdb": true, ".gem": true, ".lockb": true,
}

// Wants reports whether path can hold a secret: every text file (lockfiles,
// go.mod, vendored code included) except known binary formats, plus files a
// path rule looks for (a .p12 key store is itself the secret). Only a
// repository's own .gitleaks.toml allowlist can exempt a whole file.
func (s *Scanner) Wants(p string) bool {
	for _, i := range s.eng.pathOnly {
		if r := s.eng.rules[i]; r.path.MatchString(p) {
			return true
		}
	}
	if skipExt[strings.ToLower(path.Ext(p))] {
		return false
	}
	for _, a := range s.eng.global {
		if a.fileAllowed(p) {
			return false
		}
	}
	return true
}

// Scan reports the secrets on in.Added. Consecutive added lines are joined
// and matched together, so a multi-line private key is found when all its
// lines are added; nothing outside Added is read for matching (the whole
// file, when given, checks the fixes: see addFixes). With a Verifier
// (WithVerifier), the secrets of verifiable rules are then checked with
// their providers, last, so a slow provider costs no fix and no finding.
// When ctx ends first, it returns what it found so far with ctx's error.
func (s *Scanner) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	out, err := s.scan(ctx, in)
	if err == nil {
		s.addFixes(ctx, in, out)
	}
	s.verify(ctx, in, out)
	return out, err
}

// scan finds the secrets on in.Added, without fixes.
func (s *Scanner) scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	if in == nil {
		return nil, nil
	}
	active := s.eng.activeRules(in.Path)
	if active == nil {
		s.log.DebugContext(ctx, "path allowlisted by the secret rules", "scanner", Name, "path", in.Path)
		return nil, nil
	}
	var out []scanners.Finding
	for _, i := range s.eng.pathOnly {
		if active[i] {
			out = append(out, s.fileFinding(s.eng.rules[i], in))
		}
	}
	seen := map[dedupeKey]bool{}
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	cs := &sc.cs
	cs.path, cs.active = in.Path, active
	// Dropped candidates are noted only when someone reads them.
	cs.debug = s.log.Enabled(ctx, slog.LevelDebug)
	lines := sc.lines[:0]
	defer func() {
		// Keep the buffers, not the caller's text.
		sc.lines, cs.text, cs.path, cs.active, cs.debug = lines[:0], "", "", nil, false
		clear(cs.dropped)
		cs.dropped = cs.dropped[:0]
	}()
	for _, block := range in.AddedBlocks() {
		for start := 0; start < len(block); {
			if err := ctx.Err(); err != nil {
				scanners.Sort(out)
				return out, err
			}
			end, next := s.chunk(block, start)
			if end-start == 1 && len(block[start].Text) > longLine {
				var err error
				if out, err = s.scanLongLine(ctx, in, cs, block[start:end], seen, out); err != nil {
					scanners.Sort(out)
					return out, err
				}
				if end == len(block) {
					break
				}
				start = next
				continue
			}
			lines = lines[:0]
			var text string
			if end-start == 1 {
				// One line: match it in place.
				text = block[start].Text
				lines = append(lines, 0)
			} else {
				buf := sc.buf[:0]
				for i := start; i < end; i++ {
					if i > start {
						buf = append(buf, '\n')
					}
					lines = append(lines, len(buf))
					buf = append(buf, block[i].Text...)
				}
				sc.buf = buf
				// The chunk's text lives in a reused buffer: nothing
				// derived from it outlives this iteration (findings copy
				// what they keep: a redacted prefix, a hash, positions).
				text = unsafe.String(unsafe.SliceData(buf), len(buf))
			}
			// Matches starting at or after the next chunk's first line
			// belong to the next chunk, which sees them whole.
			limit := len(text) + 1
			if next < end {
				limit = lines[next-start]
			}
			ms, err := cs.scan(ctx, text)
			if err != nil {
				// Out of time: what was found so far still counts, and
				// the file is reported not scanned whole.
				scanners.Sort(out)
				return out, err
			}
			if cs.debug {
				s.logDropped(ctx, in.Path, cs, func(d *dropped) (int, bool) {
					return block[start+lines.find(d.secretAt)].Number, d.at < limit
				})
			}
			for _, m := range ms {
				if m.matchStart >= limit {
					continue
				}
				f := s.finding(in, block[start:end], lines, text, m)
				k := dedupeKey{f.RuleID, f.Location.StartLine, f.Location.StartColumn}
				if seen[k] {
					continue
				}
				seen[k] = true
				out = append(out, f)
			}
			if end == len(block) {
				break
			}
			start = next
		}
	}
	scanners.Sort(out)
	return out, nil
}

// logDropped logs, at debug level, the candidates of generic rules the
// last chunk scan dropped and why: what a reviewer needs to see why a
// credential-looking line gave no finding. The candidate is shown redacted
// (Redact), never whole. place maps a candidate's offset in the chunk to
// its secret's line, and says whether this chunk reports it (chunks
// overlap).
func (s *Scanner) logDropped(ctx context.Context, path string, cs *chunkScan, place func(d *dropped) (line int, here bool)) {
	for i := range cs.dropped {
		d := &cs.dropped[i]
		line, here := place(d)
		if !here {
			continue
		}
		s.log.DebugContext(ctx, "secret candidate dropped", "scanner", Name, "rule", Name+"/"+s.eng.rules[d.rule].id,
			"path", path, "line", line, "reason", d.reason, "candidate", d.redacted)
	}
}

// pieceBytes is how much of a long line one piece of it holds (plus
// blockBytes of context on either side): the regex work on one piece is
// bounded, and the scan's context is checked between pieces. longLine is
// the length from which a line is scanned in pieces. A secret longer than
// blockBytes across a piece boundary may be missed, as across chunks.
const (
	pieceBytes = 128 << 10
	longLine   = pieceBytes + 2*blockBytes
)

// scanLongLine scans one long added line (line holds it alone) in
// overlapping pieces: a piece reports the matches starting in its middle
// part, so each match is reported by the one piece that sees blockBytes
// around it.
func (s *Scanner) scanLongLine(ctx context.Context, in *scanners.Input, cs *chunkScan, line []scanners.Line, seen map[dedupeKey]bool, out []scanners.Finding) ([]scanners.Finding, error) {
	whole := line[0].Text
	for o := 0; o < len(whole); o += pieceBytes {
		from, to := max(0, o-blockBytes), min(len(whole), o+pieceBytes+blockBytes)
		text := whole[from:to]
		ms, err := cs.scan(ctx, text)
		if err != nil {
			return out, err
		}
		if cs.debug {
			s.logDropped(ctx, in.Path, cs, func(d *dropped) (int, bool) {
				at := from + d.at
				return line[0].Number, at >= o && (at < o+pieceBytes || to == len(whole))
			})
		}
		// The line starts -from bytes into the piece: columns come out
		// as in the whole line.
		idx := lineIndex{-from}
		for _, m := range ms {
			if at := from + m.matchStart; at < o || at >= o+pieceBytes && to < len(whole) {
				continue // the previous or the next piece reports it
			}
			f := s.finding(in, line, idx, text, m)
			k := dedupeKey{f.RuleID, f.Location.StartLine, f.Location.StartColumn}
			if !seen[k] {
				seen[k] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// scratch is the memory one Scan call works in, reused by later calls so a
// scan allocates neither a copy of the added text nor per-chunk state.
type scratch struct {
	buf   []byte // the text of a chunk of several lines
	lines lineIndex
	cs    chunkScan
}

type dedupeKey struct {
	rule      string
	line, col int
}

// chunk picks the lines [start,end) of the next chunk and the first line
// of the one after it, which starts blockBytes before end so that any match
// a rule window can hold lies wholly inside one chunk.
//
// A line longer than longLine is a chunk of its own, with no overlap with
// its neighbours (it is scanned in pieces, see scanLongLine).
func (s *Scanner) chunk(block []scanners.Line, start int) (end, next int) {
	if len(block[start].Text) > longLine {
		return start + 1, start + 1
	}
	size := 0
	end = start
	for end < len(block) && (end == start || size+len(block[end].Text)+1 <= s.chunkBytes+blockBytes) {
		if end > start && len(block[end].Text) > longLine {
			return end, end
		}
		size += len(block[end].Text) + 1
		end++
		if size >= s.chunkBytes+blockBytes {
			break
		}
	}
	if end >= len(block) {
		return len(block), len(block)
	}
	back := 0
	next = end
	for next > start+1 && back+len(block[next-1].Text)+1 <= blockBytes {
		back += len(block[next-1].Text) + 1
		next--
	}
	if next <= start {
		next = start + 1
	}
	return end, next
}
