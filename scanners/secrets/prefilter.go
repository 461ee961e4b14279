package secrets

// prefilter is an Aho-Corasick automaton compiled to a dense DFA over byte
// classes. ASCII letters are folded into one class per letter, so the text
// needs no lower-casing pass and the scan allocates nothing: one table load
// per input byte. It measured several times faster than
// github.com/BobuSumisu/aho-corasick on source text, which lower-cases the
// input and allocates a Match per hit (see BenchmarkPrefilter).
type prefilter struct {
	classOf [256]uint8
	classes int
	// delta[state*classes+class] is (next*classes)<<1 | hasOutput.
	delta []int32
	// out lists the patterns that end in each state, including those
	// reached through failure links.
	out     [][]int32
	lengths []int
}

// newPrefilter builds the automaton for patterns, which must be
// lower-case; matching ignores ASCII case.
func newPrefilter(patterns []string) *prefilter {
	p := &prefilter{lengths: make([]int, len(patterns))}
	// Byte classes: one per distinct byte used by some pattern, 0 for all
	// others (which can only send the automaton back to the root).
	next := 1
	for _, pat := range patterns {
		for i := 0; i < len(pat); i++ {
			b := pat[i]
			if p.classOf[b] == 0 {
				if next > 255 {
					// Every byte value in use: fall back to identity classes.
					continue
				}
				p.classOf[b] = uint8(next)
				next++
			}
		}
	}
	for c := byte('A'); c <= 'Z'; c++ {
		p.classOf[c] = p.classOf[c+'a'-'A']
	}
	p.classes = next

	// Trie.
	type node struct {
		child map[uint8]int32
		fail  int32
		out   []int32
	}
	nodes := []node{{child: map[uint8]int32{}}}
	for id, pat := range patterns {
		p.lengths[id] = len(pat)
		s := int32(0)
		for i := 0; i < len(pat); i++ {
			c := p.classOf[pat[i]]
			n, ok := nodes[s].child[c]
			if !ok {
				n = int32(len(nodes))
				nodes = append(nodes, node{child: map[uint8]int32{}})
				nodes[s].child[c] = n
			}
			s = n
		}
		if len(pat) > 0 {
			nodes[s].out = append(nodes[s].out, int32(id))
		}
	}

	// Breadth-first failure links and the full transition table.
	nc := p.classes
	p.delta = make([]int32, len(nodes)*nc)
	trans := make([]int32, len(nodes)*nc)
	queue := []int32{}
	for c := 0; c < nc; c++ {
		if n, ok := nodes[0].child[uint8(c)]; ok {
			trans[c] = n
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < nc; c++ {
			if n, ok := nodes[s].child[uint8(c)]; ok {
				nodes[n].fail = trans[int(f)*nc+c]
				trans[int(s)*nc+c] = n
				queue = append(queue, n)
			} else {
				trans[int(s)*nc+c] = trans[int(f)*nc+c]
			}
		}
	}
	p.out = make([][]int32, len(nodes))
	for i := range nodes {
		p.out[i] = nodes[i].out
	}
	// Entries hold the next state premultiplied by the class count, so
	// the scan loop adds instead of multiplying.
	for i, n := range trans {
		v := n * int32(nc) << 1
		if len(nodes[n].out) > 0 {
			v |= 1
		}
		p.delta[i] = v
	}
	return p
}

// scan calls hit with the end offset (exclusive) and pattern of every
// occurrence of a pattern in text, in order of end offset.
func (p *prefilter) scan(text string, hit func(end int, pattern int32)) {
	if len(p.lengths) == 0 {
		return
	}
	delta, classOf, nc := p.delta, &p.classOf, int32(p.classes)
	s := int32(0) // state * classes
	for i := 0; i < len(text); i++ {
		v := delta[s+int32(classOf[text[i]])]
		s = v >> 1
		if v&1 != 0 {
			for _, id := range p.out[s/nc] {
				hit(i+1, id)
			}
		}
	}
}
