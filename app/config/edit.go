package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// AppendIgnore returns data (a .shiftward.yml, possibly empty) with ig added
// as the last entry of its ignore list, leaving every other byte, comment
// and key order as it was. The result is parsed again: an entry the file
// would not accept, or a file that was invalid already, is an error, never
// a broken suggestion.
func AppendIgnore(data []byte, ig Ignore) ([]byte, error) {
	entry, err := ignoreYAML(ig)
	if err != nil {
		return nil, err
	}
	out, err := insertIgnore(data, entry)
	if err != nil {
		return nil, err
	}
	if _, problems := ParseSettings(RepoFile, out); len(problems) > 0 {
		return nil, fmt.Errorf("the file with the entry added would not be valid: %s", problems[0])
	}
	return out, nil
}

// ignoreYAML renders one ignore entry as a block sequence item ("- ...")
// with two-space indentation; yaml.v3 quotes the reason as needed.
func ignoreYAML(ig Ignore) (string, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k, v string, style yaml.Style) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k},
			&yaml.Node{Kind: yaml.ScalarNode, Value: v, Style: style})
	}
	switch {
	case ig.Fingerprint != "":
		add("fingerprint", ig.Fingerprint, yaml.DoubleQuotedStyle)
	case ig.Rule != "":
		add("rule", ig.Rule, 0)
		if ig.Path != "" {
			add("path", ig.Path, yaml.DoubleQuotedStyle)
		}
	default:
		return "", errors.New("an ignore entry needs a fingerprint or a rule")
	}
	if strings.TrimSpace(ig.Reason) == "" {
		return "", errors.New("an ignore entry needs a reason")
	}
	add("reason", ig.Reason, 0)
	if !ig.Expires.IsZero() {
		add("expires", ig.Expires.Format("2006-01-02"), 0)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode([]*yaml.Node{m}); err != nil {
		return "", err
	}
	return b.String(), nil
}

func insertIgnore(data []byte, entry string) ([]byte, error) {
	indent := func(s, pad string) string {
		var b strings.Builder
		for line := range strings.Lines(s) {
			b.WriteString(pad + line)
		}
		return b.String()
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s is not valid YAML: %w", RepoFile, err)
	}
	if len(doc.Content) == 0 {
		return append(withNewline(data), []byte("ignore:\n"+indent(entry, "  "))...), nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s is not a mapping", RepoFile)
	}
	lines := strings.SplitAfter(string(data), "\n")
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "ignore" {
			continue
		}
		val := root.Content[i+1]
		if val.Kind != yaml.SequenceNode || val.Style&yaml.FlowStyle != 0 || len(val.Content) == 0 {
			return nil, fmt.Errorf("%s:%d: ignore is not a block list; add the entry by hand", RepoFile, val.Line)
		}
		// Items start at the dash, two columns before their first key.
		pad := strings.Repeat(" ", max(val.Content[0].Column-3, 0))
		// The list ends before the next top-level key (or the end), less
		// the blank and comment lines that lead into what follows.
		end := len(lines)
		if i+2 < len(root.Content) {
			end = root.Content[i+2].Line - 1
		}
		for end > 0 {
			t := strings.TrimSpace(lines[end-1])
			if t != "" && !strings.HasPrefix(t, "#") {
				break
			}
			end--
		}
		head := strings.Join(lines[:end], "")
		out := withNewline([]byte(head))
		out = append(out, indent(entry, pad)...)
		return append(out, strings.Join(lines[end:], "")...), nil
	}
	return append(withNewline(data), []byte("\nignore:\n"+indent(entry, "  "))...), nil
}

func withNewline(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(b, '\n')
	}
	return b
}
