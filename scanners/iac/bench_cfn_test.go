package iac_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/iac"
)

// benchLockfile is a package-lock.json of n packages (about 250 bytes
// each): the large JSON a change most often carries, which is not a
// template.
func benchLockfile(n int) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"name\": \"app\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    \"node_modules/pkg-%d\": {\n      \"version\": \"1.%d.0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg-%d/-/pkg-%d-1.%d.0.tgz\",\n      \"integrity\": \"sha512-%064d\",\n      \"dev\": true\n    }", i, i, i, i, i, i)
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String())
}

// benchJSONTemplate is a JSON CloudFormation template of n buckets.
func benchJSONTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    \"Bucket%d\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"BucketName\": \"data-%d\",\n        \"VersioningConfiguration\": {\"Status\": \"Enabled\"}\n      }\n    }", i, i)
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String())
}

// BenchmarkScanJSON: a large JSON file that is not a template costs the
// content sniff only (two substring searches); a template is parsed.
func BenchmarkScanJSON(b *testing.B) {
	s := iac.New()
	for _, bc := range []struct {
		name, path string
		content    []byte
	}{
		{"package-lock-4MiB", "package-lock.json", benchLockfile(15000)},
		{"template-500-buckets", "stack.json", benchJSONTemplate(500)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			in := wholeFile(bc.path, bc.content)
			b.SetBytes(int64(len(bc.content)))
			for b.Loop() {
				if _, err := s.Scan(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
