package config

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners/iac"
)

// iacCheckKeys are the keys of a check in the iac language
// (scanners/iac/checks/README.md), and paths, which the review applies.
var iacCheckKeys = []string{"id", "title", "severity", "why", "fix", "references", "resources", "when", "fail",
	"unless_referenced_by", "set", "samples", "paths"}

// iacIDPattern is the iac language's id: lower-case words joined by '-'.
var iacIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

const maxIaCIDBytes = 64

// builtinIaCChecks are the rule ids of the built-in iac rules, which a
// repository's check may not take.
var builtinIaCChecks = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, r := range iac.New().Rules() {
		out[r.ID] = true
	}
	return out
})

// iacChecks reads scanners.iac.checks: each entry is checked key by key
// here (so a typo is reported where it is), then validated whole by
// iac.ParseChecks; a check it refuses is a problem at the entry and is left
// out.
func (d *decoder) iacChecks(n *yaml.Node) {
	ids := map[string]bool{}
	d.sequence(n, "scanners.iac.checks", iac.MaxRepoChecks, func(_ int, v *yaml.Node) {
		if c, ok := d.iacCheck(v, ids); ok {
			d.r.Scanners.IaC.Checks = append(d.r.Scanners.IaC.Checks, c)
		}
	})
}

// iacCheck reads one check entry; ids are the ids seen so far in the file.
func (d *decoder) iacCheck(v *yaml.Node, ids map[string]bool) (IaCCheck, bool) {
	c := IaCCheck{Source: d.source(v)}
	ok := true
	before := len(d.probs) + d.dropped
	body := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	d.mapping(v, "an iac check", iacCheckKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			s, good := d.iacCheckID(v, ids)
			c.ID, ok = s, ok && good
		case "paths":
			paths, good := d.pathGlobs(v)
			c.Paths, ok = paths, ok && good
			return // not the language's: the review applies it
		}
		if cp := d.plain(v); cp != nil {
			body.Content = append(body.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, cp)
		} else {
			ok = false
		}
	})
	if v.Kind != yaml.MappingNode {
		if isNull(v) {
			d.errf(v, "an empty iac check")
		}
		return c, false
	}
	if c.ID == "" && ok {
		d.errf(v, "an iac check needs an id")
		ok = false
	}
	if !ok || len(d.probs)+d.dropped > before {
		return c, false // an unknown key too: nothing half-understood runs
	}
	data, err := yaml.Marshal([]*yaml.Node{body})
	var parsed []iac.Check
	if err == nil {
		parsed, err = iac.ParseChecks(data)
	}
	if err == nil && len(parsed) != 1 {
		err = fmt.Errorf("one check per entry")
	}
	if err != nil {
		d.errf(v, "iac check %q: %s", c.ID, checkMessage(c.ID, err))
		return c, false
	}
	c.YAML, c.RuleID = string(data), parsed[0].ID()
	return c, true
}

// iacCheckID reads a check's id: the language's shape, bounded, unique in
// the file and not a built-in check's.
func (d *decoder) iacCheckID(v *yaml.Node, ids map[string]bool) (string, bool) {
	s, good := d.str(v, "id")
	switch {
	case !good:
	case len(s) > maxIaCIDBytes || !iacIDPattern.MatchString(s):
		d.errf(v, "id must be 1 to %d bytes of lower-case words (letters, digits) joined by '-', not %s", maxIaCIDBytes, describe(v))
		good = false
	case ids[s]:
		d.errf(v, "an iac check with id %q is already defined", s)
		good = false
	case builtinIaCID(s) != "":
		d.errf(v, "id %q is a built-in check's (%s); give yours another id, or re-grade the built-in one under rules", s, builtinIaCID(s))
		good = false
	}
	ids[s] = true
	return s, good
}

// builtinIaCID is the rule id of the built-in check called id, in any
// format, or "".
func builtinIaCID(id string) string {
	for _, prefix := range []string{"iac/tf-", "iac/k8s-", "iac/cfn-"} {
		if builtinIaCChecks()[prefix+id] {
			return prefix + id
		}
	}
	return ""
}

// plain copies n with its aliases expanded (each node counted against the
// file's budget) and no anchors, so the copy encodes on its own; nil means
// the budget ran out.
func (d *decoder) plain(n *yaml.Node) *yaml.Node {
	if n = d.node(n); n == nil {
		return nil
	}
	cp := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Line: n.Line, Column: n.Column}
	for _, ch := range n.Content {
		c := d.plain(ch)
		if c == nil {
			return nil
		}
		cp.Content = append(cp.Content, c)
	}
	return cp
}

// checkMessage makes iac.ParseChecks' error read well after the entry's
// position: without the check's name (already said) or the line numbers of
// the re-encoded entry (which are not the file's).
func checkMessage(id string, err error) string {
	msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("check %q: ", id))
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = lineRef.ReplaceAllString(msg, "")
	msg = strings.NewReplacer("in type iac.dataCheck", "in the check", "in type iac.cond", "in a condition",
		"in type iac.setFix", "in set", "in type iac.checkSample", "in a sample", "iac.", "").Replace(msg)
	return strings.Join(strings.Fields(msg), " ")
}

var lineRef = regexp.MustCompile(`(?m)^\s*line \d+: `)
