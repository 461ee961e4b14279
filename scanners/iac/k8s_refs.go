package iac

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Checks across the objects of one manifest: a selector that matches
// nothing the file defines, a PodDisruptionBudget that leaves no pod to
// evict. A manifest is often split over files (a service.yaml beside a
// deployment.yaml), so a selector is judged only when the file defines
// objects of the kind it selects, and a file whose path looks like a
// Kustomize patch's or overlay's (which select their base's objects) is
// not judged at all.

// maxRefObjects bounds the objects one file's cross-object checks compare
// (each selector is matched against each of them).
const maxRefObjects = 2000

// podSet is an object that makes pods: its namespace, its name and kind,
// the labels of its pods, the labels its own selector names, and the
// replicas it asks for (-1 when not written).
type podSet struct {
	kind, name, ns string
	labels         map[string]string
	selector       map[string]string
	replicas       int
}

// labeled is a Service: its namespace and name, its labels (for a
// ServiceMonitor) and its clusterIP (None for a headless one, for a
// StatefulSet).
type labeled struct {
	ns, name, clusterIP string
	labels              map[string]string
}

// refIndex is what one file defines that selectors may select.
type refIndex struct {
	pods     []podSet
	services []labeled
	// policies are the file's NetworkPolicies: namespace and pod selector
	// (an empty one selects every pod of the namespace); opaque is set when
	// one has a selector that is not plain labels.
	policies []labeled
	opaque   bool
	// accounts are the ServiceAccounts the file defines, "namespace/name".
	accounts map[string]bool
	// minReplicas is the least replicas an autoscaler (HorizontalPodAutoscaler,
	// KEDA ScaledObject) keeps for the object "Kind/name" (Kind empty for
	// a ScaledObject's default Deployment).
	minReplicas map[string]int
}

// references runs the cross-object checks over a file's objects.
func (f *k8sFile) references(objs []*yaml.Node) {
	if f.patchPath || len(objs) > maxRefObjects {
		return
	}
	for _, o := range objs {
		if duplicateKeys(o) || duplicateKeys(get2(o, "metadata")) {
			return // an object written twice over: what the file defines is not known
		}
	}
	idx := indexRefs(objs)
	for _, o := range objs {
		switch scalar(o, "kind") {
		case "Service":
			f.serviceSelector(o, idx)
		case "NetworkPolicy":
			f.networkPolicySelectors(o, idx)
		case "ServiceMonitor":
			f.serviceMonitorSelector(o, idx)
		case "Ingress":
			f.ingressBackends(o, idx)
		case "HorizontalPodAutoscaler", "ScaledObject":
			f.scaleTarget(o, idx)
		case "PodDisruptionBudget":
			f.pdbEviction(o, idx)
		case "StatefulSet":
			f.statefulSetService(o, idx)
		}
		f.replicasAutoscaled(o, idx)
		f.isolated(o, idx)
		f.serviceAccountDefined(o, idx)
	}
}

