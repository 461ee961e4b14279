package iac

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// The CIS AWS Foundations Benchmark monitoring family (Security Hub
// CloudWatch.1-14, CIS 4.1-4.15): CloudWatch Logs metric filters on the
// CloudTrail log group, each with an alarm, for the account events an
// operator must hear about. check_cis.go judges them over the module:
//   - a filter that aims at a family but leaves some of its events out, or
//     joins alternatives of one field with && (it then matches nothing);
//   - a filter no aws_cloudwatch_metric_alarm watches (by reference, or by
//     a metric_name equal to the filter's metric_transformation name);
//   - once per module that sets up such monitoring (a filter on CloudTrail
//     fields), the families no complete filter with an alarm covers.

const cisMonitoringDoc = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html"

var (
	ruleTFCISFilterIncomplete = rule("tf-aws-cis-metric-filter-incomplete", scanners.SeverityLow,
		"CloudTrail metric filter misses events of its CIS family",
		"A metric filter meant to catch a family of account changes (security groups, IAM policies, CloudTrail, KMS keys...) "+
			"that leaves some of the family's events out, or joins alternatives with && so that no event matches, lets those "+
			"changes through without an alarm.",
		"Use the CIS AWS Foundations Benchmark pattern of the family (as the Security Hub CloudWatch controls list it): every "+
			"event name of the family, alternatives joined with ||.",
		"CWE-778", cisAWS+" 4", cisMonitoringDoc, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html")
	ruleTFMetricFilterNoAlarm = rule("tf-aws-cloudwatch-metric-filter-no-alarm", scanners.SeverityLow,
		"CloudWatch metric filter has no alarm",
		"A metric filter counts the events it matches (console sign-ins without MFA, security group or IAM policy "+
			"changes), but nothing is told when the count moves unless an alarm watches the metric: the change goes unseen.",
		"Add an `aws_cloudwatch_metric_alarm` whose `metric_name` is the filter's metric (for example "+
			"`aws_cloudwatch_log_metric_filter.NAME.metric_transformation[0].name`) with an `alarm_actions` target.",
		"CWE-778", cisAWS+" 4", cisMonitoringDoc, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html")
	ruleTFCISMonitoringGaps = rule("tf-aws-cis-monitoring-incomplete", scanners.SeverityLow,
		"CloudTrail monitoring lacks CIS metric filters and alarms",
		"The configuration alarms on some CloudTrail events but not on every family the CIS AWS Foundations Benchmark asks "+
			"for: root account use, console sign-ins without MFA, IAM policy, security group or network changes that are "+
			"not watched go unnoticed until someone reads the logs.",
		"Add an `aws_cloudwatch_log_metric_filter` on the CloudTrail log group with the family's CIS pattern, and an "+
			"`aws_cloudwatch_metric_alarm` on its metric with an `alarm_actions` target, for each family the finding lists.",
		"CWE-778", cisAWS+" 4", cisMonitoringDoc)
)

// cisFamily is one CIS monitoring family: the event names (or error codes)
// its pattern lists, all of which a filter must name.
type cisFamily struct {
	name   string
	events []string
	// field is the CloudTrail field the events are values of.
	field string
}

// cisFamilies are the families with the event names of the patterns
// Security Hub's CloudWatch.4-14 controls and CIS 4.15 give. Root use,
// unauthorized calls, console sign-in without MFA and console
// authentication failures are judged by their own conditions (cisCovers).
var cisFamilies = []cisFamily{
	{name: "unauthorized API calls", field: "errorCode", events: []string{"*UnauthorizedOperation", "AccessDenied*"}},
	{name: "IAM policy changes", field: "eventName", events: []string{"DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy",
		"PutGroupPolicy", "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion",
		"DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy",
		"AttachGroupPolicy", "DetachGroupPolicy"}},
	{name: "CloudTrail configuration changes", field: "eventName", events: []string{"CreateTrail", "UpdateTrail", "DeleteTrail",
		"StartLogging", "StopLogging"}},
	{name: "disabling or scheduled deletion of CMKs", field: "eventName", events: []string{"DisableKey", "ScheduleKeyDeletion"}},
	{name: "S3 bucket policy changes", field: "eventName", events: []string{"PutBucketAcl", "PutBucketPolicy", "PutBucketCors",
		"PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
		"DeleteBucketReplication"}},
	{name: "AWS Config changes", field: "eventName", events: []string{"StopConfigurationRecorder", "DeleteDeliveryChannel",
		"PutDeliveryChannel", "PutConfigurationRecorder"}},
	{name: "security group changes", field: "eventName", events: []string{"AuthorizeSecurityGroupIngress",
		"AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
		"DeleteSecurityGroup"}},
	{name: "network ACL changes", field: "eventName", events: []string{"CreateNetworkAcl", "CreateNetworkAclEntry",
		"DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"}},
	{name: "network gateway changes", field: "eventName", events: []string{"CreateCustomerGateway", "DeleteCustomerGateway",
		"AttachInternetGateway", "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"}},
	{name: "route table changes", field: "eventName", events: []string{"CreateRoute", "CreateRouteTable", "ReplaceRoute",
		"ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable"}},
	{name: "VPC changes", field: "eventName", events: []string{"CreateVpc", "DeleteVpc", "ModifyVpcAttribute",
		"AcceptVpcPeeringConnection", "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection",
		"AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink"}},
	{name: "AWS Organizations changes", field: "eventName", events: []string{"AcceptHandshake", "AttachPolicy", "CreateAccount",
		"CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit",
		"DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization",
		"LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit"}},
}

// cisAll is every family, in the benchmark's order, for the module-level
// list.
var cisAll = []string{"root account use", "unauthorized API calls", "console sign-in without MFA", "IAM policy changes",
	"CloudTrail configuration changes", "console authentication failures", "disabling or scheduled deletion of CMKs",
	"S3 bucket policy changes", "AWS Config changes", "security group changes", "network ACL changes",
	"network gateway changes", "route table changes", "VPC changes", "AWS Organizations changes"}

// cisCond is one `$.field = value` (or !=) condition of a filter pattern.
var cisCond = regexp.MustCompile(`\$\.([A-Za-z0-9_.]+)\s*(!=|=)\s*("[^"]*"|'[^']*'|[^\s)&|]+)`)

// cisTrailField tells a pattern on CloudTrail events.
// cisField is a field a metric filter pattern reads.
var cisField = regexp.MustCompile(`\$\.([A-Za-z0-9_.]+)`)

var cisTrailField = regexp.MustCompile(`\$\.(eventName|errorCode|userIdentity|eventSource|eventType|additionalEventData|errorMessage)\b`)

// cisPattern is what a filter pattern names.
type cisPattern struct {
	eq map[string]map[string]bool // field -> values compared with =
	// fields are the fields the pattern names at all.
	fields map[string]bool
	// contradiction names a field whose = alternatives are joined by &&.
	contradiction string
}

func parseCISPattern(p string) cisPattern {
	out := cisPattern{eq: map[string]map[string]bool{}, fields: map[string]bool{}}
	ms := cisCond.FindAllStringSubmatchIndex(p, -1)
	for i, m := range ms {
		field, op, val := p[m[2]:m[3]], p[m[4]:m[5]], strings.Trim(p[m[6]:m[7]], `"'`)
		out.fields[field] = true
		if op != "=" {
			continue
		}
		if out.eq[field] == nil {
			out.eq[field] = map[string]bool{}
		}
		out.eq[field][val] = true
		if i > 0 && out.contradiction == "" {
			prev := ms[i-1]
			pf, pop, pv := p[prev[2]:prev[3]], p[prev[4]:prev[5]], strings.Trim(p[prev[6]:prev[7]], `"'`)
			between := strings.Trim(p[prev[1]:m[0]], " \t\n()$")
			if pf == field && pop == "=" && pv != val && between == "&&" {
				out.contradiction = field
			}
		}
	}
	for _, m := range cisField.FindAllStringSubmatch(p, -1) {
		out.fields[m[1]] = true
	}
	return out
}

// onTrail reports whether a pattern reads CloudTrail event fields.
func onTrail(p string) bool { return cisTrailField.MatchString(p) }

// cisCovers returns the families the pattern covers whole, and the ones it
// aims at but covers in part (with what it misses).
func cisCovers(p string) (whole []string, part map[string][]string) {
	c := parseCISPattern(p)
	part = map[string][]string{}
	if c.contradiction != "" {
		return nil, part
	}
	if c.eq["userIdentity.type"]["Root"] {
		whole = append(whole, "root account use")
	}
	login := c.eq["eventName"]["ConsoleLogin"]
	if login && c.fields["additionalEventData.MFAUsed"] {
		whole = append(whole, "console sign-in without MFA")
	}
	if login && c.fields["errorMessage"] {
		whole = append(whole, "console authentication failures")
	}
	for _, fam := range cisFamilies {
		vals := c.eq[fam.field]
		var have, miss []string
		for _, e := range fam.events {
			if vals[e] {
				have = append(have, e)
			} else {
				miss = append(miss, e)
			}
		}
		switch {
		case len(miss) == 0:
			whole = append(whole, fam.name)
		case len(have) > 0 && 2*len(have) >= len(fam.events) && !cisOtherFamily(fam, have, c):
			part[fam.name] = miss
		}
	}
	return whole, part
}

// cisOtherFamily reports whether the events a pattern shares with fam
// belong to another family it covers whole (CreatePolicy is an IAM and an
// Organizations event).
func cisOtherFamily(fam cisFamily, have []string, c cisPattern) bool {
	for _, o := range cisFamilies {
		if o.name == fam.name || o.field != fam.field {
			continue
		}
		all := true
		for _, e := range o.events {
			if !c.eq[o.field][e] {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		shared := true
		for _, e := range have {
			if !slices.Contains(o.events, e) {
				shared = false
				break
			}
		}
		if shared {
			return true
		}
	}
	return false
}

// metricFilter checks one aws_cloudwatch_log_metric_filter instance: its
// CIS family's events, and an alarm on its metric.
func (f *tfFile) metricFilter(b *hclsyntax.Block, id string) {
	if a, p, ok := f.attrString(b.Body, "pattern"); ok && onTrail(p) {
		c := parseCISPattern(p)
		if c.contradiction != "" {
			f.attrHit(ruleTFCISFilterIncomplete, id, a, fmt.Sprintf("`%s` joins alternatives of `$.%s` with `&&`: no event has two values of one field, so the filter matches nothing. Join them with `||`.", id, c.contradiction), nil)
		} else if _, part := cisCovers(p); len(part) > 0 {
			names := sortedKeys(part)
			var msgs []string
			for _, n := range names {
				msgs = append(msgs, fmt.Sprintf("%s (misses %s)", n, strings.Join(part[n], ", ")))
			}
			f.attrHit(ruleTFCISFilterIncomplete, id, a, fmt.Sprintf("`%s` covers the CIS family %s in part.", id, strings.Join(msgs, "; ")), nil)
		}
	}
	if !f.mod.alarmWatches(f.ctx, b) {
		f.missingHit(ruleTFMetricFilterNoAlarm, id, b, "alarm", fmt.Sprintf("No `aws_cloudwatch_metric_alarm` of the module watches the metric of `%s`.", id), nil)
	}
}

// alarmWatches reports whether an alarm of the module refers to filter b,
// or names its metric; an alarm whose metric cannot be seen, or a module
// call that refers to the filter, counts as watching it.
func (m *tfModule) alarmWatches(ctx *hcl.EvalContext, b *hclsyntax.Block) bool {
	key := b.Labels[0] + "." + b.Labels[1]
	if m.refs[key]["aws_cloudwatch_metric_alarm"] {
		return true
	}
	var metric string
	known := false
	for _, mt := range blocks(b.Body, "metric_transformation") {
		if a, ok := mt.Body.Attributes["name"]; ok {
			if v, ok := valueIn(ctx, a.Expr); ok && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				metric, known = v.AsString(), true
			}
		}
	}
	a := m.alarmIndex()
	for _, blk := range a.modules {
		if refersTo(blk.Body, key) {
			return true
		}
	}
	if a.unknown {
		return true // cannot tell
	}
	return !known || a.metrics[metric]
}

// cisAlarms is what a module's alarms watch, read once per module: the
// metric names they give, whether any is not known, and the module calls
// (which may watch a filter they are handed).
type cisAlarms struct {
	metrics map[string]bool
	unknown bool
	modules []*hclsyntax.Block
}

func (m *tfModule) alarmIndex() *cisAlarms {
	m.alarmsOnce.Do(func() {
		a := &cisAlarms{metrics: map[string]bool{}}
		for _, s := range m.files {
			for _, blk := range s.body.Blocks {
				if blk.Type == "module" {
					a.modules = append(a.modules, blk)
					continue
				}
				if blk.Type != "resource" || len(blk.Labels) != 2 || blk.Labels[0] != "aws_cloudwatch_metric_alarm" {
					continue
				}
				for _, c := range m.instances(blk) {
					for _, name := range alarmMetrics(blk.Body) {
						v, ok := valueIn(c, name.Expr)
						if !ok || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
							a.unknown = true
							continue
						}
						a.metrics[v.AsString()] = true
					}
				}
			}
		}
		m.alarms = a
	})
	return m.alarms
}

// alarmMetrics are the metric_name attributes of an alarm, its own and its
// metric_query blocks'.
func alarmMetrics(body *hclsyntax.Body) []*hclsyntax.Attribute {
	var out []*hclsyntax.Attribute
	if a, ok := body.Attributes["metric_name"]; ok {
		out = append(out, a)
	}
	for _, q := range blocks(body, "metric_query") {
		for _, mb := range blocks(q.Body, "metric") {
			if a, ok := mb.Body.Attributes["metric_name"]; ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// refersTo reports whether an expression of body refers to resource key
// (TYPE.NAME).
func refersTo(body *hclsyntax.Body, key string) bool {
	found := false
	walkExprs(body, 0, func(e hclsyntax.Expression) {
		for _, tr := range e.Variables() {
			if len(tr) < 2 {
				continue
			}
			if attr, ok := tr[1].(hcl.TraverseAttr); ok && tr.RootName()+"."+attr.Name == key {
				found = true
			}
		}
	})
	return found
}

// cisModule reports, once per module (in the file that holds its first
// CloudTrail metric filter), the CIS monitoring families no complete filter
// with an alarm covers. It is not judged when a filter's pattern, or an
// alarm's metric, cannot be seen, or when the module calls modules (they
// may create the rest).
func (f *tfFile) cisModule() {
	m := f.mod
	var first *tfSource
	covered := map[string]bool{}
	for _, s := range m.files {
		if tfvarsFile(s.path) {
			continue
		}
		for _, b := range s.body.Blocks {
			if b.Type == "module" {
				return
			}
			if b.Type != "resource" || len(b.Labels) != 2 || b.Labels[0] != "aws_cloudwatch_log_metric_filter" {
				continue
			}
			a, ok := b.Body.Attributes["pattern"]
			if !ok {
				continue
			}
			for _, c := range m.instances(b) {
				v, ok := valueIn(c, a.Expr)
				if !ok || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
					return
				}
				p := v.AsString()
				if !onTrail(p) {
					continue
				}
				if first == nil {
					first = s
				}
				if !m.alarmWatches(c, b) {
					continue
				}
				whole, _ := cisCovers(p)
				for _, w := range whole {
					covered[w] = true
				}
			}
		}
	}
	if first == nil || first.path != f.path {
		return
	}
	var lack []string
	for _, fam := range cisAll {
		if !covered[fam] {
			lack = append(lack, fam)
		}
	}
	if len(lack) == 0 {
		return
	}
	// The finding is on the configuration: the file's first AWS provider,
	// metric filter or alarm block, spanning the file's filters and alarms.
	var anchor *hclsyntax.Block
	var scope []scanners.LineRange
	for _, b := range f.body.Blocks {
		mon := b.Type == "resource" && len(b.Labels) == 2 &&
			(b.Labels[0] == "aws_cloudwatch_log_metric_filter" || b.Labels[0] == "aws_cloudwatch_metric_alarm")
		prov := b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "aws"
		if anchor == nil && (mon || prov) {
			anchor = b
		}
		if mon {
			scope = append(scope, scanners.LineRange{Start: header(b), End: blockEnd(b)})
		}
	}
	if anchor == nil {
		return
	}
	h := header(anchor)
	f.hits = append(f.hits, hit{rule: ruleTFCISMonitoringGaps, line: h, endLine: h, blockStart: h, blockEnd: blockEnd(anchor),
		msg: fmt.Sprintf("The module's CloudTrail metric filters and alarms lack %d of the %d CIS monitoring families: %s.",
			len(lack), len(cisAll), strings.Join(lack, ", ")),
		identity: "cis-monitoring " + dirName(m.dir), evidence: clip(strings.TrimSpace(f.line(h))), scope: scope})
}
