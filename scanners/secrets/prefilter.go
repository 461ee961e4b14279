package secrets

import (
	"cmp"
	"slices"
)

// prefilter finds every ASCII-case-insensitive occurrence of a set of
// keywords. Keywords are rare in real text (one hit per few hundred bytes
// of source code), so instead of stepping an automaton through every byte,
// whose state-to-state load chain costs a cache latency per byte, it tests
// each position independently, with two table loads and no branch taken
// in the common case, in the manner of Hyperscan's FDR: every keyword has
// a fingerprint of up to 4 bytes (the keyword itself when shorter, else
// the 4 bytes least like ordinary text: "tful" of "contentful", not
// "cont") and a bucket; lo[first 2 bytes] and hi[next 2 bytes] hold a bit
// per bucket with a fingerprint starting (ending) so, and a position is a
// candidate when the two share a bit. Positions are independent, so the
// CPU overlaps them; only a candidate looks its fingerprints up and
// compares the keywords whole. It allocates nothing beyond the hits.
//
// Case folding is x|0x20 on each byte of a key, applied to keywords and
// text alike: it maps A-Z onto a-z and a few other bytes onto each other
// ('_' onto DEL), so a key match is only a candidate, which an exact
// comparison folding A-Z alone then confirms or rejects.
type prefilter struct {
	patterns []string // lower-case
	lengths  []int
	lo, hi   [1 << 16]uint8
	// byKey lists the fingerprints by bucket class and folded key: keys of
	// 1-, 2-, 3- and 4-byte fingerprints, masked to their length.
	byKey [4]map[uint32][]fingerprint
	any   bool
}

// Buckets: one each for fingerprints of 1, 2 and 3 bytes, the other five
// for 4-byte ones.
const (
	bucket1  = 1 << 7
	bucket2  = 1 << 6
	bucket3  = 1 << 5
	buckets4 = 5
)

// fingerprint is a keyword whose bytes at off have a given key.
type fingerprint struct {
	id  int32
	off int32
}

// pfHit is one keyword occurrence: text[start:end] is pattern id.
type pfHit struct {
	start, end int
	id         int32
}

// commonness ranks bytes by how often they occur in source code and
// prose, most common first; a byte not listed counts as rare.
const commonness = " etaoinsr.lcdu/pmh\n\tgfbyw_()vk\",=:x-jqz"

func rarity(c byte) int {
	c = lowerByte(c)
	for i := 0; i < len(commonness); i++ {
		if commonness[i] == c {
			return i
		}
	}
	return len(commonness) + 4
}

// rarest is the offset of the n bytes of pat least like ordinary text.
func rarest(pat string, n int) int {
	best, bestScore := 0, -1
	for off := 0; off+n <= len(pat); off++ {
		s := 0
		for j := off; j < off+n; j++ {
			s += rarity(pat[j])
		}
		if s > bestScore {
			best, bestScore = off, s
		}
	}
	return best
}

// newPrefilter builds the filter for patterns; matching ignores ASCII
// case. Empty patterns never match.
func newPrefilter(patterns []string) *prefilter {
	p := &prefilter{
		patterns: make([]string, len(patterns)),
		lengths:  make([]int, len(patterns)),
	}
	for i := range p.byKey {
		p.byKey[i] = map[uint32][]fingerprint{}
	}
	// 4-byte fingerprints sharing their first two bytes share a bucket,
	// so a common pair sets one bit of lo, not several.
	loBucket := map[uint32]uint8{}
	next := 0
	for id, pat := range patterns {
		pat = lowerASCII(pat)
		p.patterns[id] = pat
		p.lengths[id] = len(pat)
		if pat == "" {
			continue
		}
		p.any = true
		f := fingerprint{id: int32(id)}
		switch len(pat) {
		case 1:
			k := key(pat, 1)
			p.byKey[0][k] = append(p.byKey[0][k], f)
			for x := uint32(0); x < 256; x++ {
				p.lo[k|x<<8|0x2000] |= bucket1
			}
			for x := range p.hi {
				p.hi[x] |= bucket1
			}
		case 2:
			k := key(pat, 2)
			p.byKey[1][k] = append(p.byKey[1][k], f)
			p.lo[k] |= bucket2
			for x := range p.hi {
				p.hi[x] |= bucket2
			}
		case 3:
			k := key(pat, 3)
			p.byKey[2][k] = append(p.byKey[2][k], f)
			p.lo[k&0xffff] |= bucket3
			for x := uint32(0); x < 256; x++ {
				p.hi[k>>16|x<<8|0x2000] |= bucket3
			}
		default:
			f.off = int32(rarest(pat, 4))
			k := key(pat[f.off:], 4)
			p.byKey[3][k] = append(p.byKey[3][k], f)
			b, ok := loBucket[k&0xffff]
			if !ok {
				b = uint8(1) << (next % buckets4)
				next++
				loBucket[k&0xffff] = b
			}
			p.lo[k&0xffff] |= b
			p.hi[k>>16] |= b
		}
	}
	return p
}

