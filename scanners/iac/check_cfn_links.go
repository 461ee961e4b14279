package iac

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// CloudFormation checks that compare resources of one template (the check
// language judges one resource at a time): a VPC no flow log of the template
// names, an internet-facing application load balancer no web ACL association
// of the template names. A template that names its targets in a way that
// cannot be read (a parameter, an import, a built ARN) is not judged: the
// flow log or association may be for the resource.
var (
	ruleCFNVPCFlowLogs = rule("cfn-vpc-flow-logs", scanners.SeverityLow,
		"VPC has no flow log",
		"Without a flow log there is no record of the traffic accepted or rejected in the VPC, so a scan, an "+
			"exfiltration or a compromised instance's connections cannot be traced afterwards.",
		"Add an `AWS::EC2::FlowLog` with `ResourceType: VPC`, `ResourceId: !Ref` the VPC and a destination (CloudWatch Logs or S3).",
		"CWE-778", "AWS FSBP EC2.6", "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html")
	ruleCFNALBNoWAF = rule("cfn-alb-no-waf", scanners.SeverityLow,
		"Internet-facing application load balancer has no web ACL",
		"An internet-facing application load balancer without a WAF web ACL passes every request to its targets: no rule "+
			"filters injection attempts, known bad inputs or request floods before they reach the application.",
		"Associate a WAF web ACL (`AWS::WAFv2::WebACLAssociation` with `ResourceArn: !Ref` the load balancer), or set `Scheme: internal`.",
		"CWE-693", "AWS FSBP ELB.16", "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html")
	ruleCFNInstancePublicSubnet = rule("cfn-instance-public-subnet", scanners.SeverityMedium,
		"EC2 instance gets a public IP address from its subnet",
		"The instance is launched in a subnet of the template whose MapPublicIpOnLaunch is true, so it gets a public "+
			"address and is reachable from the internet as far as its security groups allow, one rule away from exposing "+
			"every port it listens on.",
		"Launch the instance in a private subnet and reach it through a load balancer, a bastion or SSM; or give it a "+
			"network interface with `AssociatePublicIpAddress: false`.",
		"CWE-284", "AWS FSBP EC2.9", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html")
	ruleCFNDBPublicSubnet = rule("cfn-db-public-subnet", scanners.SeverityMedium,
		"Database subnet group holds a public subnet",
		"The database's subnet group lists a subnet of the template whose MapPublicIpOnLaunch is true: a subnet meant "+
			"for internet-facing hosts, routed to an internet gateway, so the database is one PubliclyAccessible flag or "+
			"security group rule away from the internet.",
		"List only private subnets (no public IPs on launch, no route to an internet gateway) in the DB subnet group.",
		"CWE-284", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html")
	ruleCFNWebSocketNoExecLog = rule("cfn-apigatewayv2-websocket-no-execution-log", scanners.SeverityLow,
		"API Gateway WebSocket stage writes no execution log",
		"The stage of a WebSocket API of the template sets no DefaultRouteSettings.LoggingLevel, and execution logging "+
			"is off unless it does: failed authorizations, integration errors and dropped connections leave no trace "+
			"in CloudWatch. (HTTP APIs have no execution log, so only stages of a WebSocket API the template defines "+
			"are judged.)",
		"Set `DefaultRouteSettings.LoggingLevel` to `ERROR` or `INFO` on the stage (the account's API Gateway "+
			"CloudWatch role must be set).",
		"CWE-778", "https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-stage.html")
	ruleCFNNACLDuplicateRule = rule("cfn-nacl-entry-duplicate-rule-number", scanners.SeverityLow,
		"Network ACL entries share a rule number",
		"Two entries of one network ACL, in the same direction, have the same rule number: an ACL holds one rule per "+
			"number and direction, so creating the second fails and the stack rolls back, or, where the other entry "+
			"already exists, the rule meant to allow or deny this traffic is not the one in force.",
		"Give each entry of the ACL a rule number of its own within its direction (ingress and egress are numbered "+
			"separately).",
		"CWE-670", "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-networkaclentry.html")
)

// cfnLinkHits runs the cross-resource checks over a template (YAML, or
// JSON when isJSON).
func cfnLinkHits(ctx context.Context, content []byte, isJSON bool) []hit {
	var roots []*yaml.Node
	if isJSON {
		if !looksCloudFormationJSON(content) {
			return nil
		}
		root, err := decodeJSONNodes(ctx, content)
		if err != nil || root == nil {
			return nil
		}
		roots = append(roots, root)
	} else {
		docs, _ := nest.DecodeYAML(ctx, content)
		for _, d := range docs {
			if d.Kind == yaml.DocumentNode && len(d.Content) > 0 {
				d = d.Content[0]
			}
			roots = append(roots, d)
		}
	}
	lines := splitLines(content)
	var hits []hit
	for _, root := range roots {
		hits = append(hits, cfnLinks(root, lines)...)
		hits = append(hits, cfnConfigLinks(root, lines)...) // check_cfn_config.go
	}
	return hits
}

// cfnRefTarget is the logical id a Ref or a GetAtt names (`!Ref X`,
// `{"Ref": "X"}`, `!GetAtt X.VpcId`, `{"Fn::GetAtt": ["X", "Arn"]}`), or ""
// when v is anything else.
func cfnRefTarget(v *yaml.Node) string {
	if v == nil {
		return ""
	}
	name, args := intrinsicCall(v)
	if args == nil {
		return ""
	}
	switch {
	case name == "Ref" && args.Kind == yaml.ScalarNode:
		return args.Value
	case name == "Fn::GetAtt" && args.Kind == yaml.ScalarNode: // !GetAtt X.VpcId
		id, _, _ := strings.Cut(args.Value, ".")
		return id
	case name == "Fn::GetAtt" && args.Kind == yaml.SequenceNode && len(args.Content) == 2 && args.Content[0].Kind == yaml.ScalarNode:
		return args.Content[0].Value // [X, VpcId]
	}
	return ""
}

type cfnRes struct {
	name  *yaml.Node
	body  *yaml.Node
	typ   string
	props *yaml.Node
}

// cfnResourceHit is a finding on a whole resource of a template (what
// another resource of the template would give it is missing): from its
// name line through its end, identified by its name and what.
func cfnResourceHit(ru *scanners.Rule, name, body *yaml.Node, lines []string, msg, what string) hit {
	start, end := name.Line, max(name.Line, lastLine(body))
	return hit{rule: ru, line: start, endLine: start, blockStart: start, blockEnd: end, missing: true,
		msg: msg, identity: name.Value + " " + what, evidence: templateLine(lines, start)}
}

// templateLine is line n of a template, clipped, for evidence ("" when out
// of range).
func templateLine(lines []string, n int) string {
	if n >= 1 && n <= len(lines) {
		return clip(strings.TrimSpace(lines[n-1]))
	}
	return ""
}

func cfnLinks(root *yaml.Node, lines []string) []hit {
	resources := get2(root, "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return nil
	}
	var all []cfnRes
	for i := 0; i+1 < len(resources.Content); i += 2 {
		name, body := resources.Content[i], resources.Content[i+1]
		if body.Kind != yaml.MappingNode {
			continue
		}
		all = append(all, cfnRes{name: name, body: body, typ: scalar(body, "Type"), props: get2(body, "Properties")})
	}
	// What the template's flow logs and web ACL associations name; unknown
	// when one names its target in a way that cannot be read.
	logged, protected := map[string]bool{}, map[string]bool{}
	logsUnknown, aclsUnknown := false, false
	for _, r := range all {
		switch r.typ {
		case "AWS::EC2::FlowLog":
			if t := cfnRefTarget(get2(r.props, "ResourceId")); t != "" {
				logged[t] = true
			} else {
				logsUnknown = true
			}
			if ids := get2(r.props, "ResourceIds"); ids != nil {
				logsUnknown = true
			}
		case "AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation":
			if t := cfnRefTarget(get2(r.props, "ResourceArn")); t != "" {
				protected[t] = true
			} else {
				aclsUnknown = true
			}
		}
	}
	line := func(n int) string { return templateLine(lines, n) }
	var hits []hit
	// Subnets of the template that give every instance a public address.
	public := map[string]bool{}
	for _, r := range all {
		if r.typ == "AWS::EC2::Subnet" {
			if v := get2(r.props, "MapPublicIpOnLaunch"); v != nil && v.Kind == yaml.ScalarNode && !intrinsic(v) && strings.EqualFold(v.Value, "true") {
				public[r.name.Value] = true
			}
		}
	}
	for _, r := range all {
		if r.typ != "AWS::EC2::Instance" {
			continue
		}
		if at := publicSubnetRef(r.props, public); at != nil {
			end := max(at.Line, lastLine(at))
			hits = append(hits, hit{rule: ruleCFNInstancePublicSubnet, line: at.Line, endLine: at.Line, blockStart: at.Line, blockEnd: end,
				msg:      fmt.Sprintf("Instance `%s` is launched in a subnet that maps public IP addresses on launch.", clip(r.name.Value)),
				identity: r.name.Value + " instance-public-subnet", evidence: line(at.Line)})
		}
	}
	for _, r := range all {
		switch r.typ {
		case "AWS::RDS::DBSubnetGroup", "AWS::DocDB::DBSubnetGroup", "AWS::Neptune::DBSubnetGroup":
		default:
			continue
		}
		ids := get2(r.props, "SubnetIds")
		if ids == nil || ids.Kind != yaml.SequenceNode {
			continue
		}
		for _, id := range ids.Content {
			if t := cfnRefTarget(id); public[t] {
				hits = append(hits, hit{rule: ruleCFNDBPublicSubnet, line: id.Line, endLine: id.Line, blockStart: id.Line, blockEnd: id.Line,
					msg:      fmt.Sprintf("DB subnet group `%s` lists subnet `%s`, which maps public IP addresses on launch.", clip(r.name.Value), clip(t)),
					identity: r.name.Value + " db-public-subnet", evidence: line(id.Line)})
				break
			}
		}
	}
	for _, r := range all {
		var ru *scanners.Rule
		var msg string
		switch {
		case r.typ == "AWS::EC2::VPC" && !logsUnknown && !logged[r.name.Value]:
			ru, msg = ruleCFNVPCFlowLogs, fmt.Sprintf("VPC `%s` has no AWS::EC2::FlowLog in the template.", clip(r.name.Value))
		case r.typ == "AWS::ElasticLoadBalancingV2::LoadBalancer" && !aclsUnknown && !protected[r.name.Value] && publicALB(r.props):
			ru, msg = ruleCFNALBNoWAF, fmt.Sprintf("Load balancer `%s` is internet-facing and no web ACL association of the template names it.", clip(r.name.Value))
		default:
			continue
		}
		hits = append(hits, cfnResourceHit(ru, r.name, r.body, lines, msg, strings.TrimPrefix(ru.ID, Name+"/")))
	}
	hits = append(hits, webSocketStagesUnlogged(all, lines)...)
	hits = append(hits, naclDuplicateRules(all, lines)...)
	return append(hits, cfnAuditLinks(all, lines)...) // check_cfn_audit.go
}

// webSocketStagesUnlogged: stages of the template's WebSocket APIs (a literal
// ProtocolType WEBSOCKET) that leave execution logging at its default, off.
// A stage whose DefaultRouteSettings or LoggingLevel is an intrinsic, or that
// sets RouteSettings per route, is not judged; LoggingLevel OFF written is
// cfn-apigatewayv2-logging-off (a data check).
func webSocketStagesUnlogged(all []cfnRes, lines []string) []hit {
	ws := map[string]bool{}
	for _, r := range all {
		if r.typ != "AWS::ApiGatewayV2::Api" {
			continue
		}
		if p := get2(r.props, "ProtocolType"); p != nil && p.Kind == yaml.ScalarNode && !intrinsic(p) && strings.EqualFold(p.Value, "WEBSOCKET") {
			ws[r.name.Value] = true
		}
	}
	if len(ws) == 0 {
		return nil
	}
	var hits []hit
	for _, r := range all {
		if r.typ != "AWS::ApiGatewayV2::Stage" || r.props == nil || r.props.Kind != yaml.MappingNode {
			continue
		}
		api := cfnRefTarget(get2(r.props, "ApiId"))
		if !ws[api] || get2(r.props, "RouteSettings") != nil {
			continue
		}
		msg := fmt.Sprintf("Stage `%s` of WebSocket API `%s` sets no LoggingLevel: execution logging is off.", clip(r.name.Value), clip(api))
		what := strings.TrimPrefix(ruleCFNWebSocketNoExecLog.ID, Name+"/")
		d := get2(r.props, "DefaultRouteSettings")
		switch {
		case d == nil:
			hits = append(hits, cfnResourceHit(ruleCFNWebSocketNoExecLog, r.name, r.body, lines, msg, what))
		case (d.Kind == yaml.MappingNode && !intrinsic(d) && get2(d, "LoggingLevel") == nil) || d.Tag == "!!null":
			// the settings block that lacks the level, from its key
			start := d.Line
			if k := keyNode(r.props, "DefaultRouteSettings"); k != nil {
				start = k.Line
			}
			hits = append(hits, hit{rule: ruleCFNWebSocketNoExecLog, line: start, endLine: start, blockStart: start,
				blockEnd: max(start, lastLine(d)), missing: true, msg: msg, identity: r.name.Value + " " + what,
				evidence: templateLine(lines, start)})
		}
	}
	return hits
}

// naclDuplicateRules: entries of one network ACL of the template (named by a
// Ref, a GetAtt or a literal id) with the same rule number in the same
// direction. An entry with a Condition, or whose ACL, direction or number
// is an intrinsic the template does not settle, is not judged.
func naclDuplicateRules(all []cfnRes, lines []string) []hit {
	type slot struct {
		acl    string
		egress bool
		number int
	}
	type entry struct {
		r  cfnRes
		at *yaml.Node
	}
	bySlot := map[slot][]entry{}
	var order []slot
	for _, r := range all {
		if r.typ != "AWS::EC2::NetworkAclEntry" || get2(r.body, "Condition") != nil {
			continue
		}
		acl := get2(r.props, "NetworkAclId")
		id := cfnRefTarget(acl)
		if id == "" && acl != nil && acl.Kind == yaml.ScalarNode && !intrinsic(acl) {
			id = "literal " + acl.Value
		}
		num := get2(r.props, "RuleNumber")
		if id == "" || num == nil || num.Kind != yaml.ScalarNode || intrinsic(num) {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(num.Value))
		if err != nil {
			continue
		}
		egress := false
		if e := get2(r.props, "Egress"); e != nil {
			if e.Kind != yaml.ScalarNode || intrinsic(e) {
				continue
			}
			egress = strings.EqualFold(e.Value, "true")
		}
		k := slot{id, egress, n}
		if bySlot[k] == nil {
			order = append(order, k)
		}
		bySlot[k] = append(bySlot[k], entry{r, num})
	}
	var hits []hit
	what := strings.TrimPrefix(ruleCFNNACLDuplicateRule.ID, Name+"/")
	for _, k := range order {
		es := bySlot[k]
		if len(es) < 2 {
			continue
		}
		dir := "ingress"
		if k.egress {
			dir = "egress"
		}
		for i, e := range es {
			other := es[0]
			if i == 0 {
				other = es[1]
			}
			msg := fmt.Sprintf("Entry `%s` has %s rule number %d, as entry `%s` of the same network ACL has.",
				clip(e.r.name.Value), dir, k.number, clip(other.r.name.Value))
			hits = append(hits, hit{rule: ruleCFNNACLDuplicateRule, line: e.at.Line, endLine: e.at.Line, blockStart: e.at.Line,
				blockEnd: e.at.Line, msg: msg, identity: e.r.name.Value + " " + what, evidence: templateLine(lines, e.at.Line)})
		}
	}
	return hits
}

// keyNode is the key node of key in mapping m, or nil.
func keyNode(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// publicALB reports an application load balancer whose Scheme is
// internet-facing, written or by default.
func publicALB(props *yaml.Node) bool {
	if t := get2(props, "Type"); t != nil && (t.Kind != yaml.ScalarNode || intrinsic(t) || t.Value != "application") {
		return false
	}
	s := get2(props, "Scheme")
	if s == nil {
		return true
	}
	return s.Kind == yaml.ScalarNode && !intrinsic(s) && s.Value == "internet-facing"
}

// publicSubnetRef is the value that places an instance in one of the public
// subnets (its SubnetId, or a network interface's SubnetId whose
// AssociatePublicIpAddress is not false), or nil.
func publicSubnetRef(props *yaml.Node, public map[string]bool) *yaml.Node {
	if v := get2(props, "SubnetId"); public[cfnRefTarget(v)] {
		return v
	}
	nics := get2(props, "NetworkInterfaces")
	if nics == nil || nics.Kind != yaml.SequenceNode {
		return nil
	}
	for _, nic := range nics.Content {
		v := get2(nic, "SubnetId")
		if !public[cfnRefTarget(v)] {
			continue
		}
		if a := get2(nic, "AssociatePublicIpAddress"); a != nil && (a.Kind != yaml.ScalarNode || intrinsic(a) || strings.EqualFold(a.Value, "false")) {
			continue
		}
		return v
	}
	return nil
}
