package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app"
)

// TestScannerNamesMatchTheList: ScannerNames names the scanners
// NewScanners builds, in its order, so --scanners builds what it names.
func TestScannerNamesMatchTheList(t *testing.T) {
	list, err := app.DefaultScanners()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range list {
		got = append(got, s.Name())
	}
	if !slices.Equal(got, app.ScannerNames) {
		t.Fatalf("NewScanners builds %v, ScannerNames says %v", got, app.ScannerNames)
	}
}

// TestDefaultScannersNamedBuildsOnlyThose: naming scanners builds those
// alone, in the review's order; none named builds all; an unknown name is
// an error listing the scanners there are.
func TestDefaultScannersNamedBuildsOnlyThose(t *testing.T) {
	for _, tc := range []struct {
		names, want []string
	}{
		{[]string{"secrets"}, []string{"secrets"}},
		{[]string{"code", "secrets"}, []string{"secrets", "code"}},
		{nil, app.ScannerNames},
	} {
		list, err := app.DefaultScannersNamed(tc.names)
		if err != nil {
			t.Fatalf("%v: %v", tc.names, err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.Name())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("DefaultScannersNamed(%v) built %v, want %v", tc.names, got, tc.want)
		}
	}
	_, err := app.DefaultScannersNamed([]string{"secrets", "lint"})
	if err == nil || !strings.Contains(err.Error(), `no scanner "lint"`) || !strings.Contains(err.Error(), "secrets, deps, iac, pipelines, code") {
		t.Fatalf("unknown scanner: err %v", err)
	}
}