// key is the folded key of s's first n (1 to 4) bytes, as the scan loop
// computes it.
func key(s string, n int) uint32 {
	var k uint32
	for i := n - 1; i >= 0; i-- {
		k = k<<8 | uint32(s[i]) | 0x20
	}
	return k
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// scan appends to hits every occurrence of a pattern in text, overlapping
// ones included, sorted by start offset, then end, then pattern.
func (p *prefilter) scan(text string, hits []pfHit) []pfHit {
	if !p.any {
		return hits
	}
	n0 := len(hits)
	lo, hi := &p.lo, &p.hi
	i := 0
	for ; i < len(text)-3; i++ {
		k := (uint32(text[i]) | uint32(text[i+1])<<8 | uint32(text[i+2])<<16 | uint32(text[i+3])<<24) | 0x20202020
		if m := lo[uint16(k)] & hi[k>>16]; m != 0 {
			hits = p.check(text, i, k, m, hits)
		}
	}
	// The last 3 positions: pad the key with bytes no keyword has, so
	// only shorter fingerprints can match.
	for ; i < len(text); i++ {
		k := uint32(0x20202020)
		for j := min(len(text)-i, 4) - 1; j >= 0; j-- {
			k = k<<8 | uint32(text[i+j]) | 0x20
		}
		k |= 0x20202020 << (8 * (len(text) - i))
		hits = p.check(text, i, k, bucket1|bucket2|bucket3, hits)
	}
	found := hits[n0:]
	if !slices.IsSortedFunc(found, cmpHit) {
		slices.SortFunc(found, cmpHit)
	}
	return hits
}

func cmpHit(a, b pfHit) int {
	if c := cmp.Compare(a.start, b.start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.end, b.end); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// check appends the patterns whose fingerprint may be at text[i], whose
// folded 4-byte key is k, in buckets m.
func (p *prefilter) check(text string, i int, k uint32, m uint8, hits []pfHit) []pfHit {
	if m&bucket1 != 0 {
		hits = p.verify(text, i, p.byKey[0][k&0xff], hits)
	}
	if m&bucket2 != 0 {
		hits = p.verify(text, i, p.byKey[1][k&0xffff], hits)
	}
	if m&bucket3 != 0 {
		hits = p.verify(text, i, p.byKey[2][k&0xffffff], hits)
	}
	if m&(1<<buckets4-1) != 0 {
		hits = p.verify(text, i, p.byKey[3][k], hits)
	}
	return hits
}

// verify appends the fingerprinted patterns that occur around text[i].
func (p *prefilter) verify(text string, i int, fs []fingerprint, hits []pfHit) []pfHit {
	for _, f := range fs {
		start := i - int(f.off)
		pat := p.patterns[f.id]
		if start >= 0 && equalFoldASCII(text[start:], pat) {
			hits = append(hits, pfHit{start, start + len(pat), f.id})
		}
	}
	return hits
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII reports whether s starts with lower, folding A-Z in s.
func equalFoldASCII(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if lowerByte(s[i]) != lower[i] {
			return false
		}
	}
	return true
}
