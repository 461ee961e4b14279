package iac

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// podSpecPath is where each workload kind keeps its pod spec.
var podSpecPath = map[string][]string{
	"Pod":                   {"spec"},
	"Deployment":            {"spec", "template", "spec"},
	"StatefulSet":           {"spec", "template", "spec"},
	"DaemonSet":             {"spec", "template", "spec"},
	"ReplicaSet":            {"spec", "template", "spec"},
	"ReplicationController": {"spec", "template", "spec"},
	"Job":                   {"spec", "template", "spec"},
	"DeploymentConfig":      {"spec", "template", "spec"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template", "spec"},
	"PodTemplate":           {"template", "spec"},
}

// podPathOf is where object o of kind keeps its pod spec: podSpecPath's
// for the workload kinds; for a custom resource, where a Deployment keeps
// it (Argo Rollouts, OpenKruise) or, when its spec lists containers
// itself, its spec (a Knative Revision). ok is false for an object with
// no pod spec, and for other kinds of Kubernetes' own API groups.
func podPathOf(o *yaml.Node, kind string) (path []string, ok bool) {
	if p, known := podSpecPath[kind]; known {
		return p, true
	}
	spec := get2(o, "spec")
	if get2(get2(get2(spec, "template"), "spec"), "containers") != nil {
		return podSpecPath["Deployment"], true
	}
	if cs := get2(spec, "containers"); cs != nil && cs.Kind == yaml.SequenceNode && customGroup(scalar(o, "apiVersion")) {
		return []string{"spec"}, true
	}
	return podSpecPath["Deployment"], false
}

// customGroup reports an apiVersion outside Kubernetes' own API groups
// (serving.knative.dev/v1, not policy/v1beta1 or networking.k8s.io/v1).
func customGroup(apiVersion string) bool {
	group, _, found := strings.Cut(apiVersion, "/")
	return found && strings.Contains(group, ".") && !strings.HasSuffix(group, ".k8s.io")
}

// k8sFile is one parsed YAML file and its lines.
type k8sFile struct {
	lines []string
	hits  []hit
	// saNoAutomount names the ServiceAccounts in the file that disable
	// token automounting.
	saNoAutomount map[string]bool
	// patchPath is set for files whose path looks like a Kustomize
	// patch's or overlay's (see patchShaped).
	patchPath bool
	// checks are the data checks to run, by kind.
	checks checkSet
}

// errTemplate passes over a templated manifest (scanners.PassedOverError).
// A template in a chart the change's Tree shows is rendered instead
// (helm.go); this is a template without one.
var errTemplate = &scanners.PassedOverError{Reason: "Helm or other Go templates (not YAML until rendered, and the chart around them could not be read to render it)"}

// templated reports whether a file looks like a Helm or other Go template.
func templated(p string, content []byte) bool {
	return bytes.Contains(content, []byte("{{")) || strings.Contains(p, "/templates/") || strings.HasPrefix(p, "templates/")
}

// looksKubernetes reports whether a file that failed to parse was meant to
// be a manifest.
func looksKubernetes(content []byte) bool {
	return bytes.Contains(content, []byte("apiVersion:")) && bytes.Contains(content, []byte("kind:"))
}

func analyzeKubernetes(ctx context.Context, p string, content []byte, log *slog.Logger, strict bool, checks checkSet) ([]hit, error) {
	if !strict && !looksKubernetes(content) {
		return nil, nil
	}
	// The documents before one that fails are still checked, and returned
	// with the error: the file is then reported as not scanned whole.
	docs, err := nest.DecodeYAML(ctx, content)
	if err != nil {
		err = fmt.Errorf("Kubernetes manifest: %w", err)
		if !strict && len(docs) == 0 && templated(p, content) && !errors.Is(err, scanners.ErrBound) && ctx.Err() == nil {
			// A Helm or other Go template is not YAML until rendered:
			// passed over, and the review says so.
			if log != nil {
				log.Debug("iac: skipping a templated manifest that is not YAML", "path", p)
			}
			return nil, errTemplate
		}
		if len(docs) == 0 {
			return nil, err
		}
	}
	return newK8sFile(p, content, checks).objects(docs), err
}

// looksKubernetesJSON reports whether a JSON file is a Kubernetes object
// (a manifest or a KubeletConfiguration written as JSON).
func looksKubernetesJSON(content []byte) bool {
	t := bytes.TrimLeft(content, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{' && bytes.Contains(content, []byte(`"apiVersion"`)) && bytes.Contains(content, []byte(`"kind"`))
}

// analyzeKubernetesJSON checks a Kubernetes object written as JSON as its
// YAML form is checked. Its findings offer no fix: the fixes edit YAML.
func analyzeKubernetesJSON(ctx context.Context, p string, content []byte, checks checkSet) ([]hit, error) {
	root, err := decodeJSONNodes(ctx, content)
	if err != nil {
		return nil, fmt.Errorf("Kubernetes manifest (JSON): %w", err)
	}
	hits := newK8sFile(p, content, checks).objects([]*yaml.Node{root})
	for i := range hits {
		hits[i].fix = nil
	}
	return hits, nil
}

// newK8sFile prepares the checking of one manifest file at path p.
func newK8sFile(p string, content []byte, checks checkSet) *k8sFile {
	lp := strings.ToLower(p)
	return &k8sFile{lines: splitLines(content), saNoAutomount: map[string]bool{},
		patchPath: strings.Contains(lp, "patch") || strings.Contains(lp, "overlay"), checks: checks}
}

// objects checks the objects of a file's documents (Lists and Templates
// unpacked) and returns the findings.
func (f *k8sFile) objects(docs []*yaml.Node) []hit {
	var objs []*yaml.Node
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if root.Kind != yaml.MappingNode {
			continue
		}
		objs = append(objs, root)
		// A List holds objects under items, an OpenShift Template under
		// objects.
		key := map[string]string{"List": "items", "Template": "objects"}[scalar(root, "kind")]
		if _, items := get(root, key); key != "" && items != nil && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				if it.Kind == yaml.MappingNode {
					objs = append(objs, it)
				}
			}
		}
	}
	for _, o := range objs {
		if scalar(o, "kind") == "ServiceAccount" {
			if _, v := get(o, "automountServiceAccountToken"); v != nil && v.Value == "false" {
				f.saNoAutomount[scalar(get2(o, "metadata"), "name")] = true
			}
		}
	}
	for _, o := range objs {
		f.object(o)
	}
	f.references(objs)
	return f.hits
}

