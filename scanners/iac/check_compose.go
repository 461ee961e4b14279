package iac

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// looksCompose reports whether a YAML file is a Compose file: a top-level
// services mapping, in a file that is no Kubernetes manifest (the content
// decides: the file may be called anything).
func looksCompose(content []byte) bool {
	return !looksKubernetes(content) && (bytes.HasPrefix(content, []byte("services:")) || bytes.Contains(content, []byte("\nservices:")))
}

// analyzeCompose runs the Compose checks over every service: its mapping
// is the tree the checks' paths start from. A file whose services hold
// neither image nor build is no Compose file, and has no finding. A file
// that does not parse is an error only when it is named as a Compose file
// (or strict): other YAML that merely has a services key, a template among
// them, is not what this reads.
func analyzeCompose(ctx context.Context, p string, content []byte, strict bool, checks checkSet) ([]hit, error) {
	docs, err := nest.DecodeYAML(ctx, content)
	if err != nil && !strict && !composeName(p) && !errors.Is(err, scanners.ErrBound) {
		return nil, nil
	}
	if err != nil && len(docs) == 0 {
		return nil, fmt.Errorf("Compose file: %w", err)
	}
	f := &k8sFile{lines: splitLines(content), checks: checks}
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		_, services := get(root, "services")
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(services.Content); i += 2 {
			name, svc := services.Content[i], services.Content[i+1]
			if _, img := get(svc, "image"); img == nil {
				if _, b := get(svc, "build"); b == nil {
					continue
				}
			}
			f.composeService(name, svc)
		}
		f.composeSharedVolumes(root, services)
	}
	if err != nil {
		return f.hits, fmt.Errorf("Compose file: %w", err)
	}
	return f.hits, nil
}

// composeName reports a file named as Compose names its files.
func composeName(p string) bool {
	base := strings.ToLower(path.Base(p))
	return strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose.") || strings.HasPrefix(base, "compose-")
}

// composeService runs the checks of one service.
func (f *k8sFile) composeService(name, svc *yaml.Node) {
	root := yNode{n: svc, keyLine: name.Line}
	id := "service " + name.Value
	header, end := name.Line, max(name.Line, lastLine(svc))
	for _, c := range f.checks[checkKey(formatCompose, "service")] {
		for _, w := range c.firings(root) {
			line, wend := header, end
			if w != nil {
				line, wend = w.span()
			}
			f.hits = append(f.hits, hit{rule: c.rule, line: line, endLine: wend, blockStart: line, blockEnd: wend,
				msg: checkMessage(c, id), identity: name.Value + " " + c.ID, evidence: clip(strings.TrimSpace(f.line(line)))})
		}
	}
	f.composeEnv(name.Value, get2(svc, "environment"))
}

// composeEnv reports secrets set as literal values in a service's
// environment, a mapping (KEY: value) or a list (KEY=value), showing only
// their redacted form. A value taken from the shell or an .env file
// (${NAME}) is no literal.
func (f *k8sFile) composeEnv(service string, env *yaml.Node) {
	if env == nil {
		return
	}
	report := func(n, v string, at *yaml.Node) {
		if !secretValue(n, v) || strings.Contains(v, "$") {
			return
		}
		f.hits = append(f.hits, hit{rule: ruleComposeSecretEnv, line: at.Line, endLine: at.Line,
			msg:      fmt.Sprintf("Service `%s` sets `%s` to a literal value (%s).", clip(service), clip(n), redact(v)),
			identity: service + " env " + n, evidence: n + "=" + redact(v)})
	}
	switch env.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(env.Content); i += 2 {
			if k, v := env.Content[i], env.Content[i+1]; v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				report(k.Value, v.Value, v)
			}
		}
	case yaml.SequenceNode:
		for _, e := range env.Content {
			if n, v, ok := strings.Cut(e.Value, "="); ok && e.Kind == yaml.ScalarNode {
				report(n, v, e)
			}
		}
	}
}

// volumeMount is one mount of a named volume by a service.
type volumeMount struct {
	service  string
	at       *yaml.Node
	readOnly bool
}

// reVolumeName is the name of a named volume, as a short-syntax mount's
// source writes it (a path starts with /, ., ~ or a variable).
var reVolumeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// composeSharedVolumes reports every mount of a named volume (declared in
// the file's top-level volumes) that two or more services mount, one of
// them writable.
func (f *k8sFile) composeSharedVolumes(root, services *yaml.Node) {
	_, declared := get(root, "volumes")
	if declared == nil || declared.Kind != yaml.MappingNode {
		return
	}
	mounts := map[string][]volumeMount{}
	var order []string
	for i := 0; i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		_, vols := get(svc, "volumes")
		if vols == nil || vols.Kind != yaml.SequenceNode {
			continue
		}
		for _, v := range vols.Content {
			vol, ro, ok := namedMount(v)
			if _, d := get(declared, vol); !ok || d == nil {
				continue
			}
			if len(mounts[vol]) == 0 {
				order = append(order, vol)
			}
			mounts[vol] = append(mounts[vol], volumeMount{service: name, at: v, readOnly: ro})
		}
	}
	for _, vol := range order {
		f.reportShared(vol, mounts[vol])
	}
}

// reportShared reports the mounts of one volume when more than one
// service mounts it and one of them writes.
func (f *k8sFile) reportShared(vol string, ms []volumeMount) {
	services, writable := map[string]bool{}, false
	for _, m := range ms {
		services[m.service] = true
		writable = writable || !m.readOnly
	}
	if len(services) < 2 || !writable {
		return
	}
	for _, m := range ms {
		other := ""
		for _, o := range ms {
			if o.service != m.service {
				other = o.service
				break
			}
		}
		end := max(m.at.Line, lastLine(m.at))
		f.hits = append(f.hits, hit{rule: ruleComposeSharedVolume, line: m.at.Line, endLine: end, blockStart: m.at.Line, blockEnd: end,
			msg:      fmt.Sprintf("Service `%s` mounts volume `%s`, which service `%s` mounts too.", clip(m.service), clip(vol), clip(other)),
			identity: m.service + " shared-volume " + vol, evidence: clip(strings.TrimSpace(f.line(m.at.Line)))})
	}
}

// namedMount reads a volumes entry: the named volume it mounts and
// whether read-only; ok is false for a bind mount, a tmpfs or an
// anonymous volume.
func namedMount(v *yaml.Node) (vol string, readOnly, ok bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		parts := strings.Split(v.Value, ":")
		if len(parts) < 2 || !reVolumeName.MatchString(parts[0]) {
			return "", false, false
		}
		return parts[0], len(parts) > 2 && slices.Contains(strings.Split(parts[2], ","), "ro"), true
	case yaml.MappingNode:
		_, typ := get(v, "type")
		_, src := get(v, "source")
		if src == nil || src.Kind != yaml.ScalarNode || (typ != nil && typ.Value != "volume") || !reVolumeName.MatchString(src.Value) {
			return "", false, false
		}
		_, ro := get(v, "read_only")
		return src.Value, ro != nil && (ro.Value == "true" || ro.Value == "True"), true
	}
	return "", false, false
}
