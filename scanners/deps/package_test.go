package deps_test

import (
	"testing"

	"github.com/shiftward/shiftward/scanners/deps"
)

// TestParsePackageInvertsString: a finding's identity reads back as the
// package it names, scoped npm names and Go module paths included; what
// String cannot have made is refused.
func TestParsePackageInvertsString(t *testing.T) {
	for _, p := range []deps.Package{
		{Ecosystem: "npm", Name: "lodash", Version: "4.17.20"},
		{Ecosystem: "npm", Name: "@types/node", Version: "20.1.0"},
		{Ecosystem: "Go", Name: "github.com/gin-gonic/gin", Version: "1.9.0"},
		{Ecosystem: "Maven", Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1"},
		{Ecosystem: "crates.io", Name: "time", Version: "0.1.45"},
	} {
		got, ok := deps.ParsePackage(p.String())
		if !ok || got != p {
			t.Errorf("ParsePackage(%q) = %+v, %v; want %+v", p.String(), got, ok, p)
		}
	}
	for _, s := range []string{"", "lodash@1.0.0", "npm/lodash", "npm/lodash@", "/lodash@1.0.0", "npm/@1.0.0"} {
		if got, ok := deps.ParsePackage(s); ok {
			t.Errorf("ParsePackage(%q) = %+v, want refused", s, got)
		}
	}
}
