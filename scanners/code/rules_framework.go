package code

// frameworkRules are the rules on framework configuration: debug modes, allowed hosts, CSRF, template autoescaping, cookies, session secrets, mass assignment.
func frameworkRules() []Rule {
	return nil
}
