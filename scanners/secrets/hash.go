package secrets

import "strings"

// Lockfiles, go.sum and checksum lists are scanned like any other file (a
// registry token in a resolved URL, a credential pasted into go.mod are
// leaks), but they are full of digests that look random to entropy rules.
// isLockfileHash drops a candidate when the value holding it is a digest
// by shape and by name: the exact length of a hash algorithm's output, in
// hex or base64, either marked with the algorithm (sha512-…, sha256:…,
// h1:…, zh:…) or under a key that names a digest (checksum, integrity,
// shasum, reference, …). A secret rarely has a digest's exact length, and
// never sits under such a key or marker in a real lockfile.

// maxDigestValue is the longest value isLockfileHash considers: a hex
// sha512 (128) with its marker and a key run into it (hash=sha512:…).
const maxDigestValue = 160

// digestBytes are the output sizes of the hashes lockfiles use: md5,
// sha1, sha224, sha256, sha384, sha512.
var digestBytes = []int{16, 20, 28, 32, 48, 64}

// hashAlgos maps an algorithm marker to its digest size in bytes.
var hashAlgos = map[string]int{
	"md5": 16, "sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64,
	"sha-1": 20, "sha-256": 32, "sha-384": 48, "sha-512": 64,
	// Go's module hashes (go.sum, Terraform's .terraform.lock.hcl): base64
	// sha256; Terraform's zip hashes: hex sha256.
	"h1": 32, "zh": 32,
}

// digestKeys are keys whose value is a digest in lockfiles and
// checksum manifests: npm/yarn/pnpm/deno/bun integrity, composer shasum
// and reference (a commit), Cargo/poetry/pubspec checksum and sha256,
// NuGet contentHash, Nix flake narHash and rev, Gradle verification
// metadata, Bundler CHECKSUMS.
var digestKeys = map[string]bool{
	"integrity": true, "checksum": true, "checksums": true, "shasum": true, "hash": true, "hashes": true,
	"reference": true, "rev": true, "revision": true, "commit": true, "sha": true, "digest": true,
	"contenthash": true, "narhash": true, "outer_checksum": true, "inner_checksum": true,
	"md5": true, "sha1": true, "sha224": true, "sha256": true, "sha384": true, "sha512": true,
}

// archiveSuffixes end a URL whose fragment is a digest or a commit
// (yarn's resolved "…/x-1.0.0.tgz#<sha1>", "git+https://…/y.git#<sha>").
var archiveSuffixes = []string{".tgz", ".tar.gz", ".tar", ".zip", ".git"}

// isValueByte reports whether c can be part of a digest value with its
// marker: hex, base64 (standard and URL alphabets, padding) and the
// marker's separators.
func isValueByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '+' || c == '/' || c == '=' || c == '_' || c == '-' || c == ':'
}

// isLockfileHash reports whether the candidate line[ss:se] lies inside a
// digest value (see above).
func isLockfileHash(line string, ss, se int) bool {
	if ss < 0 || se > len(line) || ss >= se {
		return false
	}
	if se-ss > maxDigestValue {
		return false
	}
	// The value around the candidate; a digest with its marker and key
	// is short, so the search stops there (a megabyte line of value
	// bytes costs each candidate no more).
	vs, ve := ss, se
	for vs > 0 && ss-vs <= maxDigestValue && isValueByte(line[vs-1]) {
		vs--
	}
	for ve < len(line) && ve-se <= maxDigestValue && isValueByte(line[ve]) {
		ve++
	}
	if ve-vs > maxDigestValue {
		return false
	}
	for i := ss; i < se; i++ {
		if !isValueByte(line[i]) {
			return false // a candidate with a space or quote in it is no digest
		}
	}
	v := line[vs:ve]
	// A marked digest: sha512-<b64>, sha256:<hex>, sha256=<hex>, h1:<b64>.
	// The marker may follow a key in the same run (hash=sha256:…, or
	// YAML's "integrity:sha512-…" without a space).
	for off := 0; off < len(v); {
		if markedDigest(v[off:], ss-vs-off) {
			return true
		}
		i := strings.IndexAny(v[off:], ":=")
		if i < 0 {
			break
		}
		off += i + 1
	}
	// A bare digest: an archive URL's fragment (yarn's resolved
	// "…tgz#<sha1>"), the value of a key naming a digest, after a cache
	// prefix (yarn berry's checksum: 10c0/<sha512>), or the value of a
	// URL (deno.lock's "https://deno.land/…/mod.ts": "<sha256>").
	if vs > 0 && line[vs-1] == '#' {
		if !isDigest(v, 0) {
			return false
		}
		for _, suf := range archiveSuffixes {
			if strings.HasSuffix(line[:vs-1], suf) {
				return true
			}
		}
		return false
	}
	key := keyBefore(line, vs)
	if digestKeys[strings.ToLower(key)] {
		if i := strings.LastIndexByte(v, '/'); i >= 0 && i < len(v)-1 && i <= 8 {
			v = v[i+1:]
		}
		return isDigest(v, 0)
	}
	return len(v) == 64 && isHex(v) && (strings.HasPrefix(key, "https://") || strings.HasPrefix(key, "http://"))
}

