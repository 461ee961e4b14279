package code

// parserRules are the rules on parsers and evaluators: XXE, expression and script engines, ReDoS, archive entries (zip-slip), reflection.
func parserRules() []Rule {
	return nil
}
