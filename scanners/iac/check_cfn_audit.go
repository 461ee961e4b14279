package iac

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// CloudFormation forms of Terraform audit checks that compare resources of
// one template (aws_logging.yaml's referenced_by checks and check_cis.go):
// a Secrets Manager secret no rotation schedule of the template names, a
// WAFv2 web ACL or Network Firewall no logging configuration of the template
// names, and the CIS AWS Foundations Benchmark monitoring family over
// AWS::Logs::MetricFilter and AWS::CloudWatch::Alarm. A template that names
// its targets in a way that cannot be read (a parameter, an import, a built
// ARN) is not judged.
var (
	ruleCFNSecretNoRotation = rule("cfn-secret-no-rotation", scanners.SeverityLow,
		"Secrets Manager secret is not rotated",
		"A generated secret (a database or service password) that is never rotated stays valid for as long as it exists, "+
			"so a copy leaked once keeps working.",
		"Add an `AWS::SecretsManager::RotationSchedule` with `SecretId: !Ref` the secret, a rotation Lambda (or "+
			"`HostedRotationLambda`) and `RotationRules`.",
		"CWE-262", "AWS FSBP SecretsManager.1", "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html")
	ruleCFNWAFv2Logging = rule("cfn-wafv2-logging", scanners.SeverityLow,
		"WAFv2 web ACL has no logging configuration",
		"Without logging the requests the web ACL allowed, blocked or counted leave no record, so attacks against the "+
			"application and rules that block legitimate traffic cannot be investigated.",
		"Add an `AWS::WAFv2::LoggingConfiguration` with `ResourceArn: !GetAtt` the web ACL's `Arn` and a CloudWatch Logs, "+
			"S3 or Firehose destination whose name starts with `aws-waf-logs-`.",
		"CWE-778", "AWS FSBP WAF.11", "https://docs.aws.amazon.com/waf/latest/developerguide/logging.html")
	ruleCFNNetworkFirewallLogging = rule("cfn-networkfirewall-logging", scanners.SeverityLow,
		"Network Firewall has no logging configuration",
		"Without flow and alert logs the traffic the firewall passed or dropped leaves no record, so intrusions and "+
			"exfiltration through it cannot be detected or investigated.",
		"Add an `AWS::NetworkFirewall::LoggingConfiguration` with `FirewallArn: !Ref` the firewall and "+
			"`LogDestinationConfigs` for the FLOW and ALERT log types.",
		"CWE-778", "AWS FSBP NetworkFirewall.2", "https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging.html")
	ruleCFNAPIStageNoClientCert = rule("cfn-apigateway-stage-no-client-certificate", scanners.SeverityLow,
		"API Gateway stage does not authenticate to its HTTP backend",
		"The REST API sends requests to an HTTP backend, and without a client certificate on the stage the backend cannot "+
			"tell API Gateway's requests from anyone else's, so a backend reachable from the internet can be called around "+
			"the API's authorization.",
		"Create an `AWS::ApiGateway::ClientCertificate`, set `ClientCertificateId` on the stage, and have the backend verify it.",
		"CWE-306", "AWS FSBP APIGateway.2", "https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html")
	ruleCFNCISFilterIncomplete = rule("cfn-cis-metric-filter-incomplete", scanners.SeverityLow,
		"CloudTrail metric filter misses events of its CIS family",
		"A metric filter meant to catch a family of account changes (security groups, IAM policies, CloudTrail, KMS keys...) "+
			"that leaves some of the family's events out, or joins alternatives with && so that no event matches, lets those "+
			"changes through without an alarm.",
		"Use the CIS AWS Foundations Benchmark pattern of the family (as the Security Hub CloudWatch controls list it) in "+
			"`FilterPattern`: every event name of the family, alternatives joined with ||.",
		"CWE-778", cisAWS+" 4", cisMonitoringDoc, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html")
	ruleCFNMetricFilterNoAlarm = rule("cfn-cloudtrail-metric-filter-no-alarm", scanners.SeverityLow,
		"CloudTrail metric filter has no alarm",
		"A metric filter counts the CloudTrail events it matches (console sign-ins without MFA, security group or IAM policy "+
			"changes), but nothing is told when the count moves unless an alarm watches the metric: the change goes unseen.",
		"Add an `AWS::CloudWatch::Alarm` whose `MetricName` and `Namespace` are the filter's `MetricTransformations` "+
			"metric, with an `AlarmActions` target.",
		"CWE-778", cisAWS+" 4", cisMonitoringDoc, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html")
	ruleCFNCISMonitoringGaps = rule("cfn-cis-monitoring-incomplete", scanners.SeverityLow,
		"CloudTrail monitoring lacks CIS metric filters and alarms",
		"The template alarms on some CloudTrail events but not on every family the CIS AWS Foundations Benchmark asks "+
			"for: root account use, console sign-ins without MFA, IAM policy, security group or network changes that are "+
			"not watched go unnoticed until someone reads the logs.",
		"Add an `AWS::Logs::MetricFilter` on the CloudTrail log group with the family's CIS pattern, and an "+
			"`AWS::CloudWatch::Alarm` on its metric with an `AlarmActions` target, for each family the finding lists.",
		"CWE-778", cisAWS+" 4", cisMonitoringDoc)
)

// cfnTrailCore tells a pattern on CloudTrail events from one on an
// application's JSON log that happens to have an eventType or errorMessage
// field: it names an event, an error code or the caller's identity.
var cfnTrailCore = regexp.MustCompile(`\$\.(eventName|errorCode|userIdentity\.)`)

// cfnKnown is the literal string of a scalar that is no intrinsic function.
func cfnKnown(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || intrinsic(n) {
		return "", false
	}
	return n.Value, true
}

// cfnAuditLinks runs the audit cross-resource checks over a template's
// resources.
func cfnAuditLinks(all []cfnRes, lines []string) []hit {
	// What the template's rotation schedules and logging configurations
	// name; unknown when one names its target in a way that cannot be read.
	named := map[string]map[string]bool{}
	unknown := map[string]bool{}
	mark := func(kind string, v *yaml.Node) {
		if named[kind] == nil {
			named[kind] = map[string]bool{}
		}
		if t := cfnRefTarget(v); t != "" {
			named[kind][t] = true
		} else {
			unknown[kind] = true
		}
	}
	for _, r := range all {
		switch r.typ {
		case "AWS::SecretsManager::RotationSchedule":
			mark("secret", get2(r.props, "SecretId"))
		case "AWS::WAFv2::LoggingConfiguration":
			mark("waf", get2(r.props, "ResourceArn"))
		case "AWS::NetworkFirewall::LoggingConfiguration":
			mark("nfw", get2(r.props, "FirewallArn"))
		}
	}
	// REST APIs of the template with a method integrated with an HTTP
	// backend over the internet (the backends a client certificate
	// authenticates to).
	httpAPIs := map[string]bool{}
	for _, r := range all {
		if r.typ != "AWS::ApiGateway::Method" {
			continue
		}
		in := get2(r.props, "Integration")
		if c := get2(in, "ConnectionType"); c != nil {
			// a private integration (VPC link) reaches a backend the
			// internet cannot call around the API
			if v, ok := cfnKnown(c); !ok || v != "INTERNET" {
				continue
			}
		}
		if t, ok := cfnKnown(get2(in, "Type")); ok && (t == "HTTP" || t == "HTTP_PROXY") {
			if api := cfnRefTarget(get2(r.props, "RestApiId")); api != "" {
				httpAPIs[api] = true
			}
		}
	}
	var hits []hit
	for _, r := range all {
		var ru *scanners.Rule
		var msg string
		switch r.typ {
		case "AWS::ApiGateway::Stage":
			api := cfnRefTarget(get2(r.props, "RestApiId"))
			if !httpAPIs[api] || get2(r.props, "ClientCertificateId") != nil {
				continue
			}
			ru, msg = ruleCFNAPIStageNoClientCert, fmt.Sprintf("Stage `%s` of REST API `%s`, which integrates with an HTTP backend, sets no ClientCertificateId.", clip(r.name.Value), clip(api))
		case "AWS::SecretsManager::Secret":
			// Only a value Secrets Manager generates: one the template
			// passes in (a webhook secret, a partner's client secret) is
			// rotated by whoever issues it.
			if unknown["secret"] || named["secret"][r.name.Value] || get2(r.props, "GenerateSecretString") == nil || get2(r.props, "SecretString") != nil {
				continue
			}
			ru, msg = ruleCFNSecretNoRotation, fmt.Sprintf("No AWS::SecretsManager::RotationSchedule of the template rotates secret `%s`.", clip(r.name.Value))
		case "AWS::WAFv2::WebACL":
			if unknown["waf"] || named["waf"][r.name.Value] {
				continue
			}
			ru, msg = ruleCFNWAFv2Logging, fmt.Sprintf("No AWS::WAFv2::LoggingConfiguration of the template names web ACL `%s`.", clip(r.name.Value))
		case "AWS::NetworkFirewall::Firewall":
			if unknown["nfw"] || named["nfw"][r.name.Value] {
				continue
			}
			ru, msg = ruleCFNNetworkFirewallLogging, fmt.Sprintf("No AWS::NetworkFirewall::LoggingConfiguration of the template names firewall `%s`.", clip(r.name.Value))
		default:
			continue
		}
		hits = append(hits, cfnResourceHit(ru, r.name, r.body, lines, msg, strings.TrimPrefix(ru.ID, Name+"/")))
	}
	return append(hits, cfnCIS(all, lines)...)
}

// cfnMetric is a metric a filter publishes or an alarm watches; an empty
// namespace matches any.
type cfnMetric struct{ name, namespace string }

// cfnFilterMetrics are the metrics of a metric filter's transformations;
// ok is false when one cannot be seen.
func cfnFilterMetrics(props *yaml.Node) (ms []cfnMetric, ok bool) {
	ts := get2(props, "MetricTransformations")
	if ts == nil || ts.Kind != yaml.SequenceNode {
		return nil, false
	}
	for _, t := range ts.Content {
		name, ok1 := cfnKnown(get2(t, "MetricName"))
		ns, ok2 := cfnKnown(get2(t, "MetricNamespace"))
		if !ok1 || !ok2 {
			return nil, false
		}
		ms = append(ms, cfnMetric{name, ns})
	}
	return ms, len(ms) > 0
}

// cfnAlarmMetrics are the metrics an alarm watches (its own, or its
// Metrics' MetricStat); ok is false when one cannot be seen.
func cfnAlarmMetrics(props *yaml.Node) (ms []cfnMetric, ok bool) {
	metric := func(m *yaml.Node) bool {
		n := get2(m, "MetricName")
		if n == nil {
			return true
		}
		name, ok := cfnKnown(n)
		if !ok {
			return false
		}
		ns := ""
		if v := get2(m, "Namespace"); v != nil {
			if ns, ok = cfnKnown(v); !ok {
				ns = ""
			}
		}
		ms = append(ms, cfnMetric{name, ns})
		return true
	}
	if !metric(props) {
		return nil, false
	}
	if qs := get2(props, "Metrics"); qs != nil {
		if qs.Kind != yaml.SequenceNode {
			return nil, false
		}
		for _, q := range qs.Content {
			if st := get2(q, "MetricStat"); st != nil && !metric(get2(st, "Metric")) {
				return nil, false
			}
		}
	}
	return ms, true
}

// cfnCIS judges the template's CloudTrail metric filters: the events of
// their CIS family, an alarm on their metric, and, once per template, the
// CIS monitoring families no complete filter with an alarm covers. Nothing
// is judged when a filter's pattern or metric, or an alarm's metric, cannot
// be seen (the alarm may then watch any filter).
func cfnCIS(all []cfnRes, lines []string) []hit {
	line := func(n int) string { return templateLine(lines, n) }
	var watched []cfnMetric
	for _, r := range all {
		if r.typ != "AWS::CloudWatch::Alarm" {
			continue
		}
		ms, ok := cfnAlarmMetrics(r.props)
		if !ok {
			return nil
		}
		watched = append(watched, ms...)
	}
	watches := func(ms []cfnMetric) bool {
		for _, m := range ms {
			for _, w := range watched {
				if w.name == m.name && (w.namespace == "" || w.namespace == m.namespace) {
					return true
				}
			}
		}
		return false
	}
	type filter struct {
		r       cfnRes
		pattern *yaml.Node
		text    string
		metrics []cfnMetric
	}
	var filters []filter
	for _, r := range all {
		if r.typ != "AWS::Logs::MetricFilter" {
			continue
		}
		pn := get2(r.props, "FilterPattern")
		p, ok := cfnKnown(pn)
		if !ok {
			return nil
		}
		if !onTrail(p) || !cfnTrailCore.MatchString(p) {
			continue
		}
		ms, ok := cfnFilterMetrics(r.props)
		if !ok {
			return nil
		}
		filters = append(filters, filter{r, pn, p, ms})
	}
	if len(filters) == 0 {
		return nil
	}
	var hits []hit
	covered := map[string]bool{}
	for _, f := range filters {
		id := f.r.name.Value
		c := parseCISPattern(f.text)
		var msg string
		if c.contradiction != "" {
			msg = fmt.Sprintf("`%s` joins alternatives of `$.%s` with `&&`: no event has two values of one field, so the filter matches nothing. Join them with `||`.", clip(id), c.contradiction)
		} else if _, part := cisCovers(f.text); len(part) > 0 {
			var msgs []string
			for _, n := range sortedKeys(part) {
				msgs = append(msgs, fmt.Sprintf("%s (misses %s)", n, strings.Join(part[n], ", ")))
			}
			msg = fmt.Sprintf("`%s` covers the CIS family %s in part.", clip(id), strings.Join(msgs, "; "))
		}
		if msg != "" {
			at := f.pattern.Line
			hits = append(hits, hit{rule: ruleCFNCISFilterIncomplete, line: at, endLine: max(at, lastLine(f.pattern)), blockStart: at,
				blockEnd: max(at, lastLine(f.pattern)), msg: msg, identity: id + " cis-metric-filter-incomplete", evidence: line(at)})
		}
		if !watches(f.metrics) {
			hits = append(hits, cfnResourceHit(ruleCFNMetricFilterNoAlarm, f.r.name, f.r.body, lines,
				fmt.Sprintf("No AWS::CloudWatch::Alarm of the template watches the metric of `%s` (%s).", clip(id), clip(f.metrics[0].name)),
				"cloudtrail-metric-filter-no-alarm"))
			continue
		}
		whole, _ := cisCovers(f.text)
		for _, w := range whole {
			covered[w] = true
		}
	}
	var lack []string
	for _, fam := range cisAll {
		if !covered[fam] {
			lack = append(lack, fam)
		}
	}
	if len(lack) > 0 {
		first := filters[0].r
		start, end := first.name.Line, max(first.name.Line, lastLine(first.body))
		var scope []scanners.LineRange
		for _, r := range all {
			if r.typ == "AWS::Logs::MetricFilter" || r.typ == "AWS::CloudWatch::Alarm" {
				scope = append(scope, scanners.LineRange{Start: r.name.Line, End: max(r.name.Line, lastLine(r.body))})
			}
		}
		hits = append(hits, hit{rule: ruleCFNCISMonitoringGaps, line: start, endLine: start, blockStart: start, blockEnd: end,
			msg: fmt.Sprintf("The template's CloudTrail metric filters and alarms lack %d of the %d CIS monitoring families: %s.",
				len(lack), len(cisAll), strings.Join(lack, ", ")),
			identity: "cis-monitoring template", evidence: line(start), scope: scope})
	}
	return hits
}
