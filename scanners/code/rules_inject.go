package code

// injectionRules are the rules on injection classes beyond SQL and commands: NoSQL, LDAP, XPath, response headers, redirects, logs.
func injectionRules() []Rule {
	return nil
}
