package iac

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/shiftward/shiftward/scanners"
)

// evalCtx evaluates literal expressions; jsonencode is there so inline IAM
// policies written with it can be read. Anything referring to a variable or
// a resource stays unknown.
var evalCtx = &hcl.EvalContext{Functions: map[string]function.Function{
	"jsonencode": stdlib.JSONEncodeFunc,
}}

// tfFile is one parsed Terraform file.
type tfFile struct {
	src   []byte
	lines []string
	hits  []hit
	// types counts the resource types in the file (for settings that a
	// separate resource may carry).
	types map[string]int
	// accountBlocks are the public access block settings an
	// aws_s3_account_public_access_block in the file turns on for every
	// bucket.
	accountBlocks map[string]bool
	// refs names, for each resource (TYPE.NAME), the types of the
	// resources that refer to it (referencedBy).
	refs map[string]map[string]bool
	// checks are the data checks to run, by resource type.
	checks checkSet
}

func analyzeTerraform(p string, content []byte, checks checkSet) (hits []hit, err error) {
	defer func() {
		if r := recover(); r != nil {
			hits, err = nil, fmt.Errorf("parsing Terraform: %v", r)
		}
	}()
	if err := hclDepth(content); err != nil {
		return nil, fmt.Errorf("Terraform: %w", err)
	}
	file, diags := hclsyntax.ParseConfig(content, p, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parsing Terraform: %s", firstError(diags))
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	f := &tfFile{src: content, lines: splitLines(content), types: map[string]int{}, checks: checks}
	f.accountBlocks = map[string]bool{}
	f.refs = referencedBy(body)
	for _, b := range body.Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 {
			f.types[b.Labels[0]]++
			if b.Labels[0] == "aws_s3_account_public_access_block" {
				for _, name := range publicAccessBlock {
					if _, val, set := attrBool(b.Body, name); set && val {
						f.accountBlocks[name] = true
					}
				}
			}
		}
	}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "resource" && len(b.Labels) == 2:
			f.resource(b)
			f.dataChecks(b)
		case b.Type == "data" && len(b.Labels) == 2 && b.Labels[0] == "aws_iam_policy_document":
			f.policyDocument(b)
		case b.Type == "provider" && len(b.Labels) == 1:
			f.provider(b)
		case b.Type == "module" && len(b.Labels) == 1:
			f.module(b)
		}
	}
	return f.hits, nil
}

// firstError is the first error diagnostic's position and summary (never
// the file's text).
func firstError(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if d.Subject != nil {
				return fmt.Sprintf("line %d: %s", d.Subject.Start.Line, d.Summary)
			}
			return d.Summary
		}
	}
	return "invalid HCL"
}

func (f *tfFile) line(l int) string {
	if l < 1 || l > len(f.lines) {
		return ""
	}
	return f.lines[l-1]
}

// blockID names a block: "aws_s3_bucket.logs".
func blockID(b *hclsyntax.Block) string {
	return strings.Join(append([]string{b.Type}, b.Labels...), ".")
}

// header is the block's first line.
func header(b *hclsyntax.Block) int { return b.TypeRange.Start.Line }

func blockEnd(b *hclsyntax.Block) int { return b.CloseBraceRange.End.Line }

// value evaluates an attribute's expression when it is a literal.
func value(a *hclsyntax.Attribute) (cty.Value, bool) {
	if a == nil {
		return cty.NilVal, false
	}
	return valueOf(a.Expr)
}

// valueOf evaluates a literal expression.
func valueOf(e hclsyntax.Expression) (cty.Value, bool) {
	if e == nil {
		return cty.NilVal, false
	}
	v, diags := e.Value(evalCtx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}

// attrString returns a literal string attribute.
func attrString(body *hclsyntax.Body, name string) (*hclsyntax.Attribute, string, bool) {
	a := body.Attributes[name]
	v, ok := value(a)
	if !ok || v.Type() != cty.String {
		return a, "", false
	}
	return a, v.AsString(), true
}

// attrBool returns a literal boolean attribute (also "true"/"false"
// strings, which Terraform converts).
func attrBool(body *hclsyntax.Body, name string) (a *hclsyntax.Attribute, val, set bool) {
	a = body.Attributes[name]
	v, ok := value(a)
	if !ok {
		return a, false, false
	}
	switch {
	case v.Type() == cty.Bool:
		return a, v.True(), true
	case v.Type() == cty.String:
		switch strings.ToLower(v.AsString()) {
		case "true":
			return a, true, true
		case "false":
			return a, false, true
		}
	}
	return a, false, false
}

// attrStrings returns a literal string or list of strings.
func attrStrings(body *hclsyntax.Body, name string) (*hclsyntax.Attribute, []string) {
	a := body.Attributes[name]
	v, ok := value(a)
	if !ok {
		return a, nil
	}
	return a, ctyStrings(v)
}

func ctyStrings(v cty.Value) []string {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return []string{v.AsString()}
	case t == cty.Number:
		return []string{v.AsBigFloat().Text('f', -1)}
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		var out []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, ctyStrings(e)...)
		}
		return out
	}
	return nil
}

// attrInt returns a literal number attribute.
func attrInt(body *hclsyntax.Body, name string) (int, bool) {
	v, ok := value(body.Attributes[name])
	if !ok {
		return 0, false
	}
	if v.Type() == cty.String {
		n, err := strconv.Atoi(v.AsString())
		return n, err == nil
	}
	if v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	n, _ := bf.Int64()
	return int(n), true
}

// blocks returns the nested blocks of a type.
func blocks(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}