// duplicateKeys reports a mapping that names a key twice (a document
// whose "---" separator is missing), which kubectl refuses and other tools
// read in different ways.
func duplicateKeys(m *yaml.Node) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// indexRefs collects the pod-making objects, the Services and the
// autoscalers of a file.
func indexRefs(objs []*yaml.Node) *refIndex {
	idx := &refIndex{minReplicas: map[string]int{}, accounts: map[string]bool{}}
	for _, o := range objs {
		kind := scalar(o, "kind")
		meta := get2(o, "metadata")
		ns := scalar(meta, "namespace")
		spec := get2(o, "spec")
		switch kind {
		case "Service":
			idx.services = append(idx.services, labeled{ns: ns, name: scalar(meta, "name"), clusterIP: scalar(spec, "clusterIP"),
				labels: stringMap(get2(meta, "labels"))})
			continue
		case "ServiceAccount":
			idx.accounts[ns+"/"+scalar(meta, "name")] = true
			continue
		case "NetworkPolicy":
			ps := get2(spec, "podSelector")
			if ps != nil && (ps.Kind != yaml.MappingNode || get2(ps, "matchExpressions") != nil) {
				idx.opaque = true
			}
			idx.policies = append(idx.policies, labeled{ns: ns, labels: stringMap(get2(ps, "matchLabels"))})
			continue
		case "HorizontalPodAutoscaler", "ScaledObject":
			ref := get2(spec, "scaleTargetRef")
			key := "minReplicas"
			if kind == "ScaledObject" {
				key = "minReplicaCount"
			}
			if n, ok := intScalar(get2(spec, key)); ok && scalar(ref, "name") != "" {
				target := scalar(ref, "kind")
				if target == "" {
					target = "Deployment" // a ScaledObject's default
				}
				idx.minReplicas[target+"/"+scalar(ref, "name")] = n
			}
			continue
		}
		ps, ok := podSetOf(o, kind)
		if ok {
			ps.ns = ns
			ps.name = scalar(meta, "name")
			idx.pods = append(idx.pods, ps)
		}
	}
	return idx
}

// podSetOf reads an object that makes pods (a workload kind, or a custom
// resource with a pod template or spec, podPathOf); ok is false for
// others.
func podSetOf(o *yaml.Node, kind string) (podSet, bool) {
	ps := podSet{kind: kind, replicas: -1}
	path, ok := podPathOf(o, kind)
	if !ok {
		return ps, false
	}
	// The pod template's metadata sits beside the pod spec; an object whose
	// spec is the pod spec (a Pod) is its own template.
	tmpl := o
	for _, k := range path[:len(path)-1] {
		tmpl = get2(tmpl, k)
	}
	ps.labels = stringMap(get2(get2(tmpl, "metadata"), "labels"))
	if kind == "Pod" {
		return ps, true
	}
	spec := get2(o, "spec")
	sel := get2(spec, "selector")
	if ml := get2(sel, "matchLabels"); ml != nil {
		ps.selector = stringMap(ml)
	} else if get2(sel, "matchExpressions") == nil {
		ps.selector = stringMap(sel) // ReplicationController, DeploymentConfig
	}
	if n, ok := intScalar(get2(spec, "replicas")); ok {
		ps.replicas = n
	}
	return ps, true
}

// stringMap is a mapping of scalars as a map (nil when n is no mapping).
func stringMap(n *yaml.Node) map[string]string {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode {
			m[n.Content[i].Value] = v.Value
		}
	}
	return m
}

// intScalar is a scalar's integer value.
func intScalar(n *yaml.Node) (int, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	return v, err == nil
}

// subset reports whether every label of sel is in labels.
func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if l, ok := labels[k]; !ok || l != v {
			return false
		}
	}
	return true
}

// sameNamespace is false only when both objects name different namespaces
// (a namespace left out is the one the manifest is applied to).
func sameNamespace(a, b string) bool {
	return a == "" || b == "" || a == b
}

// selectsPods reports whether a label selector in namespace ns matches
// the pods of some object of the file.
func (idx *refIndex) selectsPods(sel map[string]string, ns string) bool {
	for _, p := range idx.pods {
		if sameNamespace(ns, p.ns) && (subset(sel, p.labels) || (p.labels == nil && subset(sel, p.selector))) {
			return true
		}
	}
	return false
}

// labelSelector reads a LabelSelector's matchLabels; ok is false when it
// has matchExpressions (not judged) or no labels (it selects everything).
func labelSelector(n *yaml.Node) (map[string]string, bool) {
	if n == nil || n.Kind != yaml.MappingNode || get2(n, "matchExpressions") != nil {
		return nil, false
	}
	m := stringMap(get2(n, "matchLabels"))
	return m, len(m) > 0
}

