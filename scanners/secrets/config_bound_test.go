package secrets_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// TestGitleaksConfigBounds: a repository's .gitleaks.toml nested past the
// bound is refused quickly as a config error and a bound error. Before, 20
// KB of nested inline tables took BurntSushi/toml about 0.5 s and 470 MiB
// per 8 KB (quadratic in depth); 80 KB took minutes.
func TestGitleaksConfigBounds(t *testing.T) {
	rep := strings.Repeat
	tests := []struct {
		name, src string
	}{
		{"inline tables", "title = \"x\"\n[extend]\na = " + rep("{a=", 20000) + "1" + rep("}", 20000) + "\n"},
		{"closers in strings", "a = " + rep(`{ b = "}]", c = '}', d = """}""", e = `, 600) + "1" + rep("}", 600) + "\n"},
		{"dotted keys", rep("a.", 600) + "b = 1\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := secrets.ParseGitleaksConfig([]byte(tc.src))
			if !errors.Is(err, secrets.ErrConfig) || !errors.Is(err, scanners.ErrBound) {
				t.Fatalf("ParseGitleaksConfig: %v, want a config error over a bound", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}

// FuzzGitleaksConfig: no config panics the parser, and any config behind
// nesting past the bound is refused.
func FuzzGitleaksConfig(f *testing.F) {
	f.Add([]byte("[[rules]]\nid = \"x\"\nregex = '''a[0-9]+'''\nkeywords = [\"a\"]\n"), uint16(0))
	f.Add([]byte("[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\"]\n"), uint16(1))
	f.Fuzz(func(t *testing.T, src []byte, extra uint16) {
		if len(src) > 16<<10 {
			return
		}
		_, _ = secrets.ParseGitleaksConfig(src)
		n := scanners.MaxDepth + 1 + int(extra%64)
		if _, err := secrets.ParseGitleaksConfig(append([]byte("x = "+strings.Repeat("[", n)), src...)); !errors.Is(err, scanners.ErrBound) {
			t.Fatalf("%d levels deep: %v, want a bound error", n, err)
		}
	})
}
