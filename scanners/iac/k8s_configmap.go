package iac

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// reConfigAssign is one assignment in a configuration file a ConfigMap
// carries: NAME=value (env files, properties) or name: value (YAML).
var reConfigAssign = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(\S.*?)\s*$`)

// maxConfigLines bounds the lines of one ConfigMap value that are read.
const maxConfigLines = 2000

// configMapSecrets reports ConfigMap data that holds a secret: a key named
// like one with a literal value, or an assignment of a secret-named
// setting inside a configuration file the ConfigMap carries. A ConfigMap
// is not encrypted at rest, is readable by every role that can read
// configuration, and is committed with the manifest. The finding never
// shows the value.
func (f *k8sFile) configMapSecrets(o *yaml.Node, objID string) {
	_, data := get(o, "data")
	if data == nil || data.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(data.Content); i += 2 {
		key, v := data.Content[i], data.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			continue
		}
		name, val, ok := key.Value, strings.TrimSpace(v.Value), false
		if !strings.Contains(val, "\n") && secretValue(name, val) {
			ok = true
		} else {
			name, val, ok = secretAssignment(v.Value)
		}
		if !ok {
			continue
		}
		f.hits = append(f.hits, hit{rule: ruleK8sConfigMapSecret, line: key.Line, endLine: max(key.Line, lastLine(v)),
			msg:      fmt.Sprintf("ConfigMap key `%s` holds a value for `%s` (%s); a ConfigMap is no place for a secret.", clip(key.Value), clip(name), redact(val)),
			identity: objID + " " + key.Value + " " + name, evidence: clip(key.Value) + ": " + name + "=" + redact(val)})
	}
}

// secretAssignment finds the first assignment of a secret-named setting to
// a literal in a configuration file's text.
func secretAssignment(text string) (name, val string, ok bool) {
	for i, l := range strings.Split(text, "\n") {
		if i >= maxConfigLines {
			break
		}
		m := reConfigAssign.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		v := strings.Trim(strings.TrimSuffix(m[2], ","), `"'`)
		if secretValue(m[1], v) && !strings.ContainsAny(v, "{}[]$") {
			return m[1], v, true
		}
	}
	return "", "", false
}
