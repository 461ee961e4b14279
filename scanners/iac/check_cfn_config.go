package iac

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// CloudFormation form of tf-aws-sg-unused (check_network.go): a security
// group nothing else in its template names. The question is about every
// other resource, output and string of the template, not about the group,
// so it is Go.

var ruleCFNSGUnused = rule("cfn-sg-unused", scanners.SeverityLow,
	"Security group is not used by anything in its template",
	"A security group that no resource, nested stack or output of its template refers to (by Ref, GetAtt, Sub or "+
		"name) protects nothing: it is either left over, and its rules are an opening waiting for the next resource "+
		"someone attaches to it, or the resource meant to use it runs in another (often the default) group.",
	"Attach the group to the resources it was written for (`SecurityGroupIds`, `SecurityGroups`, a launch template's "+
		"`NetworkInterfaces`), export it in `Outputs` if another stack uses it, or delete it.",
	"CWE-1164", "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html")

// cfnSGConsumers are resource types that take security groups. A template
// with none of them defines groups for others to use (by lookup, or by a
// parameter of another stack): its groups are not judged.
var cfnSGConsumers = map[string]bool{
	"AWS::EC2::Instance": true, "AWS::EC2::LaunchTemplate": true, "AWS::AutoScaling::LaunchConfiguration": true,
	"AWS::EC2::NetworkInterface": true, "AWS::EC2::SpotFleet": true, "AWS::EC2::EC2Fleet": true,
	"AWS::ElasticLoadBalancing::LoadBalancer": true, "AWS::ElasticLoadBalancingV2::LoadBalancer": true,
	"AWS::RDS::DBInstance": true, "AWS::RDS::DBCluster": true, "AWS::RDS::DBProxy": true, "AWS::DocDB::DBCluster": true,
	"AWS::Neptune::DBCluster": true, "AWS::Redshift::Cluster": true, "AWS::ElastiCache::CacheCluster": true,
	"AWS::ElastiCache::ReplicationGroup": true, "AWS::MemoryDB::Cluster": true, "AWS::Lambda::Function": true,
	"AWS::Serverless::Function": true, "AWS::ECS::Service": true, "AWS::ECS::TaskSet": true, "AWS::EKS::Cluster": true,
	"AWS::EC2::VPCEndpoint": true, "AWS::EFS::MountTarget": true, "AWS::AmazonMQ::Broker": true, "AWS::MSK::Cluster": true,
	"AWS::OpenSearchService::Domain": true, "AWS::Elasticsearch::Domain": true, "AWS::EMR::Cluster": true,
	"AWS::Batch::ComputeEnvironment": true, "AWS::DMS::ReplicationInstance": true, "AWS::SageMaker::NotebookInstance": true,
	"AWS::CodeBuild::Project": true, "AWS::Glue::Connection": true, "AWS::Transfer::Server": true,
	"AWS::Route53Resolver::ResolverEndpoint": true, "AWS::DirectoryService::MicrosoftAD": true,
	"AWS::DirectoryService::SimpleAD": true, "AWS::FSx::FileSystem": true, "AWS::AppRunner::VpcConnector": true,
	"AWS::RedshiftServerless::Workgroup": true, "AWS::AutoScaling::AutoScalingGroup": true,
	"AWS::EC2::ClientVpnEndpoint": true, "AWS::CloudFormation::Stack": true, "AWS::Serverless::Application": true,
	"AWS::DAX::Cluster": true, "AWS::ElasticBeanstalk::Environment": true, "AWS::ElasticBeanstalk::ConfigurationTemplate": true,
	"AWS::StepFunctions::StateMachine": true, "AWS::Cloud9::EnvironmentEC2": true, "AWS::WorkSpaces::Workspace": true,
}

