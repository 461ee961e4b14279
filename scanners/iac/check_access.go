package iac

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// AWS access rules that the data checks cannot say: they count resources
// across the module.

var ruleTFIAMUserKeys = rule("tf-aws-iam-user-many-access-keys", scanners.SeverityMedium,
	"IAM user has more than one active access key",
	"Every active access key is a long-lived credential that can leak; two keys for one user double what must be "+
		"kept secret and rotated, and an old key left active after a rotation is the one nobody watches.",
	"Keep at most one active access key per user (set `status = \"Inactive\"` on the one being retired, then "+
		"delete it), or better, replace the user's keys with a role the workload assumes.",
	"CWE-262", cisAWS+" 1.13", "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html")

// awsAccess runs the access rules on one AWS resource.
func (f *tfFile) awsAccess(b *hclsyntax.Block, typ, id string) {
	if typ == "aws_iam_access_key" {
		f.accessKeys(b, id)
	}
}

// accessKeys reports an active access key whose user has other active keys
// in the module (other aws_iam_access_key blocks naming the same user, or a
// count of two or more).
func (f *tfFile) accessKeys(b *hclsyntax.Block, id string) {
	user := accessKeyUser(f.ctx, b.Body)
	if user == "" || !accessKeyActive(f.ctx, b.Body) {
		return
	}
	n := 0
	for _, s := range f.mod.files {
		for _, o := range s.body.Blocks {
			if o.Type != "resource" || len(o.Labels) != 2 || o.Labels[0] != "aws_iam_access_key" {
				continue
			}
			if accessKeyUser(f.mod.ctx, o.Body) != user || !accessKeyActive(f.mod.ctx, o.Body) {
				continue
			}
			n += blockCount(f.mod.ctx, o.Body)
		}
	}
	if n < 2 {
		return
	}
	h := header(b)
	f.hits = append(f.hits, hit{rule: ruleTFIAMUserKeys, line: h, endLine: h, blockStart: h, blockEnd: blockEnd(b),
		msg:      fmt.Sprintf("`%s` is one of %d active access keys of the same user.", id, n),
		identity: id + " keys of " + user, evidence: clip(strings.TrimSpace(f.line(h)))})
}

// accessKeyUser names the user of an aws_iam_access_key: its literal name,
// or the aws_iam_user resource its `user` refers to; "" when unknown.
func accessKeyUser(ctx *hcl.EvalContext, body *hclsyntax.Body) string {
	a := body.Attributes["user"]
	if a == nil {
		return ""
	}
	if v, ok := valueIn(ctx, a.Expr); ok && v.Type() == cty.String {
		return "name " + v.AsString()
	}
	for _, t := range a.Expr.Variables() {
		if t.RootName() != "aws_iam_user" || len(t) < 2 {
			continue
		}
		if at, ok := t[1].(hcl.TraverseAttr); ok {
			return "aws_iam_user." + at.Name
		}
	}
	return ""
}

// accessKeyActive reports whether a key is not written as Inactive.
func accessKeyActive(ctx *hcl.EvalContext, body *hclsyntax.Body) bool {
	a := body.Attributes["status"]
	if a == nil {
		return true
	}
	v, ok := valueIn(ctx, a.Expr)
	return !ok || v.Type() != cty.String || !strings.EqualFold(v.AsString(), "Inactive")
}

// blockCount is how many instances a resource block makes: its literal
// count, else 1 (for_each and unknown counts are taken as one).
func blockCount(ctx *hcl.EvalContext, body *hclsyntax.Body) int {
	a := body.Attributes["count"]
	if a == nil {
		return 1
	}
	v, ok := valueIn(ctx, a.Expr)
	if !ok || v.Type() != cty.Number || !v.IsKnown() || v.IsNull() {
		return 1
	}
	n, _ := v.AsBigFloat().Int64()
	if n < 0 {
		return 0
	}
	return int(n)
}
