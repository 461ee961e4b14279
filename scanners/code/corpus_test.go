package code

import (
	"github.com/shiftward/shiftward/scanners"

	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// semgrepFamilies maps the corpus's rule ids (semgrep-rules test targets,
// read at test time only) to the one family of ours whose meaning covers
// the rule. Rules not listed are about classes this scanner does not
// implement (framework configuration, cookies, XXE, open redirects...) or
// about template files it does not parse; they are not counted.
var semgrepFamilies = map[string]map[string]string{
	"javascript": {
		"knex-sqli": "sqli", "mysql-sqli": "sqli", "pg-sqli": "sqli", "tainted-sql-string": "sqli", "node-knex-sqli": "sqli",
		"node-mysql-sqli": "sqli", "express-sequelize-injection": "sqli", "sequelize-raw-query": "sqli",
		"shelljs-exec-injection": "cmdi",
		"eval-detected":          "code-injection", "vm-runincontext-injection": "code-injection", "express-vm2-injection": "code-injection",
		"vm2-code-injection": "code-injection", "sandbox-code-injection": "code-injection",
		"insecure-innerhtml": "xss", "insecure-document-method": "xss",
		"direct-response-write": "xss", "raw-html-format": "xss", "tainted-html-response": "xss", "tainted-html-string": "xss",
		"dom-based-xss": "xss",

		"spawn-git-clone": "cmdi",
		"express-ssrf":    "ssrf", "apollo-axios-ssrf": "ssrf",
		"express-third-party-object-deserialization": "deserialization",
		"detect-pseudoRandomBytes":                   "weak-random",
		"sequelize-tls-disabled-cert-validation":     "tls",
		"jwt-decode-without-verify":                  "jwt",
		"hardcoded-jwt-secret":                       "hardcoded-credential", "express-jwt-hardcoded-secret": "hardcoded-credential",
		"cors-misconfiguration": "cors",
	},
	"typescript": {
		"react-dangerouslysetinnerhtml": "xss", "react-unsanitized-property": "xss", "react-unsanitized-method": "xss",
		"nestjs-header-cors-any": "cors", "react-markdown-insecure-html": "xss",
	},
	"go": {
		"string-formatted-query": "sqli", "pg-sqli": "sqli", "pg-orm-sqli": "sqli", "database-sqli": "sqli",
		"dangerous-exec-command": "cmdi", "dangerous-syscall-exec": "cmdi",
		"formatted-template-string": "xss",
		"unescaped-data-in-js":      "xss", "unescaped-data-in-url": "xss",
		"tainted-url-host":        "ssrf",
		"jwt-go-parse-unverified": "jwt", "jwt-go-none-algorithm": "jwt",
		"hardcoded-jwt-key":   "hardcoded-credential",
		"dangerous-execution": "code-injection",
		"ssl-v3-is-insecure":  "tls",
	},
	"python": {
		// SQL injection
		"formatted-sql-query": "sqli", "aiopg-sqli": "sqli", "pg8000-sqli": "sqli", "psycopg-sqli": "sqli",
		"mysql-sqli": "sqli", "pymssql-sqli": "sqli", "pymysql-sqli": "sqli",
		"sqlalchemy-execute-raw-query": "sqli", "avoid-sqlalchemy-text": "sqli", "pyramid-sqlalchemy-sql-injection": "sqli",
		"sql-injection-db-cursor-execute": "sqli", "sql-injection-using-raw": "sqli", "sql-injection-using-rawsql": "sqli",
		"sql-injection-using-extra-where": "sqli",
		// command injection
		"dangerous-subprocess-use": "cmdi", "dangerous-subprocess-use-audit": "cmdi", "dangerous-subprocess-use-tainted-env-args": "cmdi",
		"dangerous-system-call": "cmdi", "dangerous-system-call-audit": "cmdi", "dangerous-os-exec": "cmdi", "dangerous-os-exec-audit": "cmdi",
		"dangerous-os-exec-tainted-env-args": "cmdi", "dangerous-spawn-process": "cmdi", "dangerous-spawn-process-audit": "cmdi",
		"dangerous-spawn-process-tainted-env-args": "cmdi", "dangerous-asyncio-create-exec": "cmdi", "dangerous-asyncio-create-exec-audit": "cmdi",
		"dangerous-asyncio-create-exec-tainted-env-args": "cmdi", "dangerous-asyncio-exec-audit": "cmdi", "dangerous-asyncio-shell-audit": "cmdi",
		"command-injection-os-system": "cmdi", "subprocess-injection": "cmdi", "os-system-injection": "cmdi",
		// code injection
		"eval-detected": "code-injection", "exec-detected": "code-injection", "user-eval": "code-injection",
		"eval-injection": "code-injection", "tainted-code-exec": "code-injection",
		// deserialization
		"avoid-pickle": "deserialization", "avoid-cPickle": "deserialization", "avoid-dill": "deserialization",
		"avoid-shelve": "deserialization", "avoid-pyyaml-load": "deserialization", "tainted-pickle-deserialization": "deserialization",
		"insecure-deserialization": "deserialization", "avoid-jsonpickle": "deserialization", "avoid-unsafe-ruamel": "deserialization",
		// weak crypto
		"insecure-hash-function": "weak-crypto", "insecure-hash-algorithm-sha1": "weak-crypto", "insecure-hash-algorithm-md5": "weak-crypto",
		"insecure-hash-algorithm-md4": "weak-crypto", "insecure-hash-algorithm-md2": "weak-crypto",
		"insecure-cipher-algorithm-des": "weak-crypto", "insecure-cipher-algorithm-blowfish": "weak-crypto",
		"insecure-cipher-algorithm-arc4": "weak-crypto", "insecure-cipher-algorithm-idea": "weak-crypto",
		"insecure-cipher-algorithm-xor": "weak-crypto", "insecure-cipher-mode-ecb": "weak-crypto",
		// TLS
		"disabled-cert-validation": "tls",
		// SSRF
		"ssrf-injection-requests": "ssrf", "ssrf-injection-urllib": "ssrf", "ssrf-requests": "ssrf",
		// path traversal
		"path-traversal-open": "path-traversal",
		// XSS
		"reflected-data-httpresponse": "xss", "reflected-data-httpresponsebadrequest": "xss", "explicit-unescape-with-markup": "xss",
		"direct-use-of-httpresponse": "xss", "tainted-html-response": "xss",
		"tainted-html-string": "xss", "raw-html-format": "xss", "directly-returned-format-string": "xss",
		"tainted-url-host":      "ssrf",
		"paramiko-exec-command": "cmdi", "formatted-string-bashoperator": "cmdi",
		// JWT
		"unverified-jwt-decode": "jwt", "jwt-python-none-alg": "jwt",
		// credentials
		"jwt-python-hardcoded-secret": "hardcoded-credential", "hardcoded-token": "hardcoded-credential",
		// CORS
		"wildcard-cors": "cors",
	},
}

type semgrepIndex struct {
	Cases []semgrepCase `json:"cases"`
}

// semgrepCase is one target file and its annotations.
type semgrepCase struct {
	File        string `json:"file"`
	Language    string `json:"language"`
	Annotations []struct {
		TargetLine int    `json:"target_line"`
		Label      string `json:"label"`
		RuleID     string `json:"rule_id"`
	} `json:"annotations"`
}

type tally struct{ tp, fn, fp, tn int }

// count adds one expectation, positive or not, that was hit or not, and
// returns "FN" or "FP" for a miss, "" otherwise.
func (t *tally) count(positive, hit bool) string {
	switch {
	case positive && hit:
		t.tp++
	case positive:
		t.fn++
		return "FN"
	case hit:
		t.fp++
		return "FP"
	default:
		t.tn++
	}
	return ""
}

func (t *tally) add(o tally) {
	t.tp, t.fn, t.fp, t.tn = t.tp+o.tp, t.fn+o.fn, t.fp+o.fp, t.tn+o.tn
}

func (t tally) counts() string {
	return fmt.Sprintf("tp=%d fn=%d fp=%d tn=%d", t.tp, t.fn, t.fp, t.tn)
}

// String gives the figures the quality tests log.
func (t tally) String() string {
	return fmt.Sprintf("recall=%.3f precision=%.3f (%s)", t.recall(), t.precision(), t.counts())
}

// tallies are tallies by language or rule.
type tallies map[string]*tally

// of returns the tally of key, a new one the first time.
func (m tallies) of(key string) *tally {
	if m[key] == nil {
		m[key] = &tally{}
	}
	return m[key]
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (t tally) recall() float64 {
	if t.tp+t.fn == 0 {
		return 1
	}
	return float64(t.tp) / float64(t.tp+t.fn)
}

func (t tally) precision() float64 {
	if t.tp+t.fp == 0 {
		return 1
	}
	return float64(t.tp) / float64(t.tp+t.fp)
}

// TestCorpusQuality measures recall and precision per language, for the
// rule families mapped above, on the annotated semgrep-rules test targets
// (Go, Python, JavaScript, TypeScript) and, for Go, also on gosec's
// positive/negative samples; it fails below recall 0.85 or precision 0.90
// for any language. semgrep-rules may not be copied (LGPL-2.1 with Commons
// Clause), so this needs the full corpus; TestGosecQuality measures what a
// fresh clone has. Run with -v to see the figures.
func TestCorpusQuality(t *testing.T) {
	corpus := scannertest.CorpusDir(t)
	per := semgrepQuality(t, corpus)
	per.of("go").add(gosecQuality(t, corpus))
	for _, l := range sortedKeys(per) {
		r := per[l]
		t.Logf("QUALITY %-10s %s", l, r)
		if r.recall() < 0.85 || r.precision() < 0.90 {
			t.Errorf("%s: recall %.3f (want ≥ 0.85), precision %.3f (want ≥ 0.90)", l, r.recall(), r.precision())
		}
	}
}

// TestGosecQuality measures Go recall and precision on gosec's samples
// alone: on the full corpus against the same targets as TestCorpusQuality
// (recall 0.85, precision 0.90); on the subset in testdata/ (the first two
// positive and negative samples of each mapped gosec rule) against bars a
// little under what it measured there: recall 0.938 (30/32) and precision
// 0.909 (30/33), so at least 0.90 and 0.87 (one more miss or one more
// false positive passes, two more fail).
func TestGosecQuality(t *testing.T) {
	for _, c := range scannertest.Corpora(t) {
		t.Run(c.Name(), func(t *testing.T) {
			minRecall, minPrecision := 0.85, 0.90
			if !c.Full {
				minRecall, minPrecision = 0.90, 0.87
			}
			r := gosecQuality(t, c.Dir)
			if r.tp+r.fn == 0 || r.fp+r.tn == 0 {
				t.Fatalf("%s: no positive or no negative sample", r.counts())
			}
			if r.recall() < minRecall || r.precision() < minPrecision {
				t.Errorf("gosec: recall %.3f (want ≥ %.2f), precision %.3f (want ≥ %.2f)", r.recall(), minRecall, r.precision(), minPrecision)
			}
		})
	}
}

// semgrepQuality scores the semgrep-rules annotations per language.
func semgrepQuality(t *testing.T, corpus string) tallies {
	var idx semgrepIndex
	if err := json.Unmarshal(scannertest.ReadCorpus(t, "code", "semgrep-rules", "index.json"), &idx); err != nil {
		t.Fatal(err)
	}
	s := newTestScanner(t)
	family := ruleFamilies(s)
	per, perRule := tallies{}, tallies{}
	var misses []string
	eachSemgrepLabel(t, s, corpus, idx, func(c semgrepCase, fs []scanners.Finding, rule, fam string, positive bool, line int) {
		hit := covers(fs, family, fam, line)
		per.of(c.Language).count(positive, hit)
		if miss := perRule.of(c.Language+"/"+rule).count(positive, hit); miss != "" {
			misses = append(misses, fmt.Sprintf("%s %s:%d %s", miss, c.File, line, rule))
		}
	})
	if testing.Verbose() {
		for _, k := range sortedKeys(perRule) {
			if r := perRule[k]; r.fn > 0 || r.fp > 0 {
				t.Logf("rule %-60s %s", k, r.counts())
			}
		}
		logMisses(t, misses)
	}
	for _, l := range sortedKeys(per) {
		t.Logf("semgrep-rules %-10s %s", l, per[l])
	}
	return per
}

// eachSemgrepLabel scans every semgrep-rules target of a language this
// scanner reads and calls fn for each ruleid/ok annotation (todo ones too)
// of a rule mapped in semgrepFamilies, with the file's findings.
func eachSemgrepLabel(t *testing.T, s *Scanner, corpus string, idx semgrepIndex,
	fn func(c semgrepCase, fs []scanners.Finding, rule, fam string, positive bool, line int)) {
	t.Helper()
	for _, c := range idx.Cases {
		fams := semgrepFamilies[c.Language]
		if languageOf(c.File) == "" || fams == nil {
			continue
		}
		src, err := os.ReadFile(filepath.Join(corpus, c.File))
		if err != nil {
			t.Fatal(err)
		}
		fs, _, err := s.scan(context.Background(), c.File, src)
		if err != nil {
			t.Errorf("%s: %v", c.File, err)
			continue
		}
		for _, a := range c.Annotations {
			fam, ok := fams[a.RuleID]
			positive := a.Label == "ruleid" || a.Label == "todoruleid"
			if !ok || !positive && a.Label != "ok" && a.Label != "todook" {
				continue
			}
			fn(c, fs, a.RuleID, fam, positive, a.TargetLine)
		}
	}
}

// logMisses lists the false negatives and positives when CODE_MISSES is set.
func logMisses(t *testing.T, misses []string) {
	if os.Getenv("CODE_MISSES") != "" {
		t.Log("\n" + strings.Join(misses, "\n"))
	}
}

func newTestScanner(t testing.TB) *Scanner {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ruleFamilies maps a finding's rule id to its rule's family.
func ruleFamilies(s *Scanner) map[string]string {
	m := map[string]string{}
	for _, r := range s.Definitions() {
		m[Name+"/"+r.ID] = r.Family
	}
	return m
}

// inScope reports whether line is one of f's Scope lines (where its input
// entered, where its string was built).
func inScope(f scanners.Finding, line int) bool {
	for _, r := range f.Scope {
		if r.Start <= line && line <= r.End {
			return true
		}
	}
	return false
}

// taintedFinding reports whether f's value comes from request input: its rule
// fires on nothing else, or its message says where the value came from.
func taintedFinding(s *Scanner, f scanners.Finding) bool {
	if r := s.byID[f.RuleID]; r != nil && r.Match.When == "tainted" {
		return true
	}
	return strings.Contains(f.Message, "Here the value comes from")
}

// gosecFamilies maps gosec rule ids to our families; a trailing "!" means
// the gosec rule is a taint rule (G7xx), matched by our findings whose value
// comes from request input. Not mapped: G107 (any non-constant URL, where
// this scanner reports URLs from input: G704), G101
// (credential-named variables: the secrets scanner's job), G404 (every
// math/rand call, where this scanner only reports randomness that makes a
// token), and the rules about classes not implemented here.
var gosecFamilies = map[string]string{
	"G201": "sqli", "G202": "sqli", "G701": "sqli!",
	"G204": "cmdi", "G702": "cmdi!",
	"G304": "path-traversal", "G703": "path-traversal!",
	"G704": "ssrf!",
	"G203": "xss", "G705": "xss!",
	"G401": "weak-crypto", "G405": "weak-crypto", "G406": "weak-crypto", "G501": "weak-crypto", "G502": "weak-crypto",
	"G505": "weak-crypto", "G506": "weak-crypto", "G507": "weak-crypto",
	"G402": "tls",
}

// gosecQuality scores, per gosec sample package, whether the family mapped
// from the sample's rule reports anything (positive samples) or nothing
// (negative samples).
func gosecQuality(t *testing.T, corpus string) tally {
	var idx struct {
		Cases []struct {
			Files    []string `json:"files"`
			Rule     *string  `json:"rule"`
			Expected int      `json:"expected_issues"`
		} `json:"cases"`
	}
	scannertest.ReadJSON(t, filepath.Join(corpus, "code", "gosec", "index.json"), &idx)
	s := newTestScanner(t)
	family := ruleFamilies(s)
	var all tally
	perRule := tallies{}
	var misses []string
	for _, c := range idx.Cases {
		if c.Rule == nil {
			continue
		}
		fam, ok := gosecFamilies[*c.Rule]
		if !ok {
			continue
		}
		needTaint := strings.HasSuffix(fam, "!")
		fam = strings.TrimSuffix(fam, "!")
		hit := false
		for _, file := range c.Files {
			src, err := os.ReadFile(filepath.Join(corpus, file))
			if err != nil {
				t.Fatal(err)
			}
			fs, _, err := s.scan(context.Background(), file, src)
			if err != nil {
				t.Errorf("%s: %v", file, err)
			}
			for _, f := range fs {
				if family[f.RuleID] == fam && (!needTaint || taintedFinding(s, f)) {
					hit = true
				}
			}
		}
		all.count(c.Expected > 0, hit)
		if miss := perRule.of(*c.Rule).count(c.Expected > 0, hit); miss != "" {
			misses = append(misses, miss+" "+c.Files[0])
		}
	}
	if testing.Verbose() {
		for _, k := range sortedKeys(perRule) {
			t.Logf("gosec %s %s", k, perRule[k].counts())
		}
		logMisses(t, misses)
	}
	t.Logf("gosec go %s", all)
	return all
}
