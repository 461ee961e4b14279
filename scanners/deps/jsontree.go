package deps

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/shiftward/shiftward/scanners"
)

// jnode is a JSON value with its byte span in the file, built from
// encoding/json's token stream: lockfile parsers need the line of every
// entry, which json.Unmarshal does not keep.
type jnode struct {
	kind       byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	start, end int  // byte offsets: value from start up to end
	str        string
	keys       []string
	vals       []*jnode
	items      []*jnode
}

// get returns the value of key in an object (nil when absent or not an
// object). The last occurrence wins, as with encoding/json.
func (n *jnode) get(key string) *jnode {
	if n == nil || n.kind != 'o' {
		return nil
	}
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == key {
			return n.vals[i]
		}
	}
	return nil
}

// getStr returns the string value of key ("" when absent or not a string).
func (n *jnode) getStr(key string) string {
	v := n.get(key)
	if v == nil || v.kind != 's' {
		return ""
	}
	return v.str
}

// maxJSONDepth bounds nesting so a hostile file cannot exhaust the stack:
// value recurses once per level, and the check comes before the recursion.
// (encoding/json's Decoder.Token is iterative and stops at 10000 levels by
// itself.)
const maxJSONDepth = scanners.MaxDepth

// parseJSON reads one JSON document into a tree with byte spans.
func parseJSON(data []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jparser{dec: dec, data: data}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the top-level value")
		}
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return n, nil
}

type jparser struct {
	dec  *json.Decoder
	data []byte
}

// skipSep returns the offset of the first byte at or after off that is not
// whitespace or a separator the decoder consumes implicitly (":" and ",").
func (p *jparser) skipSep(off int) int {
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\n', '\r', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

func (p *jparser) value(depth int) (*jnode, error) {
	if depth >= maxJSONDepth {
		return nil, scanners.TooDeep(maxJSONDepth)
	}
	start := p.skipSep(int(p.dec.InputOffset()))
	tok, err := p.dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	n := &jnode{start: start}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = 'o'
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON: %w", err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("invalid JSON: object key is not a string")
				}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals = append(n.vals, v)
			}
		case '[':
			n.kind = 'a'
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
		default:
			return nil, fmt.Errorf("invalid JSON: unexpected %q", t)
		}
		if _, err := p.dec.Token(); err != nil { // closing delimiter
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
	case string:
		n.kind = 's'
		n.str = t
	case json.Number:
		n.kind = 'n'
		n.str = t.String()
	case bool:
		n.kind = 'b'
	case nil:
		n.kind = 'z'
	}
	n.end = int(p.dec.InputOffset())
	return n, nil
}