// setAttr replaces an attribute's single-line expression with val.
func (f *tfFile) setAttr(a *hclsyntax.Attribute, val string) *scanners.Fix {
	if a == nil {
		return nil
	}
	r := a.Expr.Range()
	if r.Start.Line != r.End.Line {
		return nil
	}
	line := f.line(r.Start.Line)
	lineStart := r.Start.Byte - (r.Start.Column - 1)
	if lineStart < 0 || r.End.Byte > len(f.src) {
		return nil
	}
	s, e := r.Start.Byte-lineStart, r.End.Byte-lineStart
	if s < 0 || e > len(line) || s > e || string(f.src[r.Start.Byte:r.End.Byte]) != line[s:e] {
		return nil
	}
	return &scanners.Fix{
		Description: "set " + a.Name + " = " + val,
		StartLine:   r.Start.Line, EndLine: r.Start.Line,
		Replacement: line[:s] + val + line[e:],
	}
}

// insertAttr adds `name = val` as the first line of block b's body.
func (f *tfFile) insertAttr(b *hclsyntax.Block, name, val string) *scanners.Fix {
	open := b.OpenBraceRange.Start.Line
	if b.CloseBraceRange.Start.Line <= open {
		return nil
	}
	hl := f.line(open)
	if strings.Contains(hl, "#") || strings.Contains(hl, "//") || !strings.HasSuffix(strings.TrimSpace(hl), "{") {
		return nil
	}
	indent := leadingSpace(hl) + "  "
	first := 0
	for _, a := range b.Body.Attributes {
		if l := a.SrcRange.Start.Line; first == 0 || l < first {
			first = l
		}
	}
	for _, nb := range b.Body.Blocks {
		if l := nb.TypeRange.Start.Line; first == 0 || l < first {
			first = l
		}
	}
	if first > open {
		indent = leadingSpace(f.line(first))
	}
	return &scanners.Fix{
		Description: "set " + name + " = " + val,
		StartLine:   open, EndLine: open,
		Replacement: hl + "\n" + indent + name + " = " + val,
	}
}

// deleteAttr removes a single-line attribute.
func (f *tfFile) deleteAttr(a *hclsyntax.Attribute, desc string) *scanners.Fix {
	r := a.SrcRange
	if r.Start.Line != r.End.Line {
		return nil
	}
	return &scanners.Fix{Description: desc, StartLine: r.Start.Line, EndLine: r.Start.Line, Replacement: ""}
}

func (f *tfFile) attrHit(r *scanners.Rule, id string, a *hclsyntax.Attribute, msg string, fix *scanners.Fix) {
	s, e := a.SrcRange.Start.Line, a.SrcRange.End.Line
	f.hits = append(f.hits, hit{rule: r, line: s, endLine: s, blockStart: s, blockEnd: e,
		msg: msg, identity: id + " " + a.Name, evidence: clip(strings.TrimSpace(f.line(s))), fix: fix})
}

func (f *tfFile) missingHit(r *scanners.Rule, id string, b *hclsyntax.Block, what, msg string, fix *scanners.Fix) {
	h := header(b)
	f.hits = append(f.hits, hit{rule: r, line: h, endLine: h, blockStart: h, blockEnd: blockEnd(b),
		msg: msg, identity: id + " no " + what, evidence: clip(strings.TrimSpace(f.line(h))), fix: fix})
}

// encryptionAttr maps resource types to the boolean that turns on
// encryption at rest (false or absent means unencrypted).
var encryptionAttr = map[string]string{
	"aws_ebs_volume":                    "encrypted",
	"aws_db_instance":                   "storage_encrypted",
	"aws_rds_cluster":                   "storage_encrypted",
	"aws_efs_file_system":               "encrypted",
	"aws_redshift_cluster":              "encrypted",
	"aws_docdb_cluster":                 "storage_encrypted",
	"aws_neptune_cluster":               "storage_encrypted",
	"aws_elasticache_replication_group": "at_rest_encryption_enabled",
	"aws_ebs_encryption_by_default":     "enabled",
}

// publicAttr maps database resource types to the boolean that puts them on
// the internet.
var publicAttr = map[string]string{
	"aws_db_instance":                    "publicly_accessible",
	"aws_rds_cluster_instance":           "publicly_accessible",
	"aws_redshift_cluster":               "publicly_accessible",
	"aws_dms_replication_instance":       "publicly_accessible",
	"aws_neptune_cluster_instance":       "publicly_accessible",
	"aws_docdb_cluster_instance":         "publicly_accessible",
	"azurerm_postgresql_server":          "public_network_access_enabled",
	"azurerm_mysql_server":               "public_network_access_enabled",
	"azurerm_mssql_server":               "public_network_access_enabled",
	"azurerm_postgresql_flexible_server": "public_network_access_enabled",
}

var publicACLs = map[string]bool{"public-read": true, "public-read-write": true, "authenticated-read": true}

var publicAccessBlock = []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"}

// resource checks one resource block: encryption and public access, which
// many types share, then the rules of its type.
func (f *tfFile) resource(b *hclsyntax.Block) {
	typ, id := b.Labels[0], blockID(b)
	f.encryption(b, typ, id)
	f.instanceDisks(b, typ, id)
	f.publicDB(b, typ, id)
	switch {
	case strings.HasPrefix(typ, "aws_"):
		f.awsStorage(b, typ, id)
		f.awsNetwork(b, typ, id)
		f.awsAudit(b, typ, id)
	case strings.HasPrefix(typ, "google_"):
		f.googleResource(b, typ, id)
	case strings.HasPrefix(typ, "azurerm_"):
		f.azureResource(b, typ, id)
	}
}

