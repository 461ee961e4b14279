package iac_test

import (
	"strings"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// Templates for the cross-resource CloudFormation rules (check_cfn_links.go).
const (
	cfnVPCAlone  = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"
	cfnVPCLogged = cfnVPCAlone + "  VpcLog:\n    Type: AWS::EC2::FlowLog\n    Properties:\n      ResourceId: !Ref Vpc\n      ResourceType: VPC\n" +
		"      TrafficType: ALL\n      LogDestinationType: s3\n      LogDestination: !GetAtt Logs.Arn\n"
	cfnVPCLogUnknown = cfnVPCAlone + "  VpcLog:\n    Type: AWS::EC2::FlowLog\n    Properties:\n      ResourceId: !ImportValue shared-vpc\n      ResourceType: VPC\n"
	cfnVPCLoggedJSON = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
  "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
  "VpcLog": {"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceId": {"Ref": "Vpc"}, "ResourceType": "VPC", "TrafficType": "ALL"}}}}
`
	cfnALB = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n" +
		"      Subnets: [subnet-1, subnet-2]\n"
	cfnALBProtected = cfnALB + "  LbAcl:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n      ResourceArn: !Ref Lb\n      WebACLArn: !GetAtt Acl.Arn\n"
	cfnALBInternal  = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n" +
		"      Scheme: internal\n      Subnets: [subnet-1, subnet-2]\n"
	cfnNLB = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n" +
		"      Type: network\n      Subnets: [subnet-1, subnet-2]\n"
)

const (
	cfnPublicSubnet = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Public:\n    Type: AWS::EC2::Subnet\n    Properties:\n" +
		"      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: true\n"
	cfnInstanceInPublic   = cfnPublicSubnet + "  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SubnetId: !Ref Public\n"
	cfnInstanceNICPrivate = cfnPublicSubnet + "  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      NetworkInterfaces:\n" +
		"        - DeviceIndex: \"0\"\n          SubnetId: !Ref Public\n          AssociatePublicIpAddress: false\n"
	cfnInstanceInPrivate = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Private:\n    Type: AWS::EC2::Subnet\n    Properties:\n" +
		"      VpcId: vpc-1\n      CidrBlock: 10.0.2.0/24\n  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SubnetId: !Ref Private\n"
)

const (
	cfnDBInPublic = cfnPublicSubnet + "  Private:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.2.0/24\n" +
		"  DbSubnets:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds:\n        - !Ref Private\n        - !Ref Public\n"
	cfnDBInPrivate = cfnPublicSubnet + "  Private:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.2.0/24\n" +
		"  DbSubnets:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      DBSubnetGroupDescription: db\n      SubnetIds:\n        - !Ref Private\n        - subnet-0123\n"
)

const (
	cfnWebSocketAPI = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Chat:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n" +
		"      Name: chat\n      ProtocolType: WEBSOCKET\n      RouteSelectionExpression: $request.body.action\n"
	cfnWebSocketStage = cfnWebSocketAPI + "  Prod:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref Chat\n      StageName: prod\n"
	cfnHTTPAPIStage   = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Web:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n" +
		"      Name: web\n      ProtocolType: HTTP\n  Prod:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref Web\n      StageName: prod\n"
	cfnWebSocketStageJSON = `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
  "Chat": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "chat", "ProtocolType": "WEBSOCKET"}},
  "Prod": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Chat"}, "StageName": "prod",
    "DefaultRouteSettings": {"DataTraceEnabled": false}}}}}
`
)

const (
	cfnNACL       = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Acl:\n    Type: AWS::EC2::NetworkAcl\n    Properties:\n      VpcId: vpc-1\n"
	cfnNACLEntryA = "  A:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      NetworkAclId: !Ref Acl\n      RuleNumber: 100\n" +
		"      Protocol: 6\n      RuleAction: allow\n      CidrBlock: 10.0.0.0/16\n      PortRange: {From: 443, To: 443}\n"
	cfnNACLEntryB = "  B:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      NetworkAclId:\n        Ref: Acl\n      RuleNumber: \"100\"\n" +
		"      Protocol: -1\n      RuleAction: deny\n      CidrBlock: 0.0.0.0/0\n"
	cfnNACLEntryJSON = `{"Resources": {
  "A": {"Type": "AWS::EC2::NetworkAclEntry", "Properties": {"NetworkAclId": {"Ref": "Acl"}, "RuleNumber": 100, "Egress": true,
    "Protocol": -1, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}},
  "B": {"Type": "AWS::EC2::NetworkAclEntry", "Properties": {"NetworkAclId": {"Ref": "Acl"}, "RuleNumber": 100, "Egress": "true",
    "Protocol": -1, "RuleAction": "deny", "CidrBlock": "10.0.0.0/8"}}}}
