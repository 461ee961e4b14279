package iac

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// looksCloudFormationJSON is the cheap sniff that keeps other JSON files
// (package-lock.json, tsconfig.json) from being parsed: a JSON object that
// names the template format version, or a "Resources" key and an AWS type
// (or an Alexa::ASK:: type, CloudFormation's other namespace).
// Substring searches only, the first for "AWS", whose rare first byte keeps
// the search fast on JSON that is not a template (most end there).
func looksCloudFormationJSON(content []byte) bool {
	t := bytes.TrimLeft(content, " \t\r\n\ufeff")
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	i := bytes.Index(content, []byte("AWS"))
	if i < 0 {
		// an Alexa skill's template (Alexa::ASK::Skill) may name no AWS type
		return bytes.Contains(content, []byte(`"Alexa::ASK::`)) && bytes.Contains(content, []byte(`"Resources"`))
	}
	rest := content[max(i-1, 0):]
	if bytes.Contains(rest, []byte(`AWSTemplateFormatVersion"`)) {
		return true
	}
	return (bytes.Contains(rest, []byte(`"AWS::`)) || bytes.Contains(content, []byte(`"Alexa::ASK::`))) &&
		bytes.Contains(content, []byte(`"Resources"`))
}

// decodeJSONNodes parses one JSON value into yaml.v3 nodes with exact line
// numbers, so the CloudFormation checks read JSON templates as they read
// YAML ones. yaml.v3 is not used on JSON: it refuses valid JSON (the `\/`
// escape, a key over 1024 characters). encoding/json's tokenizer is
// iterative and no JSON token spans a line, so the line of a token's last
// byte is its line.
//
// Bounded like nest.DecodeYAML: src at most scanners.MaxParseBytes, at most
// scanners.MaxDepth levels, at most nest.MaxYAMLWrittenNodes nodes, ctx
// checked as it goes.
func decodeJSONNodes(ctx context.Context, src []byte) (*yaml.Node, error) {
	if len(src) > scanners.MaxParseBytes {
		return nil, scanners.TooLarge(scanners.MaxParseBytes)
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	lines := newLineIndex(src)
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var root *yaml.Node
	var stack []*yaml.Node
	for count := 0; ; count++ {
		if count%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if count > nest.MaxYAMLWrittenNodes {
			return nil, &scanners.BoundError{What: "JSON values", Limit: nest.MaxYAMLWrittenNodes}
		}
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		line, col := lines.at(int(dec.InputOffset()) - 1)
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1] // the decoder checks that delimiters match
			continue
		}
		n := jsonToken(tok, line, col)
		switch {
		case len(stack) > 0:
			top := stack[len(stack)-1]
			top.Content = append(top.Content, n)
		case root != nil:
			return nil, errors.New("invalid JSON: more than one value")
		default:
			root = n
		}
		if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
			if len(stack) >= scanners.MaxDepth {
				return nil, scanners.TooDeep(scanners.MaxDepth)
			}
			stack = append(stack, n)
		}
	}
	switch {
	case root == nil:
		return nil, errors.New("invalid JSON: empty")
	case len(stack) > 0:
		return nil, errors.New("invalid JSON: unexpected end")
	}
	return root, nil
}

// jsonToken is a JSON token as the yaml.v3 node a YAML template would give:
// strings double-quoted (so "true" stays a string, as CloudFormation
// compares it anyway), numbers !!int or !!float with their text.
func jsonToken(tok json.Token, line, col int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
	switch v := tok.(type) {
	case json.Delim:
		n.Style = yaml.FlowStyle
		if v == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		} else {
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		}
	case string:
		n.Tag, n.Value, n.Style = "!!str", v, yaml.DoubleQuotedStyle
	case json.Number:
		n.Tag, n.Value = "!!int", v.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Tag, n.Value = "!!bool", fmt.Sprint(v)
	default:
		n.Tag, n.Value = "!!null", "null"
	}
	return n
}

// lineIndex maps byte offsets to 1-based lines and columns (of a token's
// last byte: only lines are reported).
type lineIndex []int // offsets where lines start

func newLineIndex(src []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// at is the line and column of offset off.
func (l lineIndex) at(off int) (line, col int) {
	i := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	i = max(i, 0)
	return i + 1, off - l[i] + 1
}
