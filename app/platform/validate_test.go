package platform_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
)

func TestValidSHA(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{strings.Repeat("a1", 20), true},
		{strings.Repeat("0f", 32), true},
		{strings.Repeat("a", 39), false},
		{strings.Repeat("a", 41), false},
		{strings.Repeat("A", 40), false},
		{strings.Repeat("g", 40), false},
		{"../../" + strings.Repeat("a", 34), false},
		{"", false},
	}
	for _, tt := range tests {
		if got := platform.ValidSHA(tt.in); got != tt.want {
			t.Errorf("ValidSHA(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsZeroSHA(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{strings.Repeat("0", 40), true},
		{strings.Repeat("0", 64), true},
		{"", false},
		{strings.Repeat("0", 39) + "1", false},
	}
	for _, tt := range tests {
		if got := platform.IsZeroSHA(tt.in); got != tt.want {
			t.Errorf("IsZeroSHA(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValidPathSegment(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want bool
	}{
		{"shiftward", 100, true},
		{"my-repo_1.go", 100, true},
		{strings.Repeat("a", 100), 100, true},
		{strings.Repeat("a", 101), 100, false},
		{strings.Repeat("a", 101), 255, true},
		{"", 100, false},
		{".", 100, false},
		{"..", 100, false},
		{"a/b", 100, false},
		{`a\b`, 100, false},
		{"a b", 100, false},
		{"a?b", 100, false},
		{"a#b", 100, false},
		{"a%2Fb", 100, false},
		{"a\nb", 100, false},
		{"é", 100, false},
	}
	for _, tt := range tests {
		if got := platform.ValidPathSegment(tt.in, tt.max); got != tt.want {
			t.Errorf("ValidPathSegment(%q, %d) = %v, want %v", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestInvalid(t *testing.T) {
	err := platform.Invalid("repository missing")
	var ve *platform.ValidationError
	if !errors.As(err, &ve) || ve.Reason != "repository missing" {
		t.Fatalf("Invalid = %#v, want *ValidationError with the reason", err)
	}
}
