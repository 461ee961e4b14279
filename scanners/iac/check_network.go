package iac

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/shiftward/shiftward/scanners"
)

// AWS network checks that data cannot say: a security group nothing in its
// module uses (the question is about every other block and string of the
// module, not about the group).

var ruleTFSGUnused = rule("tf-aws-sg-unused", scanners.SeverityLow,
	"Security group is not used by anything in its module",
	"A security group that no resource, module call, output or local of its module refers to (by address or by "+
		"name) protects nothing: it is either left over, and its rules are an opening waiting for the next resource "+
		"someone attaches to it, or the resource meant to use it runs in another (often the default) group.",
	"Attach the group to the resources it was written for (`vpc_security_group_ids`, `security_groups`), or delete it.",
	"CWE-1164", "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html")

// sgConsumerTypes are resource types that take security groups. A module
// with none of them (and no module call) defines groups for others to use
// (looked up by name or tags from another configuration): its groups are
// not judged.
var sgConsumerTypes = map[string]bool{
	"aws_instance": true, "aws_spot_instance_request": true, "aws_launch_template": true, "aws_launch_configuration": true,
	"aws_network_interface": true, "aws_lb": true, "aws_alb": true, "aws_elb": true, "aws_db_instance": true,
	"aws_rds_cluster": true, "aws_docdb_cluster": true, "aws_neptune_cluster": true, "aws_redshift_cluster": true,
	"aws_elasticache_cluster": true, "aws_elasticache_replication_group": true, "aws_memorydb_cluster": true,
	"aws_lambda_function": true, "aws_ecs_service": true, "aws_eks_cluster": true, "aws_eks_node_group": true,
	"aws_vpc_endpoint": true, "aws_efs_mount_target": true, "aws_mq_broker": true, "aws_msk_cluster": true,
	"aws_opensearch_domain": true, "aws_elasticsearch_domain": true, "aws_emr_cluster": true,
	"aws_batch_compute_environment": true, "aws_dms_replication_instance": true, "aws_sagemaker_notebook_instance": true,
	"aws_codebuild_project": true, "aws_glue_connection": true, "aws_transfer_server": true,
	"aws_route53_resolver_endpoint": true, "aws_directory_service_directory": true, "aws_fsx_lustre_file_system": true,
	"aws_fsx_windows_file_system": true, "aws_fsx_ontap_file_system": true, "aws_apprunner_vpc_connector": true,
	"aws_redshiftserverless_workgroup": true, "aws_autoscaling_group": true, "aws_ec2_client_vpn_endpoint": true,
}

// sgConsumers reports whether f's module holds a resource that takes
// security groups, or calls a module (which may take them).
func (f *tfFile) sgConsumers() bool {
	for t := range f.mod.types {
		if sgConsumerTypes[t] {
			return true
		}
	}
	for _, s := range f.mod.files {
		for _, b := range s.body.Blocks {
			if b.Type == "module" {
				return true
			}
		}
	}
	return false
}

// sgUnused reports aws_security_group b (named name) when no other block of
// its module mentions its address, and no string of the module holds its
// literal name. It judges only a module read whole (no gaps); a reference
// from outside the module goes through an output, which mentions it.
func (f *tfFile) sgUnused(b *hclsyntax.Block, id string) {
	if f.mod == nil || len(f.mod.gaps) > 0 || len(b.Labels) != 2 || !f.sgConsumers() {
		return
	}
	start, end := b.Range().Start.Byte, b.Range().End.Byte
	for _, r := range f.mod.securityGroupRefs()[b.Labels[1]] {
		if r.path != f.path || r.off < start || r.off >= end {
			return
		}
	}
	if _, n, ok := f.attrString(b.Body, "name"); ok && n != "" {
		name := []byte(`"` + n + `"`)
		for _, s := range f.mod.files {
			src := s.src
			if s.path == f.path {
				if bytes.Contains(src[:start], name) || bytes.Contains(src[end:], name) {
					return
				}
			} else if bytes.Contains(src, name) {
				return
			}
		}
	}
	l := header(b)
	f.hits = append(f.hits, hit{rule: ruleTFSGUnused, line: l, endLine: l, blockStart: l, blockEnd: blockEnd(b),
		msg:      fmt.Sprintf("Nothing in the module refers to `%s` or names it.", id),
		identity: id + " unused", evidence: clip(strings.TrimSpace(f.line(l)))})
}

// sgRef is where a module file names a security group's address.
type sgRef struct {
	path string
	off  int
}

// sgAddress is a reference to a security group resource's address.
var sgAddress = regexp.MustCompile(`\baws_security_group\.([A-Za-z0-9_-]+)`)

// securityGroupRefs indexes, once per module, every place its files name
// aws_security_group.NAME (a reference, or the text of one in a string).
func (m *tfModule) securityGroupRefs() map[string][]sgRef {
	m.sgRefsOnce.Do(func() {
		m.sgRefs = map[string][]sgRef{}
		for _, s := range m.files {
			for _, loc := range sgAddress.FindAllSubmatchIndex(s.src, -1) {
				name := string(s.src[loc[2]:loc[3]])
				m.sgRefs[name] = append(m.sgRefs[name], sgRef{path: s.path, off: loc[0]})
			}
		}
	})
	return m.sgRefs
}
