package code

import (
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
		// JWT
		"unverified-jwt-decode": "jwt", "jwt-python-none-alg": "jwt",
		// credentials
		"jwt-python-hardcoded-secret": "hardcoded-credential", "hardcoded-token": "hardcoded-credential",
		// CORS
		"wildcard-cors": "cors",
	},
}

type semgrepIndex struct {
	Cases []struct {
		File        string `json:"file"`
		Language    string `json:"language"`
		Annotations []struct {
			TargetLine int    `json:"target_line"`
			Label      string `json:"label"`
			RuleID     string `json:"rule_id"`
		} `json:"annotations"`
	} `json:"cases"`
}

type tally struct{ tp, fn, fp, tn int }

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

// TestSemgrepCorpusQuality measures recall and precision per language on
// the annotated semgrep-rules test targets for the rule families mapped
// above, and fails below recall 0.85 or precision 0.90.
func TestSemgrepCorpusQuality(t *testing.T) {
	corpus := scannertest.CorpusDir(t)
	var idx semgrepIndex
	if err := json.Unmarshal(scannertest.ReadCorpus(t, "code", "semgrep-rules", "index.json"), &idx); err != nil {
		t.Fatal(err)
	}
	s := newTestScanner(t)
	family := ruleFamilies(s)
	per := map[string]*tally{}
	perRule := map[string]*tally{}
	var misses []string
	for _, c := range idx.Cases {
		lang := languageOf(c.File)
		fams := semgrepFamilies[c.Language]
		if lang == "" || fams == nil {
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
			if !ok {
				continue
			}
			positive := a.Label == "ruleid" || a.Label == "todoruleid"
			negative := a.Label == "ok" || a.Label == "todook"
			if !positive && !negative {
				continue
			}
			hit := false
			for _, f := range fs {
				if family[f.RuleID] == fam && (f.Location.StartLine <= a.TargetLine && a.TargetLine <= f.Location.EndLine || f.srcLine == a.TargetLine) {
					hit = true
				}
			}
			tl := per[c.Language]
			if tl == nil {
				tl = &tally{}
				per[c.Language] = tl
			}
			tr := perRule[c.Language+"/"+a.RuleID]
			if tr == nil {
				tr = &tally{}
				perRule[c.Language+"/"+a.RuleID] = tr
			}
			switch {
			case positive && hit:
				tl.tp++
				tr.tp++
			case positive:
				tl.fn++
				tr.fn++
				misses = append(misses, fmt.Sprintf("FN %s:%d %s", c.File, a.TargetLine, a.RuleID))
			case hit:
				tl.fp++
				tr.fp++
				misses = append(misses, fmt.Sprintf("FP %s:%d %s", c.File, a.TargetLine, a.RuleID))
			default:
				tl.tn++
				tr.tn++
			}
		}
	}
	if testing.Verbose() {
		keys := make([]string, 0, len(perRule))
		for k := range perRule {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			r := perRule[k]
			if r.fn > 0 || r.fp > 0 {
				t.Logf("rule %-60s tp=%d fn=%d fp=%d tn=%d", k, r.tp, r.fn, r.fp, r.tn)
			}
		}
		if os.Getenv("CODE_MISSES") != "" {
			t.Log("\n" + strings.Join(misses, "\n"))
		}
	}
	langs := make([]string, 0, len(per))
	for l := range per {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		r := per[l]
		t.Logf("semgrep-rules %-10s recall=%.3f precision=%.3f (tp=%d fn=%d fp=%d tn=%d)", l, r.recall(), r.precision(), r.tp, r.fn, r.fp, r.tn)
		if r.recall() < 0.85 || r.precision() < 0.90 {
			t.Errorf("%s: recall %.3f (want ≥ 0.85), precision %.3f (want ≥ 0.90)", l, r.recall(), r.precision())
		}
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
	for _, r := range s.Rules() {
		m[Name+"/"+r.ID] = r.Family
	}
	return m
}
