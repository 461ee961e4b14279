// Package iac finds risky infrastructure settings that a change adds to
// Dockerfiles, Kubernetes manifests (and Kustomize patches), Docker Compose
// files, CloudFormation templates (YAML and JSON) and Terraform, and where
// the fix is mechanical proposes it as a whole-line replacement (a
// one-click suggestion).
//
// Each file type is parsed with a real parser: Dockerfiles with BuildKit's
// parser (the one `docker build` uses), YAML with yaml.v3 nodes
// (multi-document, with line numbers), CloudFormation JSON with
// encoding/json's tokenizer, and Terraform with HCL's native syntax parser.
// Most rules are checks written as data (checks/*.yaml, check.go). A rule
// either fires on an offending setting (`privileged: true`), which the
// change introduces when it adds that line, or on a missing setting (no
// USER, no `runAsNonRoot`), reported from the block's header line over the
// block (the stage, the container, the resource) and introduced when the
// change adds any line of it (Finding.Scope). Findings the change does not
// introduce are reported too; scanners.Run marks them pre-existing.
//
// A Terraform file is evaluated in its module (tfmodule.go): the
// directory's other files, variables from defaults, terraform.tfvars and
// *.auto.tfvars, locals, count and for_each instances, dynamic blocks and
// local modules, read through the change's scanners.Tree. A finding whose
// value a changed line supplies from another file (a .tfvars entry, a
// default, a module argument) is reported on that line. What evaluation
// cannot know (a reference to another resource's attribute, a remote
// module) is unknown, and an unknown value is never judged.
//
// Every fix is checked before it is offered: it is applied to the file, the
// result is parsed again and re-scanned, and the fix is dropped unless the
// file still parses and the finding is gone.
//
// A file of a Helm chart (a template, a partial, values.yaml, Chart.yaml)
// is reviewed through the chart's render when the change's Tree shows the
// chart: rendered once per change with the chart's own values, every
// rendered document checked as a manifest, each finding mapped back to the
// line that causes it (helm.go says how, and what it cannot do).
package iac

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Name is the scanner's name and the prefix of its rule ids.
const Name = "iac"

// MaxFileBytes bounds the size of a file the scanner parses. Larger files are
// reported as not scanned (scanners.ErrBound), never silently passed.
// Terraform files have a lower bound (maxTerraformBytes).
const MaxFileBytes = scanners.MaxParseBytes

// maxVerifiedFixes bounds how many fixes of one file are verified by
// re-scanning; fixes beyond it are dropped rather than offered unchecked.
const maxVerifiedFixes = 64

// maxVerifyBytes bounds how many bytes of whole-file re-parsing one file's
// fix checks may cost: all 64 checks of files up to 128 KiB, two of a
// 4 MiB file (whose scan would otherwise cost nine parses).
const maxVerifyBytes = 8 << 20

// ErrNoContent is returned when the whole file is needed, the core could not
// read it, and the change does not add the whole file.
var ErrNoContent = errors.New("file content unavailable and the change does not add the whole file")

// kind is the type of an infrastructure file.
type kind int

const (
	kindNone kind = iota
	kindDockerfile
	kindKubernetes
	kindTerraform
	// kindJSON is a .json or .template file: read only when its content
	// is a CloudFormation template (analyzeCloudFormationJSON's sniff) or
	// a Kubernetes object (looksKubernetesJSON).
	kindJSON
)

// Scanner reports infrastructure misconfigurations in the files a change touches. It holds
// no mutable state and is safe for concurrent use.
type Scanner struct {
	log     *slog.Logger
	noFixes bool
	// checks are the data checks it runs: the built-in ones, and a
	// repository's own (WithChecks).
	checks checkSet
}

var (
	_ scanners.Scanner        = (*Scanner)(nil)
	_ scanners.ContentScanner = (*Scanner)(nil)
)

// Option configures a Scanner.
type Option func(*Scanner)

// WithLogger sets the logger (skipped Helm templates are logged at debug
// level). The scanner never logs file content.
func WithLogger(l *slog.Logger) Option { return func(s *Scanner) { s.log = l } }

// WithoutFixes reports findings without fix suggestions, which skips the
// cost of verifying each fix (a re-parse per fix). Tests that re-scan a fixed
// file use it.
func WithoutFixes() Option { return func(s *Scanner) { s.noFixes = true } }