// selectorHit reports a selector (key k, value v) that matches nothing in
// the file.
func (f *k8sFile) selectorHit(o, k, v *yaml.Node, what string, sel map[string]string) {
	meta := get2(o, "metadata")
	kind := scalar(o, "kind")
	id := kind + "/" + scalar(meta, "namespace") + "/" + scalar(meta, "name")
	f.hits = append(f.hits, hit{rule: ruleK8sSelectorNothing, line: k.Line, endLine: max(k.Line, lastLine(v)),
		msg:      fmt.Sprintf("%s `%s`: %s matches nothing this file defines (%s).", kind, clip(scalar(meta, "name")), what, clip(labelList(sel))),
		identity: id + " selector " + what, evidence: clip(strings.TrimSpace(f.line(k.Line)))})
}

// labelList writes labels as k=v, sorted.
func labelList(m map[string]string) string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// serviceSelector reports a Service whose selector matches no pods of
// the file's workloads.
func (f *k8sFile) serviceSelector(o *yaml.Node, idx *refIndex) {
	if len(idx.pods) == 0 {
		return
	}
	k, v := get(get2(o, "spec"), "selector")
	sel := stringMap(v)
	if len(sel) == 0 || idx.selectsPods(sel, scalar(get2(o, "metadata"), "namespace")) {
		return
	}
	f.selectorHit(o, k, v, "its selector", sel)
}

// networkPolicySelectors reports a NetworkPolicy whose podSelector matches
// no pods of the file. The pods its rules admit (peers) are not judged:
// they are usually other applications, defined in other files.
func (f *k8sFile) networkPolicySelectors(o *yaml.Node, idx *refIndex) {
	if len(idx.pods) == 0 {
		return
	}
	ns := scalar(get2(o, "metadata"), "namespace")
	spec := get2(o, "spec")
	if k, v := get(spec, "podSelector"); v != nil {
		if sel, ok := labelSelector(v); ok && !idx.selectsPods(sel, ns) {
			f.selectorHit(o, k, v, "its podSelector (the pods it protects)", sel)
		}
	}
}

// serviceMonitorSelector reports a Prometheus ServiceMonitor whose
// selector and namespaces match no Service of the file.
func (f *k8sFile) serviceMonitorSelector(o *yaml.Node, idx *refIndex) {
	if len(idx.services) == 0 {
		return
	}
	spec := get2(o, "spec")
	k, v := get(spec, "selector")
	sel, ok := labelSelector(v)
	if !ok {
		return
	}
	nsSel := get2(spec, "namespaceSelector")
	if _, anyNS, val, set := boolAt(nsSel, "any"); anyNS != nil && set && val {
		nsSel = nil
	}
	names := map[string]bool{}
	for _, n := range seqItems(get2(nsSel, "matchNames")) {
		if n.Kind == yaml.ScalarNode {
			names[n.Value] = true
		}
	}
	own := scalar(get2(o, "metadata"), "namespace")
	for _, s := range idx.services {
		inNS := sameNamespace(own, s.ns)
		if len(names) > 0 {
			inNS = names[s.ns] || s.ns == ""
		}
		if inNS && subset(sel, s.labels) {
			return
		}
	}
	f.selectorHit(o, k, v, "its selector", sel)
}

// seqItems are a sequence's elements (none for anything else).
func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) > maxListElems {
		return nil
	}
	return n.Content
}