// markedDigest reports whether v starts with an algorithm marker and the
// rest of v is that algorithm's digest, and the candidate (at offset from
// in v, possibly negative: before v) starts inside it.
func markedDigest(v string, from int) bool {
	i := strings.IndexAny(v, "-:=")
	for i >= 0 && strings.HasPrefix(strings.ToLower(v[:i]), "sha") && i+1 < len(v) && v[i] == '-' && v[i+1] >= '0' && v[i+1] <= '9' {
		// sha-256-<…>: the dash belongs to the algorithm's name.
		j := strings.IndexAny(v[i+1:], "-:=")
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	if i <= 0 || from < 0 {
		return false
	}
	n, ok := hashAlgos[strings.ToLower(v[:i])]
	return ok && isDigest(v[i+1:], n)
}

// isDigest reports whether v is a digest of n bytes (0: of any size in
// digestBytes) in lower- or upper-case hex, or in padded or unpadded
// standard or URL base64.
func isDigest(v string, n int) bool {
	sizes := digestBytes
	if n > 0 {
		sizes = []int{n}
	}
	for _, n := range sizes {
		if len(v) == 2*n && isHex(v) {
			return true
		}
		b64 := (n*8 + 5) / 6 // unpadded length
		padded := (n + 2) / 3 * 4
		t := strings.TrimRight(v, "=")
		if (len(v) == b64 || len(v) == padded) && len(t) == b64 && isBase64(t) && mixedBase64(t) {
			return true
		}
	}
	return false
}

func isHex(s string) bool {
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return false
		}
	}
	return !(lower && upper)
}

func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// mixedBase64 rules out words and identifiers of a digest's length
// (an_identifier_of_exactly_43_chars): a base64 digest has upper and
// lower case letters and digits.
func mixedBase64(s string) bool {
	var u, l, d bool
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z':
			u = true
		case c >= 'a' && c <= 'z':
			l = true
		case c >= '0' && c <= '9':
			d = true
		}
	}
	return u && l && d
}

// keyBefore is the key a value at line[vs:] is assigned to: the
// identifier before it, across quotes, spaces and one separator
// (`"integrity": "…"`, `checksum = "…"`, `sha256=…`, `integrity …`), or
// a whole quoted key (`"https://deno.land/x/mod.ts": "…"`).
func keyBefore(line string, vs int) string {
	i := vs
	for i > 0 && strings.IndexByte("\"' \t", line[i-1]) >= 0 {
		i--
	}
	if i > 0 && strings.IndexByte(":=,", line[i-1]) >= 0 {
		i--
	}
	for i > 0 && strings.IndexByte(" \t", line[i-1]) >= 0 {
		i--
	}
	if i > 0 && line[i-1] == '"' {
		if open := strings.LastIndexByte(line[:i-1], '"'); open >= 0 && strings.Contains(line[open+1:i-1], "://") {
			return line[open+1 : i-1]
		}
	}
	for i > 0 && strings.IndexByte("\"'{", line[i-1]) >= 0 {
		i--
	}
	end := i
	for i > 0 && (isWordByte(line[i-1]) || line[i-1] == '-') {
		i--
	}
	return line[i:end]
}
