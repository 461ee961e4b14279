package iac_test

import (
	"context"
	"testing"

	"github.com/shiftward/shiftward/scanners/iac"
)

var fuzzPaths = []string{"Dockerfile", "deploy/app.yaml", "infra/main.tf"}

// FuzzScan feeds arbitrary content to each parser: the scanner must not
// panic, and whatever it reports must lie within the file, with fixes that
// apply.
func FuzzScan(f *testing.F) {
	for _, c := range ruleCases(&testing.T{}) {
		f.Add(uint8(map[string]int{"dockerfile": 0, "kubernetes": 1, "terraform": 2}[fileType(c.path)]), c.content)
	}
	f.Add(uint8(1), "a: &a [*a]\n")
	f.Add(uint8(1), "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  spec: {containers: [{name: x}]}\n")
	f.Add(uint8(0), "FROM a\nRUN <<EOF\ncurl x | sh\nEOF\n")
	f.Add(uint8(2), "resource \"aws_security_group\" \"x\" {\n  ingress = [{ cidr_blocks = [\"0.0.0.0/0\"], from_port = 0, to_port = 65535, protocol = \"tcp\" }]\n}\n")
	f.Add(uint8(2), "variable \"p\" { default = true }\nlocals {\n  m = { a = { p = var.p } }\n  l = [for k, v in local.m : v.p]\n}\nresource \"aws_db_instance\" \"d\" {\n  for_each = local.m\n  publicly_accessible = each.value.p\n  dynamic \"x\" {\n    for_each = local.l\n    content { y = x.value }\n  }\n}\n")
	f.Add(uint8(2), "locals {\n  a = format(\"%5s\", try(local.b, \"x\"))\n  b = merge(local.a)\n}\n")
	s := iac.New()
	f.Fuzz(func(t *testing.T, which uint8, content string) {
		path := fuzzPaths[int(which)%len(fuzzPaths)]
		in := wholeFile(path, []byte(content))
		fs, err := s.Scan(context.Background(), in)
		if err != nil {
			return
		}
		n := len(in.Added)
		for _, f := range fs {
			if f.Location.StartLine < 1 || f.Location.EndLine > n+1 || f.Location.EndLine < f.Location.StartLine {
				t.Fatalf("%s: location %+v outside a %d-line file", f.RuleID, f.Location, n)
			}
			if f.Fix != nil {
				if _, err := iac.ApplyFix([]byte(content), f.Fix); err != nil {
					t.Fatalf("%s: %v", f.RuleID, err)
				}
			}
		}
	})
}
