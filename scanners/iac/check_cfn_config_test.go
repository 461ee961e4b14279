package iac_test

import "github.com/shiftward/shiftward/scanners/scannertest"

// Templates for the CloudFormation rule of check_cfn_config.go (a security
// group nothing else in its template names).
const (
	cfnSG = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  WebSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n" +
		"      GroupDescription: web\n      VpcId: vpc-1\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 443\n" +
		"          ToPort: 443\n          SourceSecurityGroupId: !Ref WebSg\n"
	cfnSGRule = "  WebIn:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !GetAtt WebSg.GroupId\n" +
		"      IpProtocol: tcp\n      FromPort: 80\n      ToPort: 80\n      CidrIp: 10.0.0.0/8\n"
	cfnSGHostBare = "  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n"
	cfnSGHostUses = "  Host:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SecurityGroupIds:\n        - !GetAtt WebSg.GroupId\n"
	cfnSGFnUses   = "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n" +
		"      Role: !GetAtt Role.Arn\n      Code: {ZipFile: x}\n      VpcConfig:\n        SubnetIds: [subnet-1]\n        SecurityGroupIds:\n          - {\"Fn::GetAtt\": [WebSg, GroupId]}\n"
	cfnSGOutput = "Outputs:\n  Sg:\n    Value: !Sub '${WebSg.GroupId}'\n"
)

func init() {
	ruleSamples["iac/cfn-sg-unused"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnSG + cfnSGRule + cfnSGHostBare, Hit: true},
		{Path: "template.yaml", Content: cfnSG + cfnSGHostUses, Hit: false},
		{Path: "template.yaml", Content: cfnSG + cfnSGRule + cfnSGFnUses, Hit: false},
		{Path: "template.yaml", Content: cfnSG + cfnSGHostBare + cfnSGOutput, Hit: false},
		// No resource of the template takes security groups: the group is for others.
		{Path: "template.yaml", Content: cfnSG + cfnSGRule, Hit: false},
	}
}