// encryption checks the attribute that turns encryption at rest on, for
// the types that have one (encryptionAttr).
func (f *tfFile) encryption(b *hclsyntax.Block, typ, id string) {
	attr, ok := encryptionAttr[typ]
	if !ok {
		return
	}
	a, val, set := attrBool(b.Body, attr)
	switch {
	case set && !val:
		f.attrHit(ruleTFUnencrypted, id, a, fmt.Sprintf("`%s` sets `%s = false`.", id, attr), f.setAttr(a, "true"))
	case a == nil && !hasKMSKey(b.Body) && !encryptedAnyway(typ, b.Body):
		f.missingHit(ruleTFUnencrypted, id, b, attr, fmt.Sprintf("`%s` does not set `%s = true`; it defaults to unencrypted.", id, attr),
			f.insertAttr(b, attr, "true"))
	}
}

// instanceDisks checks the block devices of an instance or a launch
// configuration.
func (f *tfFile) instanceDisks(b *hclsyntax.Block, typ, id string) {
	if typ != "aws_launch_configuration" && typ != "aws_instance" {
		return
	}
	for _, bt := range []string{"root_block_device", "ebs_block_device"} {
		for _, d := range blocks(b.Body, bt) {
			a, val, set := attrBool(d.Body, "encrypted")
			if set && !val {
				f.attrHit(ruleTFUnencrypted, id+"."+bt, a, fmt.Sprintf("A `%s` of `%s` sets `encrypted = false`.", bt, id), f.setAttr(a, "true"))
			} else if a == nil && typ == "aws_launch_configuration" {
				f.missingHit(ruleTFUnencrypted, id+"."+bt, d, "encrypted",
					fmt.Sprintf("A `%s` of `%s` does not set `encrypted = true`.", bt, id), f.insertAttr(d, "encrypted", "true"))
			}
		}
	}
}

// publicDB checks the attribute that puts a database on the internet
// (publicAttr).
func (f *tfFile) publicDB(b *hclsyntax.Block, typ, id string) {
	if attr, ok := publicAttr[typ]; ok {
		if a, val, set := attrBool(b.Body, attr); set && val {
			f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` sets `%s = true`.", id, attr), f.setAttr(a, "false"))
		}
	}
}

// awsStorage checks S3 buckets, their ACLs, versioning and public access
// blocks.
func (f *tfFile) awsStorage(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "aws_s3_bucket", "aws_s3_bucket_acl":
		if a, acl, ok := attrString(body, "acl"); ok && publicACLs[acl] {
			f.attrHit(ruleTFS3PublicACL, id, a, fmt.Sprintf("`%s` uses the canned ACL `%s`.", id, acl), f.setAttr(a, `"private"`))
		}
		f.s3Grants(body, id)
		if typ == "aws_s3_bucket" {
			f.s3Versioning(b, id)
		}
	case "aws_s3_bucket_versioning":
		for _, vc := range blocks(body, "versioning_configuration") {
			if a, st, ok := attrString(vc.Body, "status"); ok && !strings.EqualFold(st, "Enabled") {
				f.attrHit(ruleTFVersioning, id, a, fmt.Sprintf("`%s` sets versioning to `%s`.", id, st), f.setAttr(a, `"Enabled"`))
			}
		}
	case "aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block":
		f.publicAccessBlock(b, id, body.Attributes)
	}
}

// s3Grants flags access control policy grants to all users or to every
// AWS account.
func (f *tfFile) s3Grants(body *hclsyntax.Body, id string) {
	for _, acp := range blocks(body, "access_control_policy") {
		for _, g := range blocks(acp.Body, "grant") {
			for _, gr := range blocks(g.Body, "grantee") {
				if a, uri, ok := attrString(gr.Body, "uri"); ok && (strings.HasSuffix(uri, "/AllUsers") || strings.HasSuffix(uri, "/AuthenticatedUsers")) {
					f.attrHit(ruleTFS3PublicACL, id+" grant", a, fmt.Sprintf("`%s` grants access to `%s`.", id, uri), nil)
				}
			}
		}
	}
}

// awsNetwork checks the ingress of security groups and network ACLs.
func (f *tfFile) awsNetwork(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "aws_security_group", "aws_default_security_group":
		for _, ing := range blocks(body, "ingress") {
			f.ingress(id, bodyFields(ing.Body), header(ing), blockEnd(ing), true)
		}
		f.ingressList(id, body.Attributes["ingress"], true)
	case "aws_security_group_rule":
		if _, t, ok := attrString(body, "type"); ok && t == "ingress" {
			f.ingress(id, bodyFields(body), header(b), blockEnd(b), true)
		}
	case "aws_vpc_security_group_ingress_rule":
		f.ingressV2(id, b)
	case "aws_network_acl", "aws_default_network_acl":
		for _, ing := range blocks(body, "ingress") {
			if _, act, ok := attrString(ing.Body, "action"); ok && strings.EqualFold(act, "allow") {
				f.ingress(id, bodyFields(ing.Body), header(ing), blockEnd(ing), false)
			}
		}
		f.ingressList(id, body.Attributes["ingress"], false)
	case "aws_network_acl_rule":
		if _, eg, set := attrBool(body, "egress"); !(set && eg) {
			if _, act, ok := attrString(body, "rule_action"); ok && strings.EqualFold(act, "allow") {
				f.ingress(id, bodyFields(body), header(b), blockEnd(b), false)
			}
		}
	}
}

// awsAudit checks IAM policies and the logs that record what happens:
// CloudTrail and load balancer access logs.
func (f *tfFile) awsAudit(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		if a := body.Attributes["policy"]; a != nil {
			f.policy(id, a)
		}
	case "aws_iam_role":
		for _, ip := range blocks(body, "inline_policy") {
			if a := ip.Body.Attributes["policy"]; a != nil {
				f.policy(id+".inline_policy", a)
			}
		}
	case "aws_cloudtrail":
		if a, val, set := attrBool(body, "enable_logging"); set && !val {
			f.attrHit(ruleTFLogging, id, a, fmt.Sprintf("`%s` sets `enable_logging = false`: the trail records nothing.", id), f.setAttr(a, "true"))
		}
	case "aws_lb", "aws_alb", "aws_elb":
		for _, al := range blocks(body, "access_logs") {
			if a, val, set := attrBool(al.Body, "enabled"); set && !val {
				f.attrHit(ruleTFLogging, id+".access_logs", a, fmt.Sprintf("`%s` turns its access logs off.", id), f.setAttr(a, "true"))
			}
		}
	}
}

// googleResource checks GCP firewalls, storage and Cloud SQL.
func (f *tfFile) googleResource(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "google_compute_firewall":
		f.gcpFirewall(id, b)
	case "google_storage_bucket_iam_member", "google_storage_bucket_iam_binding":
		f.gcsIAM(body, id)
	case "google_storage_bucket":
		for _, v := range blocks(body, "versioning") {
			if a, val, set := attrBool(v.Body, "enabled"); set && !val {
				f.attrHit(ruleTFVersioning, id, a, fmt.Sprintf("`%s` turns versioning off.", id), f.setAttr(a, "true"))
			}
		}
	case "google_sql_database_instance":
		for _, s := range blocks(body, "settings") {
			for _, ipc := range blocks(s.Body, "ip_configuration") {
				for _, an := range blocks(ipc.Body, "authorized_networks") {
					if a, v, ok := attrString(an.Body, "value"); ok && openCIDR(v) {
						f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` authorizes `%s`: the whole internet.", id, v), nil)
					}
				}
			}
		}
	case "google_storage_bucket_acl", "google_storage_bucket_access_control", "google_storage_default_object_access_control", "google_storage_object_access_control":
		f.gcsACL(body, id)
	}
}

