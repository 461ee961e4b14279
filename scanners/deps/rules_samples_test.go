package deps_test

import (
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// sampleAdvisories are the made-up records the rule samples are judged
// against: one package per ecosystem, affected below its fixed version.
// Their ids are not real advisories.
var sampleAdvisories = []deps.Vuln{
	sampleVuln("SAMPLE-GO-1", "Go", "example.com/leaky", "1.4.2"),
	sampleVuln("SAMPLE-NPM-1", "npm", "left-padder", "2.0.1"),
	sampleVuln("SAMPLE-PYPI-1", "PyPI", "yaml-loader", "5.4.0"),
	sampleVuln("SAMPLE-RUST-1", "crates.io", "tinyvec-ish", "1.2.0"),
	sampleVuln("SAMPLE-GEM-1", "RubyGems", "rack-lite", "2.2.8"),
	sampleVuln("SAMPLE-MVN-1", "Maven", "org.example:xml-parser", "3.1.0"),
}

func sampleVuln(id, eco, name, fixed string) deps.Vuln {
	return deps.Vuln{
		ID:       id,
		Summary:  "Sample advisory for the rule samples.",
		Severity: []deps.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		Affected: []deps.Affected{{
			Package: deps.AffectedPackage{Ecosystem: eco, Name: name},
			Ranges:  []deps.Range{{Type: "ECOSYSTEM", Events: []deps.Event{{Introduced: "0"}, {Fixed: fixed}}}},
		}},
	}
}

// ruleSamples are deps' rule samples: a manifest or lockfile added whole,
// scanned against sampleAdvisories.
var ruleSamples = map[string][]scannertest.Sample{
	deps.RuleID: {
		{Path: "go.mod", Hit: true, Content: "module example.com/app\n\ngo 1.22\n\nrequire example.com/leaky v1.4.1\n"},
		{Path: "go.mod", Hit: false, Content: "module example.com/app\n\ngo 1.22\n\nrequire example.com/leaky v1.4.2\n"},
		{Path: "web/package.json", Hit: true, Content: "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"left-padder\": \"2.0.0\"\n  }\n}\n"},
		{Path: "web/package.json", Hit: false, Content: "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"left-padder\": \"2.0.1\"\n  }\n}\n"},
		// A script that names the package is not a dependency on it.
		{Path: "package.json", Hit: false, Content: "{\n  \"name\": \"web\",\n  \"scripts\": {\n    \"pad\": \"left-padder 2.0.0\"\n  }\n}\n"},
		// An installed copy is not the project's own manifest.
		{Path: "node_modules/web/package.json", Hit: false, Content: "{\n  \"dependencies\": {\n    \"left-padder\": \"2.0.0\"\n  }\n}\n"},
		{Path: "requirements.txt", Hit: true, Content: "Yaml_Loader==5.3.1\n"},
		{Path: "requirements-dev.txt", Hit: false, Content: "yaml-loader==5.4.0\n# yaml-loader==5.3.1\n"},
		{Path: "Cargo.lock", Hit: true, Content: "version = 3\n\n[[package]]\nname = \"tinyvec-ish\"\nversion = \"1.1.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"},
		{Path: "Cargo.lock", Hit: false, Content: "version = 3\n\n[[package]]\nname = \"tinyvec-ish\"\nversion = \"1.2.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"},
		{Path: "Gemfile.lock", Hit: true, Content: "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack-lite (2.2.7)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack-lite\n"},
		{Path: "pom.xml", Hit: true, Content: "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.example</groupId>\n  <artifactId>app</artifactId>\n  <version>1.0.0</version>\n  <dependencies>\n    <dependency>\n      <groupId>org.example</groupId>\n      <artifactId>xml-parser</artifactId>\n      <version>3.0.9</version>\n    </dependency>\n  </dependencies>\n</project>\n"},
		{Path: "pom.xml", Hit: false, Content: "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.example</groupId>\n  <artifactId>app</artifactId>\n  <version>3.0.9</version>\n  <dependencies>\n    <dependency>\n      <groupId>org.example</groupId>\n      <artifactId>xml-parser</artifactId>\n      <version>3.1.0</version>\n    </dependency>\n  </dependencies>\n</project>\n"},
		// Not a manifest the scanner reads, although it names the package.
		{Path: "docs/deps.md", Hit: false, Content: "left-padder 2.0.0\n"},
	},
}

// sampleScanner is deps over sampleAdvisories.
func sampleScanner() scanners.Scanner { return deps.New(newMemSource(sampleAdvisories...)) }
