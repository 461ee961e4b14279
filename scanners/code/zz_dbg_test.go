package code

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestZZDbg(t *testing.T) {
	p := os.Getenv("DBG")
	if p == "" {
		t.Skip()
	}
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := New()
	fs, _, err := s.scan(context.Background(), "src/app.js", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		fmt.Printf("%d-%d %s %s\n", f.Location.StartLine, f.Location.EndLine, f.RuleID, f.Message)
	}
}