// gcsIAM flags a bucket role granted to all users or to every Google
// account, once per attribute.
func (f *tfFile) gcsIAM(body *hclsyntax.Body, id string) {
	for _, attr := range []string{"member", "members"} {
		a, ms := attrStrings(body, attr)
		if a == nil {
			continue
		}
		for _, m := range ms {
			if m == "allUsers" || m == "allAuthenticatedUsers" {
				f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` grants its role to `%s`.", id, m), nil)
				break
			}
		}
	}
}

// gcsACL flags a public predefined ACL and entities that are all users or
// every Google account, once per attribute.
func (f *tfFile) gcsACL(body *hclsyntax.Body, id string) {
	if a, acl, ok := attrString(body, "predefined_acl"); ok && (acl == "publicRead" || acl == "publicReadWrite") {
		f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` uses the predefined ACL `%s`.", id, acl), nil)
	}
	for _, attr := range []string{"role_entity", "entity"} {
		a, es := attrStrings(body, attr)
		if a == nil {
			continue
		}
		for _, e := range es {
			if strings.HasSuffix(e, "allUsers") || strings.HasSuffix(e, "allAuthenticatedUsers") {
				f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` grants access to `%s`.", id, e), nil)
				break
			}
		}
	}
}

// azureResource checks Azure network security rules, storage, disks and
// database firewalls.
func (f *tfFile) azureResource(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "azurerm_network_security_rule":
		f.azureRule(id, body, header(b), blockEnd(b))
	case "azurerm_network_security_group":
		for _, r := range blocks(body, "security_rule") {
			f.azureRule(id, r.Body, header(r), blockEnd(r))
		}
	case "azurerm_storage_account":
		for _, attr := range []string{"allow_nested_items_to_be_public", "allow_blob_public_access"} {
			if a, val, set := attrBool(body, attr); set && val {
				f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` sets `%s = true`.", id, attr), f.setAttr(a, "false"))
			}
		}
	case "azurerm_managed_disk":
		for _, es := range blocks(body, "encryption_settings") {
			if a, val, set := attrBool(es.Body, "enabled"); set && !val {
				f.attrHit(ruleTFUnencrypted, id, a, fmt.Sprintf("`%s` turns disk encryption off.", id), f.setAttr(a, "true"))
			}
		}
	case "azurerm_storage_container":
		if a, t, ok := attrString(body, "container_access_type"); ok && (t == "blob" || t == "container") {
			f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` allows anonymous `%s` access.", id, t), f.setAttr(a, `"private"`))
		}
	case "azurerm_sql_firewall_rule", "azurerm_mssql_firewall_rule", "azurerm_postgresql_firewall_rule", "azurerm_mysql_firewall_rule":
		_, s, ok1 := attrString(body, "start_ip_address")
		a, e, ok2 := attrString(body, "end_ip_address")
		if ok1 && ok2 && s == "0.0.0.0" && e == "255.255.255.255" {
			f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` allows every IPv4 address.", id), nil)
		}
	}
}

// encryptedAnyway reports resources that are encrypted without the
// attribute: a read replica inherits its source's encryption, Aurora
// Serverless v1 is always encrypted.
func encryptedAnyway(typ string, body *hclsyntax.Body) bool {
	switch typ {
	case "aws_db_instance":
		return body.Attributes["replicate_source_db"] != nil
	case "aws_rds_cluster":
		_, mode, _ := attrString(body, "engine_mode")
		return mode == "serverless" || body.Attributes["replication_source_identifier"] != nil || body.Attributes["snapshot_identifier"] != nil
	}
	return false
}

// hasKMSKey reports whether a resource names a KMS key, which turns
// encryption on (an empty literal does not count).
func hasKMSKey(body *hclsyntax.Body) bool {
	a := body.Attributes["kms_key_id"]
	if a == nil {
		return false
	}
	_, v, ok := attrString(body, "kms_key_id")
	return !ok || v != ""
}

// s3Versioning flags a bucket whose inline versioning is off, or that has
// none while the file has no aws_s3_bucket_versioning resource either.
func (f *tfFile) s3Versioning(b *hclsyntax.Block, id string) {
	vs := blocks(b.Body, "versioning")
	for _, v := range vs {
		if a, val, set := attrBool(v.Body, "enabled"); set && !val {
			f.attrHit(ruleTFVersioning, id, a, fmt.Sprintf("`%s` turns versioning off.", id), f.setAttr(a, "true"))
		}
	}
	if len(vs) == 0 && b.Body.Attributes["versioning"] == nil && f.types["aws_s3_bucket_versioning"] == 0 {
		f.missingHit(ruleTFVersioning, id, b, "versioning",
			fmt.Sprintf("`%s` has no versioning block and this file has no `aws_s3_bucket_versioning` for it.", id), nil)
	}
}

// publicAccessBlock checks the four settings of a public access block (or
// of an s3-bucket module, which takes the same arguments).
func (f *tfFile) publicAccessBlock(b *hclsyntax.Block, id string, attrs hclsyntax.Attributes) {
	for _, name := range publicAccessBlock {
		if f.accountBlocks[name] && !(b.Type == "resource" && b.Labels[0] == "aws_s3_account_public_access_block") {
			continue // the account-wide block already enforces it
		}
		a, val, set := attrBool(b.Body, name)
		switch {
		case set && !val:
			f.attrHit(ruleTFS3PublicBlock, id, a, fmt.Sprintf("`%s` sets `%s = false`.", id, name), f.setAttr(a, "true"))
		case a == nil:
			f.missingHit(ruleTFS3PublicBlock, id, b, name, fmt.Sprintf("`%s` does not set `%s = true`; it defaults to false.", id, name),
				f.insertAttr(b, name, "true"))
		}
	}
}

// module checks well-known modules that wrap the resources above.
func (f *tfFile) module(b *hclsyntax.Block) {
	_, src, _ := attrString(b.Body, "source")
	id := blockID(b)
	if strings.Contains(src, "security-group") {
		f.sgModule(id, b)
		return
	}
	if strings.Contains(src, "terraform-aws-modules/rds") {
		a, val, set := attrBool(b.Body, "storage_encrypted")
		switch {
		case set && !val:
			f.attrHit(ruleTFUnencrypted, id, a, fmt.Sprintf("`%s` sets `storage_encrypted = false`.", id), f.setAttr(a, "true"))
		case a == nil && !hasKMSKey(b.Body):
			f.missingHit(ruleTFUnencrypted, id, b, "storage_encrypted",
				fmt.Sprintf("`%s` does not set `storage_encrypted = true`.", id), f.insertAttr(b, "storage_encrypted", "true"))
		}
		if a, val, set := attrBool(b.Body, "publicly_accessible"); set && val {
			f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` sets `publicly_accessible = true`.", id), f.setAttr(a, "false"))
		}
		return
	}
	if !strings.Contains(src, "s3-bucket") {
		return
	}
	if a := b.Body.Attributes["versioning"]; a != nil {
		if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
			fl := objectFields(obj)
			if e := fl.get("enabled"); e != nil {
				if v, ok := valueOf(e); ok && v.Type() == cty.Bool && v.False() {
					l := e.Range().Start.Line
					f.hits = append(f.hits, hit{rule: ruleTFVersioning, line: l, endLine: l, blockStart: a.SrcRange.Start.Line, blockEnd: a.SrcRange.End.Line,
						msg: fmt.Sprintf("`%s` turns versioning off.", id), identity: id + " versioning", evidence: clip(strings.TrimSpace(f.line(l)))})
				}
			}
		}
	} else {
		f.missingHit(ruleTFVersioning, id, b, "versioning", fmt.Sprintf("`%s` does not enable versioning; the module leaves it off.", id), nil)
	}
	if a, acl, ok := attrString(b.Body, "acl"); ok && publicACLs[acl] {
		f.attrHit(ruleTFS3PublicACL, id, a, fmt.Sprintf("`%s` uses the canned ACL `%s`.", id, acl), f.setAttr(a, `"private"`))
	}
	f.publicAccessBlock(b, id, b.Body.Attributes)
}

// sgModuleRules are the named rules of terraform-aws-modules/security-group
// that open admin ports.
var sgModuleRules = map[string][]int{
	"ssh-tcp": {22}, "rdp-tcp": {3389}, "rdp-udp": {3389}, "winrm-http-tcp": {5985}, "winrm-https-tcp": {5986},
	"all-all": {22, 23, 2375, 3389, 5900, 5985, 5986}, "all-tcp": {22, 23, 2375, 3389, 5900, 5985, 5986},
}

// sgModule checks terraform-aws-modules/security-group: named ingress
// rules with open ingress_cidr_blocks, ingress_with_cidr_blocks objects, and
// ingress blocks.
func (f *tfFile) sgModule(id string, b *hclsyntax.Block) {
	for _, ing := range blocks(b.Body, "ingress") {
		f.ingress(id, bodyFields(ing.Body), header(ing), blockEnd(ing), true)
	}
	if a, cidrs := attrStrings(b.Body, "ingress_cidr_blocks"); a != nil && anyOpen(cidrs) {
		ra, rules := attrStrings(b.Body, "ingress_rules")
		var ports []int
		for _, r := range rules {
			ports = append(ports, sgModuleRules[r]...)
		}
		if len(ports) > 0 {
			l := a.SrcRange.Start.Line
			f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: l, blockEnd: max(a.SrcRange.End.Line, ra.SrcRange.End.Line),
				msg:      fmt.Sprintf("`%s` opens port %s to the whole internet.", id, portNames(dedupe(ports))),
				identity: fmt.Sprintf("%s rules %v", id, dedupe(ports)), evidence: clip(strings.TrimSpace(f.line(l)))})
		}
	}
	if a := b.Body.Attributes["ingress_with_cidr_blocks"]; a != nil {
		if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for _, e := range tup.Exprs {
				obj, ok := e.(*hclsyntax.ObjectConsExpr)
				if !ok {
					continue
				}
				fl := objectFields(obj)
				// The module takes cidr_blocks as one comma-separated string.
				if c := fl.str("cidr_blocks"); c != "" {
					if !anyOpen(strings.Split(c, ",")) {
						continue
					}
				} else if !anyOpen(fl.strs("cidr_blocks")) {
					continue
				}
				from, ok1 := fl.int("from_port")
				to, ok2 := fl.int("to_port")
				proto := fl.str("protocol")
				if !ok1 || !ok2 {
					continue
				}
				ports := exposedAdmin(proto, from, to)
				if len(ports) == 0 {
					continue
				}
				r := obj.Range()
				f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: r.Start.Line, endLine: r.Start.Line, blockStart: r.Start.Line, blockEnd: r.End.Line,
					msg:      fmt.Sprintf("An ingress rule of `%s` opens port %s to the whole internet.", id, portNames(ports)),
					identity: fmt.Sprintf("%s ingress %v", id, ports), evidence: clip(strings.TrimSpace(f.line(r.Start.Line)))})
			}
		}
	}
}

func anyOpen(cidrs []string) bool {
	for _, c := range cidrs {
		if openCIDR(c) {
			return true
		}
	}
	return false
}

// adminPorts are ports whose services give a shell or a desktop.
var adminPorts = map[int]string{22: "SSH", 23: "Telnet", 3389: "RDP", 5900: "VNC", 5985: "WinRM", 5986: "WinRM", 2375: "Docker API"}

// openCIDR reports whether a source range is the whole internet: a /0
// prefix of either family in any spelling (0.0.0.0/0, ::/0, ::0/0), or a
// provider's name for it.
func openCIDR(c string) bool {
	c = strings.TrimSpace(c)
	if c == "0.0.0.0" || c == "*" || strings.EqualFold(c, "internet") || strings.EqualFold(c, "any") {
		return true
	}
	p, err := netip.ParsePrefix(c)
	return err == nil && p.Bits() == 0
}

// exposedAdmin returns the admin ports within from..to (a protocol of all
// traffic opens every port).
func exposedAdmin(proto string, from, to int) []int {
	p := strings.ToLower(proto)
	if p != "" && p != "-1" && p != "all" && p != "tcp" && p != "6" && p != "*" {
		return nil
	}
	if p == "-1" || p == "all" || p == "*" {
		from, to = 0, 65535
	}
	var out []int
	for _, port := range []int{22, 23, 2375, 3389, 5900, 5985, 5986} {
		if from <= port && port <= to {
			out = append(out, port)
		}
	}
	return out
}

func portNames(ports []int) string {
	var s []string
	for _, p := range ports {
		s = append(s, fmt.Sprintf("%d (%s)", p, adminPorts[p]))
	}
	return strings.Join(s, ", ")
}

// fields reads settings from a block body or from an object in a list
// attribute (`ingress = [{ ... }]`).
type fields struct {
	exprs map[string]hclsyntax.Expression
}

func bodyFields(body *hclsyntax.Body) fields {
	f := fields{exprs: map[string]hclsyntax.Expression{}}
	for name, a := range body.Attributes {
		f.exprs[name] = a.Expr
	}
	return f
}

func objectFields(obj *hclsyntax.ObjectConsExpr) fields {
	f := fields{exprs: map[string]hclsyntax.Expression{}}
	for _, it := range obj.Items {
		k, ok := valueOf(it.KeyExpr)
		if ok && k.Type() == cty.String {
			f.exprs[k.AsString()] = it.ValueExpr
		}
	}
	return f
}

func (fl fields) get(name string) hclsyntax.Expression { return fl.exprs[name] }

func (fl fields) str(name string) string {
	v, ok := valueOf(fl.get(name))
	if !ok {
		return ""
	}
	if v.Type() == cty.Number {
		return v.AsBigFloat().Text('f', -1)
	}
	if v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

func (fl fields) strs(name string) []string {
	v, ok := valueOf(fl.get(name))
	if !ok {
		return nil
	}
	return ctyStrings(v)
}

func (fl fields) int(name string) (int, bool) {
	n, err := strconv.Atoi(fl.str(name))
	return n, err == nil
}

// ingressList checks `ingress = [{...}]` written as an attribute.
func (f *tfFile) ingressList(id string, a *hclsyntax.Attribute, sg bool) {
	if a == nil {
		return
	}
	tup, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return
	}
	for _, e := range tup.Exprs {
		obj, ok := e.(*hclsyntax.ObjectConsExpr)
		if !ok {
			continue
		}
		fl := objectFields(obj)
		if !sg && !strings.EqualFold(fl.str("action"), "allow") {
			continue
		}
		r := obj.Range()
		f.ingress(id, fl, r.Start.Line, r.End.Line, sg)
	}
}

// ingress checks an AWS security group or network ACL ingress rule.
func (f *tfFile) ingress(id string, fl fields, start, end int, sg bool) {
	cidrAttr := "cidr_blocks"
	if !sg {
		cidrAttr = "cidr_block"
	}
	var open hclsyntax.Expression
	for _, name := range []string{cidrAttr, "ipv6_cidr_blocks", "ipv6_cidr_block"} {
		for _, c := range fl.strs(name) {
			if openCIDR(c) {
				open = fl.get(name)
			}
		}
	}
	if open == nil {
		return
	}
	proto := fl.str("protocol")
	from, ok1 := fl.int("from_port")
	to, ok2 := fl.int("to_port")
	if !ok1 || !ok2 {
		if proto != "-1" && proto != "all" {
			return
		}
	}
	ports := exposedAdmin(proto, from, to)
	if len(ports) == 0 {
		return
	}
	l := open.Range().Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: start, blockEnd: end,
		msg:      fmt.Sprintf("An ingress rule of `%s` opens port %s to the whole internet.", id, portNames(ports)),
		identity: fmt.Sprintf("%s ingress %v", id, ports), evidence: clip(strings.TrimSpace(f.line(l)))})
}

// ingressV2 checks aws_vpc_security_group_ingress_rule.
func (f *tfFile) ingressV2(id string, b *hclsyntax.Block) {
	var open *hclsyntax.Attribute
	for _, name := range []string{"cidr_ipv4", "cidr_ipv6"} {
		if a, c, ok := attrString(b.Body, name); ok && openCIDR(c) {
			open = a
		}
	}
	if open == nil {
		return
	}
	_, proto, _ := attrString(b.Body, "ip_protocol")
	from, _ := attrInt(b.Body, "from_port")
	to, _ := attrInt(b.Body, "to_port")
	ports := exposedAdmin(proto, from, to)
	if len(ports) == 0 {
		return
	}
	l := open.SrcRange.Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: header(b), blockEnd: blockEnd(b),
		msg:      fmt.Sprintf("`%s` opens port %s to the whole internet.", id, portNames(ports)),
		identity: fmt.Sprintf("%s %v", id, ports), evidence: clip(strings.TrimSpace(f.line(l)))})
}

// portRanges parses "22", "20-25" and lists of them.
func portRanges(specs []string) [][2]int {
	var out [][2]int
	for _, s := range specs {
		s = strings.TrimSpace(s)
		if s == "*" {
			out = append(out, [2]int{0, 65535})
			continue
		}
		lo, hi, isRange := strings.Cut(s, "-")
		a, err1 := strconv.Atoi(lo)
		if err1 != nil {
			continue
		}
		b := a
		if isRange {
			var err2 error
			if b, err2 = strconv.Atoi(hi); err2 != nil {
				continue
			}
		}
		out = append(out, [2]int{a, b})
	}
	return out
}

func (f *tfFile) gcpFirewall(id string, b *hclsyntax.Block) {
	if _, dir, ok := attrString(b.Body, "direction"); ok && !strings.EqualFold(dir, "INGRESS") {
		return
	}
	if _, off, set := attrBool(b.Body, "disabled"); set && off {
		return
	}
	a, srcs := attrStrings(b.Body, "source_ranges")
	open := false
	for _, s := range srcs {
		open = open || openCIDR(s)
	}
	if !open {
		return
	}
	var ports []int
	for _, al := range blocks(b.Body, "allow") {
		_, proto, _ := attrString(al.Body, "protocol")
		_, ps := attrStrings(al.Body, "ports")
		rs := portRanges(ps)
		if len(ps) == 0 {
			rs = [][2]int{{0, 65535}}
		}
		for _, r := range rs {
			ports = append(ports, exposedAdmin(proto, r[0], r[1])...)
		}
	}
	if len(ports) == 0 {
		return
	}
	l := a.SrcRange.Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: header(b), blockEnd: blockEnd(b),
		msg:      fmt.Sprintf("`%s` allows port %s from the whole internet.", id, portNames(dedupe(ports))),
		identity: fmt.Sprintf("%s %v", id, dedupe(ports)), evidence: clip(strings.TrimSpace(f.line(l)))})
}

func dedupe(ps []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func (f *tfFile) azureRule(id string, body *hclsyntax.Body, start, end int) {
	_, ruleName, _ := attrString(body, "name")
	if _, d, ok := attrString(body, "direction"); !ok || !strings.EqualFold(d, "Inbound") {
		return
	}
	if _, acc, ok := attrString(body, "access"); !ok || !strings.EqualFold(acc, "Allow") {
		return
	}
	var open *hclsyntax.Attribute
	if a, src, ok := attrString(body, "source_address_prefix"); ok && openCIDR(src) {
		open = a
	}
	if a, srcs := attrStrings(body, "source_address_prefixes"); a != nil {
		for _, s := range srcs {
			if openCIDR(s) {
				open = a
			}
		}
	}
	if open == nil {
		return
	}
	// Azure applies the destination ports whatever the protocol, so "*"
	// (any protocol) reaches the listed TCP ports like "Tcp" does.
	_, proto, _ := attrString(body, "protocol")
	if proto == "*" {
		proto = "tcp"
	}
	var specs []string
	if _, p, ok := attrString(body, "destination_port_range"); ok {
		specs = append(specs, p)
	}
	_, ps := attrStrings(body, "destination_port_ranges")
	specs = append(specs, ps...)
	var ports []int
	for _, r := range portRanges(specs) {
		ports = append(ports, exposedAdmin(proto, r[0], r[1])...)
	}
	if len(ports) == 0 {
		return
	}
	l := open.SrcRange.Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: start, blockEnd: end,
		msg:      fmt.Sprintf("A rule of `%s` allows port %s from the whole internet.", id, portNames(dedupe(ports))),
		identity: fmt.Sprintf("%s %s %v", id, ruleName, dedupe(ports)), evidence: clip(strings.TrimSpace(f.line(l)))})
}

var (
	reActionStar = regexp.MustCompile(`(?i)"?actions?"?\s*[:=]\s*\[?\s*"\*"`)
	reQuotedStar = regexp.MustCompile(`"\*"`)
)

// policy checks an IAM policy attribute: a JSON string (heredoc or
// literal) or jsonencode({...}).
func (f *tfFile) policy(id string, a *hclsyntax.Attribute) {
	v, ok := value(a)
	if !ok || v.Type() != cty.String {
		return
	}
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(v.AsString()), &doc) != nil {
		return
	}
	for _, st := range statements(doc.Statement) {
		if !strings.EqualFold(st.effect, "Allow") || !contains(st.actions, "*") || !contains(st.resources, "*") {
			continue
		}
		l := f.lineIn(a.SrcRange.Start.Line, a.SrcRange.End.Line, reActionStar)
		f.hits = append(f.hits, hit{rule: ruleTFIAMWildcard, line: l, endLine: l,
			blockStart: a.SrcRange.Start.Line, blockEnd: a.SrcRange.End.Line,
			msg:      fmt.Sprintf("`%s` allows every action (`\"*\"`) on every resource.", id),
			identity: id + " action *", evidence: clip(strings.TrimSpace(f.line(l)))})
		return
	}
}

// lineIn returns the first line in from..to that re matches, else from.
func (f *tfFile) lineIn(from, to int, re *regexp.Regexp) int {
	for l := from; l <= to && l <= len(f.lines); l++ {
		if re.MatchString(f.line(l)) {
			return l
		}
	}
	return from
}

type statement struct {
	effect             string
	actions, resources []string
}

// statements reads a policy's Statement, which may be one object or a list.
func statements(raw json.RawMessage) []statement {
	var list []map[string]json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		list = []map[string]json.RawMessage{one}
	}
	var out []statement
	for _, m := range list {
		var st statement
		_ = json.Unmarshal(m["Effect"], &st.effect)
		st.actions = stringOrList(m["Action"])
		st.resources = stringOrList(m["Resource"])
		out = append(out, st)
	}
	return out
}

