package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// benchFile is one file of the benchmark: its repository path, its lines
// (the secret, when one is planted, already inserted) and, for a file with
// a plant, the plant's first line index in lines (-1 when none).
type benchFile struct {
	rel   string
	lines []string
	at    int
	plant []string
}

// diffHeader is the header of a unified diff adding a file of n lines.
func diffHeader(rel string, n int) []string {
	return []string{
		"diff --git a/" + rel + " b/" + rel,
		"new file mode 100644",
		"index 0000000..1111111",
		"--- /dev/null",
		"+++ b/" + rel,
		fmt.Sprintf("@@ -0,0 +1,%d @@", n),
	}
}

// genBench walks the .go files under src (sorted, so every run picks the
// same) and hands them to add as files added by a change, until the unified
// diff adding them would hold size bytes, with n secrets planted at
// spread-out lines. add may fill in the plant's diff lines (stdin mode);
// genBench records it after add returns. The same src, size and n give the
// same files and plants whatever add does with them, so the stdin and git
// modes scan the same content. It returns the plants and the size of that
// diff.
func genBench(src string, size int64, n int, add func(f *benchFile, p *planted) error) ([]planted, int64, error) {
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// vendor/ is skipped: gitleaks' default allowlist drops vendored
		// paths, which would leave secrets planted there unscannable.
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("no .go files under %s", src)
	}
	// Estimate how many files fill size, to spread the plants evenly.
	var all int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, 0, err
		}
		all += st.Size() + st.Size()/30 // + one "+" per line, roughly
	}
	count := int(size * int64(len(files)) / max(1, all))
	every := max(1, count/max(1, n))
	r := rand.New(rand.NewPCG(1, 2))
	var written int64
	var plants []planted
	// Past the end of the tree, go round again under a new top directory,
	// so any size can be built from the same source.
	for fi := 0; written < size; fi++ {
		f := files[fi%len(files)]
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		rel, _ := filepath.Rel(src, f)
		rel = filepath.ToSlash(rel)
		if round := fi / len(files); round > 0 {
			rel = fmt.Sprintf("round%d/%s", round, rel)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		bf := &benchFile{rel: rel, at: -1}
		var p *planted
		if fi%every == 0 && len(plants) < n && len(lines) > 4 {
			k := plantKinds[len(plants)%len(plantKinds)]
			bf.plant = k.make(r, len(plants))
			bf.at = 1 + r.IntN(len(lines)-2)
			p = &planted{Kind: k.name, Path: rel, NewLine: bf.at + 1, NewEnd: bf.at + len(bf.plant)}
			with := make([]string, 0, len(lines)+len(bf.plant))
			with = append(append(append(with, lines[:bf.at]...), bf.plant...), lines[bf.at:]...)
			lines = with
		}
		bf.lines = lines
		for _, h := range diffHeader(rel, len(lines)) {
			written += int64(len(h)) + 1
		}
		for _, l := range lines {
			written += int64(len(l)) + 2 // "+" and "\n"
		}
		if err := add(bf, p); err != nil {
			return nil, 0, err
		}
		if p != nil {
			plants = append(plants, *p)
		}
	}
	return plants, written, nil
}

