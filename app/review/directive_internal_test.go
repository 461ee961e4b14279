package review

import (
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
)

// TestDirectiveLines: of a file with findings, the review keeps only the
// lines that may hold an inline suppression, as copies that do not share
// (and so keep alive) the file's part of the diff.
func TestDirectiveLines(t *testing.T) {
	diffText := "x := 1\n// shiftward:ignore secrets/generic-api-key test key\ntoken := \"abc\"\n"
	added := []scanners.Line{
		{Number: 1, Text: diffText[0:6]},
		{Number: 2, Text: diffText[7:59]},
		{Number: 3, Text: diffText[60:]},
	}
	got := directiveLines(added)
	want := []scanners.Line{{Number: 2, Text: "// shiftward:ignore secrets/generic-api-key test key"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("directiveLines (-want +got):\n%s", diff)
	}
	if unsafe.StringData(got[0].Text) == unsafe.StringData(added[1].Text) {
		t.Error("the kept line shares the diff's text: it would keep the whole file alive")
	}
	if got := directiveLines(added[:1]); got != nil {
		t.Errorf("no directive: kept %v, want nothing", got)
	}
}
