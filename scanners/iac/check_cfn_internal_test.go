package iac

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// cfnEngineResolveYAML adds checks on values that parameters and Fn::If
// may settle.
const cfnEngineResolveYAML = cfnEngineYAML + `
- id: t-db-public
  format: cloudformation
  title: DB public
  severity: high
  why: w
  fix: f
  resources: ["AWS::RDS::DBInstance"]
  fail:
    - {path: PubliclyAccessible, equals: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-db-encryption
  format: cloudformation
  title: DB unencrypted
  severity: high
  why: w
  fix: f
  resources: ["AWS::RDS::DBInstance"]
  fail:
    - {path: StorageEncrypted, not_equals: true, or_missing: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineCloudFormationResolve: a Ref to a parameter with a literal
// Default is that value, anchored on the Ref's line; an Fn::If is a value
// only when both branches are literals that agree; anything else stays
// opaque (neither present nor missing).
func TestCheckEngineCloudFormationResolve(t *testing.T) {
	checks := engineChecks(t, cfnEngineResolveYAML)
	const db = "Resources:\n  DB:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: true\n"
	tests := []engineCase{
		{"ref to a default true", "Parameters:\n  Pub:\n    Type: String\n    Default: true\n" + db + "      PubliclyAccessible: !Ref Pub\n",
			[]string{"iac/cfn-t-db-public@10"}},
		{"long-form ref to a quoted default", "Parameters:\n  Pub:\n    Type: String\n    Default: \"true\"\n" + db + "      PubliclyAccessible: {Ref: Pub}\n",
			[]string{"iac/cfn-t-db-public@10"}},
		{"ref to an SSM parameter's name", "Parameters:\n  Pub:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: true\n" + db + "      PubliclyAccessible: !Ref Pub\n", nil},
		{"ref to a default false", "Parameters:\n  Pub:\n    Type: String\n    Default: false\n" + db + "      PubliclyAccessible: !Ref Pub\n", nil},
		{"ref to a parameter without default", "Parameters:\n  Pub:\n    Type: String\n" + db + "      PubliclyAccessible: !Ref Pub\n", nil},
		{"ref to a resource", db + "      PubliclyAccessible: !Ref Other\n", nil},
		{"if, both branches true", db + "      PubliclyAccessible: !If [Dev, true, \"true\"]\n", []string{"iac/cfn-t-db-public@6"}},
		{"if, long form, both true", db + "      PubliclyAccessible: {\"Fn::If\": [Dev, true, true]}\n", []string{"iac/cfn-t-db-public@6"}},
		{"if, branches differ", db + "      PubliclyAccessible: !If [Dev, true, false]\n", nil},
		{"if, a branch a parameter default", "Parameters:\n  P:\n    Default: true\n" + db + "      PubliclyAccessible: !If [Dev, !Ref P, true]\n",
			[]string{"iac/cfn-t-db-public@9"}},
		{"if, a branch opaque", db + "      PubliclyAccessible: !If [Dev, !GetAtt X.Y, true]\n", nil},
		{"if, unknown encryption is not missing", "Resources:\n  DB:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      StorageEncrypted: !If [Prod, true, !Ref AWS::NoValue]\n", nil},
		{"if, malformed", db + "      PubliclyAccessible: !If [true]\n", nil},
		{"sub is opaque", db + "      PubliclyAccessible: !Sub '${Pub}'\n", nil},
		{"sub without variables", db + "      PubliclyAccessible: !Sub 'true'\n", []string{"iac/cfn-t-db-public@6"}},
		{"join of literals", db + "      PubliclyAccessible: !Join ['', [tr, ue]]\n", []string{"iac/cfn-t-db-public@6"}},
		{"join with a ref", db + "      PubliclyAccessible: !Join ['', [tr, !Ref X]]\n", nil},
		{"base64 of a literal", db + "      PubliclyAccessible: {\"Fn::Base64\": \"true\"}\n", []string{"iac/cfn-t-db-public@6"}},
		{"sub of a parameter default", "Parameters:\n  Pub:\n    Default: \"tr\"\n" + db + "      PubliclyAccessible: !Sub '${Pub}ue'\n",
			[]string{"iac/cfn-t-db-public@9"}},
		{"sub of a parameter without default", "Parameters:\n  Pub:\n    Type: String\n" + db + "      PubliclyAccessible: !Sub '${Pub}'\n", nil},
		{"sub with a variable map", db + "      PubliclyAccessible: !Sub ['${A}${B}', {A: tr, B: !Join ['', [u, e]]}]\n", []string{"iac/cfn-t-db-public@6"}},
		{"sub with an unknown variable", db + "      PubliclyAccessible: !Sub ['${A}', {A: !GetAtt X.Y}]\n", nil},
		{"sub of a pseudo parameter", db + "      PubliclyAccessible: !Sub '${AWS::Region}'\n", nil},
		{"sub of the mappings key", "Mappings:\n  M: {a: {b: true}}\n" + db + "      PubliclyAccessible: !Sub '${Mappings }'\n", nil},
		{"find in map of literal keys", "Mappings:\n  Env:\n    prod:\n      Public: true\n" + db + "      PubliclyAccessible: !FindInMap [Env, prod, Public]\n",
			[]string{"iac/cfn-t-db-public@10"}},
		{"find in map keyed by a parameter default", "Parameters:\n  Stage:\n    Default: prod\nMappings:\n  Env:\n    prod:\n      Public: \"true\"\n    dev:\n      Public: false\n" +
			db + "      PubliclyAccessible:\n        Fn::FindInMap: [Env, {Ref: Stage}, Public]\n", []string{"iac/cfn-t-db-public@15"}},
		{"find in map keyed by the region", "Mappings:\n  Env:\n    us-east-1:\n      Public: true\n" + db + "      PubliclyAccessible: !FindInMap [Env, !Ref AWS::Region, Public]\n", nil},
		{"find in map of a missing key", "Mappings:\n  Env:\n    prod:\n      Public: true\n" + db + "      PubliclyAccessible: !FindInMap [Env, dev, Public]\n", nil},
		{"ref to the mappings key", "Mappings:\n  Env: {a: {b: true}}\n" + db + "      PubliclyAccessible: !Ref \"Mappings \"\n", nil},
		{"select of literals", db + "      PubliclyAccessible: !Select [1, [false, true]]\n", []string{"iac/cfn-t-db-public@6"}},
		{"select out of range", db + "      PubliclyAccessible: !Select [2, [false, true]]\n", nil},
	}
	runEngineCases(t, checks, kindKubernetes, "template.yaml", tests)
}

// TestCheckEngineSAMGlobals: a SAM resource reads what it does not set
// from its Globals section; its own setting wins; other types do not.
func TestCheckEngineSAMGlobals(t *testing.T) {
	checks := engineChecks(t, `
