package iac_test

import "github.com/shiftward/shiftward/scanners/scannertest"

func init() {
	ruleSamples["iac/tf-aws-iam-user-many-access-keys"] = []scannertest.Sample{
		terraform("resource \"aws_iam_user\" \"ci\" {\n  name = \"ci\"\n}\n\nresource \"aws_iam_access_key\" \"a\" {\n  user = aws_iam_user.ci.name\n}\n\nresource \"aws_iam_access_key\" \"b\" {\n  user = aws_iam_user.ci.name\n}\n", true),
		terraform("resource \"aws_iam_access_key\" \"a\" {\n  user  = \"ci\"\n  count = 2\n}\n", true),
		terraform("resource \"aws_iam_user\" \"ci\" {\n  name = \"ci\"\n}\n\nresource \"aws_iam_access_key\" \"a\" {\n  user = aws_iam_user.ci.name\n}\n\nresource \"aws_iam_access_key\" \"b\" {\n  user   = aws_iam_user.ci.name\n  status = \"Inactive\"\n}\n", false),
		terraform("resource \"aws_iam_access_key\" \"a\" {\n  user = aws_iam_user.ci.name\n}\n\nresource \"aws_iam_access_key\" \"b\" {\n  user = aws_iam_user.deploy.name\n}\n", false),
	}
}