// cfnConfigLinks runs this file's template-wide checks over one template.
func cfnConfigLinks(root *yaml.Node, lines []string) []hit {
	resources := get2(root, "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return nil
	}
	// A macro other than SAM may add the resources that use the groups.
	if t := get2(root, "Transform"); t != nil {
		for _, n := range yElems(t) {
			if n.Kind != yaml.ScalarNode || n.Value != "AWS::Serverless-2016-10-31" {
				return nil
			}
		}
	}
	consumers := false
	type sg struct{ name, body *yaml.Node }
	var groups []sg
	for i := 0; i+1 < len(resources.Content); i += 2 {
		name, body := resources.Content[i], resources.Content[i+1]
		if body.Kind != yaml.MappingNode {
			continue
		}
		typ := scalar(body, "Type")
		if cfnSGConsumers[typ] {
			consumers = true
		}
		if strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource" {
			consumers = true
		}
		if typ == "AWS::EC2::SecurityGroup" {
			groups = append(groups, sg{name, body})
		}
	}
	hits := append(cfnAPIStageNoWAF(resources, lines), cfnSingleAZ(root, resources, lines)...)
	hits = append(hits, cfnLambdaAsyncNoDLQ(root, resources, lines)...)
	hits = append(hits, cfnDynamoDBNoAutoscaling(resources, lines)...)
	if !consumers || len(groups) == 0 {
		return hits
	}
	for _, g := range groups {
		names := map[string]bool{g.name.Value: true}
		if gn := get2(get2(g.body, "Properties"), "GroupName"); gn != nil && gn.Kind == yaml.ScalarNode && !intrinsic(gn) && gn.Value != "" {
			names[gn.Value] = true
		}
		if cfnMentions(root, resources, g.body, names) {
			continue
		}
		hits = append(hits, cfnResourceHit(ruleCFNSGUnused, g.name, g.body, lines,
			fmt.Sprintf("Security group `%s` is not referred to by any other resource or output of the template.", clip(g.name.Value)), "sg-unused"))
	}
	return hits
}

// cfnMentions reports whether any node of the template outside the group's
// own body (skip), and outside the GroupId of an AWS::EC2::SecurityGroupIngress
// or Egress (which only adds rules to it), names one of names: a Ref or GetAtt
// target, a `${Name}` of a Sub, a DependsOn, or a string equal to the name.
func cfnMentions(root, resources, skip *yaml.Node, names map[string]bool) bool {
	ruleOnly := map[*yaml.Node]bool{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		body := resources.Content[i+1]
		switch scalar(body, "Type") {
		case "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress":
			if gid := get2(get2(body, "Properties"), "GroupId"); gid != nil {
				ruleOnly[gid] = true
			}
		}
	}
	found := false
	var walk func(n *yaml.Node, isKey bool)
	walk = func(n *yaml.Node, isKey bool) {
		if found || n == nil || n == skip || ruleOnly[n] {
			return
		}
		if n.Kind == yaml.AliasNode {
			return
		}
		if n.Kind == yaml.ScalarNode && !isKey && cfnScalarNames(n.Value, names) {
			found = true
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				// A resource's logical id is a key, not a mention.
				walk(n.Content[i+1], false)
			}
			return
		}
		for _, c := range n.Content {
			walk(c, false)
		}
	}
	walk(root, false)
	return found
}

// cfnScalarNames reports a string that names one of names: the name
// itself, `Name.Attr` (a short GetAtt), or a `${Name}` / `${Name.Attr}` in a
// Sub string.
func cfnScalarNames(s string, names map[string]bool) bool {
	if names[s] {
		return true
	}
	if id, _, ok := strings.Cut(s, "."); ok && names[id] {
		return true
	}
	for rest := s; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			return false
		}
		rest = rest[i+2:]
		j := strings.IndexAny(rest, ".}")
		if j < 0 {
			return false
		}
		if names[rest[:j]] {
			return true
		}
	}
}