- id: t-tracing
  format: cloudformation
  title: no tracing
  severity: low
  why: w
  fix: f
  resources: ["AWS::Serverless::Function", "AWS::Lambda::Function"]
  fail:
    - {path: Tracing, not_equals: Active, or_missing: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`)
	const globals = "Globals:\n  Function:\n    Tracing: Active\n"
	tests := []engineCase{
		{"no globals", "Resources:\n  F:\n    Type: AWS::Serverless::Function\n", []string{"iac/cfn-t-tracing@2"}},
		{"from globals", globals + "Resources:\n  F:\n    Type: AWS::Serverless::Function\n", nil},
		{"own setting wins", globals + "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tracing: PassThrough\n",
			[]string{"iac/cfn-t-tracing@8"}},
		{"not a SAM type", globals + "Resources:\n  F:\n    Type: AWS::Lambda::Function\n", []string{"iac/cfn-t-tracing@5"}},
		{"globals of another section", "Globals:\n  Api:\n    Tracing: Active\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", []string{"iac/cfn-t-tracing@5"}},
	}
	runEngineCases(t, checks, kindKubernetes, "template.yaml", tests)
}

// TestCheckEngineCloudFormationJSON: JSON templates (.json, .template) are
// read like YAML ones, with exact lines, intrinsic functions in their long
// form; other JSON is not parsed.
func TestCheckEngineCloudFormationJSON(t *testing.T) {
	checks := engineChecks(t, cfnEngineResolveYAML)
	const sg = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "SG": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "SecurityGroupIngress": [
          {"FromPort": 443, "CidrIp": "10.0.0.0/8"},
          {
            "FromPort": 22,
            "CidrIp": "0.0.0.0\/0"
          }
        ]
      }
    }
  }
}
`
	tests := []engineCase{
		{"json ingress", sg, []string{"iac/cfn-t-open-ingress@11", "iac/cfn-t-ssh-open@9"}},
		{"json bucket, tabs, no version", "{\n\t\"Resources\": {\n\t\t\"B\": {\n\t\t\t\"Type\": \"AWS::S3::Bucket\"\n\t\t}\n\t}\n}\n",
			[]string{"iac/cfn-t-bucket-encryption@3"}},
		{"json, minified", `{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"x"}}}}`,
			[]string{"iac/cfn-t-bucket-encryption@1"}},
		{"json ref to a default", `{
  "Parameters": {"Pub": {"Type": "String", "Default": "true"}},
  "Resources": {
    "DB": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "StorageEncrypted": {"Fn::If": ["Prod", true, true]},
        "PubliclyAccessible": {"Ref": "Pub"}
      }
    }
  }
}`, []string{"iac/cfn-t-db-public@8"}},
		{"json opaque values", `{"Resources": {"DB": {"Type": "AWS::RDS::DBInstance", "Properties": {
  "StorageEncrypted": {"Fn::If": ["Prod", true, false]},
  "PubliclyAccessible": {"Fn::GetAtt": ["X", "Y"]}}}}}`, nil},
		{"json, not a template", `{"name": "x", "dependencies": {"Resources": "AWS::"}}`, nil},
		{"json array", `[{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}]`, nil},
	}
	runEngineCases(t, checks, kindJSON, "template.json", tests)
	yamlTemplate := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n"
	if got := analyzeWith(t, checks, kindJSON, "stack.template", yamlTemplate); len(got) != 1 || got[0].line != 2 {
		t.Errorf("a YAML .template: %v, want the bucket at line 2", got)
	}
	if got := analyzeWith(t, checks, kindJSON, "stack.json", yamlTemplate); len(got) != 0 {
		t.Errorf("YAML in a .json file is read: %v", got)
	}
}