// get returns the key and value nodes of key in mapping m (nil when absent
// or m is not a mapping). Aliases are followed one step.
func get(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil {
		return nil, nil
	}
	if m.Kind == yaml.AliasNode && m.Alias != nil {
		m = m.Alias
	}
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return m.Content[i], v
		}
	}
	return nil, nil
}

// get2 returns only the value.
func get2(m *yaml.Node, key string) *yaml.Node {
	_, v := get(m, key)
	return v
}

// scalar returns the scalar value of key in m, or "".
func scalar(m *yaml.Node, key string) string {
	v := get2(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// boolAt returns the key and value of a boolean setting and its value.
func boolAt(m *yaml.Node, key string) (k, v *yaml.Node, val, set bool) {
	k, v = get(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil, nil, false, false
	}
	switch strings.ToLower(v.Value) {
	case "true", "yes", "on":
		return k, v, true, true
	case "false", "no", "off":
		return k, v, false, true
	}
	return nil, nil, false, false
}

// lastLine is the last line any node below n starts on.
func lastLine(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	l := n.Line
	for _, c := range n.Content {
		if x := lastLine(c); x > l {
			l = x
		}
	}
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	return l
}

func (f *k8sFile) line(l int) string {
	if l < 1 || l > len(f.lines) {
		return ""
	}
	return f.lines[l-1]
}

// object checks one Kubernetes object.
func (f *k8sFile) object(o *yaml.Node) {
	kind := scalar(o, "kind")
	kindKey, _ := get(o, "kind")
	meta := get2(o, "metadata")
	name := scalar(meta, "name")
	ns := scalar(meta, "namespace")
	objID := kind + "/" + ns + "/" + name
	header := o.Line
	if kindKey != nil {
		header = kindKey.Line
	}
	docStart, docEnd := o.Line, lastLine(o)
	f.dataChecks(o, kind, objID, header, docEnd)
	switch kind {
	case "ServiceAccount":
		f.workloadIdentity(o)
	case "ConfigMap":
		f.configMapSecrets(o, objID)
	}
	f.removedAPI(o, kind, objID)
	f.selectorMismatch(o, kind)
	if kind == "Role" || kind == "ClusterRole" {
		f.rbac(o, objID)
		return
	}
	path, ok := podPathOf(o, kind)
	if !ok {
		return
	}
	var psKey *yaml.Node
	ps := o
	for _, k := range path {
		psKey, ps = get(ps, k)
		if ps == nil {
			return
		}
	}
	if ps.Kind != yaml.MappingNode {
		return
	}
	w := &workload{f: f, obj: o, id: objID, kind: kind, header: header, docStart: docStart, docEnd: docEnd, ps: ps, psKey: psKey}
	w.check()
}

// workload is one object with a pod spec.
type workload struct {
	f *k8sFile
	// obj is the object's mapping.
	obj              *yaml.Node
	id, kind         string
	header           int
	docStart, docEnd int
	ps, psKey        *yaml.Node
}

func (w *workload) add(h hit) {
	h.identity = w.id + " " + h.identity
	w.f.hits = append(w.f.hits, h)
}

func (w *workload) check() {
	f := w.f
	for _, ns := range []string{"hostNetwork", "hostPID", "hostIPC"} {
		if _, v, val, set := boolAt(w.ps, ns); set && val {
			w.add(hit{rule: ruleK8sHostNS, line: v.Line, endLine: v.Line,
				msg:      fmt.Sprintf("`%s: true` puts the %s's pods in the node's %s namespace.", ns, w.kind, strings.TrimPrefix(strings.ToLower(ns), "host")),
				identity: ns, evidence: strings.TrimSpace(f.line(v.Line)), fix: f.setValue(v, "false")})
		}
	}
	// Service account token.
	if _, v, val, set := boolAt(w.ps, "automountServiceAccountToken"); set {
		if val {
			w.add(hit{rule: ruleK8sAutomount, line: v.Line, endLine: v.Line,
				msg:      fmt.Sprintf("The %s mounts its service account token (`automountServiceAccountToken: true`).", w.kind),
				identity: "automount", evidence: strings.TrimSpace(f.line(v.Line)), fix: f.setValue(v, "false")})
		}
	} else {
		sa := scalar(w.ps, "serviceAccountName")
		if sa == "" {
			sa = scalar(w.ps, "serviceAccount")
		}
		if !f.saNoAutomount[sa] && !(f.patchPath && patchShaped(w.obj)) {
			w.add(hit{rule: ruleK8sAutomount, line: w.header, endLine: w.docEnd, blockStart: w.docStart, blockEnd: w.docEnd, missing: true,
				msg:      fmt.Sprintf("The %s does not set `automountServiceAccountToken: false`, so its pods get an API token.", w.kind),
				identity: "automount", evidence: strings.TrimSpace(f.line(w.header)),
				fix: f.insert(w.ps, w.psKey, []string{"automountServiceAccountToken"}, "false")})
		}
	}
	// hostPath volumes.
	if vols := get2(w.ps, "volumes"); vols != nil && vols.Kind == yaml.SequenceNode {
		for _, vol := range vols.Content {
			hk, hp := get(vol, "hostPath")
			if hk == nil {
				continue
			}
			p := scalar(hp, "path")
			sev := scanners.SeverityUnknown
			what := "hostPath "
			if sensitiveHostPath(p) {
				sev = scanners.SeverityHigh
				what = "hostPath sensitive "
			}
			end := max(hk.Line, lastLine(hp))
			w.add(hit{rule: ruleK8sHostPath, severity: sev, line: hk.Line, endLine: end, blockStart: hk.Line, blockEnd: end,
				msg:      fmt.Sprintf("Volume `%s` mounts the node's `%s` into the pod.", clip(scalar(vol, "name")), clip(p)),
				identity: what + p, evidence: clip(strings.TrimSpace(f.line(hk.Line)) + " " + p)})
		}
	}
	w.appArmorAnnotations()
	psc := get2(w.ps, "securityContext")
	for _, list := range []string{"initContainers", "containers", "ephemeralContainers"} {
		cs := get2(w.ps, list)
		if cs == nil || cs.Kind != yaml.SequenceNode {
			continue
		}
		for _, c := range cs.Content {
			if c.Kind == yaml.MappingNode && len(c.Content) > 0 {
				w.container(c, psc, list)
			}
		}
	}
}

// appArmorPrefix starts the annotation that sets a container's AppArmor
// profile (before Kubernetes 1.30's securityContext.appArmorProfile).
const appArmorPrefix = "container.apparmor.security.beta.kubernetes.io/"

// appArmorAnnotations reports AppArmor turned off through the pod
// template's annotations (the object's own for a Pod).
func (w *workload) appArmorAnnotations() {
	path, _ := podPathOf(w.obj, w.kind)
	meta := get2(w.obj, "metadata")
	if len(path) > 1 {
		meta = w.podTemplate(path[:len(path)-1])
	}
	ann := get2(meta, "annotations")
	if ann == nil || ann.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(ann.Content); i += 2 {
		k, v := ann.Content[i], ann.Content[i+1]
		if !strings.HasPrefix(k.Value, appArmorPrefix) || v.Kind != yaml.ScalarNode {
			continue
		}
		c := strings.TrimPrefix(k.Value, appArmorPrefix)
		if !strings.EqualFold(v.Value, "unconfined") {
			if v.Value != "runtime/default" && !strings.HasPrefix(v.Value, "localhost/") && !strings.ContainsAny(v.Value, "${") {
				w.add(hit{rule: ruleK8sAppArmorInvalid, line: k.Line, endLine: max(k.Line, v.Line),
					msg:      fmt.Sprintf("The %s's AppArmor annotation for container `%s` names no profile (`%s`).", w.kind, clip(c), clip(v.Value)),
					identity: "apparmor invalid " + c, evidence: clip(strings.TrimSpace(w.f.line(k.Line))), fix: w.f.setValue(v, "runtime/default")})
			}
			continue
		}
		w.add(hit{rule: ruleK8sAppArmorAnnotation, line: k.Line, endLine: max(k.Line, v.Line),
			msg:      fmt.Sprintf("The %s's annotation turns AppArmor off for container `%s`.", w.kind, clip(c)),
			identity: "apparmor " + c, evidence: clip(strings.TrimSpace(w.f.line(k.Line))), fix: w.f.setValue(v, "runtime/default")})
	}
}

// podTemplate is the metadata of the pod template at path (the steps
// before the pod spec's "spec").
func (w *workload) podTemplate(path []string) *yaml.Node {
	n := w.obj
	for _, k := range path {
		if n = get2(n, k); n == nil {
			return nil
		}
	}
	return get2(n, "metadata")
}

// sensitiveHostPath reports whether mounting p from the node is close to
// owning the node.
func sensitiveHostPath(p string) bool {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return true
	}
	for _, s := range []string{"/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/var/run", "/run", "/var/lib/kubelet",
		"/var/lib/docker", "/var/lib/containerd", "/var/log", "/home", "/usr", "/bin", "/sbin", "/lib"} {
		if p == s || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return strings.HasSuffix(p, ".sock")
}

// containerCheck is one container of a workload being checked: where it
// is, what it is called, and the findings on missing securityContext
// settings, which share one suggestion (see shareFix).
type containerCheck struct {
	w *workload
	// c is the container, sc its securityContext, psc the pod's.
	c, sc, psc *yaml.Node
	cid, cname string
	// head..end are the container's lines: a missing setting is reported
	// on head and introduced by a change to any of them.
	head, end int
	// patch marks a container judged only on what it sets: a
	// strategic-merge patch or an ephemeral container.
	patch   bool
	pending []pendingSetting
}

// pendingSetting is a missing securityContext setting: the index of its
// hit in the file's hits, and the entry that adds it.
type pendingSetting struct {
	hit   int
	entry entry
}

// container checks one container of the workload's pod spec (list names
// its kind: containers, initContainers, ephemeralContainers).
func (w *workload) container(c, psc *yaml.Node, list string) {
	cc := newContainerCheck(w, c, psc, list)
	cc.privileged()
	cc.escalation()
	cc.user()
	cc.capabilities()
	cc.rootFS()
	cc.shareFix()
	cc.limits()
	cc.image()
	cc.env()
	cc.systemMounts()
	cc.probePorts()
	cc.duplicateEnv()
}

// systemDirs are the container directories a writable volume must not
// cover: the image's binaries, libraries and configuration, and the
// kernel's interfaces.
var systemDirs = []string{"/bin", "/sbin", "/usr", "/lib", "/lib64", "/etc", "/boot", "/dev", "/proc", "/sys", "/root"}

// readOnlyVolume reports volume types the kubelet always mounts read-only.
func readOnlyVolume(vol *yaml.Node) bool {
	for _, k := range []string{"configMap", "secret", "projected", "downwardAPI"} {
		if _, v := get(vol, k); v != nil {
			return true
		}
	}
	return false
}

// systemMounts reports volumes mounted writable over a system directory
// (or over /var itself).
func (cc *containerCheck) systemMounts() {
	mounts := get2(cc.c, "volumeMounts")
	if mounts == nil || mounts.Kind != yaml.SequenceNode {
		return
	}
	vols := map[string]*yaml.Node{}
	if vs := get2(cc.w.ps, "volumes"); vs != nil && vs.Kind == yaml.SequenceNode {
		for _, v := range vs.Content {
			vols[scalar(v, "name")] = v
		}
	}
	for _, m := range mounts.Content {
		pk, pv := get(m, "mountPath")
		if pv == nil || pv.Kind != yaml.ScalarNode || !systemDir(pv.Value) {
			continue
		}
		if _, _, ro, set := boolAt(m, "readOnly"); set && ro {
			continue
		}
		if v, ok := vols[scalar(m, "name")]; ok && readOnlyVolume(v) {
			continue
		}
		cc.w.add(hit{rule: ruleK8sSystemMount, line: pk.Line, endLine: max(pk.Line, lastLine(m)),
			msg:      fmt.Sprintf("%s mounts volume `%s` writable at `%s`.", cc.cname, clip(scalar(m, "name")), clip(pv.Value)),
			identity: cc.cid + " sysmount " + pv.Value, evidence: clip(strings.TrimSpace(cc.w.f.line(pk.Line)))})
	}
}

// systemDir reports a mount path at or under a system directory, or /var
// itself.
func systemDir(p string) bool {
	p = strings.TrimRight(p, "/")
	if p == "/var" || p == "/var/lib" {
		return true
	}
	for _, d := range systemDirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

func newContainerCheck(w *workload, c, psc *yaml.Node, list string) *containerCheck {
	name := scalar(c, "name")
	// A container without an image in a file whose path looks like a
	// Kustomize patch's or overlay's is a strategic-merge patch's (the API
	// leaves image optional only for a controller or config tool to fill
	// in): what it leaves out is set in the base, so only what it sets is
	// judged.
	_, img := get(c, "image")
	return &containerCheck{
		w: w, c: c, sc: get2(c, "securityContext"), psc: psc,
		cid: list + " " + name, cname: "Container `" + clip(name) + "`",
		head: c.Content[0].Line, end: lastLine(c),
		// An ephemeral (debug) container cannot have resources and is
		// added by hand to a running pod: it is judged on what it sets.
		patch: (img == nil && w.f.patchPath) || list == "ephemeralContainers",
	}
}

// missing reports a setting the container lacks: the finding starts on the
// container's first line and spans the container (what lacks it).
func (cc *containerCheck) missing(r *scanners.Rule, msg, id string, fix *scanners.Fix) {
	if cc.patch {
		return
	}
	cc.w.add(hit{rule: r, line: cc.head, endLine: cc.end, blockStart: cc.head, blockEnd: cc.end, missing: true,
		msg: msg, identity: cc.cid + " " + id, evidence: strings.TrimSpace(cc.w.f.line(cc.head)), fix: fix})
}

// missingSC reports a setting the container's securityContext lacks; its
// fix is made with the others' (shareFix).
func (cc *containerCheck) missingSC(r *scanners.Rule, msg, id string, e entry) {
	if cc.patch {
		return
	}
	cc.missing(r, msg, id, nil)
	cc.pending = append(cc.pending, pendingSetting{len(cc.w.f.hits) - 1, e})
}

// offending reports a setting the container has, from its line v to the
// value's last line.
func (cc *containerCheck) offending(r *scanners.Rule, v *yaml.Node, msg, id string, fix *scanners.Fix) {
	cc.w.add(hit{rule: r, line: v.Line, endLine: lastLine(v),
		msg: msg, identity: cc.cid + " " + id, evidence: clip(strings.TrimSpace(cc.w.f.line(v.Line))), fix: fix})
}

func (cc *containerCheck) privileged() {
	if _, v, val, set := boolAt(cc.sc, "privileged"); set && val {
		cc.offending(ruleK8sPrivileged, v, cc.cname+" sets `privileged: true`.", "privileged", cc.w.f.setValue(v, "false"))
	}
}

func (cc *containerCheck) escalation() {
	if _, v, val, set := boolAt(cc.sc, "allowPrivilegeEscalation"); set {
		if val {
			cc.offending(ruleK8sEscalation, v, cc.cname+" sets `allowPrivilegeEscalation: true`.", "escalation", cc.w.f.setValue(v, "false"))
		}
		return
	}
	cc.missingSC(ruleK8sEscalation, cc.cname+" does not set `allowPrivilegeEscalation: false`.", "escalation",
		entry{[]string{"securityContext", "allowPrivilegeEscalation"}, "false"})
}

// user checks the effective user: the container's settings override the
// pod's.
func (cc *containerCheck) user() {
	uidNode := get2(cc.sc, "runAsUser")
	if uidNode == nil {
		uidNode = get2(cc.psc, "runAsUser")
	}
	_, nrNode, nonRoot, nrSet := boolAt(cc.sc, "runAsNonRoot")
	if !nrSet {
		_, nrNode, nonRoot, nrSet = boolAt(cc.psc, "runAsNonRoot")
	}
	switch {
	case uidNode != nil && uidNode.Kind == yaml.ScalarNode:
		if uid, err := strconv.Atoi(uidNode.Value); err == nil && uid == 0 {
			cc.offending(ruleK8sRoot, uidNode, cc.cname+" runs with `runAsUser: 0` (root).", "root", nil)
		}
	case nrSet && nonRoot:
	case nrSet:
		cc.offending(ruleK8sRoot, nrNode, cc.cname+" sets `runAsNonRoot: false` and no non-root runAsUser.", "root", cc.w.f.setValue(nrNode, "true"))
	default:
		cc.missingSC(ruleK8sRoot, cc.cname+" sets neither `runAsNonRoot: true` nor a non-zero `runAsUser`.", "root",
			entry{[]string{"securityContext", "runAsNonRoot"}, "true"})
	}
}

// capabilities checks what the container adds and whether it drops ALL.
func (cc *containerCheck) capabilities() {
	caps := get2(cc.sc, "capabilities")
	dropsAll := false
	if drop := get2(caps, "drop"); drop != nil && drop.Kind == yaml.SequenceNode {
		for _, d := range drop.Content {
			if strings.EqualFold(d.Value, "ALL") {
				dropsAll = true
			}
		}
	}
	cc.capAdd(caps, dropsAll)
	if !dropsAll {
		cc.capDrop(caps)
	}
}

func (cc *containerCheck) capAdd(caps *yaml.Node, dropsAll bool) {
	addK, add := get(caps, "add")
	if add == nil || add.Kind != yaml.SequenceNode || len(add.Content) == 0 || (dropsAll && !addsMore(add)) {
		return
	}
	names, sev := addedCapabilities(add, dropsAll)
	cc.w.add(hit{rule: ruleK8sCapAdd, severity: sev, line: addK.Line, endLine: lastLine(add),
		msg:      fmt.Sprintf("%s adds the capabilities %s.", cc.cname, "`"+strings.Join(names, "`, `")+"`"),
		identity: cc.cid + " capadd " + strings.Join(names, ","), evidence: clip(strings.TrimSpace(cc.w.f.line(addK.Line)))})
}

// addedCapabilities names the capabilities an add list grants (without
// the CAP_ prefix) and grades them: high for those close to root.
func addedCapabilities(add *yaml.Node, dropsAll bool) ([]string, scanners.Severity) {
	var names []string
	sev := scanners.SeverityUnknown
	for _, a := range add.Content {
		n := strings.ToUpper(strings.TrimPrefix(strings.ToUpper(a.Value), "CAP_"))
		if n == "NET_BIND_SERVICE" && dropsAll {
			// After dropping ALL, the one capability the restricted
			// Pod Security Standard allows adding back.
			continue
		}
		names = append(names, n)
		switch n {
		case "SYS_ADMIN", "ALL", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "BPF", "SYS_RAWIO":
			sev = scanners.SeverityHigh
		}
	}
	return names, sev
}

// capDrop reports a container that does not drop ALL capabilities. The
// identity says whether any drop list exists ("none") or one that leaves
// capabilities in place ("partial").
func (cc *containerCheck) capDrop(caps *yaml.Node) {
	how := "none"
	if drop := get2(caps, "drop"); drop != nil {
		how = "partial"
	}
	if caps == nil {
		cc.missingSC(ruleK8sCapDrop, cc.cname+" does not drop ALL capabilities.", "capdrop "+how,
			entry{[]string{"securityContext", "capabilities", "drop"}, `["ALL"]`})
		return
	}
	cc.missing(ruleK8sCapDrop, cc.cname+" does not drop ALL capabilities.", "capdrop "+how, cc.w.f.dropAllFix(cc.c))
}

func (cc *containerCheck) rootFS() {
	if _, v, val, set := boolAt(cc.sc, "readOnlyRootFilesystem"); set {
		if !val {
			cc.offending(ruleK8sRootFS, v, cc.cname+" sets `readOnlyRootFilesystem: false`.", "rootfs", cc.w.f.setValue(v, "true"))
		}
		return
	}
	cc.missingSC(ruleK8sRootFS, cc.cname+" does not set `readOnlyRootFilesystem: true`.", "rootfs",
		entry{[]string{"securityContext", "readOnlyRootFilesystem"}, "true"})
}

// shareFix gives the settings missing from the container's
// securityContext one suggestion that adds all of them, so accepting any
// one of the comments fixes them all instead of leaving the others
// outdated.
func (cc *containerCheck) shareFix() {
	if len(cc.pending) == 0 {
		return
	}
	f := cc.w.f
	var entries []entry
	for _, p := range cc.pending {
		entries = append(entries, p.entry)
	}
	// Plain settings first, the nested capabilities list last.
	sort.SliceStable(entries, func(i, j int) bool { return len(entries[i].path) < len(entries[j].path) })
	all := f.insertMany(cc.c, nil, entries)
	for _, p := range cc.pending {
		fix := all
		if fix == nil {
			fix = f.insertMany(cc.c, nil, []entry{p.entry})
		}
		f.hits[p.hit].fix = fix
	}
}

func (cc *containerCheck) limits() {
	limits := get2(get2(cc.c, "resources"), "limits")
	var lack []string
	if get2(limits, "cpu") == nil {
		lack = append(lack, "cpu")
	}
	if get2(limits, "memory") == nil {
		lack = append(lack, "memory")
	}
	if len(lack) > 0 {
		cc.missing(ruleK8sLimits, fmt.Sprintf("%s sets no %s limit.", cc.cname, strings.Join(lack, " or ")), "limits "+strings.Join(lack, ","), nil)
	}
}

func (cc *containerCheck) image() {
	_, img := get(cc.c, "image")
	if img == nil || img.Kind != yaml.ScalarNode || img.Value == "" || strings.ContainsAny(img.Value, "${}") {
		return
	}
	_, tag, digest := imageRef(img.Value)
	if digest == "" && (tag == "" || strings.EqualFold(tag, "latest")) {
		what := "has no tag, so it means `latest`"
		if tag != "" {
			what = "uses the `latest` tag"
		}
		cc.offending(ruleK8sLatest, img, fmt.Sprintf("%s's image `%s` %s.", cc.cname, clip(img.Value), what), "image "+img.Value, nil)
	}
}

// env reports secrets set as literal environment values, showing only
// their redacted form.
func (cc *containerCheck) env() {
	env := get2(cc.c, "env")
	if env == nil || env.Kind != yaml.SequenceNode {
		return
	}
	for _, e := range env.Content {
		n := scalar(e, "name")
		_, v := get(e, "value")
		if v == nil || v.Kind != yaml.ScalarNode || !secretValue(n, v.Value) || strings.Contains(v.Value, "$(") {
			continue
		}
		cc.offending(ruleK8sSecretEnv, v, fmt.Sprintf("%s sets `%s` to a literal value (%s).", cc.cname, clip(n), redact(v.Value)), "env "+n, nil)
		cc.w.f.hits[len(cc.w.f.hits)-1].evidence = n + "=" + redact(v.Value)
	}
}

// addsMore reports whether an add list holds more than NET_BIND_SERVICE.
func addsMore(add *yaml.Node) bool {
	for _, a := range add.Content {
		if n := strings.TrimPrefix(strings.ToUpper(a.Value), "CAP_"); n != "NET_BIND_SERVICE" {
			return true
		}
	}
	return false
}

// rbac checks a Role or ClusterRole for wildcards in verbs and resources.
func (f *k8sFile) rbac(o *yaml.Node, objID string) {
	rules := get2(o, "rules")
	if rules == nil || rules.Kind != yaml.SequenceNode {
		return
	}
	for i, r := range rules.Content {
		for _, field := range []string{"verbs", "resources", "apiGroups"} {
			k, v := get(r, field)
			if v == nil || v.Kind != yaml.SequenceNode {
				continue
			}
			for _, it := range v.Content {
				if it.Value != "*" {
					continue
				}
				sev := scanners.SeverityUnknown
				if field == "apiGroups" {
					// Every API group, but only for the listed resources
					// and verbs.
					sev = scanners.SeverityMedium
				}
				f.hits = append(f.hits, hit{rule: ruleK8sRBACWildcard, severity: sev, line: it.Line, endLine: it.Line,
					msg:      fmt.Sprintf("Rule %d of %s grants `*` %s.", i+1, strings.SplitN(objID, "/", 2)[0], field),
					identity: objID + " rule " + strconv.Itoa(i) + " " + field, evidence: clip(strings.TrimSpace(f.line(k.Line)))})
				break
			}
		}
	}
}

// rawScalar is how a scalar node is written on its line, for in-place
// edits; "" when it cannot be known.
func rawScalar(v *yaml.Node) string {
	switch {
	case v.Style&yaml.DoubleQuotedStyle != 0:
		return `"` + v.Value + `"`
	case v.Style&yaml.SingleQuotedStyle != 0:
		return "'" + v.Value + "'"
	case v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return ""
	}
	return v.Value
}

// setValue replaces scalar v in place with val, keeping the rest of its
// line (indentation, comments).
func (f *k8sFile) setValue(v *yaml.Node, val string) *scanners.Fix {
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil
	}
	line := f.line(v.Line)
	raw := rawScalar(v)
	col := v.Column - 1
	if raw == "" || col < 0 || col+len(raw) > len(line) || line[col:col+len(raw)] != raw {
		return nil
	}
	return &scanners.Fix{
		Description: "set it to " + val,
		StartLine:   v.Line, EndLine: v.Line,
		Replacement: line[:col] + val + line[col+len(raw):],
	}
}

// entry is one setting to add: a chain of keys and the scalar value.
type entry struct {
	path []string
	val  string
}

// insert adds one setting below the block mapping m (see insertMany).
func (f *k8sFile) insert(m, parentKey *yaml.Node, path []string, val string) *scanners.Fix {
	return f.insertMany(m, parentKey, []entry{{path, val}})
}

// insertMany adds settings below the block mapping m, descending into the
// mappings of the keys the entries share that already exist. parentKey is
// m's key when m is a mapping value; for a sequence item (a container) it is
// nil and the new lines go after one of m's single-line scalar settings.
func (f *k8sFile) insertMany(m, parentKey *yaml.Node, entries []entry) *scanners.Fix {
	if len(entries) == 0 {
		return nil
	}
	// Descend while every entry continues through the same existing key.
	for {
		first := entries[0].path
		if len(first) < 2 {
			break
		}
		k, v := get(m, first[0])
		if k == nil {
			break
		}
		for _, e := range entries {
			if len(e.path) < 2 || e.path[0] != first[0] {
				return nil
			}
		}
		if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 || v.Line <= k.Line {
			return nil
		}
		m, parentKey = v, k
		next := make([]entry, len(entries))
		for i, e := range entries {
			next[i] = entry{e.path[1:], e.val}
		}
		entries = next
	}
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
		return nil
	}
	for _, e := range entries {
		if k, _ := get(m, e.path[0]); k != nil {
			return nil
		}
	}
	indent := strings.Repeat(" ", m.Content[0].Column-1)
	anchor := 0
	if parentKey != nil {
		if m.Content[0].Line <= parentKey.Line {
			return nil
		}
		anchor = parentKey.Line
	} else {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Line == k.Line && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				anchor = k.Line
				break
			}
		}
	}
	if anchor < 1 || anchor > len(f.lines) {
		return nil
	}
	var b strings.Builder
	b.WriteString(f.line(anchor))
	written := map[string]bool{}
	var desc []string
	for _, e := range entries {
		for i, k := range e.path {
			prefix := strings.Join(e.path[:i+1], ".")
			if written[prefix] {
				continue
			}
			written[prefix] = true
			b.WriteString("\n" + indent + strings.Repeat("  ", i) + k + ":")
			if i == len(e.path)-1 {
				b.WriteString(" " + e.val)
				desc = append(desc, prefix+": "+e.val)
			}
		}
	}
	return &scanners.Fix{
		Description: "set " + strings.Join(desc, ", "),
		StartLine:   anchor, EndLine: anchor,
		Replacement: b.String(),
	}
}

