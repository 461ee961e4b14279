package code

// SetCrossFunctions turns the taint across functions on or off (tests of
// its cost) and returns the previous setting.
func SetCrossFunctions(on bool) bool {
	prev := crossFunctions
	crossFunctions = on
	return prev
}

// SetNoSummaries skips the summaries while on (tests of their cost).
func SetNoSummaries(on bool) { noSummaries = on }
