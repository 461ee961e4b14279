package iac

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// CloudFormation checks written in Go because the data checks cannot say
// them: a template's Parameters are no resource, a function's environment
// is a mapping of names the template chooses, and a user's access keys are
// separate resources.
var (
	ruleCFNParamSecretDefault = rule("cfn-parameter-secret-default", scanners.SeverityHigh,
		"Secret parameter has a literal Default",
		"A parameter named as a password, token or key whose Default is written in the template hands that value to "+
			"every stack that does not override it, and keeps it in source control and the template history; "+
			"without NoEcho, DescribeStacks also shows it.",
		"Remove the `Default` and set `NoEcho: true`, or read the secret with a dynamic reference "+
			"(`{{resolve:secretsmanager:...}}`); rotate the value that was exposed.",
		"CWE-798", "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html")
	ruleCFNLambdaEnvSecret = rule("cfn-lambda-env-secret", scanners.SeverityHigh,
		"Lambda function sets a credential in plain environment",
		"Environment variables are stored with the function's configuration and returned by GetFunctionConfiguration to "+
			"everyone allowed to read it, and the literal stays in the template history.",
		"Store the value in Secrets Manager or SSM Parameter Store and read it at run time (or pass its ARN in the "+
			"environment); rotate the value that was exposed.",
		"CWE-798", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html")
	ruleCFNUserAccessKeys = rule("cfn-iam-user-multiple-access-keys", scanners.SeverityLow,
		"IAM user has more than one active access key",
		"Two active long-term keys for one user double what can leak and hide which one is in use, so an old key is "+
			"never retired; CIS AWS Foundations Benchmark 1.13 asks for at most one.",
		"Keep one `AWS::IAM::AccessKey` per user (set `Status: Inactive` on the one being rotated out), or use roles "+
			"and temporary credentials instead of access keys.",
		"CWE-324", cisAWS+" 1.13", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html")
	ruleCFNInitCredential = rule("cfn-init-authentication-credential", scanners.SeverityHigh,
		"cfn-init authentication holds a literal credential",
		"A password, secret key or access key id written in a resource's `AWS::CloudFormation::Authentication` "+
			"metadata is stored in the template and its history, and any principal that may call DescribeStackResource "+
			"on the stack reads it back.",
		"Give the instance a role and name it with `roleName` (S3 sources), or read the credential with a dynamic "+
			"reference (`{{resolve:secretsmanager:...}}`) or a `NoEcho` parameter; rotate the value that was exposed.",
		"CWE-798", "cfn_nag W1",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-authentication.html")
	ruleCFNGroupNoUsers = rule("cfn-iam-group-without-users", scanners.SeverityLow,
		"IAM group has no users",
		"A group that no user of the template joins grants nothing today but keeps its permissions ready for whoever "+
			"is added later, unreviewed; unused groups also hide which permissions are really in use.",
		"Add the users that need it (`Groups` of `AWS::IAM::User`, or `AWS::IAM::UserToGroupAddition`), or delete the group.",
		"CWE-269", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage.html")
)

// reAWSAccessKeyID is an AWS access key id, whatever the variable's name.
var reAWSAccessKeyID = regexp.MustCompile(`^(AKIA|ASIA)[0-9A-Z]{16}$`)

// reCFNNotSecretName is a parameter or variable name that names where a
// secret is, or something about it, not the secret (DbSecretArn,
// PasswordLength, TOKEN_TTL): CloudFormation writes names in PascalCase,
// which secretValue's suffix list (KEY_NAME) does not catch.
var reCFNNotSecretName = regexp.MustCompile(`(?i)(name|arn|ids?|length|len|ttl|path|prefix|suffix|version|parameter|param|ssm|type|header|rotation|days|enabled|policy|url|uri|endpoint|location|mode|bucket|user|username|count|size|file|region|account|expiry|expiration|timeout|store|vault|secrets?manager)$`)

// cfnSecret reports whether name = value looks like a literal secret.
func cfnSecret(name, value string) bool {
	if reAWSAccessKeyID.MatchString(value) {
		return true
	}
	if reCFNNotSecretName.MatchString(name) || strings.HasPrefix(value, "arn:") || strings.HasPrefix(value, "{{resolve:") {
		return false
	}
	return secretValue(name, value)
}

// analyzeCloudFormationSecrets is analyzeCloudFormation (YAML) with the Go
// secret checks of this file.
func analyzeCloudFormationSecrets(ctx context.Context, content []byte, checks checkSet) ([]hit, error) {
	hits, err := analyzeCloudFormation(ctx, content, checks)
	docs, _ := nest.DecodeYAML(ctx, content)
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		hits = append(hits, cfnSecretHits(root)...)
	}
	return hits, err
}

// analyzeCloudFormationJSONSecrets is analyzeCloudFormationJSON with the
// Go secret checks of this file.
func analyzeCloudFormationJSONSecrets(ctx context.Context, content []byte, checks checkSet) ([]hit, error) {
	hits, err := analyzeCloudFormationJSON(ctx, content, checks)
	if err != nil || !looksCloudFormationJSON(content) {
		return hits, err
	}
	if root, jerr := decodeJSONNodes(ctx, content); jerr == nil {
		hits = append(hits, cfnSecretHits(root)...)
	}
	return hits, err
}

// cfnSecretHits reports the secrets of a template's root mapping: secret
// parameters' literal defaults, and literal secrets in functions'
// environments (SAM Globals included).
func cfnSecretHits(root *yaml.Node) []hit {
	if root == nil || root.Kind != yaml.MappingNode || get2(root, "Resources") == nil {
		return nil
	}
	var hits []hit
	if ps := get2(root, "Parameters"); ps != nil && ps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			if h, ok := cfnParamSecret(ps.Content[i], ps.Content[i+1]); ok {
				hits = append(hits, h)
			}
		}
	}
	hits = append(hits, cfnParamNoEchoHits(root)...)
	if rs := get2(root, "Resources"); rs.Kind == yaml.MappingNode {
		keys := map[string][]*yaml.Node{} // a user's active access keys, by the user
		var users []string
		for i := 0; i+1 < len(rs.Content); i += 2 {
			hits = append(hits, cfnInitCredentials(rs.Content[i].Value, rs.Content[i+1])...)
			props := get2(rs.Content[i+1], "Properties")
			switch scalar(rs.Content[i+1], "Type") {
			case "AWS::Lambda::Function", "AWS::Serverless::Function":
				vars := get2(get2(props, "Environment"), "Variables")
				hits = append(hits, cfnEnvSecrets(rs.Content[i].Value, vars)...)
			case "AWS::IAM::AccessKey":
				if u := cfnUserOf(get2(props, "UserName")); u != "" && !strings.EqualFold(scalar(props, "Status"), "Inactive") {
					if keys[u] == nil {
						users = append(users, u)
					}
					keys[u] = append(keys[u], rs.Content[i])
				}
			}
		}
		hits = append(hits, cfnGroupsWithoutUsers(rs)...)
		for _, u := range users {
			if len(keys[u]) < 2 {
				continue
			}
			for _, k := range keys[u] {
				hits = append(hits, hit{rule: ruleCFNUserAccessKeys, line: k.Line, endLine: k.Line, blockStart: k.Line,
					blockEnd: k.Line,
					msg: fmt.Sprintf("Access key `%s` is one of %d active keys of the same user.",
						clip(k.Value), len(keys[u])),
					identity: k.Value + " multiple-access-keys", evidence: clip(k.Value) + " (AWS::IAM::AccessKey)"})
			}
		}
	}
	if g := get2(get2(root, "Globals"), "Function"); g != nil {
		hits = append(hits, cfnEnvSecrets("Globals.Function", get2(get2(g, "Environment"), "Variables"))...)
	}
	return hits
}

// cfnParamSecret reports a parameter named as a secret whose Default is a
// literal secret, unless NoEcho hides it (an SSM parameter type's Default
// is the parameter's name, no secret).
func cfnParamSecret(name, p *yaml.Node) (hit, bool) {
	if p == nil || p.Kind != yaml.MappingNode {
		return hit{}, false
	}
	if strings.HasPrefix(scalar(p, "Type"), "AWS::") || strings.EqualFold(scalar(p, "NoEcho"), "true") {
		return hit{}, false
	}
	d := get2(p, "Default")
	if d == nil || d.Kind != yaml.ScalarNode || intrinsic(d) || d.Tag == "!!null" {
		return hit{}, false
	}
	if !cfnSecret(name.Value, d.Value) {
		return hit{}, false
	}
	return hit{rule: ruleCFNParamSecretDefault, line: d.Line, endLine: d.Line, blockStart: d.Line, blockEnd: d.Line,
		msg: fmt.Sprintf("Parameter `%s` has a literal Default (%s) and no NoEcho.",
			clip(name.Value), redact(d.Value)),
		identity: name.Value + " parameter-secret-default", evidence: "Default: " + redact(d.Value)}, true
}

// cfnInitCredentials reports the literal credentials of a resource's
// AWS::CloudFormation::Authentication metadata (the sources cfn-init
// downloads with): password, secretKey and accessKeyId of each entry.
func cfnInitCredentials(res string, r *yaml.Node) []hit {
	auth := get2(get2(r, "Metadata"), "AWS::CloudFormation::Authentication")
	if auth == nil || auth.Kind != yaml.MappingNode {
		return nil
	}
	var hits []hit
	for i := 0; i+1 < len(auth.Content); i += 2 {
		entry := auth.Content[i+1]
		if entry.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(entry.Content); j += 2 {
			k, v := entry.Content[j], entry.Content[j+1]
			if k.Value != "password" && k.Value != "secretKey" && k.Value != "accessKeyId" {
				continue
			}
			if v.Kind != yaml.ScalarNode || intrinsic(v) || v.Value == "" || v.Tag == "!!null" ||
				strings.HasPrefix(v.Value, "{{resolve:") {
				continue
			}
			hits = append(hits, hit{rule: ruleCFNInitCredential, line: k.Line, endLine: v.Line, blockStart: k.Line,
				blockEnd: v.Line,
				msg: fmt.Sprintf("Resource `%s` gives cfn-init source `%s` a literal `%s` (%s).", clip(res),
					clip(auth.Content[i].Value), k.Value, redact(v.Value)),
				identity: res + " init-auth " + auth.Content[i].Value + " " + k.Value, evidence: k.Value + ": " + redact(v.Value)})
		}
	}
	return hits
}

// cfnEnvSecrets reports literal secrets among a function's environment
// variables: a secret's name with a literal value, or an access key id.
func cfnEnvSecrets(fn string, vars *yaml.Node) []hit {
	if vars == nil || vars.Kind != yaml.MappingNode || intrinsic(vars) {
		return nil
	}
	var hits []hit
	for i := 0; i+1 < len(vars.Content); i += 2 {
		k, v := vars.Content[i], vars.Content[i+1]
		if v.Kind != yaml.ScalarNode || intrinsic(v) || v.Tag == "!!null" || strings.HasPrefix(v.Value, "{{resolve:") {
			continue
		}
		if !cfnSecret(k.Value, v.Value) {
			continue
		}
		hits = append(hits, hit{rule: ruleCFNLambdaEnvSecret, line: k.Line, endLine: v.Line, blockStart: k.Line,
			blockEnd: v.Line,
			msg: fmt.Sprintf("Function `%s` sets `%s` to a literal value (%s).", clip(fn), clip(k.Value),
				redact(v.Value)),
			identity: fn + " env " + k.Value, evidence: k.Value + ": " + redact(v.Value)})
	}
	return hits
}

// cfnUserOf names the user an access key belongs to: a literal name or the
// resource or parameter a Ref names; "" when the template does not say.
func cfnUserOf(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if name, args := intrinsicCall(n); name != "" {
		if name == "Ref" && args != nil && args.Kind == yaml.ScalarNode {
			return "ref:" + args.Value
		}
		return ""
	}
	if n.Kind == yaml.ScalarNode && n.Value != "" {
		return "name:" + n.Value
	}
	return ""
}

// cfnGroupsWithoutUsers reports the groups of a template that no user of it
// joins (by a Ref or the group's literal GroupName, in a user's Groups or an
// AWS::IAM::UserToGroupAddition). A template that defines neither users nor
// group additions is not judged (its groups' users are managed elsewhere), nor
// one where a membership names a group in a way the template does not settle.
func cfnGroupsWithoutUsers(rs *yaml.Node) []hit {
	joined := map[string]bool{}
	judged := false
	note := func(groups *yaml.Node) bool {
		if groups == nil {
			return true
		}
		if groups.Kind != yaml.SequenceNode {
			return false
		}
		for _, g := range groups.Content {
			name, args := intrinsicCall(g)
			switch {
			case name == "Ref" && args != nil && args.Kind == yaml.ScalarNode:
				joined["ref:"+args.Value] = true
			case name == "" && g.Kind == yaml.ScalarNode:
				joined["name:"+g.Value] = true
			default:
				return false
			}
		}
		return true
	}
	for i := 0; i+1 < len(rs.Content); i += 2 {
		props := get2(rs.Content[i+1], "Properties")
		switch scalar(rs.Content[i+1], "Type") {
		case "AWS::IAM::User":
			judged = true
			if !note(get2(props, "Groups")) {
				return nil
			}
		case "AWS::IAM::UserToGroupAddition":
			judged = true
			g := get2(props, "GroupName")
			if g == nil || !note(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{g}}) {
				return nil
			}
		}
	}
	if !judged {
		return nil
	}
	var hits []hit
	for i := 0; i+1 < len(rs.Content); i += 2 {
		k, r := rs.Content[i], rs.Content[i+1]
		// a literal naming the group's logical id is taken as meant for it
		if scalar(r, "Type") != "AWS::IAM::Group" || joined["ref:"+k.Value] || joined["name:"+k.Value] {
			continue
		}
		if gn := get2(get2(r, "Properties"), "GroupName"); gn != nil && (intrinsic(gn) || joined["name:"+gn.Value]) {
			continue
		}
		hits = append(hits, hit{rule: ruleCFNGroupNoUsers, line: k.Line, endLine: k.Line, blockStart: k.Line,
			blockEnd: max(k.Line, lastLine(r)), msg: fmt.Sprintf("Group `%s` has no users in this template.", clip(k.Value)),
			identity: k.Value + " group-without-users", evidence: clip(k.Value) + " (AWS::IAM::Group)"})
	}
	return hits
}
