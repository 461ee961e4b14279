package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// frameworkSamples are the samples of frameworkRules (rules_framework.go).
func frameworkSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{}
}