// CloudFormation form of aws-apigateway-stage-no-waf (aws_compute.yaml): a
// REST API stage that no web ACL association of the template names.
var ruleCFNAPIStageNoWAF = rule("cfn-apigateway-stage-no-waf", scanners.SeverityLow,
	"API Gateway REST API stage has no web ACL",
	"A public REST API stage without a WAF web ACL passes every request to its integrations: no rule filters "+
		"injection attempts, known bad inputs or request floods before they reach the backend.",
	"Associate a WAF web ACL with the stage (`AWS::WAFv2::WebACLAssociation` with `ResourceArn: !Sub "+
		"arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}`).",
	"CWE-693", "AWS FSBP APIGateway.4", "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html")

// cfnAPIStageNoWAF reports the REST API stages (AWS::ApiGateway::Stage,
// AWS::Serverless::Api) of a template that no web ACL association names,
// directly or through their API. An association whose target cannot be read
// (a literal ARN, a parameter, an import) may be for any stage: then none is
// judged. Private APIs are not judged.
func cfnAPIStageNoWAF(resources *yaml.Node, lines []string) []hit {
	named := map[string]bool{} // logical ids an association names
	type res struct{ name, body, props *yaml.Node }
	var stages []res
	private := map[string]bool{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		name, body := resources.Content[i], resources.Content[i+1]
		if body.Kind != yaml.MappingNode {
			continue
		}
		props := get2(body, "Properties")
		switch scalar(body, "Type") {
		case "AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation":
			ids := cfnNamedIDs(get2(props, "ResourceArn"))
			if len(ids) == 0 {
				return nil
			}
			for _, id := range ids {
				named[id] = true
			}
		case "AWS::ApiGateway::RestApi":
			if cfnPrivateEndpoint(get2(props, "EndpointConfiguration")) {
				private[name.Value] = true
			}
		case "AWS::ApiGateway::Stage":
			stages = append(stages, res{name, body, props})
		case "AWS::Serverless::Api":
			if !cfnPrivateEndpoint(get2(props, "EndpointConfiguration")) {
				stages = append(stages, res{name, body, props})
			}
		}
	}
	var hits []hit
	for _, s := range stages {
		covered := false
		api := cfnRefTarget(get2(s.props, "RestApiId"))
		if private[api] {
			continue
		}
		for id := range named {
			// SAM names a Serverless::Api's stage <Api><StageName>Stage.
			if strings.HasPrefix(id, s.name.Value) || (api != "" && id == api) {
				covered = true
				break
			}
		}
		if covered {
			continue
		}
		hits = append(hits, cfnResourceHit(ruleCFNAPIStageNoWAF, s.name, s.body, lines,
			fmt.Sprintf("API stage `%s` is not named by any web ACL association of the template.", clip(s.name.Value)), "apigateway-stage-no-waf"))
	}
	return hits
}

