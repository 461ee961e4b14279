package nest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// MaxYAMLNodes bounds a YAML document's node count with every alias
// expanded: rules that follow aliases walk the expanded tree, and a few
// hundred bytes of anchors can expand to a billion nodes. A 4 MiB file has
// at most about two million nodes written out; real files expand little.
const MaxYAMLNodes = 4 << 20

// MaxYAMLWrittenNodes bounds the nodes a YAML file may write out, counted
// before decoding: yaml.v3 holds about 200 bytes per node, so a 4 MiB file
// of dense flow ("[[[[1]]]]", "{a: 1, b: 2}") would decode into half a
// gigabyte. Real files, block style with long scalars, write out a node per
// line or two: a 4 MiB CRD bundle or pnpm lockfile stays well under it.
const MaxYAMLWrittenNodes = 1 << 20

// writtenNodes is an upper estimate of the nodes src writes out: a line
// holds at most a key and a value beyond what its flow indicators open or
// separate. Computed in one pass over the bytes, before any parsing.
func writtenNodes(src []byte) int {
	n := 0
	for _, c := range src {
		switch c {
		case '\n', ',', '[', '{':
			n++
		}
	}
	return 2 * n
}

// DecodeYAML decodes every document of src into yaml.v3 nodes, bounded:
// src at most scanners.MaxParseBytes, each document at most
// scanners.MaxDepth deep and MaxYAMLNodes large with its aliases expanded
// (flow and block nesting alike: the measure is the parsed tree, which
// quoted brackets cannot fool). It checks ctx between documents.
//
// On an error it returns the documents decoded before it with the error,
// so a scanner can still check them; the file then counts as not scanned
// whole. A bound error wraps scanners.ErrBound. A panic in yaml.v3 (it has
// panicked on crafted input before) is an error.
func DecodeYAML(ctx context.Context, src []byte) (docs []*yaml.Node, err error) {
	if len(src) > scanners.MaxParseBytes {
		return nil, scanners.TooLarge(scanners.MaxParseBytes)
	}
	if n := writtenNodes(src); n > MaxYAMLWrittenNodes {
		return nil, &scanners.BoundError{What: "YAML nodes written out", Limit: MaxYAMLWrittenNodes}
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml parser failed: %v", p)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		if err := ctx.Err(); err != nil {
			return docs, err
		}
		n := new(yaml.Node)
		if err := dec.Decode(n); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			// yaml.v3's own depth limit (10000) is far past ours.
			if strings.Contains(err.Error(), "exceeded max depth") {
				return docs, scanners.TooDeep(scanners.MaxDepth)
			}
			return docs, fmt.Errorf("invalid YAML: %w", err)
		}
		if err := CheckYAML(n); err != nil {
			return docs, fmt.Errorf("YAML document at line %d: %w", n.Line, err)
		}
		docs = append(docs, n)
	}
}

// CheckYAML measures the tree below n with aliases expanded, without
// recursion: its depth must be at most scanners.MaxDepth and its node count
// at most MaxYAMLNodes. An alias that refers to a node containing it (an
// infinite expansion) is an error too.
func CheckYAML(n *yaml.Node) error {
	const (
		unseen = iota
		open
		done
	)
	type measure struct{ depth, nodes int }
	state := map[*yaml.Node]int{}
	m := map[*yaml.Node]measure{}
	// The stack holds each node twice: first to open it (push its
	// children), then, once they are done, to close it (sum them up).
	type frame struct {
		n     *yaml.Node
		close bool
	}
	stack := []frame{{n: n}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.n == nil {
			continue
		}
		if !f.close {
			switch state[f.n] {
			case done:
				continue
			case open:
				return errors.New("a YAML alias refers to a node that contains it")
			}
			state[f.n] = open
			stack = append(stack, frame{n: f.n, close: true})
			if f.n.Kind == yaml.AliasNode {
				stack = append(stack, frame{n: f.n.Alias})
			}
			for i := len(f.n.Content) - 1; i >= 0; i-- {
				stack = append(stack, frame{n: f.n.Content[i]})
			}
			continue
		}
		var r measure
		if f.n.Kind == yaml.AliasNode {
			// An alias stands for its anchor: same depth and size.
			r = m[f.n.Alias]
		} else {
			r.nodes = 1
			for _, c := range f.n.Content {
				cm := m[c]
				r.depth = max(r.depth, cm.depth)
				r.nodes = min(r.nodes+cm.nodes, MaxYAMLNodes+1)
			}
			r.depth++
		}
		if r.depth > scanners.MaxDepth {
			return scanners.TooDeep(scanners.MaxDepth)
		}
		if r.nodes > MaxYAMLNodes {
			return &scanners.BoundError{What: "YAML nodes with aliases expanded", Limit: MaxYAMLNodes}
		}
		m[f.n] = r
		state[f.n] = done
	}
	return nil
}