`
)

func init() {
	ruleSamples["iac/cfn-nacl-entry-duplicate-rule-number"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnNACL + cfnNACLEntryA + cfnNACLEntryB, Hit: true},
		{Path: "template.json", Content: cfnNACLEntryJSON, Hit: true},
		{Path: "template.yaml", Content: cfnNACL + cfnNACLEntryA + strings.Replace(cfnNACLEntryB, "\"100\"", "110", 1), Hit: false},
		{Path: "template.yaml", Content: cfnNACL + cfnNACLEntryA + cfnNACLEntryB + "      Egress: true\n", Hit: false},
		{Path: "template.yaml", Content: cfnNACL + cfnNACLEntryA + strings.Replace(cfnNACLEntryB, "Ref: Acl", "Ref: Other", 1), Hit: false},
		{Path: "template.yaml", Content: cfnNACL + cfnNACLEntryA + strings.Replace(cfnNACLEntryB, "\"100\"", "!Ref Number", 1), Hit: false},
		{Path: "template.yaml", Content: cfnNACL + cfnNACLEntryA + strings.Replace(cfnNACLEntryB, "    Type: AWS::EC2::NetworkAclEntry\n",
			"    Type: AWS::EC2::NetworkAclEntry\n    Condition: IsProd\n", 1), Hit: false},
	}
	ruleSamples["iac/cfn-apigatewayv2-websocket-no-execution-log"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnWebSocketStage, Hit: true},
		{Path: "template.json", Content: cfnWebSocketStageJSON, Hit: true},
		{Path: "template.yaml", Content: cfnWebSocketStage + "      DefaultRouteSettings:\n        ThrottlingRateLimit: 100\n", Hit: true},
		{Path: "template.yaml", Content: cfnWebSocketStage + "      DefaultRouteSettings:\n        LoggingLevel: ERROR\n", Hit: false},
		{Path: "template.yaml", Content: cfnWebSocketStage + "      DefaultRouteSettings: !If [Prod, {LoggingLevel: INFO}, !Ref AWS::NoValue]\n", Hit: false},
		{Path: "template.yaml", Content: cfnHTTPAPIStage, Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnWebSocketStage, "!Ref Chat", "!ImportValue chat-api", 1), Hit: false},
	}
	ruleSamples["iac/cfn-db-public-subnet"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnDBInPublic, Hit: true},
		{Path: "template.yaml", Content: cfnDBInPrivate, Hit: false},
	}
	ruleSamples["iac/cfn-instance-public-subnet"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnInstanceInPublic, Hit: true},
		{Path: "template.yaml", Content: cfnInstanceNICPrivate, Hit: false},
		{Path: "template.yaml", Content: cfnInstanceInPrivate, Hit: false},
	}
	ruleSamples["iac/cfn-vpc-flow-logs"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnVPCAlone, Hit: true},
		{Path: "template.yaml", Content: cfnVPCLogged, Hit: false},
		{Path: "template.yaml", Content: cfnVPCLogUnknown, Hit: false},
		{Path: "template.json", Content: cfnVPCLoggedJSON, Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnVPCLogged, "!Ref Vpc", "!GetAtt Vpc.VpcId", 1), Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnVPCLogged, "!Ref Vpc", "!GetAtt Vpc.VpcId", 1) +
			"  Other:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n", Hit: true},
	}
	ruleSamples["iac/cfn-alb-no-waf"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnALB, Hit: true},
		{Path: "template.yaml", Content: cfnALBProtected, Hit: false},
		{Path: "template.yaml", Content: cfnALBInternal, Hit: false},
		{Path: "template.yaml", Content: cfnNLB, Hit: false},
	}
}
