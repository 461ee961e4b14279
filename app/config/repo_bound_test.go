package config_test

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/scanners"
)

func TestParseSettingsBounds(t *testing.T) {
	rep := strings.Repeat
	const n = scanners.MaxDepth
	var block strings.Builder
	block.WriteString("scanners:\n")
	for i := 1; i <= n; i++ {
		block.WriteString(rep(" ", i) + "a:\n")
	}
	tests := []struct {
		name, src, want string // want: a substring of some problem
	}{
		{"flow nesting", "ignore: " + rep("[", n) + rep("]", n) + "\n", "nesting depth over 512"},
		{"block nesting", block.String(), "nesting depth over 512"},
		{"closers in strings", "rules: " + rep(`{"]}": '}]', a: `, n) + "1" + rep("}", n) + "\n", "nesting depth over 512"},
		{"billion laughs", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + aliasBomb(), "aliases expanded"},
		{"broken second document", "version: 1\n---\na: [\n", "invalid YAML"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := config.ParseSettings("", []byte(tc.src))
			for _, p := range probs {
				if strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Fatalf("problems %v, want one saying %q", probs, tc.want)
		})
	}
}

func aliasBomb() string {
	var b strings.Builder
	for i := 1; i <= 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// FuzzParseSettingsBounds: a file behind a document nested past the bound is
// never taken as the defaults without a problem.
func FuzzParseSettingsBounds(f *testing.F) {
	f.Add([]byte("version: 1\n"), uint16(0))
	f.Add([]byte("ignore:\n- rule: secrets/x\n  reason: y\n"), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, extra uint16) {
		if len(data) > 64<<10 {
			return
		}
		n := scanners.MaxDepth + int(extra%64)
		deep := "ignore: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n---\n"
		if _, probs := config.ParseSettings("", append([]byte(deep), data...)); len(probs) == 0 {
			t.Fatalf("%d levels deep: no problem reported", n)
		}
	})
}