// cfnNamedIDs are the logical ids a value names: a Ref or GetAtt target, the
// `${Name}` / `${Name.Attr}` of a Sub string, or those of a Join's parts.
// Pseudo parameters (AWS::Region) are left out.
func cfnNamedIDs(v *yaml.Node) []string {
	if v == nil {
		return nil
	}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if t := cfnRefTarget(n); t != "" {
			if !strings.HasPrefix(t, "AWS::") {
				out = append(out, t)
			}
			return
		}
		if n.Kind == yaml.ScalarNode {
			for rest := n.Value; ; {
				i := strings.Index(rest, "${")
				if i < 0 {
					break
				}
				rest = rest[i+2:]
				j := strings.IndexAny(rest, ".}")
				if j < 0 {
					break
				}
				if id := rest[:j]; id != "" && !strings.HasPrefix(id, "AWS::") && !strings.HasPrefix(id, "!") {
					out = append(out, id)
				}
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(v)
	return out
}

// cfnPrivateEndpoint reports an EndpointConfiguration that makes an API
// private (`Types: [PRIVATE]`; SAM's `PRIVATE` or `Type: PRIVATE`).
func cfnPrivateEndpoint(ec *yaml.Node) bool {
	if ec == nil {
		return false
	}
	if ec.Kind == yaml.ScalarNode {
		return ec.Value == "PRIVATE"
	}
	for _, k := range []string{"Types", "Type"} {
		n := get2(ec, k)
		if n == nil {
			continue
		}
		for _, t := range yElems(n) {
			if t.Kind == yaml.ScalarNode && t.Value == "PRIVATE" {
				return true
			}
		}
	}
	return false
}

// A resource whose subnets or Availability Zones the template lists as
// exactly one: it runs in a single Availability Zone and is down when that
// zone is.
var ruleCFNSingleAZ = rule("cfn-single-az-placement", scanners.SeverityLow,
	"Resource is placed in a single subnet or Availability Zone",
	"An Auto Scaling group, VPC Lambda function, ECS service or classic load balancer given one subnet (or one "+
		"Availability Zone) runs only there: an outage of that zone takes the whole service down, and the group or "+
		"service cannot replace capacity elsewhere.",
	"List subnets in at least two Availability Zones (`VPCZoneIdentifier`, `VpcConfig.SubnetIds`, "+
		"`AwsvpcConfiguration.Subnets`, `Subnets`).",
	"CWE-693", "AWS FSBP AutoScaling.2", "AWS FSBP Lambda.5", "AWS FSBP ELB.10",
	"https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html")

// cfnSingleAZPaths are, per resource type, the placement lists; a resource
// is judged only when every list it writes is known.
var cfnSingleAZPaths = map[string][][]string{
	"AWS::AutoScaling::AutoScalingGroup":      {{"VPCZoneIdentifier"}, {"AvailabilityZones"}},
	"AWS::Lambda::Function":                   {{"VpcConfig", "SubnetIds"}},
	"AWS::Serverless::Function":               {{"VpcConfig", "SubnetIds"}},
	"AWS::ECS::Service":                       {{"NetworkConfiguration", "AwsvpcConfiguration", "Subnets"}},
	"AWS::ElasticLoadBalancing::LoadBalancer": {{"Subnets"}, {"AvailabilityZones"}},
}

// cfnSingleAZ reports the resources of cfnSingleAZPaths whose written
// placement lists hold exactly one element that stands for one subnet or
// zone (a literal, a Ref to a subnet of the template or to a single-valued
// parameter, a GetAtt, a Select). A list parameter, a Split or an import may
// hold several: not judged.
func cfnSingleAZ(root, resources *yaml.Node, lines []string) []hit {
	params := get2(root, "Parameters")
	subnets := map[string]bool{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		if scalar(resources.Content[i+1], "Type") == "AWS::EC2::Subnet" {
			subnets[resources.Content[i].Value] = true
		}
	}
	single := func(e *yaml.Node) bool {
		if e.Kind == yaml.ScalarNode && !intrinsic(e) {
			return e.Value != "" && !strings.Contains(e.Value, ",")
		}
		name, args := intrinsicCall(e)
		switch name {
		case "Fn::GetAtt", "Fn::Select":
			return true
		case "Ref":
			if args == nil || args.Kind != yaml.ScalarNode {
				return false
			}
			if subnets[args.Value] {
				return true
			}
			if p := get2(params, args.Value); p != nil {
				t := scalar(p, "Type")
				return t == "AWS::EC2::Subnet::Id" || t == "AWS::EC2::AvailabilityZone::Name"
			}
		}
		return false
	}
	var hits []hit
	for i := 0; i+1 < len(resources.Content); i += 2 {
		name, body := resources.Content[i], resources.Content[i+1]
		paths := cfnSingleAZPaths[scalar(body, "Type")]
		if paths == nil {
			continue
		}
		props := get2(body, "Properties")
		var at *yaml.Node
		judged := true
		for _, p := range paths {
			n := props
			for _, k := range p {
				n = get2(n, k)
			}
			if n == nil {
				continue
			}
			if n.Kind != yaml.SequenceNode || len(n.Content) != 1 || !single(n.Content[0]) {
				judged = false
				break
			}
			at = n
		}
		if !judged || at == nil {
			continue
		}
		ln := at.Line
		hits = append(hits, hit{rule: ruleCFNSingleAZ, line: ln, endLine: ln, blockStart: ln, blockEnd: max(ln, lastLine(at)),
			msg:      fmt.Sprintf("`%s` lists a single subnet or Availability Zone.", clip(name.Value)),
			identity: name.Value + " single-az-placement", evidence: templateLine(lines, ln)})
	}
	return hits
}

// An asynchronously invoked function (S3, SNS, EventBridge, CloudWatch Logs,
// IoT, SES) with neither a dead-letter queue nor an on-failure destination.
var ruleCFNLambdaAsyncNoDLQ = rule("cfn-lambda-async-no-dlq", scanners.SeverityLow,
	"Asynchronously invoked Lambda function keeps no record of failed events",
	"Lambda retries an asynchronous event twice and then discards it: without a dead-letter queue or an on-failure "+
		"destination, the S3, SNS or EventBridge events the function failed to process are lost without a trace, and "+
		"neither the failure nor the data can be recovered.",
	"Set `DeadLetterConfig.TargetArn` (SAM: `DeadLetterQueue`) to an SQS queue or SNS topic, or an "+
		"`AWS::Lambda::EventInvokeConfig` (SAM: `EventInvokeConfig`) with `DestinationConfig.OnFailure`.",
	"CWE-778", "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html")

// cfnAsyncPrincipals are the services that invoke Lambda asynchronously.
var cfnAsyncPrincipals = map[string]bool{
	"s3.amazonaws.com": true, "sns.amazonaws.com": true, "events.amazonaws.com": true, "logs.amazonaws.com": true,
	"iot.amazonaws.com": true, "ses.amazonaws.com": true, "scheduler.amazonaws.com": true,
}

// cfnSAMAsyncEvents are the SAM event source types Lambda receives asynchronously.
var cfnSAMAsyncEvents = map[string]bool{
	"S3": true, "SNS": true, "EventBridgeRule": true, "CloudWatchEvent": true, "Schedule": true, "ScheduleV2": true,
	"CloudWatchLogs": true, "IoTRule": true,
}

func cfnLambdaAsyncNoDLQ(root, resources *yaml.Node, lines []string) []hit {
	globals := get2(get2(root, "Globals"), "Function")
	async, configured := map[string]bool{}, map[string]bool{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		body := resources.Content[i+1]
		props := get2(body, "Properties")
		switch scalar(body, "Type") {
		case "AWS::Lambda::Permission":
			p := get2(props, "Principal")
			if p != nil && p.Kind == yaml.ScalarNode && !intrinsic(p) && cfnAsyncPrincipals[p.Value] {
				if t := cfnRefTarget(get2(props, "FunctionName")); t != "" {
					async[t] = true
				}
			}
		case "AWS::Lambda::EventInvokeConfig":
			t := cfnRefTarget(get2(props, "FunctionName"))
			if t == "" {
				return nil // may be for any function
			}
			if get2(get2(props, "DestinationConfig"), "OnFailure") != nil {
				configured[t] = true
			}
		}
	}
	var hits []hit
	for i := 0; i+1 < len(resources.Content); i += 2 {
		name, body := resources.Content[i], resources.Content[i+1]
		props := get2(body, "Properties")
		var at *yaml.Node
		switch scalar(body, "Type") {
		case "AWS::Lambda::Function":
			if !async[name.Value] || configured[name.Value] || get2(props, "DeadLetterConfig") != nil {
				continue
			}
			at = name
		case "AWS::Serverless::Function":
			if configured[name.Value] {
				continue
			}
			written := false
			for _, m := range []*yaml.Node{props, globals} {
				if get2(m, "DeadLetterQueue") != nil || get2(get2(m, "EventInvokeConfig"), "DestinationConfig") != nil {
					written = true
				}
			}
			if written {
				continue
			}
			events := get2(props, "Events")
			if events == nil || events.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(events.Content); j += 2 {
				if t := get2(events.Content[j+1], "Type"); t != nil && t.Kind == yaml.ScalarNode && cfnSAMAsyncEvents[t.Value] {
					at = events.Content[j]
					break
				}
			}
			if at == nil && async[name.Value] {
				at = name
			}
		}
		if at == nil {
			continue
		}
		hits = append(hits, cfnResourceHit(ruleCFNLambdaAsyncNoDLQ, name, body, lines,
			fmt.Sprintf("Function `%s` is invoked asynchronously and has no dead-letter queue or on-failure destination.", clip(name.Value)), "lambda-async-no-dlq"))
	}
	return hits
}

// A provisioned-capacity DynamoDB table that no scalable target of the
// template scales (FSBP DynamoDB.1).
var ruleCFNDynamoDBNoAutoscaling = rule("cfn-dynamodb-no-autoscaling", scanners.SeverityLow,
	"Provisioned DynamoDB table does not scale its capacity",
	"A table in provisioned mode with fixed read and write capacity throttles requests as soon as traffic exceeds "+
		"it: a burst, a batch job or a flood of requests makes the table (and the application) unavailable.",
	"Use `BillingMode: PAY_PER_REQUEST`, or add `AWS::ApplicationAutoScaling::ScalableTarget`s "+
		"(`ResourceId: !Sub table/${Table}`) with target-tracking scaling policies for its read and write capacity.",
	"CWE-400", "AWS FSBP DynamoDB.1", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html")

func cfnDynamoDBNoAutoscaling(resources *yaml.Node, lines []string) []hit {
	scaled := map[string]bool{}
	for i := 0; i+1 < len(resources.Content); i += 2 {
		body := resources.Content[i+1]
		if scalar(body, "Type") != "AWS::ApplicationAutoScaling::ScalableTarget" {
			continue
		}
		props := get2(body, "Properties")
		if ns := get2(props, "ServiceNamespace"); ns != nil && ns.Kind == yaml.ScalarNode && !intrinsic(ns) && ns.Value != "dynamodb" {
			continue
		}
		ids := cfnNamedIDs(get2(props, "ResourceId"))
		if len(ids) == 0 {
			return nil // may scale any table
		}
		for _, id := range ids {
			scaled[id] = true
		}
	}
	var hits []hit
	for i := 0; i+1 < len(resources.Content); i += 2 {
		name, body := resources.Content[i], resources.Content[i+1]
		if scalar(body, "Type") != "AWS::DynamoDB::Table" || scaled[name.Value] {
			continue
		}
		props := get2(body, "Properties")
		bm := get2(props, "BillingMode")
		pt := get2(props, "ProvisionedThroughput")
		switch {
		case bm == nil && pt != nil: // provisioned by default
		case bm != nil && bm.Kind == yaml.ScalarNode && !intrinsic(bm) && bm.Value == "PROVISIONED":
		default:
			continue
		}
		if tn := get2(props, "TableName"); tn != nil && tn.Kind == yaml.ScalarNode && !intrinsic(tn) && scaled[tn.Value] {
			continue
		}
		key := "BillingMode"
		if bm == nil {
			key = "ProvisionedThroughput"
		}
		ln := name.Line
		for j := 0; j+1 < len(props.Content); j += 2 {
			if props.Content[j].Value == key {
				ln = props.Content[j].Line
			}
		}
		hits = append(hits, hit{rule: ruleCFNDynamoDBNoAutoscaling, line: ln, endLine: ln, blockStart: ln, blockEnd: ln,
			msg:      fmt.Sprintf("Table `%s` uses provisioned capacity and no scalable target of the template scales it.", clip(name.Value)),
			identity: name.Value + " dynamodb-no-autoscaling", evidence: templateLine(lines, ln)})
	}
	return hits
}
