package iac_test

import "github.com/shiftward/shiftward/scanners/scannertest"

// Samples of the Go rule of check_network.go (a security group nothing in
// its module uses), added to ruleSamples.
func init() {
	ruleSamples["iac/tf-aws-sg-unused"] = []scannertest.Sample{
		terraform("resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n\nresource \"aws_instance\" \"i\" {\n  ami           = \"ami-12345678\"\n  instance_type = \"t3.micro\"\n}\n", true),
		terraform("resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n", false),
		terraform("resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n\nresource \"aws_instance\" \"i\" {\n  ami                    = \"ami-12345678\"\n  instance_type          = \"t3.micro\"\n  vpc_security_group_ids = [aws_security_group.s.id]\n}\n", false),
		terraform("resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n\noutput \"sg_id\" {\n  value = aws_security_group.s.id\n}\n", false),
		terraform("variable \"groups\" {\n  default = [\"web\"]\n}\n\nresource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n", false),
	}
}
