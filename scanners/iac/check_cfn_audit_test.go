package iac_test

import (
	"strings"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// Templates for the audit cross-resource CloudFormation rules (check_cfn_audit.go).
const (
	cfnSecret        = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  DbSecret:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString:\n        PasswordLength: 32\n"
	cfnSecretRotated = cfnSecret + "  DbSecretRotation:\n    Type: AWS::SecretsManager::RotationSchedule\n    Properties:\n      SecretId: !Ref DbSecret\n" +
		"      RotationLambdaARN: !GetAtt Rotator.Arn\n      RotationRules:\n        AutomaticallyAfterDays: 30\n"
	cfnSecretRotUnknown = cfnSecret + "  DbSecretRotation:\n    Type: AWS::SecretsManager::RotationSchedule\n    Properties:\n      SecretId: !ImportValue shared-secret\n"

	cfnWebACL = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Acl:\n    Type: AWS::WAFv2::WebACL\n    Properties:\n      Scope: REGIONAL\n" +
		"      DefaultAction:\n        Allow: {}\n      VisibilityConfig:\n        SampledRequestsEnabled: true\n        CloudWatchMetricsEnabled: true\n        MetricName: acl\n"
	cfnWebACLLogged = cfnWebACL + "  AclLogs:\n    Type: AWS::WAFv2::LoggingConfiguration\n    Properties:\n      ResourceArn: !GetAtt Acl.Arn\n" +
		"      LogDestinationConfigs:\n        - !GetAtt WafLogs.Arn\n"

	cfnFirewall = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Fw:\n    Type: AWS::NetworkFirewall::Firewall\n    Properties:\n      FirewallName: fw\n" +
		"      FirewallPolicyArn: !Ref Policy\n      VpcId: !Ref Vpc\n      SubnetMappings:\n        - SubnetId: !Ref Subnet\n"
	cfnFirewallLogged = cfnFirewall + "  FwLogs:\n    Type: AWS::NetworkFirewall::LoggingConfiguration\n    Properties:\n      FirewallArn: !Ref Fw\n" +
		"      LoggingConfiguration:\n        LogDestinationConfigs:\n          - LogType: FLOW\n            LogDestinationType: CloudWatchLogs\n" +
		"            LogDestination:\n              logGroup: fw-flow\n"
)

const (
	cfnHTTPStage = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: api\n" +
		"  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n" +
		"      HttpMethod: GET\n      AuthorizationType: NONE\n      Integration:\n        Type: HTTP_PROXY\n        IntegrationHttpMethod: GET\n" +
		"        Uri: https://backend.example.com/\n" +
		"  Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref Api\n      DeploymentId: !Ref Deployment\n      StageName: prod\n"
	cfnHTTPStageCert = cfnHTTPStage + "      ClientCertificateId: !Ref BackendCert\n"
)

// cfnTrailFilter is a metric filter on the CloudTrail log group with
// pattern p and metric m, and cfnTrailAlarm an alarm on metric m.
func cfnTrailFilter(name, p, m string) string {
	return "  " + name + ":\n    Type: AWS::Logs::MetricFilter\n    Properties:\n      LogGroupName: !Ref TrailLogs\n" +
		"      FilterPattern: '" + p + "'\n      MetricTransformations:\n        - MetricName: " + m +
		"\n          MetricNamespace: CISBenchmark\n          MetricValue: \"1\"\n"
}

func cfnTrailAlarm(name, m string) string {
	return "  " + name + ":\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      MetricName: " + m + "\n      Namespace: CISBenchmark\n" +
		"      Statistic: Sum\n      Period: 300\n      EvaluationPeriods: 1\n      Threshold: 1\n" +
		"      ComparisonOperator: GreaterThanOrEqualToThreshold\n      AlarmActions: [!Ref Alerts]\n"
}

const cfnTrailHead = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n"

// cfnCISAll is a template with every CIS family's filter and alarm.
func cfnCISAll() string {
	pats := []string{
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }`,
		`{ ($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy) }`,
		`{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`,
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
		`{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`,
		`{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }`,
		`{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }`,
		`{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`,
		`{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`,
		`{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`,
		`{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }`,
		`{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`,
		`{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }`,
	}
	var b strings.Builder
	b.WriteString(cfnTrailHead)
	for i, p := range pats {
		m := "Cis" + string(rune('A'+i))
		b.WriteString(cfnTrailFilter("Filter"+m, p, m))
		b.WriteString(cfnTrailAlarm("Alarm"+m, m))
	}
	return b.String()
}

var (
	cfnTrailSG      = `{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`
	cfnTrailSGPart  = `{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }`
	cfnTrailSGAnd   = `{ ($.eventName = AuthorizeSecurityGroupIngress) && ($.eventName = RevokeSecurityGroupIngress) }`
	cfnSGWatched    = cfnTrailHead + cfnTrailFilter("SgFilter", cfnTrailSG, "SecurityGroupChanges") + cfnTrailAlarm("SgAlarm", "SecurityGroupChanges")
	cfnSGPart       = cfnTrailHead + cfnTrailFilter("SgFilter", cfnTrailSGPart, "SecurityGroupChanges") + cfnTrailAlarm("SgAlarm", "SecurityGroupChanges")
	cfnSGAnd        = cfnTrailHead + cfnTrailFilter("SgFilter", cfnTrailSGAnd, "SecurityGroupChanges") + cfnTrailAlarm("SgAlarm", "SecurityGroupChanges")
	cfnSGUnwatched  = cfnTrailHead + cfnTrailFilter("SgFilter", cfnTrailSG, "SecurityGroupChanges") + cfnTrailAlarm("SgAlarm", "Other")
	cfnSGAlarmUnkwn = cfnTrailHead + cfnTrailFilter("SgFilter", cfnTrailSG, "SecurityGroupChanges") + cfnTrailAlarm("SgAlarm", "!Ref MetricParam")
	cfnAppFilter    = cfnTrailHead + cfnTrailFilter("Errors", `[ip, user, status=5*]`, "ServerErrors")
	cfnAppJSON      = cfnTrailHead + cfnTrailFilter("Bounces", `{ $.eventType = "Bounce" }`, "Bounces")
)

func init() {
	ruleSamples["iac/cfn-secret-no-rotation"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnSecret, Hit: true},
		{Path: "template.yaml", Content: cfnSecretRotated, Hit: false},
		{Path: "template.yaml", Content: cfnSecretRotUnknown, Hit: false},
		{Path: "template.yaml", Content: "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Hook:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      SecretString: !Ref WebhookSecret\n", Hit: false},
	}
	ruleSamples["iac/cfn-apigateway-stage-no-client-certificate"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnHTTPStage, Hit: true},
		{Path: "template.yaml", Content: cfnHTTPStageCert, Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnHTTPStage, "Type: HTTP_PROXY", "Type: AWS_PROXY", 1), Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnHTTPStage, "Type: HTTP_PROXY", "Type: HTTP_PROXY\n        ConnectionType: VPC_LINK", 1), Hit: false},
	}
	ruleSamples["iac/cfn-wafv2-logging"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnWebACL, Hit: true},
		{Path: "template.yaml", Content: cfnWebACLLogged, Hit: false},
	}
	ruleSamples["iac/cfn-networkfirewall-logging"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnFirewall, Hit: true},
		{Path: "template.yaml", Content: cfnFirewallLogged, Hit: false},
	}
	ruleSamples["iac/cfn-cis-metric-filter-incomplete"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnSGPart, Hit: true},
		{Path: "template.yaml", Content: cfnSGAnd, Hit: true},
		{Path: "template.yaml", Content: cfnSGWatched, Hit: false},
	}
	ruleSamples["iac/cfn-cloudtrail-metric-filter-no-alarm"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnSGUnwatched, Hit: true},
		{Path: "template.yaml", Content: cfnSGWatched, Hit: false},
		{Path: "template.yaml", Content: cfnSGAlarmUnkwn, Hit: false},
		{Path: "template.yaml", Content: cfnAppFilter, Hit: false},
		{Path: "template.yaml", Content: cfnAppJSON, Hit: false},
	}
	ruleSamples["iac/cfn-cis-monitoring-incomplete"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnSGWatched, Hit: true},
		{Path: "template.yaml", Content: cfnCISAll(), Hit: false},
		{Path: "template.yaml", Content: cfnAppFilter, Hit: false},
	}
}

// cfnAuditRuleCases are rules_test.go's cases for check_cfn_audit.go's rules.
func cfnAuditRuleCases() []ruleCase {
	cf := func(name, content, rule string, fires bool, line int) ruleCase {
		return ruleCase{name: name, path: "template.yaml", content: content, rule: rule, fires: fires, line: line}
	}
	return []ruleCase{
		cf("cfn secret without rotation", cfnSecret, "iac/cfn-secret-no-rotation", true, 3),
		cf("cfn secret rotated", cfnSecretRotated, "iac/cfn-secret-no-rotation", false, 0),
		cf("cfn HTTP-backed stage without client certificate", cfnHTTPStage, "iac/cfn-apigateway-stage-no-client-certificate", true, 18),
		cf("cfn HTTP-backed stage with client certificate", cfnHTTPStageCert, "iac/cfn-apigateway-stage-no-client-certificate", false, 0),
		cf("cfn web ACL without logging", cfnWebACL, "iac/cfn-wafv2-logging", true, 3),
		cf("cfn web ACL logged", cfnWebACLLogged, "iac/cfn-wafv2-logging", false, 0),
		cf("cfn firewall without logging", cfnFirewall, "iac/cfn-networkfirewall-logging", true, 3),
		cf("cfn firewall logged", cfnFirewallLogged, "iac/cfn-networkfirewall-logging", false, 0),
		cf("cfn SG filter in part", cfnSGPart, "iac/cfn-cis-metric-filter-incomplete", true, 7),
		cf("cfn SG filter whole", cfnSGWatched, "iac/cfn-cis-metric-filter-incomplete", false, 0),
		cf("cfn filter without alarm", cfnSGUnwatched, "iac/cfn-cloudtrail-metric-filter-no-alarm", true, 3),
		cf("cfn alarm on the filter's metric", cfnSGWatched, "iac/cfn-cloudtrail-metric-filter-no-alarm", false, 0),
		cf("cfn one family", cfnSGWatched, "iac/cfn-cis-monitoring-incomplete", true, 3),
		cf("cfn every family", cfnCISAll(), "iac/cfn-cis-monitoring-incomplete", false, 0),
	}
}
