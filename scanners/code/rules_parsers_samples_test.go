package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// parserSamples are the samples of parserRules (rules_parsers.go).
func parserSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{}
}
