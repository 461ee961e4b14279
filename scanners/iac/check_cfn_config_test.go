package iac_test

import (
	"strings"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

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

const (
	cfnAPI = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: api\n" +
		"  Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref Api\n      StageName: prod\n      DeploymentId: !Ref Dep\n"
	cfnAPIAcl = "  ProdAcl:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n" +
		"      ResourceArn: !Sub 'arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}'\n      WebACLArn: !GetAtt Acl.Arn\n"
	cfnAPIAclUnknown = "  ProdAcl:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n      ResourceArn: !ImportValue api-stage-arn\n" +
		"      WebACLArn: !GetAtt Acl.Arn\n"
	cfnSAMAPI = "AWSTemplateFormatVersion: 2010-09-09\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n" +
		"    Properties:\n      StageName: Prod\n"
	cfnSAMAPIAcl = "  ApiAcl:\n    Type: AWS::WAFv2::WebACLAssociation\n    Properties:\n" +
		"      ResourceArn: !Sub 'arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/Prod'\n      WebACLArn: !GetAtt Acl.Arn\n"
	cfnSAMAPIPrivate = "AWSTemplateFormatVersion: 2010-09-09\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n" +
		"    Properties:\n      StageName: Prod\n      EndpointConfiguration:\n        Type: PRIVATE\n"
)

func init() {
	ruleSamples["iac/cfn-apigateway-stage-no-waf"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnAPI, Hit: true},
		{Path: "template.yaml", Content: cfnSAMAPI, Hit: true},
		{Path: "template.yaml", Content: cfnAPI + cfnAPIAcl, Hit: false},
		{Path: "template.yaml", Content: cfnAPI + cfnAPIAclUnknown, Hit: false},
		{Path: "template.yaml", Content: cfnSAMAPI + cfnSAMAPIAcl, Hit: false},
		{Path: "template.yaml", Content: cfnSAMAPIPrivate, Hit: false},
	}
}

const (
	cfnASGOne = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  SubnetA:\n    Type: AWS::EC2::Subnet\n    Properties:\n" +
		"      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n  Asg:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n" +
		"      MinSize: \"1\"\n      MaxSize: \"2\"\n      LaunchTemplate:\n        LaunchTemplateId: !Ref Lt\n        Version: !GetAtt Lt.LatestVersionNumber\n" +
		"      VPCZoneIdentifier:\n        - !Ref SubnetA\n"
	cfnASGTwo      = cfnASGOne + "        - subnet-0b\n"
	cfnFnOneSubnet = "AWSTemplateFormatVersion: 2010-09-09\nParameters:\n  Subnet:\n    Type: AWS::EC2::Subnet::Id\n  Subnets:\n" +
		"    Type: List<AWS::EC2::Subnet::Id>\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n" +
		"      Runtime: python3.12\n      Handler: app.handler\n      Role: !GetAtt Role.Arn\n      Code: {ZipFile: x}\n" +
		"      VpcConfig:\n        SecurityGroupIds: [sg-1]\n        SubnetIds: [!Ref Subnet]\n"
)

func init() {
	ruleSamples["iac/cfn-single-az-placement"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnASGOne, Hit: true},
		{Path: "template.yaml", Content: cfnFnOneSubnet, Hit: true},
		{Path: "template.yaml", Content: cfnASGTwo, Hit: false},
		// A list parameter may hold several subnets.
		{Path: "template.yaml", Content: strings.Replace(cfnFnOneSubnet, "[!Ref Subnet]", "[!Ref Subnets]", 1), Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnFnOneSubnet, "[!Ref Subnet]", "!Ref Subnets", 1), Hit: false},
	}
}

const (
	cfnFnS3 = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n" +
		"      Runtime: python3.12\n      Handler: app.handler\n      Role: !GetAtt Role.Arn\n      Code: {ZipFile: x}\n" +
		"  FnPerm:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref Fn\n" +
		"      Principal: s3.amazonaws.com\n      SourceArn: !GetAtt Bucket.Arn\n"
	cfnFnS3DLQ = "  FnOnFailure:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: !Ref Fn\n      Qualifier: $LATEST\n" +
		"      DestinationConfig:\n        OnFailure:\n          Destination: !GetAtt Dlq.Arn\n"
	cfnSAMFnSNS = "AWSTemplateFormatVersion: 2010-09-09\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n" +
		"    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      Events:\n        Topic:\n          Type: SNS\n" +
		"          Properties:\n            Topic: !Ref Topic\n"
	cfnSAMFnAPI = "AWSTemplateFormatVersion: 2010-09-09\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n" +
		"    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      Events:\n        Get:\n          Type: Api\n" +
		"          Properties:\n            Path: /\n            Method: get\n"
)

func init() {
	ruleSamples["iac/cfn-lambda-async-no-dlq"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnFnS3, Hit: true},
		{Path: "template.yaml", Content: cfnSAMFnSNS, Hit: true},
		{Path: "template.yaml", Content: cfnFnS3 + cfnFnS3DLQ, Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnSAMFnSNS, "      Events:\n", "      DeadLetterQueue:\n        Type: SQS\n        TargetArn: !GetAtt Dlq.Arn\n      Events:\n", 1), Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnSAMFnSNS, "Resources:\n", "Globals:\n  Function:\n    DeadLetterQueue:\n      Type: SQS\n      TargetArn: arn:aws:sqs:eu-west-1:111122223333:dlq\nResources:\n", 1), Hit: false},
		{Path: "template.yaml", Content: cfnSAMFnAPI, Hit: false},
	}
}

const (
	cfnTableProvisioned = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n" +
		"      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n" +
		"      ProvisionedThroughput:\n        ReadCapacityUnits: 5\n        WriteCapacityUnits: 5\n"
	cfnTableScaled = "  OrdersRead:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ServiceNamespace: dynamodb\n" +
		"      ResourceId: !Sub table/${Orders}\n      ScalableDimension: dynamodb:table:ReadCapacityUnits\n      MinCapacity: 5\n      MaxCapacity: 100\n"
)

func init() {
	ruleSamples["iac/cfn-dynamodb-no-autoscaling"] = []scannertest.Sample{
		{Path: "template.yaml", Content: cfnTableProvisioned, Hit: true},
		{Path: "template.yaml", Content: cfnTableProvisioned + cfnTableScaled, Hit: false},
		{Path: "template.yaml", Content: strings.Replace(cfnTableProvisioned,
			"      ProvisionedThroughput:\n        ReadCapacityUnits: 5\n        WriteCapacityUnits: 5\n", "      BillingMode: PAY_PER_REQUEST\n", 1), Hit: false},
	}
}