// pdbEviction reports a PodDisruptionBudget that allows no voluntary
// disruption: maxUnavailable 0, minAvailable 100%, or a minAvailable at
// or above the replicas of the workload it selects in the file (an
// autoscaler's minimum when one targets it).
func (f *k8sFile) pdbEviction(o *yaml.Node, idx *refIndex) {
	spec := get2(o, "spec")
	name := scalar(get2(o, "metadata"), "name")
	report := func(k, v *yaml.Node, why string) {
		f.hits = append(f.hits, hit{rule: ruleK8sPDBBlocks, line: k.Line, endLine: max(k.Line, lastLine(v)),
			msg:      fmt.Sprintf("PodDisruptionBudget `%s`: %s, so no pod can be evicted and node drains wait for ever.", clip(name), why),
			identity: "PodDisruptionBudget/" + scalar(get2(o, "metadata"), "namespace") + "/" + name + " eviction",
			evidence: clip(strings.TrimSpace(f.line(k.Line)))})
	}
	if k, v := get(spec, "maxUnavailable"); v != nil && v.Kind == yaml.ScalarNode && (v.Value == "0" || v.Value == "0%") {
		report(k, v, "`maxUnavailable: "+v.Value+"` allows no pod down")
		return
	}
	k, v := get(spec, "minAvailable")
	if v == nil || v.Kind != yaml.ScalarNode {
		return
	}
	if v.Value == "100%" {
		report(k, v, "`minAvailable: 100%` keeps every pod up")
		return
	}
	minAvail, ok := intScalar(v)
	if !ok || minAvail <= 0 {
		return
	}
	sel, ok := labelSelector(get2(spec, "selector"))
	if !ok {
		return
	}
	ns := scalar(get2(o, "metadata"), "namespace")
	for _, p := range idx.pods {
		if !sameNamespace(ns, p.ns) || !(subset(sel, p.labels) || subset(sel, p.selector)) {
			continue
		}
		replicas, ok := idx.minReplicas[p.kind+"/"+p.name]
		if !ok {
			replicas = p.replicas
		}
		if replicas >= 0 && minAvail >= replicas {
			report(k, v, fmt.Sprintf("`minAvailable: %d` is at least the %d replica(s) of %s `%s`", minAvail, replicas, p.kind, clip(p.name)))
			return
		}
	}
}

// probePorts reports a probe of the container on a port it does not
// expose: a name none of its ports has, a number none of its listed ports
// has (a container that lists no ports may still listen: not judged), or a
// UDP or SCTP port. A probe on another host (httpGet.host) is not judged.
func (cc *containerCheck) probePorts() {
	if cc.patch {
		return
	}
	ports := seqItems(get2(cc.c, "ports"))
	for _, probe := range []string{"livenessProbe", "readinessProbe", "startupProbe"} {
		p := get2(cc.c, probe)
		for _, handler := range []string{"httpGet", "tcpSocket", "grpc"} {
			h := get2(p, handler)
			k, v := get(h, "port")
			if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" || scalar(h, "host") != "" {
				continue
			}
			if why := probePortProblem(v.Value, ports); why != "" {
				cc.offending(ruleK8sProbePort, k,
					fmt.Sprintf("%s's %s (%s) checks port `%s`, which %s.", cc.cname, probe, handler, clip(v.Value), why),
					probe+" port", nil)
			}
		}
	}
}

// probePortProblem says what is wrong with probing port (a number or a
// name) of a container with these ports, or "".
func probePortProblem(port string, ports []*yaml.Node) string {
	_, err := strconv.Atoi(port)
	numeric := err == nil
	if numeric && len(ports) == 0 {
		return ""
	}
	for _, p := range ports {
		if (numeric && scalar(p, "containerPort") == port) || (!numeric && scalar(p, "name") == port) {
			if proto := strings.ToUpper(scalar(p, "protocol")); proto != "" && proto != "TCP" {
				return "is a " + proto + " port"
			}
			return ""
		}
	}
	return "the container's `ports` do not define"
}

// replicasAutoscaled reports a workload that writes spec.replicas while
// an autoscaler of the file scales it: every apply resets the replicas the
// autoscaler chose (a scale-down under load), until it scales them back.
func (f *k8sFile) replicasAutoscaled(o *yaml.Node, idx *refIndex) {
	kind := scalar(o, "kind")
	name := scalar(get2(o, "metadata"), "name")
	if _, ok := idx.minReplicas[kind+"/"+name]; !ok || name == "" {
		return
	}
	k, v := get(get2(o, "spec"), "replicas")
	if v == nil {
		return
	}
	f.hits = append(f.hits, hit{rule: ruleK8sReplicasAutoscaled, line: k.Line, endLine: max(k.Line, lastLine(v)),
		msg:      fmt.Sprintf("%s `%s` sets `replicas` although an autoscaler in this file scales it: each apply resets the count.", kind, clip(name)),
		identity: kind + "/" + scalar(get2(o, "metadata"), "namespace") + "/" + name + " replicas", evidence: clip(strings.TrimSpace(f.line(k.Line)))})
}

