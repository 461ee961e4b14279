package code

// weakRandomRules follow a predictable random value (value.weakRand) to
// where it becomes a secret: a cookie, a session attribute, or a variable
// named like a token, password or key. The rules of each language on the
// generator's own call (py-weak-random...) see only its direct result.
func weakRandomRules() []Rule {
	const whyFlow = "{call} makes a secret (a token, key, password or cookie) from a predictable random generator (Math.random, " +
		"java.util.Random, Python's random): its output follows from a seed an attacker can recover from a few values, so the " +
		"secret can be guessed. Use the cryptographic generator (SecureRandom, secrets, crypto.randomBytes / crypto.randomUUID)."
	langs := []string{"python", "javascript", "typescript", "java"}
	return []Rule{
		{ID: "weak-random-secret", Family: "weak-random", Languages: langs, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyFlow, References: refRand,
			// str(random.random()), Double.toString(value).substring(2):
			// any call on the way from the generator into a variable named
			// like a secret.
			Match: Match{Names: []string{"*"}, Arg: none, AnyArg: true, When: "weakrand", Target: tokenTargets}},
		{ID: "weak-random-secret-method", Family: "weak-random", Languages: langs, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyFlow, References: refRand,
			// r.toString(36).slice(2): a method called on the value.
			Match: Match{Names: []string{"*"}, Arg: receiver, When: "weakrand", Target: tokenTargets}},
		{ID: "weak-random-secret-copy", Family: "weak-random", Languages: langs, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyFlow, References: refRand,
			// password = "p" + n, secret = pw: a copy or an operator,
			// no call on the line (walk.go randomCopy).
			Match: Match{Kind: "assign", Names: []string{"*"}, In: []string{"="}, Arg: none, When: "weakrand", Target: tokenTargets}},
		{ID: "weak-random-cookie", Family: "weak-random", Languages: langs, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyFlow, References: refRand,
			// A cookie's value made from it: a remember-me or session
			// cookie someone can forge.
			Match: Match{Names: []string{"javax.servlet.http.Cookie", "jakarta.servlet.http.Cookie", "Cookie", "*ResponseCookie.from",
				"*.set_cookie", "*.set_signed_cookie", "res.cookie", "response.cookie", "*.res.cookie", "ctx.cookies.set", "*.setCookie"},
				Arg: 1, Keyword: "value", When: "weakrand"}},
		{ID: "weak-random-session", Family: "weak-random", Languages: []string{"java"}, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyFlow, References: refRand,
			Match: Match{Names: []string{"*getSession().setAttribute", "*getSession(true).setAttribute", "*session.setAttribute",
				"*Session.setAttribute"}, Arg: 1, When: "weakrand"}},
		{ID: "weak-random-session-store", Family: "weak-random", Languages: langs, Severity: medium,
			Title: "Predictable randomness for a secret", Why: whyFlow, References: refRand,
			// session['otp'] = ..., req.session.token = ...: a value the
			// session keeps to check the user's next request against.
			Match: Match{Kind: "assign", Names: []string{"*"}, In: []string{"flask.session", "session", "*.session"}, Arg: none, When: "weakrand"}},
	}
}
