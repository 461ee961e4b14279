package diff_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// corpusDiffs globs pats below the corpus root (the full corpus, or the
// subset in testdata/) and fails with fewer than least matches: full with
// the full corpus, subset without it.
func corpusDiffs(t *testing.T, c scannertest.Corpus, full, subset int, pats ...string) []string {
	t.Helper()
	var paths []string
	for _, pat := range pats {
		m, err := filepath.Glob(c.Path(pat))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	least := full
	if !c.Full {
		least = subset
	}
	if len(paths) < least {
		t.Fatalf("found only %d diffs in %s, want at least %d", len(paths), c.Dir, least)
	}
	return paths
}

// summarize renders what a diff parses to, compactly enough to golden-test
// whole real diffs: per file its status and paths, and per hunk its ranges,
// the added line numbers and a digest of the lines' text.
func summarize(files []*diff.File, err error) string {
	var b strings.Builder
	for _, f := range files {
		status := "M"
		switch {
		case f.IsNew:
			status = "A"
		case f.IsDelete:
			status = "D"
		case f.IsCopy:
			status = "C"
		case f.IsRename:
			status = "R"
		}
		fmt.Fprintf(&b, "%s %q -> %q", status, f.OldPath, f.NewPath)
		if f.IsBinary {
			b.WriteString(" binary")
		}
		if f.OldMode != 0 || f.NewMode != 0 {
			fmt.Fprintf(&b, " mode %o->%o", f.OldMode, f.NewMode)
		}
		b.WriteByte('\n')
		for _, h := range f.Hunks {
			sum := sha256.New()
			var added []int
			for _, l := range h.Lines {
				fmt.Fprintf(sum, "%s%d:%d:%s\n", l.Op, l.OldNumber, l.NewNumber, l.Text)
				if l.Op == diff.Add {
					added = append(added, l.NewNumber)
				}
			}
			fmt.Fprintf(&b, "  @@ -%d,%d +%d,%d @@ lines=%d added=%s sum=%s\n",
				h.OldStart, h.OldLines, h.NewStart, h.NewLines, len(h.Lines), ranges(added),
				hex.EncodeToString(sum.Sum(nil))[:12])
		}
	}
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	return b.String()
}

// ranges writes ascending numbers as "3-7,9".
func ranges(ns []int) string {
	if len(ns) == 0 {
		return "-"
	}
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, fmt.Sprint(ns[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[i], ns[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestGoldenCorpus parses every real diff of the corpus (the full one, or
// the subset in testdata/: the golden files cover both) and compares the
// result with a golden summary, so any change in what is read shows up.
func TestGoldenCorpus(t *testing.T) {
	c := scannertest.Data(t)
	paths := corpusDiffs(t, c, 100, 45,
		"diffs/go-diff-testdata/*",
		"diffs/go-gitdiff-testdata/*.patch",
		"diffs/go-gitdiff-testdata/string/*.patch",
		"diffs/go-gitdiff-testdata/apply/*.patch",
		"diffs/generated/gitleaks-*",
		"secrets/gitleaks/history-small/*.patch",
	)
	for _, p := range paths {
		rel, _ := filepath.Rel(c.Dir, p)
		t.Run(rel, func(t *testing.T) {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var files []*diff.File
			if strings.HasPrefix(string(raw), "@@ -") {
				// A hunks-only diff, the shape of the code hosts' per-file patches.
				var f *diff.File
				if f, err = diff.ParsePatch("file.txt", "file.txt", string(raw)); f != nil {
					files = append(files, f)
				}
			} else {
				files, err = diff.Parse(strings.NewReader(string(raw)))
			}
			checkGolden(t, filepath.Join("corpus", rel), summarize(files, err))
		})
	}
}

type generatedIndex struct {
	Patches []struct {
		File          string         `json:"file"`
		BinaryVariant *string        `json:"binary_variant"`
		NameStatus    [][]string     `json:"name_status"`
		NoNewline     int            `json:"no_newline_markers"`
		Files         int            `json:"files"`
		StatusCounts  map[string]int `json:"status_counts"`
	} `json:"patches"`
}

// TestGeneratedIndex checks the generated diffs against git's own account of
// them in index.json: the same files with the same status, including, on
// the full corpus, the 6 MB, 4,038-file trivy-checks diff (testdata/ has
// the two small ones).
func TestGeneratedIndex(t *testing.T) {
	corpus := scannertest.Data(t).Dir
	raw, err := os.ReadFile(filepath.Join(corpus, "diffs/generated/index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx generatedIndex
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Patches) == 0 {
		t.Fatal("index.json lists no patches")
	}
	for _, p := range idx.Patches {
		variants := []string{p.File}
		if p.BinaryVariant != nil {
			variants = append(variants, *p.BinaryVariant)
		}
		if strings.HasSuffix(p.File, ".patch") {
			if plain := strings.TrimSuffix(p.File, ".patch") + ".plain.diff"; exists(filepath.Join(corpus, plain)) {
				variants = append(variants, plain)
			}
		}
		for _, v := range variants {
			t.Run(v, func(t *testing.T) {
				f, err := os.Open(filepath.Join(corpus, v))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				files, err := diff.Parse(f)
				if err != nil {
					t.Fatal(err)
				}
				var got [][]string
				counts := map[string]int{}
				for _, f := range files {
					switch {
					case f.IsNew:
						got = append(got, []string{"A", f.NewPath})
					case f.IsDelete:
						got = append(got, []string{"D", f.OldPath})
					case f.IsRename:
						got = append(got, []string{"R", f.OldPath, f.NewPath})
					default:
						got = append(got, []string{"M", f.NewPath})
					}
					counts[got[len(got)-1][0]]++
				}
				if p.NameStatus != nil {
					want := make([][]string, len(p.NameStatus))
					for i, ns := range p.NameStatus {
						want[i] = append([]string{ns[0][:1]}, ns[1:]...)
					}
					if d := cmp.Diff(sortedRows(want), sortedRows(got)); d != "" {
						t.Errorf("name status mismatch (-index +parsed):\n%s", d)
					}
				}
				if p.Files != 0 {
					if len(files) != p.Files {
						t.Errorf("parsed %d files, index says %d", len(files), p.Files)
					}
					if d := cmp.Diff(p.StatusCounts, counts); d != "" {
						t.Errorf("status counts mismatch (-index +parsed):\n%s", d)
					}
				}
			})
		}
	}
}

func sortedRows(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "\t")
	}
	slices.Sort(out)
	return out
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestHistorySmallSecretLines checks line numbering against labels made
// independently of this parser: for each patch of gitleaks' tiny history,
// the added lines holding the AWS key id sit at the labelled new lines and
// the removed ones at the labelled old lines. Messages name lines only,
// never the key.
func TestHistorySmallSecretLines(t *testing.T) {
	corpus := scannertest.Data(t).Dir
	raw, err := os.ReadFile(filepath.Join(corpus, "secrets/gitleaks/history-small/index.json"))
	if err != nil {
		t.Fatal(err)
	}
	type loc struct {
		Path    string `json:"path"`
		NewLine int    `json:"new_line"`
		OldLine int    `json:"old_line"`
	}
	var idx struct {
		Patches []struct {
			File    string `json:"file"`
			Added   []loc  `json:"secrets_added"`
			Removed []loc  `json:"secrets_removed"`
		} `json:"patches"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Patches) != 8 {
		t.Fatalf("index lists %d patches, want 8", len(idx.Patches))
	}
	key := regexp.MustCompile(`AKIA[0-9A-Z]{16}`)
	for _, p := range idx.Patches {
		t.Run(filepath.Base(p.File), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(corpus, p.File))
			if err != nil {
				t.Fatal(err)
			}
			files, err := diff.Parse(strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			var added, removed []string
			for _, f := range files {
				for _, h := range f.Hunks {
					for _, l := range h.Lines {
						if !key.MatchString(l.Text) {
							continue
						}
						switch l.Op {
						case diff.Add:
							added = append(added, fmt.Sprintf("%s:%d", f.Path(), l.NewNumber))
						case diff.Delete:
							removed = append(removed, fmt.Sprintf("%s:%d", f.OldPath, l.OldNumber))
						}
					}
				}
			}
			var wantAdded, wantRemoved []string
			for _, l := range p.Added {
				wantAdded = append(wantAdded, fmt.Sprintf("%s:%d", l.Path, l.NewLine))
			}
			for _, l := range p.Removed {
				wantRemoved = append(wantRemoved, fmt.Sprintf("%s:%d", l.Path, l.OldLine))
			}
			if d := cmp.Diff(wantAdded, added); d != "" {
				t.Errorf("added key lines (-labels +parsed):\n%s", d)
			}
			if d := cmp.Diff(wantRemoved, removed); d != "" {
				t.Errorf("removed key lines (-labels +parsed):\n%s", d)
			}
		})
	}
}