// statefulSetService reports a StatefulSet whose serviceName names a
// Service of the file that is not headless (clusterIP: None): its pods get
// no stable DNS names.
func (f *k8sFile) statefulSetService(o *yaml.Node, idx *refIndex) {
	meta := get2(o, "metadata")
	k, v := get(get2(o, "spec"), "serviceName")
	if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
		return
	}
	ns := scalar(meta, "namespace")
	for _, s := range idx.services {
		if s.name != v.Value || !sameNamespace(ns, s.ns) {
			continue
		}
		if s.clusterIP == "None" {
			return
		}
		f.hits = append(f.hits, hit{rule: ruleK8sStatefulSetService, line: k.Line, endLine: max(k.Line, lastLine(v)),
			msg:      fmt.Sprintf("StatefulSet `%s` is governed by Service `%s`, which is not headless (`clusterIP: None`).", clip(scalar(meta, "name")), clip(v.Value)),
			identity: "StatefulSet/" + ns + "/" + scalar(meta, "name") + " serviceName", evidence: clip(strings.TrimSpace(f.line(k.Line)))})
		return
	}
}

// workloadIdentityFormats are the ServiceAccount annotations that bind a
// Kubernetes identity to a cloud one, and the form each value must have.
var workloadIdentityFormats = []struct {
	annotation, form string
	re               *regexp.Regexp
}{
	{"eks.amazonaws.com/role-arn", "an IAM role ARN (arn:aws:iam::123456789012:role/NAME)",
		regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$`)},
	{"iam.gke.io/gcp-service-account", "a service account email (NAME@PROJECT.iam.gserviceaccount.com)",
		regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9.:-]*\.iam\.gserviceaccount\.com$|^[^@\s]+@[a-z0-9-]+\.gserviceaccount\.com$`)},
	{"azure.workload.identity/client-id", "an application (client) ID, a GUID",
		regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)},
}

// workloadIdentity reports a ServiceAccount whose cloud workload identity
// annotation (IRSA, GKE Workload Identity, Azure Workload Identity) is not
// of the form the cloud accepts: its pods get no cloud identity. A value
// left to a substitution ($VAR, ${VAR}, $(VAR)) is not judged.
func (f *k8sFile) workloadIdentity(o *yaml.Node) {
	meta := get2(o, "metadata")
	for _, w := range workloadIdentityFormats {
		k, v := get(get2(meta, "annotations"), w.annotation)
		if v == nil || v.Kind != yaml.ScalarNode || strings.ContainsAny(v.Value, "${") || w.re.MatchString(strings.TrimSpace(v.Value)) {
			continue
		}
		name := scalar(meta, "name")
		f.hits = append(f.hits, hit{rule: ruleK8sWorkloadIdentity, line: k.Line, endLine: max(k.Line, lastLine(v)),
			msg:      fmt.Sprintf("ServiceAccount `%s`: `%s` is not %s.", clip(name), w.annotation, w.form),
			identity: "ServiceAccount/" + scalar(meta, "namespace") + "/" + name + " " + w.annotation, evidence: clip(strings.TrimSpace(f.line(k.Line)))})
	}
}