// dropAllFix makes a container drop ALL capabilities: it adds ALL to an
// existing drop list, or adds the drop list.
func (f *k8sFile) dropAllFix(c *yaml.Node) *scanners.Fix {
	sc := get2(c, "securityContext")
	caps := get2(sc, "capabilities")
	dk, drop := get(caps, "drop")
	if drop == nil {
		return f.insert(c, nil, []string{"securityContext", "capabilities", "drop"}, `["ALL"]`)
	}
	if drop.Kind != yaml.SequenceNode {
		return nil
	}
	if drop.Style&yaml.FlowStyle != 0 {
		line := f.line(drop.Line)
		col := drop.Column - 1
		if col < 0 || col >= len(line) || line[col] != '[' || strings.Count(line, "[") != 1 || !strings.Contains(line, "]") {
			return nil
		}
		sep := ", "
		if len(drop.Content) == 0 {
			sep = ""
		}
		return &scanners.Fix{Description: "drop ALL capabilities", StartLine: drop.Line, EndLine: drop.Line,
			Replacement: line[:col+1] + `"ALL"` + sep + line[col+1:]}
	}
	if len(drop.Content) == 0 || drop.Content[0].Line <= dk.Line {
		return nil
	}
	first := f.line(drop.Content[0].Line)
	dash := strings.Index(first, "- ")
	if dash < 0 || strings.TrimSpace(first[:dash]) != "" {
		return nil
	}
	return &scanners.Fix{Description: "drop ALL capabilities", StartLine: dk.Line, EndLine: dk.Line,
		Replacement: f.line(dk.Line) + "\n" + first[:dash] + "- ALL"}
}
