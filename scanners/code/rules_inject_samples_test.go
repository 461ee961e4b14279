package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// injectionSamples are the samples of injectionRules (rules_inject.go).
func injectionSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{}
}
