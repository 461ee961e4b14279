package iac_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// moduleScan scans file p of a module held in files, as a change that adds
// the lines added (all of them when added is nil), with the files as the
// change's tree unless noTree. It returns the findings with Preexisting
// set as the review sets it.
func moduleScan(t *testing.T, files map[string]string, p string, added []int, noTree bool) ([]scanners.Finding, error) {
	t.Helper()
	bs := map[string][]byte{}
	for k, v := range files {
		bs[k] = []byte(v)
	}
	in := &scanners.Input{Path: p, Content: bs[p]}
	lines := strings.Split(strings.TrimSuffix(files[p], "\n"), "\n")
	for i, l := range lines {
		if added == nil || slices.Contains(added, i+1) {
			in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
		}
	}
	in.New = added == nil
	if !noTree {
		in.Tree = scanners.NewMemTree(bs)
	}
	fs, err := iac.New().Scan(context.Background(), in)
	fs, _ = scanners.Scope(fs, []*scanners.Input{in})
	return fs, err
}

// introduced lists the introduced findings as "rule@line".
func introduced(fs []scanners.Finding) []string {
	var out []string
	for _, f := range fs {
		if !f.Preexisting {
			out = append(out, fmt.Sprintf("%s@%d", strings.TrimPrefix(f.RuleID, "iac/"), f.Location.StartLine))
		}
	}
	slices.Sort(out)
	return out
}

func has(list []string, want string) bool { return slices.Contains(list, want) }

const dbMain = `resource "aws_db_instance" "main" {
  engine              = "postgres"
  storage_encrypted   = true
  publicly_accessible = var.public
}
`

// forEachDBs makes one database per map entry, one of them public.
const forEachDBs = `locals {
  dbs = {
    internal = { public = false }
    reports  = { public = true }
  }
}
resource "aws_db_instance" "db" {
  for_each            = local.dbs
  storage_encrypted   = true
  publicly_accessible = each.value.public
}
`

func TestTerraformEvaluatesVariables(t *testing.T) {
	cases := []struct {
		name   string
		files  map[string]string
		path   string
		added  []int
		noTree bool
		want   string // a finding that must be introduced ("" for none of tf-public-database)
	}{
		{
			name: "default in the same file",
			files: map[string]string{"main.tf": dbMain + `variable "public" {
  default = true
}
`},
			path: "main.tf", want: "tf-public-database@4",
		},
		{
			name:  "changing only the default introduces the finding on the resource",
			files: map[string]string{"main.tf": dbMain + "variable \"public\" {\n  default = true\n}\n"},
			path:  "main.tf", added: []int{7}, want: "tf-public-database@4",
		},
		{
			name:  "default false: nothing",
			files: map[string]string{"main.tf": dbMain + "variable \"public\" {\n  default = false\n}\n"},
			path:  "main.tf",
		},
		{
			name: "default in a sibling file",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf": "variable \"public\" {\n  type    = bool\n  default = true\n}\n"},
			path: "main.tf", want: "tf-public-database@4",
		},
		{
			name: "without the tree a sibling's default is unknown",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf": "variable \"public\" {\n  default = true\n}\n"},
			path: "main.tf", noTree: true,
		},
		{
			name: "terraform.tfvars overrides the default",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf":     "variable \"public\" {\n  default = false\n}\n",
				"terraform.tfvars": "region = \"eu-west-1\"\npublic = true\n"},
			path: "main.tf", want: "tf-public-database@4",
		},
		{
			name: "a changed tfvars line is where the finding is reported",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf":     "variable \"public\" {\n  default = false\n}\n",
				"terraform.tfvars": "region = \"eu-west-1\"\npublic = true\n"},
			path: "terraform.tfvars", added: []int{2}, want: "tf-public-database@2",
		},
		{
			name: "an *.auto.tfvars file counts too",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf":     "variable \"public\" {}\n",
				"prod.auto.tfvars": "public = true\n"},
			path: "main.tf", want: "tf-public-database@4",
		},
		{
			name: "a tfvars that is not loaded by default does not count",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf": "variable \"public\" {\n  default = false\n}\n",
				"dev.tfvars":   "public = true\n"},
			path: "main.tf",
		},
		{
			name: "a changed default in variables.tf is reported there",
			files: map[string]string{"main.tf": dbMain,
				"variables.tf": "variable \"public\" {\n  description = \"x\"\n  default     = true\n}\n"},
			path: "variables.tf", added: []int{3}, want: "tf-public-database@3",
		},
		{
			name: "locals, through each other and a function",
			files: map[string]string{"main.tf": `locals {
  exposure = local.settings.public
  settings = merge({ public = false }, { public = var.open })
}
variable "open" { default = true }
resource "aws_db_instance" "main" {
  storage_encrypted   = true
  publicly_accessible = local.exposure
}
`},
			path: "main.tf", want: "tf-public-database@8",
		},
		{
			name: "count = 0 creates nothing",
			files: map[string]string{"main.tf": `variable "enabled" { default = false }
resource "aws_db_instance" "main" {
  count               = var.enabled ? 1 : 0
  storage_encrypted   = true
  publicly_accessible = true
}
`},
			path: "main.tf",
		},
		{
			name: "count that may be 1 is checked",
			files: map[string]string{"main.tf": `variable "enabled" { default = true }
resource "aws_db_instance" "main" {
  count               = var.enabled ? 1 : 0
  storage_encrypted   = true
  publicly_accessible = true
}
`},
			path: "main.tf", want: "tf-public-database@5",
		},
		{
			name:  "for_each: one instance of several is public",
			files: map[string]string{"main.tf": forEachDBs},
			path:  "main.tf", want: "tf-public-database@10",
		},
		{
			name:  "for_each: changing the map's entry introduces it",
			files: map[string]string{"main.tf": forEachDBs},
			path:  "main.tf", added: []int{4}, want: "tf-public-database@10",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, err := moduleScan(t, c.files, c.path, c.added, c.noTree)
			if err != nil {
				t.Fatalf("scan: %v", err)
			}
			got := introduced(fs)
			if c.want == "" {
				for _, g := range got {
					if strings.HasPrefix(g, "tf-public-database") {
						t.Fatalf("introduced %v, want no tf-public-database", got)
					}
				}
				return
			}
			if !has(got, c.want) {
				t.Fatalf("introduced %v, want %s", got, c.want)
			}
		})
	}
}