// refHit reports a reference (key k, value v) of object o to an object
// the file does not define.
func (f *k8sFile) refHit(o, k, v *yaml.Node, msg string) {
	meta := get2(o, "metadata")
	kind := scalar(o, "kind")
	f.hits = append(f.hits, hit{rule: ruleK8sDanglingRef, line: k.Line, endLine: max(k.Line, lastLine(v)),
		msg:      fmt.Sprintf("%s `%s`: %s", kind, clip(scalar(meta, "name")), msg),
		identity: kind + "/" + scalar(meta, "namespace") + "/" + scalar(meta, "name") + " ref " + v.Value, evidence: clip(strings.TrimSpace(f.line(k.Line)))})
}

// ingressBackends reports an Ingress backend naming a Service the file
// does not define, when the file defines Services.
func (f *k8sFile) ingressBackends(o *yaml.Node, idx *refIndex) {
	if len(idx.services) == 0 {
		return
	}
	ns := scalar(get2(o, "metadata"), "namespace")
	spec := get2(o, "spec")
	backends := []*yaml.Node{get2(spec, "defaultBackend"), get2(spec, "backend")}
	for _, r := range seqItems(get2(spec, "rules")) {
		for _, p := range seqItems(get2(get2(r, "http"), "paths")) {
			backends = append(backends, get2(p, "backend"))
		}
	}
	for _, b := range backends {
		k, v := get(get2(b, "service"), "name") // networking.k8s.io/v1
		if v == nil {
			k, v = get(b, "serviceName") // v1beta1
		}
		if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" || idx.hasService(v.Value, ns) {
			continue
		}
		f.refHit(o, k, v, fmt.Sprintf("the backend Service `%s` is not among the Services this file defines.", clip(v.Value)))
	}
}

// hasService reports whether the file defines Service name in namespace ns.
func (idx *refIndex) hasService(name, ns string) bool {
	for _, s := range idx.services {
		if s.name == name && sameNamespace(ns, s.ns) {
			return true
		}
	}
	return false
}

// scaleTarget reports an autoscaler whose target the file does not
// define, when the file defines objects of the target's kind.
func (f *k8sFile) scaleTarget(o *yaml.Node, idx *refIndex) {
	ns := scalar(get2(o, "metadata"), "namespace")
	ref := get2(get2(o, "spec"), "scaleTargetRef")
	k, v := get(ref, "name")
	if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
		return
	}
	kind := scalar(ref, "kind")
	if kind == "" {
		kind = "Deployment"
	}
	seen := false
	for _, p := range idx.pods {
		if p.kind != kind {
			continue
		}
		seen = true
		if p.name == v.Value && sameNamespace(ns, p.ns) {
			return
		}
	}
	if seen {
		f.refHit(o, k, v, fmt.Sprintf("its target %s `%s` is not among the %ss this file defines.", kind, clip(v.Value), kind))
	}
}

// isolated reports a workload whose pods no NetworkPolicy of the file
// selects, when the file defines NetworkPolicies: its pods take any
// traffic the policies were written to stop.
func (f *k8sFile) isolated(o *yaml.Node, idx *refIndex) {
	if len(idx.policies) == 0 || idx.opaque {
		return
	}
	kind := scalar(o, "kind")
	ps, ok := podSetOf(o, kind)
	if !ok || (kind != "Pod" && get2(o, "spec") == nil) {
		return
	}
	meta := get2(o, "metadata")
	ns := scalar(meta, "namespace")
	for _, p := range idx.policies {
		if sameNamespace(ns, p.ns) && subset(p.labels, ps.labels) {
			return
		}
	}
	kindKey, _ := get(o, "kind")
	header := o.Line
	if kindKey != nil {
		header = kindKey.Line
	}
	f.hits = append(f.hits, hit{rule: ruleK8sNotIsolated, line: header, endLine: lastLine(o), blockStart: header, blockEnd: lastLine(o), missing: true,
		msg:      fmt.Sprintf("%s `%s`: none of this file's NetworkPolicies selects its pods (%s), so they accept traffic from anywhere.", kind, clip(scalar(meta, "name")), clip(labelList(ps.labels))),
		identity: kind + "/" + ns + "/" + scalar(meta, "name") + " isolation", evidence: clip(strings.TrimSpace(f.line(header)))})
}