// buildBenchDiff writes a unified diff presenting the files genBench picks
// as added files, with the plants' diff lines filled in (what `gitleaks
// stdin` reports).
func buildBenchDiff(w io.Writer, src string, size int64, n int) ([]planted, int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	diffLine := 0
	emit := func(s string) {
		bw.WriteString(s)
		bw.WriteByte('\n')
		diffLine++
	}
	plants, written, err := genBench(src, size, n, func(f *benchFile, p *planted) error {
		for _, h := range diffHeader(f.rel, len(f.lines)) {
			emit(h)
		}
		for i, l := range f.lines {
			if p != nil && i == f.at {
				p.DiffLine = diffLine + 1
				p.DiffEnd = diffLine + len(f.plant)
			}
			emit("+" + l)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return plants, written, bw.Flush()
}

// gitBench is a throwaway repository for the git mode: base holds a README
// alone, head adds the files genBench picks, secrets planted.
type gitBench struct {
	// Key names the inputs: a repository whose key matches is reused.
	Key       string    `json:"key"`
	Base      string    `json:"base"`
	Head      string    `json:"head"`
	Files     int       `json:"files"`
	Bytes     int64     `json:"bytes"` // of the added files
	DiffBytes int64     `json:"diff_bytes"`
	Plants    []planted `json:"plants"`
}

// gitEnv is the environment the repository is built and scanned with: no
// system or user configuration (no signing, hooks, autocrlf), a fixed
// author and date, so the same inputs give the same commits.
func gitEnv() []string {
	return append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=shiftward-bench", "GIT_AUTHOR_EMAIL=bench@example.invalid", "GIT_AUTHOR_DATE=2024-01-01T00:00:00Z",
		"GIT_COMMITTER_NAME=shiftward-bench", "GIT_COMMITTER_EMAIL=bench@example.invalid", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z",
	)
}

// runGit runs git in dir and returns its trimmed output.
func runGit(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir, "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Env = gitEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// buildGitBench makes (or, when dir+".json" records the same key, reuses)
// the git-mode repository in dir: a base commit, then a head commit adding
// the files genBench picks from src, with the same plants as the diff mode.
// The work tree is left at head, as `shiftward scan --base` reads it.
func buildGitBench(ctx context.Context, dir, src, key string, size int64, n int) (*gitBench, error) {
	stamp := dir + ".json"
	if data, err := os.ReadFile(stamp); err == nil {
		var g gitBench
		if json.Unmarshal(data, &g) == nil && g.Key == key {
			if head, err := runGit(ctx, dir, "rev-parse", "HEAD"); err == nil && head == g.Head {
				if st, err := runGit(ctx, dir, "status", "--porcelain", "--untracked-files=no"); err == nil && st == "" {
					return &g, nil
				}
			}
		}
	}
	if err := os.Remove(stamp); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if _, err := runGit(ctx, dir, "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	readme := "# shiftward-bench\n\nA throwaway repository: the head commit adds Go's own source with secrets planted.\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(readme), 0o644); err != nil {
		return nil, err
	}
	if _, err := runGit(ctx, dir, "add", "README.md"); err != nil {
		return nil, err
	}
	if _, err := runGit(ctx, dir, "commit", "-q", "--no-verify", "-m", "base"); err != nil {
		return nil, err
	}
	g := &gitBench{Key: key}
	var buf bytes.Buffer
	plants, diffBytes, err := genBench(src, size, n, func(f *benchFile, _ *planted) error {
		name := filepath.Join(dir, filepath.FromSlash(f.rel))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		buf.Reset()
		for _, l := range f.lines {
			buf.WriteString(l)
			buf.WriteByte('\n')
		}
		g.Files++
		g.Bytes += int64(buf.Len())
		return os.WriteFile(name, buf.Bytes(), 0o644)
	})
	if err != nil {
		return nil, err
	}
	g.Plants, g.DiffBytes = plants, diffBytes
	if _, err := runGit(ctx, dir, "add", "-A", "."); err != nil {
		return nil, err
	}
	if _, err := runGit(ctx, dir, "commit", "-q", "--no-verify", "-m", "head: add Go source with planted secrets"); err != nil {
		return nil, err
	}
	if g.Base, err = runGit(ctx, dir, "rev-parse", "HEAD~1"); err != nil {
		return nil, err
	}
	if g.Head, err = runGit(ctx, dir, "rev-parse", "HEAD"); err != nil {
		return nil, err
	}
	data, err := json.Marshal(g)
	if err != nil {
		return nil, err
	}
	return g, os.WriteFile(stamp, data, 0o644)
}