func TestTerraformViaFindingOnlyWhenTheLineChanges(t *testing.T) {
	files := map[string]string{"main.tf": dbMain,
		"terraform.tfvars": "region = \"eu-west-1\"\npublic = true\n"}
	fs, err := moduleScan(t, files, "terraform.tfvars", []int{1}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Errorf("a tfvars change that does not touch `public` reported %v; the finding is main.tf's, pre-existing", introduced(fs))
	}
	fs, _ = moduleScan(t, files, "terraform.tfvars", []int{2}, false)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "main.tf line 4") || !strings.Contains(fs[0].Message, "var.public") {
		t.Fatalf("findings %+v, want one that names main.tf line 4 and var.public", fs)
	}
	if fs[0].Fix != nil {
		t.Errorf("a finding reported through a variable offers a fix in another file: %+v", fs[0].Fix)
	}
}

func TestTerraformDynamicBlocksAndLocalLists(t *testing.T) {
	files := map[string]string{"main.tf": `locals {
  rules = [
    { port = 443, cidrs = ["0.0.0.0/0"] },
    { port = 22, cidrs = ["0.0.0.0/0"] },
  ]
}
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}
`}
	fs, err := moduleScan(t, files, "main.tf", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	got := introduced(fs)
	found := false
	for _, g := range got {
		if strings.Contains(g, "ssh") || strings.Contains(g, "admin") || strings.Contains(g, "ingress") {
			found = true
		}
	}
	if !found {
		t.Errorf("introduced %v, want SSH from the internet through the dynamic block's iterator", got)
	}
}

func TestTerraformLocalModules(t *testing.T) {
	files := map[string]string{
		"main.tf": `module "db" {
  source = "./modules/db"
  public = true
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
`,
		"modules/db/main.tf":    "variable \"public\" {\n  default = false\n}\n" + dbMain,
		"modules/db/outputs.tf": "output \"id\" { value = aws_db_instance.main.id }\n",
	}
	fs, err := moduleScan(t, files, "main.tf", []int{3}, false)
	var note *scanners.NoteError
	if !errors.As(err, &note) {
		t.Fatalf("err = %v, want the note on the registry module", err)
	}
	got := introduced(fs)
	if !has(got, "tf-public-database@3") {
		t.Fatalf("introduced %v, want tf-public-database on the module argument (line 3)", got)
	}
	if !strings.Contains(fs[0].Message, "modules/db/main.tf") {
		t.Errorf("message %q does not name the module's file", fs[0].Message)
	}
	// The module's own file, changed alone, is checked with its default.
	fs, _ = moduleScan(t, files, "modules/db/main.tf", nil, false)
	if g := introduced(fs); has(g, "tf-public-database@7") {
		t.Errorf("the module alone is public by default? %v", g)
	}
}

func TestTerraformSeparateResourcesAcrossFiles(t *testing.T) {
	files := map[string]string{
		"s3.tf": `resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}
`,
		"encryption.tf": `resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
`,
	}
	with, _ := moduleScan(t, files, "s3.tf", nil, false)
	without, _ := moduleScan(t, files, "s3.tf", nil, true)
	rule := "iac/tf-aws-s3-no-encryption"
	count := func(fs []scanners.Finding) (n int) {
		for _, f := range fs {
			if strings.Contains(f.RuleID, "encrypt") {
				n++
			}
		}
		return n
	}
	if count(without) == 0 {
		t.Fatalf("alone, the bucket has no encryption finding (%s?): %v", rule, introduced(without))
	}
	if count(with) != 0 {
		t.Errorf("with encryption.tf beside it, the bucket still has an encryption finding: %v", introduced(with))
	}
}

func TestTerraformEvaluationIsBounded(t *testing.T) {
	var doubling strings.Builder
	doubling.WriteString("locals {\n  l0 = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n")
	for i := 1; i < 60; i++ {
		fmt.Fprintf(&doubling, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	var refs strings.Builder
	refs.WriteString("locals {\n  big = \"" + strings.Repeat("y", 60<<10) + "\"\n  many = \"")
	for range 3000 {
		refs.WriteString("${local.big}")
	}
	refs.WriteString("\"\n}\n")
	cases := map[string]map[string]string{
		"doubling locals":               {"main.tf": doubling.String() + dbMain},
		"a template of many references": {"main.tf": refs.String() + dbMain},
		"a huge format width":           {"main.tf": "locals {\n  w = format(\"%0999999999d\", 1)\n}\n" + dbMain},
		"a huge join":                   {"main.tf": "locals {\n  a = [for i in range(100000000) : i]\n  b = join(\",\", local.a)\n}\n" + dbMain},
		"a module calling itself":       {"main.tf": "module \"me\" {\n  source = \"./\"\n  public = true\n}\n" + dbMain},
		"modules nested deeper than the bound": {
			"main.tf":           "module \"a\" {\n  source = \"./a\"\n}\n",
			"a/main.tf":         "module \"b\" {\n  source = \"./b\"\n}\n",
			"a/b/main.tf":       "module \"c\" {\n  source = \"./c\"\n}\n",
			"a/b/c/main.tf":     "module \"d\" {\n  source = \"./d\"\n}\n",
			"a/b/c/d/main.tf":   "module \"e\" {\n  source = \"./e\"\n}\n",
			"a/b/c/d/e/main.tf": dbMain,
		},
		"a module outside the repository": {"main.tf": "module \"x\" {\n  source = \"../../etc\"\n}\n" + dbMain},
		"a huge for_each":                 {"main.tf": "resource \"aws_db_instance\" \"db\" {\n  for_each = toset([for i in range(1000000) : tostring(i)])\n  publicly_accessible = true\n}\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			var err error
			go func() {
				defer close(done)
				_, err = moduleScan(t, files, "main.tf", nil, false)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("evaluation did not finish in 20 s")
			}
			if err != nil && !errors.Is(err, scanners.ErrBound) {
				t.Errorf("err = %v, want nil or a bound", err)
			}
		})
	}
}

func TestTerraformRemoteModulesAreNoted(t *testing.T) {
	files := map[string]string{"main.tf": `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
` + dbMain}
	fs, err := moduleScan(t, files, "main.tf", nil, false)
	var note *scanners.NoteError
	if !errors.As(err, &note) || !strings.Contains(note.Note, "not fetched") {
		t.Fatalf("err = %v, want a note that remote modules are not fetched", err)
	}
	if len(fs) == 0 {
		t.Error("the file's own resources were not reviewed beside the note")
	}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{iac.New()}, []*scanners.Input{{Path: "main.tf", Content: []byte(files["main.tf"]), New: true,
		Added: []scanners.Line{{Number: 1, Text: `module "vpc" {`}}}})
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Statuses[0]; len(st.Errors) != 0 || st.Notes[note.Note] != 1 {
		t.Errorf("status %+v: want the note counted once and no error (the review is complete)", st)
	}
}

// TestTerraformDynamicFieldOrigins: a finding on an attribute that reads
// one field of a dynamic block's iterator is reported through the
// variables that feed that field and the condition that builds the list,
// not through the variables of the element's other fields.
func TestTerraformDynamicFieldOrigins(t *testing.T) {
	files := map[string]string{
		"main.tf": `locals {
  policy = var.network_policy ? [{
    enabled  = true
    provider = var.network_policy_provider
  }] : [{
    enabled  = false
    provider = null
  }]
}
resource "google_container_cluster" "primary" {
  name = "c"
  dynamic "network_policy" {
    for_each = local.policy
    content {
      enabled  = network_policy.value.enabled
      provider = network_policy.value.provider
    }
  }
}
`,
		"variables.tf": `variable "network_policy" {
  type    = bool
  default = false
}
variable "network_policy_provider" {
  type    = string
  default = "CALICO"
}
`}
	fs, err := moduleScan(t, files, "variables.tf", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var via []string
	for _, f := range fs {
		if strings.Contains(f.RuleID, "network-policy") {
			via = append(via, fmt.Sprintf("%d", f.Location.StartLine))
		}
	}
	if !slices.Equal(via, []string{"3"}) {
		t.Errorf("network-policy findings in variables.tf on lines %v, want only line 3 (`network_policy`, the condition); "+
			"line 7 (`network_policy_provider`) feeds another field", via)
	}
}

// TestTerraformForEachFieldOrigins: a finding on a for_each resource's
// attribute that reads one field of each.value is reported through the
// definitions of that field's values, not through a variable that only
// switches the elements on (the for's `if`, `create ? rules : {}`), a
// variable feeding another field, or an empty map variable merged in.
func TestTerraformForEachFieldOrigins(t *testing.T) {
	files := map[string]string{
		"main.tf": `locals {
  rules = { for k, v in {
    egress_all = {
      protocol         = "-1"
      cidr_blocks      = var.egress_cidrs
      ipv6_cidr_blocks = var.ip_family == "ipv6" ? ["::/0"] : null
    }
  } : k => v if var.enable_rules }
}
resource "aws_security_group_rule" "node" {
  for_each = var.create ? merge(local.rules, var.extra_rules) : {}

  type              = "egress"
  security_group_id = "sg-1"
  protocol          = each.value.protocol
  from_port         = 0
  to_port           = 0
  cidr_blocks       = try(each.value.cidr_blocks, null)
  ipv6_cidr_blocks  = try(each.value.ipv6_cidr_blocks, null)
}
`,
		"variables.tf": `variable "create" {
  default = true
}
variable "enable_rules" {
  default = true
}
variable "ip_family" {
  default = "ipv4"
}
variable "extra_rules" {
  default = {}
}
variable "egress_cidrs" {
  default = ["0.0.0.0/0"]
}
`}
	fs, err := moduleScan(t, files, "variables.tf", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var via []string
	for _, f := range fs {
		if f.RuleID == "iac/tf-aws-sg-egress-unrestricted" {
			via = append(via, fmt.Sprintf("%d", f.Location.StartLine))
		}
	}
	if !slices.Equal(via, []string{"14"}) {
		t.Errorf("egress findings in variables.tf on lines %v, want only line 14 (`egress_cidrs`'s default); "+
			"create, enable_rules, ip_family and the empty extra_rules do not open the egress", via)
	}
}