// duplicateEnv reports an environment variable the container defines
// twice: the last definition wins, so the first (perhaps the one a
// reviewer reads) is not what runs.
func (cc *containerCheck) duplicateEnv() {
	seen := map[string]bool{}
	for _, e := range seqItems(get2(cc.c, "env")) {
		k, v := get(e, "name")
		if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
			continue
		}
		if seen[v.Value] {
			cc.offending(ruleK8sDuplicateEnv, k, fmt.Sprintf("%s defines `%s` more than once; the last definition wins.", cc.cname, clip(v.Value)), "env dup "+v.Value, nil)
		}
		seen[v.Value] = true
	}
}

// removedAPIs are the API versions Kubernetes no longer serves, by kind,
// with the release that removed them and the version to use.
var removedAPIs = map[string]map[string]string{
	"extensions/v1beta1": {"Deployment": "1.16 (apps/v1)", "DaemonSet": "1.16 (apps/v1)", "ReplicaSet": "1.16 (apps/v1)",
		"NetworkPolicy": "1.16 (networking.k8s.io/v1)", "PodSecurityPolicy": "1.16 (PodSecurityPolicy is gone since 1.25)", "Ingress": "1.22 (networking.k8s.io/v1)"},
	"apps/v1beta1":                         {"*": "1.16 (apps/v1)"},
	"apps/v1beta2":                         {"*": "1.16 (apps/v1)"},
	"networking.k8s.io/v1beta1":            {"Ingress": "1.22 (networking.k8s.io/v1)", "IngressClass": "1.22 (networking.k8s.io/v1)"},
	"rbac.authorization.k8s.io/v1beta1":    {"*": "1.22 (rbac.authorization.k8s.io/v1)"},
	"rbac.authorization.k8s.io/v1alpha1":   {"*": "1.22 (rbac.authorization.k8s.io/v1)"},
	"admissionregistration.k8s.io/v1beta1": {"*": "1.22 (admissionregistration.k8s.io/v1)"},
	"apiextensions.k8s.io/v1beta1":         {"*": "1.22 (apiextensions.k8s.io/v1)"},
	"apiregistration.k8s.io/v1beta1":       {"*": "1.22 (apiregistration.k8s.io/v1)"},
	"certificates.k8s.io/v1beta1":          {"*": "1.22 (certificates.k8s.io/v1)"},
	"coordination.k8s.io/v1beta1":          {"*": "1.22 (coordination.k8s.io/v1)"},
	"scheduling.k8s.io/v1beta1":            {"*": "1.22 (scheduling.k8s.io/v1)"},
	"scheduling.k8s.io/v1alpha1":           {"*": "1.22 (scheduling.k8s.io/v1)"},
	"storage.k8s.io/v1beta1":               {"CSIDriver": "1.22 (storage.k8s.io/v1)", "CSINode": "1.22 (storage.k8s.io/v1)", "StorageClass": "1.22 (storage.k8s.io/v1)", "VolumeAttachment": "1.22 (storage.k8s.io/v1)", "CSIStorageCapacity": "1.27 (storage.k8s.io/v1)"},
	"batch/v1beta1":                        {"CronJob": "1.25 (batch/v1)"},
	"batch/v2alpha1":                       {"CronJob": "1.21 (batch/v1)"},
	"policy/v1beta1":                       {"PodDisruptionBudget": "1.25 (policy/v1)", "PodSecurityPolicy": "1.25 (use Pod Security Admission)"},
	"discovery.k8s.io/v1beta1":             {"EndpointSlice": "1.25 (discovery.k8s.io/v1)"},
	"events.k8s.io/v1beta1":                {"Event": "1.25 (events.k8s.io/v1)"},
	"node.k8s.io/v1beta1":                  {"RuntimeClass": "1.25 (node.k8s.io/v1)"},
	"autoscaling/v2beta1":                  {"HorizontalPodAutoscaler": "1.25 (autoscaling/v2)"},
	"autoscaling/v2beta2":                  {"HorizontalPodAutoscaler": "1.26 (autoscaling/v2)"},
	"flowcontrol.apiserver.k8s.io/v1beta1": {"*": "1.26 (flowcontrol.apiserver.k8s.io/v1)"},
	"flowcontrol.apiserver.k8s.io/v1beta2": {"*": "1.29 (flowcontrol.apiserver.k8s.io/v1)"},
}

