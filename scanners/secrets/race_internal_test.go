//go:build race

package secrets

// raceEnabled lets the slowest comparison tests sample their texts under
// the race detector, which makes regexp matching ~20 times slower.
const raceEnabled = true