// TestKindOfJSON: .json and .template files are read (by content);
// Terraform's .tf.json is not.
func TestKindOfJSON(t *testing.T) {
	for p, want := range map[string]kind{
		"infra/stack.json": kindJSON, "cfn/app.template": kindJSON, "STACK.JSON": kindJSON,
		"main.tf.json": kindNone, "package.jsonl": kindNone,
	} {
		if got := kindOf(p); got != want {
			t.Errorf("kindOf(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestLooksCloudFormationAlexa: a template whose only resources are of
// CloudFormation's Alexa::ASK:: namespace is a template, in YAML and JSON;
// a file that merely names the namespace is not.
func TestLooksCloudFormationAlexa(t *testing.T) {
	yamlSkill := "Resources:\n  Skill:\n    Type: Alexa::ASK::Skill\n    Properties:\n      VendorId: M1\n"
	jsonSkill := "{\n  \"Resources\": {\n    \"Skill\": {\"Type\": \"Alexa::ASK::Skill\", \"Properties\": {\"VendorId\": \"M1\"}}\n  }\n}\n"
	if !looksCloudFormation([]byte(yamlSkill)) {
		t.Error("a YAML Alexa skill template is not taken for a template")
	}
	if !looksCloudFormationJSON([]byte(jsonSkill)) {
		t.Error("a JSON Alexa skill template is not taken for a template")
	}
	if looksCloudFormationJSON([]byte(`{"name": "skill", "description": "Alexa::ASK::Skill"}`)) {
		t.Error("JSON without Resources is taken for a template")
	}
	if looksCloudFormation([]byte("skill: Alexa::ASK::Skill\n")) {
		t.Error("YAML without Resources is taken for a template")
	}
}

// TestDecodeJSONNodes: lines are exact, values keep their types, and the
// decoder is bounded (depth, size) and refuses what is not one JSON value.
func TestDecodeJSONNodes(t *testing.T) {
	root, err := decodeJSONNodes(context.Background(), []byte("{\n  \"a\": [1, 2.5,\n    true, null, \"x\\/y\"],\n  \"b\": {}\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := get2(root, "a")
	var got []string
	for _, e := range a.Content {
		got = append(got, e.Tag+"="+e.Value+"@"+string(rune('0'+e.Line)))
	}
	if want := "!!int=1@2 !!float=2.5@2 !!bool=true@3 !!null=null@3 !!str=x/y@3"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if k, _ := get(root, "b"); k == nil || k.Line != 4 {
		t.Errorf("key b: %v", k)
	}
	for name, src := range map[string]string{
		"two values": `{} {}`, "unclosed": `{"a": [1`, "bad token": `{"a": tru}`, "empty": "  ",
	} {
		if _, err := decodeJSONNodes(context.Background(), []byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	deep := strings.Repeat("[", scanners.MaxDepth+1) + strings.Repeat("]", scanners.MaxDepth+1)
	if _, err := decodeJSONNodes(context.Background(), []byte(deep)); !errors.Is(err, scanners.ErrBound) {
		t.Errorf("too deep: %v, want a bound error", err)
	}
	if _, err := decodeJSONNodes(context.Background(), []byte(strings.Repeat("[", scanners.MaxDepth)+strings.Repeat("]", scanners.MaxDepth))); err != nil {
		t.Errorf("at the depth bound: %v", err)
	}
	big := append([]byte(`{"a": "`), bytes.Repeat([]byte("x"), scanners.MaxParseBytes)...)
	if _, err := decodeJSONNodes(context.Background(), big); !errors.Is(err, scanners.ErrBound) {
		t.Errorf("too large: %v, want a bound error", err)
	}
	deepTemplate := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ` + deep + "}"
	if _, err := analyze(context.Background(), kindJSON, "stack.json", []byte(deepTemplate), nil, false, dataChecks(), nil); !errors.Is(err, scanners.ErrBound) {
		t.Errorf("a deep template: %v, want a bound error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := decodeJSONNodes(ctx, []byte(`{}`)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestCloudFormationSecretEvidence: a check marked secret shows the key of
// the line it found, never the value, in YAML and JSON, block and flow.
func TestCloudFormationSecretEvidence(t *testing.T) {
	const value = "example-only-value"
	for name, tc := range map[string]struct{ path, src string }{
		"user data": {"t.yaml", "Resources:\n  W:\n    Type: AWS::EC2::Instance\n    Properties:\n      UserData: export DB_PASSWORD=" + value + "\n"},
		"ecs flow":  {"t.yaml", "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Environment: [{Name: API_TOKEN, Value: " + value + "}]\n"},
		"json":      {"t.json", `{"Resources": {"W": {"Type": "AWS::EC2::Instance", "Properties": {"UserData": {"Fn::Base64": "export DB_PASSWORD=` + value + `"}}}}}`},
	} {
		k := kindOf(tc.path)
		hits, err := analyze(context.Background(), k, tc.path, []byte(tc.src), nil, false, dataChecks(), nil)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hits {
			if !strings.Contains(h.rule.ID, "secret") {
				continue
			}
			found = true
			if strings.Contains(h.evidence, value) || strings.Contains(h.msg, value) {
				t.Errorf("%s: %s shows the value: %q / %q", name, h.rule.ID, h.evidence, h.msg)
			}
		}
		if !found {
			t.Errorf("%s: no secret finding", name)
		}
	}
}

// cfnEngineWhereYAML has checks whose findings move by convention: a
// judgement of a nested block's settings together, of the resource as a
// whole (selected by another setting, or several settings together), and
// one of a single setting.
const cfnEngineWhereYAML = `
- id: t-acl-all-ports
  format: cloudformation
  title: all ports
  severity: low
  why: w
  fix: f
  resources: ["AWS::EC2::NetworkAclEntry"]
  fail:
    - all:
        - {path: PortRange.From, less_than: 2}
        - {path: PortRange.To, greater_than: 65534}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-acl-from-zero
  format: cloudformation
  title: from zero
  severity: low
  why: w
  fix: f
  resources: ["AWS::EC2::NetworkAclEntry"]
  fail:
    - {path: PortRange.From, equals: 0}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-service-no-tasks
  format: cloudformation
  title: no tasks
  severity: low
  why: w
  fix: f
  resources: ["AWS::ECS::Service"]
  when:
    - {path: SchedulingStrategy, not_equals: DAEMON, or_missing: true}
  fail:
    - {path: DesiredCount, equals: 0}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-service-public-ip
  format: cloudformation
  title: public ip
  severity: low
  why: w
  fix: f
  resources: ["AWS::ECS::Service"]
  fail:
    - {path: AssignPublicIp, equals: ENABLED}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-default-group-public
  format: cloudformation
  title: default group public
  severity: low
  why: w
  fix: f
  resources: ["AWS::EC2::SecurityGroup"]
  fail:
    - all:
        - {path: GroupName, equals: default}
        - {path: SecurityGroupIngress.CidrIp, cidr_public: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineCloudFormationWhere: an `all` over several settings of one
// nested block points at the block's key; a judgement of the resource (a
// `when`, or settings read together) on a setting within two lines of
// `Properties:` starts there; a single setting's finding stays on it, as
// does a resource judgement on a setting further down.
func TestCheckEngineCloudFormationWhere(t *testing.T) {
	checks := engineChecks(t, cfnEngineWhereYAML)
	const acl = "Resources:\n  E:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      Protocol: 6\n      PortRange:\n        From: 0\n        To: 65535\n"
	tests := []engineCase{
		{"block judged as a whole", acl, []string{"iac/cfn-t-acl-all-ports@6", "iac/cfn-t-acl-from-zero@7"}},
		{"service selected by when, setting opens the block", "Resources:\n  S:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: c\n      DesiredCount: 0\n      AssignPublicIp: ENABLED\n",
			[]string{"iac/cfn-t-service-no-tasks@4", "iac/cfn-t-service-public-ip@7"}},
		{"service, setting further down", "Resources:\n  S:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: c\n      LaunchType: FARGATE\n      Role: r\n      DesiredCount: 0\n",
			[]string{"iac/cfn-t-service-no-tasks@8"}},
		{"settings together", "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupName: default\n      SecurityGroupIngress:\n        - CidrIp: 0.0.0.0/0\n",
			[]string{"iac/cfn-t-default-group-public@4"}},
	}
	runEngineCases(t, checks, kindKubernetes, "template.yaml", tests)
	inJSON := []engineCase{{"block in JSON", `{"Resources": {"E": {"Type": "AWS::EC2::NetworkAclEntry", "Properties": {
  "PortRange": {
    "From": 0,
    "To": 65535}}}}}`, []string{"iac/cfn-t-acl-all-ports@2", "iac/cfn-t-acl-from-zero@3"}}}
	runEngineCases(t, checks, kindJSON, "template.json", inJSON)
}
