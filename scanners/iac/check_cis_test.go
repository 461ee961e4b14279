package iac_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// cisFilter is a metric filter NAME with pattern p and an alarm on its
// metric (by reference when ref, else by the metric's name; none when
// alarm is false).
func cisFilter(name, p string, alarm, ref bool) string {
	s := fmt.Sprintf(`resource "aws_cloudwatch_log_metric_filter" %q {
  name           = %q
  pattern        = %q
  log_group_name = "trail"

  metric_transformation {
    name      = %q
    namespace = "CIS"
    value     = "1"
  }
}
`, name, name, p, name)
	if !alarm {
		return s
	}
	metric := fmt.Sprintf("%q", name)
	if ref {
		metric = "aws_cloudwatch_log_metric_filter." + name + ".metric_transformation[0].name"
	}
	return s + fmt.Sprintf(`
resource "aws_cloudwatch_metric_alarm" %q {
  alarm_name          = %q
  metric_name         = %s
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:alerts"]
}
`, name, name, metric)
}

func cisEvents(names ...string) string {
	var parts []string
	for _, n := range names {
		parts = append(parts, "($.eventName = "+n+")")
	}
	return strings.Join(parts, " || ")
}

// cisFull covers every CIS monitoring family, one filter each.
func cisFull() string {
	ps := []string{
		`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
		`{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }`,
		"{ " + cisEvents("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy") + " }",
		"{ " + cisEvents("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging") + " }",
		`{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
		"{ ($.eventSource = kms.amazonaws.com) && (" + cisEvents("DisableKey", "ScheduleKeyDeletion") + ") }",
		"{ ($.eventSource = s3.amazonaws.com) && (" + cisEvents("PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication") + ") }",
		"{ ($.eventSource = config.amazonaws.com) && (" + cisEvents("StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder") + ") }",
		"{ " + cisEvents("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup") + " }",
		"{ " + cisEvents("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation") + " }",
		"{ " + cisEvents("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway") + " }",
		"{ ($.eventSource = ec2.amazonaws.com) && (" + cisEvents("CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute", "DisassociateRouteTable") + ") }",
		"{ " + cisEvents("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc", "DisableVpcClassicLink", "EnableVpcClassicLink") + " }",
		"{ ($.eventSource = organizations.amazonaws.com) && (" + cisEvents("AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit") + ") }",
	}
	var out []string
	for i, p := range ps {
		out = append(out, cisFilter(fmt.Sprintf("cis_%d", i+1), p, true, i%2 == 0))
	}
	return strings.Join(out, "\n")
}

var sgFull = "{ " + cisEvents("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup") + " }"

func init() {
	ruleSamples["iac/tf-aws-cis-metric-filter-incomplete"] = []scannertest.Sample{
		terraform(cisFilter("sg", "{ "+cisEvents("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "CreateSecurityGroup", "DeleteSecurityGroup")+" }", true, true), true),
		terraform(cisFilter("unauth", `{ ($.errorCode = "*UnauthorizedOperation") && ($.errorCode = "AccessDenied*") }`, true, true), true),
		terraform(cisFilter("sg", sgFull, true, true), false),
		terraform(cisFilter("delete_vpc", "{ $.eventName = DeleteVpc }", true, true), false),
	}
	ruleSamples["iac/tf-aws-cloudwatch-metric-filter-no-alarm"] = []scannertest.Sample{
		terraform(cisFilter("sg", sgFull, false, false), true),
		terraform(cisFilter("sg", sgFull, true, false), false),
		terraform(cisFilter("sg", sgFull, true, true), false),
	}
	ruleSamples["iac/tf-aws-cis-monitoring-incomplete"] = []scannertest.Sample{
		terraform(cisFilter("sg", sgFull, true, true), true),
		terraform(cisFull(), false),
		terraform(cisFilter("errors", `"ERROR"`, true, true), false),
	}
}

// cisRuleCases are rules_test.go's cases for the CIS monitoring rules.
func cisRuleCases() []ruleCase {
	tf := func(name, content, rule string, fires bool, line int) ruleCase {
		return ruleCase{name: name, path: "infra/main.tf", content: content, rule: rule, fires: fires, line: line}
	}
	part := cisFilter("sg", "{ "+cisEvents("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "CreateSecurityGroup", "DeleteSecurityGroup")+" }", true, true)
	return []ruleCase{
		tf("SG filter in part", part, "iac/tf-aws-cis-metric-filter-incomplete", true, 3),
		tf("SG filter whole", cisFilter("sg", sgFull, true, true), "iac/tf-aws-cis-metric-filter-incomplete", false, 0),
		tf("filter without alarm", cisFilter("sg", sgFull, false, false), "iac/tf-aws-cloudwatch-metric-filter-no-alarm", true, 1),
		tf("alarm names the metric", cisFilter("sg", sgFull, true, false), "iac/tf-aws-cloudwatch-metric-filter-no-alarm", false, 0),
		tf("one family", cisFilter("sg", sgFull, true, true), "iac/tf-aws-cis-monitoring-incomplete", true, 1),
		tf("every family", cisFull(), "iac/tf-aws-cis-monitoring-incomplete", false, 0),
	}
}

// TestCISMonitoringOnce: one finding per module, naming what it lacks.
func TestCISMonitoringOnce(t *testing.T) {
	src := cisFilter("sg", sgFull, true, true) + "\n" + cisFilter("unauth", `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`, true, false)
	fs, err := iac.New().Scan(context.Background(), wholeFile("infra/main.tf", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if f.RuleID == "iac/tf-aws-cis-monitoring-incomplete" {
			n++
			if strings.Contains(f.Message, "security group changes") || !strings.Contains(f.Message, "13 of the 15") {
				t.Errorf("message %q", f.Message)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d findings, want 1", n)
	}
}
