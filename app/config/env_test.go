package config

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// envConstants parses this package's non-test files and returns the value
// of every string constant whose name starts with Env or env (envPrefix
// and envTestPrefix, which end in "_", are prefixes, not names). A constant
// whose value it cannot work out fails the test, so a new form is noticed.
func envConstants(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	exprs := map[string]ast.Expr{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						exprs[n.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	var eval func(e ast.Expr, depth int) (string, bool)
	eval = func(e ast.Expr, depth int) (string, bool) {
		if depth > 8 {
			return "", false
		}
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		case *ast.Ident:
			x, ok := exprs[e.Name]
			if !ok {
				return "", false
			}
			return eval(x, depth+1)
		case *ast.ParenExpr:
			return eval(e.X, depth+1)
		case *ast.BinaryExpr:
			if e.Op != token.ADD {
				return "", false
			}
			a, ok1 := eval(e.X, depth+1)
			b, ok2 := eval(e.Y, depth+1)
			return a + b, ok1 && ok2
		}
		return "", false
	}
	name := regexp.MustCompile(`^[Ee]nv[A-Z]`)
	out := map[string]string{}
	for n, e := range exprs {
		if !name.MatchString(n) {
			continue
		}
		v, ok := eval(e, 0)
		if !ok {
			if lit, isLit := e.(*ast.BasicLit); isLit && lit.Kind != token.STRING {
				continue // a number, not a name
			}
			t.Fatalf("constant %s: cannot work out its value from the source", n)
		}
		if strings.HasSuffix(v, "_") {
			continue
		}
		out[n] = v
	}
	return out
}

// Every Env* constant of the package is in Known, and every entry of Known
// is one of them: a setting added without its entry
// would be reported as a misspelling at every start.
func TestKnownListsEveryEnvConstant(t *testing.T) {
	consts := envConstants(t)
	if len(consts) < 20 {
		t.Fatalf("found %d Env* constants, want the whole list (parser broken?): %v", len(consts), consts)
	}
	byValue := map[string]string{}
	for n, v := range consts {
		if !strings.HasPrefix(v, envPrefix) {
			t.Errorf("%s = %q does not start with %s", n, v, envPrefix)
		}
		if !slices.Contains(Known, v) {
			t.Errorf("%s (%s) is missing from Known", n, v)
		}
		byValue[v] = n
	}
	seen := map[string]bool{}
	for _, k := range Known {
		if seen[k] {
			t.Errorf("%s is in Known twice", k)
		}
		seen[k] = true
		if _, ok := byValue[k]; !ok {
			t.Errorf("Known has %s, which no Env constant names", k)
		}
		if strings.HasPrefix(k, envTestPrefix) {
			t.Errorf("Known has %s: test variables are not settings", k)
		}
	}
	if !seen["SHIFTWARD_GITHUB_APP_FILE"] {
		t.Error("Known lacks SHIFTWARD_GITHUB_APP_FILE")
	}
}

// The check itself: a constant left out of Known is reported.
func TestKnownCheckCatchesAMissingConstant(t *testing.T) {
	saved := Known
	t.Cleanup(func() { Known = saved })
	Known = slices.DeleteFunc(slices.Clone(saved), func(s string) bool { return s == EnvOSVTTL })
	consts := envConstants(t)
	missing := 0
	for _, v := range consts {
		if !slices.Contains(Known, v) {
			missing++
		}
	}
	if missing != 1 {
		t.Errorf("with %s left out, %d constants are missing from Known, want 1", EnvOSVTTL, missing)
	}
}

func TestUnknown(t *testing.T) {
	long := "SHIFTWARD_" + strings.Repeat("X", 100_000)
	tests := []struct {
		name    string
		environ []string
		want    []string
	}{
		{"a transposition", []string{"SHIFTWARD_REDIS_ULR=redis://:hunter2@redis:6379/0"},
			[]string{"SHIFTWARD_REDIS_ULR is not a shiftward setting; did you mean SHIFTWARD_REDIS_URL?"}},
		{"a letter dropped", []string{"SHIFTWARD_WORKER=8"},
			[]string{"SHIFTWARD_WORKER is not a shiftward setting; did you mean SHIFTWARD_WORKERS?"}},
		{"a word changed", []string{"SHIFTWARD_GITHUB_WEBHOOK_SECRET_PREV=x"},
			[]string{"SHIFTWARD_GITHUB_WEBHOOK_SECRET_PREV is not a shiftward setting (see README, Configuration)"}},
		{"lower case", []string{"shiftward_log_level=debug"},
			[]string{"shiftward_log_level is not a shiftward setting; did you mean SHIFTWARD_LOG_LEVEL?"}},
		{"nothing close", []string{"SHIFTWARD_FOO=1"},
			[]string{"SHIFTWARD_FOO is not a shiftward setting (see README, Configuration)"}},
		{"a short name is not close to a short setting", []string{"SHIFTWARD_AD=1"},
			[]string{"SHIFTWARD_AD is not a shiftward setting (see README, Configuration)"}},
		{"settings, test variables and others are quiet", []string{
			"PATH=/usr/bin", "SHIFTWARD_REDIS_URL=redis://r:6379", "SHIFTWARD_GITHUB_APP_FILE=/run/app.json",
			"SHIFTWARD_TEST_REDIS_URL=redis://127.0.0.1:6379", "SHIFTWARD_TEST_HELM=1", "HOME=/root", "SHIFTWARDX=1",
		}, nil},
		{"each name once, sorted", []string{"SHIFTWARD_ZZZ=1", "SHIFTWARD_AAA=1", "SHIFTWARD_ZZZ=2"},
			[]string{"SHIFTWARD_AAA is not a shiftward setting (see README, Configuration)", "SHIFTWARD_ZZZ is not a shiftward setting (see README, Configuration)"}},
		{"an entry without a value", []string{"SHIFTWARD_ADR"},
			[]string{"SHIFTWARD_ADR is not a shiftward setting; did you mean SHIFTWARD_ADDR?"}},
		{"a control character is quoted", []string{"SHIFTWARD_A\nlevel=ERROR msg=forged=1"},
			[]string{`"SHIFTWARD_A\nlevel" is not a shiftward setting (see README, Configuration)`}},
		{"a huge name is cut", []string{long + "=1"},
			[]string{long[:maxNameLog] + "... is not a shiftward setting (see README, Configuration)"}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unknown(tt.environ)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Unknown (-want +got):\n%s", diff)
			}
			for _, w := range got {
				for _, kv := range tt.environ {
					if _, v, ok := strings.Cut(kv, "="); ok && len(v) > 1 && strings.Contains(w, v) {
						t.Errorf("warning %q quotes the value %q", w, v)
					}
				}
			}
		})
	}
}
