package nest_test

import (
	"fmt"
	"strings"
	"testing"

	burntsushi "github.com/BurntSushi/toml"
	"github.com/pelletier/go-toml/v2"
)

// lockfile fills size bytes with entries from entry(i).
func lockfile(size int, entry func(i int) string) []byte {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(entry(i))
	}
	return []byte(b.String())
}

type lockPackage struct {
	Name    string `toml:"name"`
	Version string `toml:"version"`
	Source  any    `toml:"source"`
}

// BenchmarkTOMLDecoders compares the decoder the lockfile parsers used
// (BurntSushi/toml) with the one they use now (go-toml) on real-shaped
// lockfiles and on inline tables nested 500 deep (inside MaxDepth):
//
//	go test -run '^$' -bench TOMLDecoders -benchmem ./scanners/nest
func BenchmarkTOMLDecoders(b *testing.B) {
	inputs := []struct {
		name string
		src  []byte
	}{
		{"uv.lock-4MiB", lockfile(4<<20, func(i int) string {
			return fmt.Sprintf("[[package]]\nname = \"p%d\"\nversion = \"1.%d.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n"+
				"dependencies = [\n    { name = \"d%d\" },\n]\nsdist = { url = \"https://files.example/p%d.tar.gz\", hash = \"sha256:5aadc6a1bbb7cdb0bede386cac5e2940f5e2ff3aa20277e991cf028e0585ce94\", size = 163930 }\n"+
				"wheels = [\n    { url = \"https://files.example/p%d.whl\", hash = \"sha256:c1ad0e58e3aa1a0ef1e7c4ad3ed4f5e1aa7d9d8b53ebc2a9d8b41f4c0d71a09e\", size = 86780 },\n]\n\n", i, i, i, i, i)
		})},
		{"Cargo.lock-4MiB", lockfile(4<<20, func(i int) string {
			return fmt.Sprintf("[[package]]\nname = \"c%d\"\nversion = \"0.%d.3\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"+
				"checksum = \"8e60d3430d3a69478ad0993f19238d2df97c507009a52b3c10addcd7f6bcb916\"\ndependencies = [\n \"memchr\",\n]\n\n", i, i)
		})},
		{"nested-500-256KiB", lockfile(256<<10, func(i int) string {
			return fmt.Sprintf("[[package]]\nname = \"p%d\"\nversion = \"1\"\nx = %s1%s\n", i, strings.Repeat("{a=", 500), strings.Repeat("}", 500))
		})},
	}
	for _, in := range inputs {
		for _, dec := range []struct {
			name   string
			decode func([]byte, any) error
		}{
			{"BurntSushi", func(b []byte, v any) error { _, err := burntsushi.Decode(string(b), v); return err }},
			{"go-toml", toml.Unmarshal},
		} {
			b.Run(in.name+"/"+dec.name, func(b *testing.B) {
				b.SetBytes(int64(len(in.src)))
				for b.Loop() {
					var doc struct {
						Package []lockPackage `toml:"package"`
					}
					if err := dec.decode(in.src, &doc); err != nil || len(doc.Package) == 0 {
						b.Fatalf("%d packages, %v", len(doc.Package), err)
					}
				}
			})
		}
	}
}