func stringOrList(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var l []string
	_ = json.Unmarshal(raw, &l)
	return l
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// policyDocument checks data "aws_iam_policy_document" statements.
func (f *tfFile) policyDocument(b *hclsyntax.Block) {
	id := blockID(b)
	for i, st := range blocks(b.Body, "statement") {
		if _, eff, ok := attrString(st.Body, "effect"); ok && !strings.EqualFold(eff, "Allow") {
			continue
		}
		a, actions := attrStrings(st.Body, "actions")
		_, resources := attrStrings(st.Body, "resources")
		if a == nil || !contains(actions, "*") || !contains(resources, "*") {
			continue
		}
		l := f.lineIn(a.SrcRange.Start.Line, a.SrcRange.End.Line, reQuotedStar)
		f.hits = append(f.hits, hit{rule: ruleTFIAMWildcard, line: l, endLine: l, blockStart: header(st), blockEnd: blockEnd(st),
			msg:      fmt.Sprintf("Statement %d of `%s` allows every action (`\"*\"`) on every resource.", i+1, id),
			identity: fmt.Sprintf("%s statement %d", id, i), evidence: clip(strings.TrimSpace(f.line(l)))})
	}
}

// providerSecrets are provider arguments that hold credentials.
var providerSecrets = map[string][]string{
	"aws":     {"access_key", "secret_key", "token"},
	"azurerm": {"client_secret", "client_certificate_password"},
	"google":  {"credentials", "access_token"},
	"azuread": {"client_secret"},
}

func (f *tfFile) provider(b *hclsyntax.Block) {
	name := b.Labels[0]
	for _, attr := range providerSecrets[name] {
		a, v, ok := attrString(b.Body, attr)
		if !ok || v == "" {
			continue
		}
		if name == "google" && attr == "credentials" && !strings.Contains(v, "private_key") {
			continue // a path to a key file, not the key
		}
		s, e := a.SrcRange.Start.Line, a.SrcRange.End.Line
		f.hits = append(f.hits, hit{rule: ruleTFProviderCreds, line: s, endLine: e,
			msg:      fmt.Sprintf("The `%s` provider sets `%s` to a literal (%s).", name, attr, redact(v)),
			identity: "provider " + name + " " + attr, evidence: attr + " = " + redact(v),
			fix: f.deleteAttr(a, "remove the credential; the provider reads it from the environment")})
	}
}
