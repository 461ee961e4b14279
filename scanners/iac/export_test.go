package iac

import "github.com/shiftward/shiftward/scanners/scannertest"

// DataCheckSamples are the samples of every embedded check (checks/*.yaml),
// for the shared rule harness.
func DataCheckSamples() map[string][]scannertest.Sample {
	out := map[string][]scannertest.Sample{}
	seen := map[*dataCheck]bool{}
	for _, list := range dataChecks() {
		for _, c := range list {
			if seen[c] {
				continue
			}
			seen[c] = true
			for _, s := range c.Samples {
				out[c.rule.ID] = append(out[c.rule.ID], scannertest.Sample{Path: sampleFile[c.Format], Content: s.Content, Hit: s.Hit})
			}
		}
	}
	return out
}