// New returns a Scanner. The rules are fixed; New cannot fail.
func New(opts ...Option) *Scanner {
	s := &Scanner{}
	for _, o := range opts {
		o(s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// checkSet is the checks the scanner runs: the built-in ones (loaded on
// first use), with the repository's own when WithChecks gave some.
func (s *Scanner) checkSet() checkSet {
	if s.checks != nil {
		return s.checks
	}
	return dataChecks()
}

// Name returns "iac".
func (s *Scanner) Name() string { return Name }

// Wants reports whether path is a Dockerfile, a YAML file that may hold
// Kubernetes manifests, a Terraform file, a JSON (or .template) file
// that may be a CloudFormation template, or a file of a Helm chart.
func (s *Scanner) Wants(p string) bool { return kindOf(p) != kindNone || isChartFile(p) }

// NeedsContent is true for every wanted path: the rules read structure
// (stages, documents, resources), not single lines.
func (s *Scanner) NeedsContent(p string) bool { return s.Wants(p) }

// kindOf classifies a path. Workflow and pipeline YAML belong to the
// pipelines scanner. Other YAML is told apart by its content (analyze):
// Kubernetes manifests, CloudFormation templates, Compose files; so is
// JSON (CloudFormation templates only).
func kindOf(p string) kind {
	base := path.Base(p)
	lower := strings.ToLower(base)
	switch {
	case lower == "dockerfile" || lower == "containerfile" ||
		strings.HasPrefix(lower, "dockerfile.") || strings.HasPrefix(lower, "dockerfile-") || strings.HasPrefix(lower, "dockerfile_") ||
		strings.HasSuffix(lower, ".dockerfile") ||
		strings.HasPrefix(lower, "containerfile.") || strings.HasSuffix(lower, ".containerfile"):
		return kindDockerfile
	case strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tfvars"):
		return kindTerraform
	case strings.HasSuffix(lower, ".tf.json"):
		return kindNone // Terraform's JSON syntax is not read
	case strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".template"):
		return kindJSON
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		if strings.HasPrefix(p, ".github/") || strings.Contains(p, "/.github/") ||
			lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" ||
			lower == ".shiftward.yml" || lower == ".shiftward.yaml" ||
			lower == "chart.yaml" || lower == "values.yaml" || strings.HasPrefix(lower, "values-") ||
			lower == ".pre-commit-config.yaml" || lower == ".golangci.yml" || lower == ".golangci.yaml" {
			return kindNone
		}
		return kindKubernetes
	}
	return kindNone
}

// Scan parses the file and reports every finding in it, each with the
// lines whose change introduces it (scanners.Run's Scope decides which the
// change did). Only the findings the change introduces get a fix.
func (s *Scanner) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	if len(in.Added) == 0 {
		return nil, nil
	}
	// A file of a Helm chart is reviewed through the chart's render
	// (helm.go).
	if fs, err, ok := s.scanChart(ctx, in); ok {
		return fs, err
	}
	k := kindOf(in.Path)
	if k == kindNone {
		return nil, nil
	}
	content, err := contentOf(in)
	if err != nil {
		return nil, err
	}
	if len(content) > MaxFileBytes {
		return nil, scanners.TooLarge(MaxFileBytes)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A file that parsed in part (the documents of a manifest before a bad
	// one) still has its findings reported, with the error.
	hits, perr := analyze(ctx, k, in.Path, content, s.log, false, s.checkSet(), in.Tree)
	if perr != nil && len(hits) == 0 {
		return nil, perr
	}
	if k == kindKubernetes && listedPatch(ctx, in.Tree, in.Path) {
		hits = dropMissing(hits)
	}
	fc := &fixCheck{k: k, path: in.Path, content: content, hits: hits, cache: map[*scanners.Fix]*recheck{}, checks: s.checkSet(), tree: in.Tree}
	// Fixes are verified by parsing the fixed file again: not for a file
	// that did not parse whole.
	checkFixes := !s.noFixes && onlyNote(perr)
	added := in.AddedSet()
	out := make([]scanners.Finding, 0, len(hits))
	for i := range hits {
		f := hits[i].finding(in.Path)
		if hits[i].via && !added.Any(f.Location.StartLine, f.Location.EndLine) {
			continue // reported where the resource is, when that file is changed
		}
		// Nobody sees a pre-existing finding's fix: it is not verified.
		if checkFixes && ctx.Err() == nil && scanners.Introduced(&f, added) {
			f.Fix = fc.verified(&hits[i])
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Location, out[j].Location
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		return out[i].RuleID < out[j].RuleID
	})
	return out, perr
}

// fixCheck verifies the fixes of one file's hits, within a budget: at
// most maxVerifiedFixes re-scans, and for files parsed whole, at most
// maxVerifyBytes of re-parsing.
type fixCheck struct {
	k       kind
	path    string
	content []byte
	hits    []hit
	cache   map[*scanners.Fix]*recheck
	checked int
	checks  checkSet
	// tree is the change's tree: a fixed Terraform file is analysed in
	// its module again.
	tree scanners.Tree
}

// verified is h's fix when it holds (fixHolds) and the budget allows
// checking it, else nil.
func (fc *fixCheck) verified(h *hit) *scanners.Fix {
	if h.fix == nil {
		return nil
	}
	// A manifest's fix is checked on its document; other files are parsed
	// whole, so their checks are bounded in bytes too.
	_, seen := fc.cache[h.fix]
	budget := seen || (fc.checked < maxVerifiedFixes && (fc.k == kindKubernetes || fc.checked*len(fc.content) < maxVerifyBytes))
	ok := budget && fixHolds(fc.k, fc.path, fc.content, fc.hits, h, fc.cache, fc.checks, fc.tree)
	if !seen {
		fc.checked++
	}
	if !ok {
		return nil
	}
	return h.fix
}

// contentOf returns the whole new file: Content when the core read it, else
// the added lines of a new file (every line of it is added).
func contentOf(in *scanners.Input) ([]byte, error) {
	if in.Content != nil {
		return in.Content, nil
	}
	if b := in.ContentFromAdded(); b != nil {
		return b, nil
	}
	return nil, ErrNoContent
}

// analyze runs every rule of the file's type over the whole file, without
// regard to what the change adds.
// In strict mode a manifest that does not parse is an error even when it
// looks like a template (used on fixed files). A manifest of which only
// some documents parse gives their hits and the error.
func analyze(ctx context.Context, k kind, p string, content []byte, log *slog.Logger, strict bool, checks checkSet, tree scanners.Tree) ([]hit, error) {
	var hits []hit
	var err error
	switch k {
	case kindDockerfile:
		hits, err = analyzeDockerfile(content)
	case kindKubernetes:
		switch {
		case looksCloudFormation(content):
			hits, err = analyzeCloudFormationSecrets(ctx, content, checks)
			hits = append(hits, cfnLinkHits(ctx, content, false)...)
		case looksCompose(content):
			hits, err = analyzeCompose(ctx, p, content, strict, checks)
		default:
			hits, err = analyzeKubernetes(ctx, p, content, log, strict, checks)
		}
	case kindTerraform:
		hits, err = analyzeTerraform(ctx, tree, p, content, checks)
	case kindJSON:
		if strings.HasSuffix(strings.ToLower(p), ".template") && !looksCloudFormationJSON(content) && looksCloudFormation(content) {
			hits, err = analyzeCloudFormationSecrets(ctx, content, checks) // a YAML .template
			hits = append(hits, cfnLinkHits(ctx, content, false)...)
		} else if !looksCloudFormationJSON(content) && looksKubernetesJSON(content) {
			hits, err = analyzeKubernetesJSON(ctx, p, content, checks)
		} else {
			hits, err = analyzeCloudFormationJSONSecrets(ctx, content, checks)
			hits = append(hits, cfnLinkHits(ctx, content, true)...)
		}
	}
	if err != nil && len(hits) == 0 {
		return nil, err
	}
	hits = dropSubsumed(hits)
	uniqueIdentities(hits)
	return hits, err
}

// subsumes pairs a rule with one that, inside the block the first reports,
// says the same thing less precisely: an ingress rule of every protocol from
// the internet also "opens port 22", and one finding on it is enough.
var subsumes = map[string]string{
	"iac/tf-aws-sg-all-traffic-public": "iac/tf-open-admin-port",
}

// dropSubsumed leaves out the findings of a rule that subsumes names, when
// they start inside the lines of a finding of the rule that subsumes them.
func dropSubsumed(hits []hit) []hit {
	type span struct {
		rule     string
		from, to int
	}
	var over []span
	for _, h := range hits {
		if lesser, ok := subsumes[h.rule.ID]; ok {
			f := h.finding("")
			over = append(over, span{lesser, f.Location.StartLine, f.Location.EndLine})
		}
	}
	if len(over) == 0 {
		return hits
	}
	out := hits[:0]
	for _, h := range hits {
		drop := false
		for _, o := range over {
			if h.rule.ID == o.rule && o.from <= h.line && h.line <= o.to {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, h)
		}
	}
	return out
}

// uniqueIdentities numbers repeats of the same rule and identity in a file
// (the same RUN line twice, two containers of one name), so each finding
// keeps its own fingerprint and a fix of one is not mistaken for a fix of
// the other.
func uniqueIdentities(hits []hit) {
	seen := map[string]int{}
	for i := range hits {
		hits[i].base = hits[i].identity
		key := hits[i].rule.ID + "\x00" + hits[i].identity
		seen[key]++
		if n := seen[key]; n > 1 {
			hits[i].identity += " #" + strconv.Itoa(n)
		}
	}
}

// recheck is a fixed file (or YAML document) scanned again: the hits it
// still has, and the lines of the original it covers.
type recheck struct {
	ok       bool // the fix applies and the result parses
	again    []hit
	from, to int
}

// fixHolds applies h's fix to content, parses and scans the result, and
// reports whether the file still parses and the finding is gone (one fewer
// of its rule and identity). A manifest is checked within the YAML document
// the fix touches, so verifying fixes costs one small parse each. cache
// holds the rechecks already made for fixes that several findings share.
func fixHolds(k kind, p string, content []byte, before []hit, h *hit, cache map[*scanners.Fix]*recheck, checks checkSet, tree scanners.Tree) bool {
	rc := cache[h.fix]
	if rc == nil {
		rc = doRecheck(k, p, content, h.fix, checks, tree)
		if cache != nil {
			cache[h.fix] = rc
		}
	}
	if !rc.ok {
		return false
	}
	n := 0
	for i := range before {
		if before[i].rule == h.rule && before[i].base == h.base && before[i].line >= rc.from && before[i].line <= rc.to {
			n++
		}
	}
	return sameAs(rc.again, h) < n
}

func doRecheck(k kind, p string, content []byte, fx *scanners.Fix, checks checkSet, tree scanners.Tree) *recheck {
	if k != kindKubernetes {
		fixed, ok := applyFix(content, fx)
		if !ok {
			return &recheck{}
		}
		again, err := analyzeStrict(k, p, fixed, checks, tree)
		if err != nil {
			return &recheck{}
		}
		return &recheck{ok: true, again: again, from: 1, to: 1 << 31}
	}
	lines := splitLines(content)
	if fx.StartLine < 1 || fx.EndLine < fx.StartLine || fx.EndLine > len(lines) {
		return &recheck{}
	}
	from, to := fx.StartLine, fx.EndLine // 1-based, inclusive
	for from > 1 && !isDocSeparator(lines[from-2]) {
		from--
	}
	for to < len(lines) && !isDocSeparator(lines[to]) {
		to++
	}
	for l := fx.StartLine; l <= fx.EndLine; l++ {
		if isDocSeparator(lines[l-1]) {
			return &recheck{}
		}
	}
	var doc []byte
	for _, l := range lines[from-1 : to] {
		doc = append(doc, l...)
		doc = append(doc, '\n')
	}
	local := *fx
	local.StartLine, local.EndLine = fx.StartLine-from+1, fx.EndLine-from+1
	fixed, ok := applyFix(doc, &local)
	if !ok {
		return &recheck{}
	}
	again, err := analyzeStrict(kindKubernetes, p, fixed, checks, tree)
	if err != nil {
		return &recheck{}
	}
	return &recheck{ok: true, again: again, from: from, to: to}
}

// isDocSeparator reports whether a line starts a new YAML document.
func isDocSeparator(l string) bool {
	return l == "---" || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "---\t")
}

// analyzeStrict is analyze for a fixed file.
func analyzeStrict(k kind, p string, content []byte, checks checkSet, tree scanners.Tree) ([]hit, error) {
	hits, err := analyze(context.Background(), k, p, content, nil, true, checks, tree)
	if onlyNote(err) {
		err = nil
	}
	return hits, err
}

// sameAs counts the hits of h's rule and identity, repeats included.
func sameAs(hits []hit, h *hit) int {
	n := 0
	for i := range hits {
		if hits[i].rule == h.rule && hits[i].base == h.base {
			n++
		}
	}
	return n
}

// applyFix replaces lines StartLine..EndLine of content with the fix's
// replacement. It reports false when the range is outside the file.
func applyFix(content []byte, fx *scanners.Fix) ([]byte, bool) {
	lines := splitLines(content)
	if fx.StartLine < 1 || fx.EndLine < fx.StartLine || fx.EndLine > len(lines) {
		return nil, false
	}
	var b bytes.Buffer
	for i := 0; i < fx.StartLine-1; i++ {
		b.WriteString(lines[i])
		b.WriteByte('\n')
	}
	if fx.Replacement != "" {
		b.WriteString(fx.Replacement)
		b.WriteByte('\n')
	}
	for i := fx.EndLine; i < len(lines); i++ {
		b.WriteString(lines[i])
		b.WriteByte('\n')
	}
	return b.Bytes(), true
}

// ApplyFix returns content with fx applied (lines StartLine..EndLine
// replaced), as a platform applies a one-click suggestion. Tests use it to
// prove fixes.
func ApplyFix(content []byte, fx *scanners.Fix) ([]byte, error) {
	out, ok := applyFix(content, fx)
	if !ok {
		return nil, fmt.Errorf("fix lines %d-%d outside the file", fx.StartLine, fx.EndLine)
	}
	return out, nil
}

// splitLines splits content into lines without their newlines (a final
// newline does not start an empty line; "\r\n" loses its "\r").
func splitLines(content []byte) []string {
	s := string(content)
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// leadingSpace returns the indentation of line.
func leadingSpace(line string) string {
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}