// removedAPI reports an object written in an API version Kubernetes no
// longer serves: current clusters refuse the manifest.
func (f *k8sFile) removedAPI(o *yaml.Node, kind, objID string) {
	k, v := get(o, "apiVersion")
	if v == nil || v.Kind != yaml.ScalarNode {
		return
	}
	kinds := removedAPIs[v.Value]
	since, ok := kinds[kind]
	if !ok {
		since, ok = kinds["*"]
	}
	if !ok {
		return
	}
	f.hits = append(f.hits, hit{rule: ruleK8sRemovedAPI, line: k.Line, endLine: k.Line,
		msg:      fmt.Sprintf("%s is written in `%s`, which Kubernetes stopped serving in %s.", kind, clip(v.Value), since),
		identity: objID + " apiVersion", evidence: clip(strings.TrimSpace(f.line(k.Line)))})
}

// serviceAccountDefined reports a workload that runs as a ServiceAccount
// the file does not define, when the file defines ServiceAccounts: its
// pods are not created until one is.
func (f *k8sFile) serviceAccountDefined(o *yaml.Node, idx *refIndex) {
	if len(idx.accounts) == 0 {
		return
	}
	kind := scalar(o, "kind")
	path, ok := podPathOf(o, kind)
	if !ok {
		return
	}
	ps := o
	for _, step := range path {
		if ps = get2(ps, step); ps == nil {
			return
		}
	}
	k, v := get(ps, "serviceAccountName")
	if v == nil {
		k, v = get(ps, "serviceAccount")
	}
	if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" || v.Value == "default" {
		return
	}
	ns := scalar(get2(o, "metadata"), "namespace")
	for acc := range idx.accounts {
		accNS, name, _ := strings.Cut(acc, "/")
		if name == v.Value && sameNamespace(ns, accNS) {
			return
		}
	}
	f.refHit(o, k, v, fmt.Sprintf("its pods run as ServiceAccount `%s`, which is not among the ServiceAccounts this file defines.", clip(v.Value)))
}

// selectorMismatch reports a workload whose selector does not match its
// own pod template's labels: the API server refuses it (apps/v1), or it
// manages pods it did not create.
func (f *k8sFile) selectorMismatch(o *yaml.Node, kind string) {
	if f.patchPath || kind == "Pod" || kind == "CronJob" || kind == "Job" {
		return // a patch sets part of each; a Job's selector is generated; a Pod has none
	}
	ps, ok := podSetOf(o, kind)
	if !ok || len(ps.selector) == 0 || ps.labels == nil || subset(ps.selector, ps.labels) {
		return
	}
	sel := get2(get2(o, "spec"), "selector")
	k, _ := get(get2(o, "spec"), "selector")
	meta := get2(o, "metadata")
	f.hits = append(f.hits, hit{rule: ruleK8sSelectorMismatch, line: k.Line, endLine: max(k.Line, lastLine(sel)),
		msg: fmt.Sprintf("%s `%s`: its selector (%s) does not match its pod template's labels (%s).", kind, clip(scalar(meta, "name")),
			clip(labelList(ps.selector)), clip(labelList(ps.labels))),
		identity: kind + "/" + scalar(meta, "namespace") + "/" + scalar(meta, "name") + " selector", evidence: clip(strings.TrimSpace(f.line(k.Line)))})
}
