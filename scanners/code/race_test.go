//go:build race

package code_test

// raceEnabled says the tests run under the race detector.
const raceEnabled = true
