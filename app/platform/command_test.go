package platform_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		body string
		want *platform.Command
	}{
		{"/shiftward rescan", &platform.Command{Name: "rescan", Line: "/shiftward rescan"}},
		{"LGTM\r\n  /shiftward  Explain   secrets/aws-key \r\n", &platform.Command{Name: "explain", Args: []string{"secrets/aws-key"}, Line: "/shiftward  Explain   secrets/aws-key"}},
		{"/shiftward", &platform.Command{Name: "help", Line: "/shiftward"}},
		{"/shiftwardrescan", nil},
		{"please /shiftward rescan", nil},
		{"> /shiftward rescan", nil},
		{"```\n/shiftward rescan\n```\n", nil},
		{"```\ncode\n```\n/shiftward help", &platform.Command{Name: "help", Line: "/shiftward help"}},
		{"/shiftward frobnicate now", &platform.Command{Name: "frobnicate", Args: []string{"now"}, Line: "/shiftward frobnicate now"}},
		{"", nil},
	}
	for _, tt := range tests {
		got, ok := platform.ParseCommand(tt.body)
		if ok != (tt.want != nil) {
			t.Errorf("ParseCommand(%q) ok = %v, want %v", tt.body, ok, tt.want != nil)
			continue
		}
		if ok {
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("ParseCommand(%q) (-want +got):\n%s", tt.body, diff)
			}
		}
	}
	long, _ := platform.ParseCommand("/shiftward ignore x " + strings.Repeat("é", 500))
	if len(long.Line) > 300 || !strings.HasPrefix(long.Line, "/shiftward ignore x é") || strings.ContainsRune(long.Line, '\uFFFD') {
		t.Errorf("long line kept as %d bytes, want at most 300 and whole characters", len(long.Line))
	}
}

func FuzzParseCommand(f *testing.F) {
	f.Add("/shiftward ignore abc reason --until 2027-01-01")
	f.Fuzz(func(t *testing.T, body string) {
		cmd, ok := platform.ParseCommand(body)
		if ok && (cmd.Name == "" || len(cmd.Line) > 300 || len(cmd.Args) > 20) {
			t.Fatalf("bad command %+v", cmd)
		}
	})
}
