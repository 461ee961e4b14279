package code

// pythonCryptoRules are Python rules on protocol versions and key sizes:
// SSL and TLS 1.0/1.1 asked for by the standard library's ssl module or
// pyOpenSSL, ssl.wrap_socket's unverified default, RSA/DSA/DH keys under
// 2048 bits and elliptic curves under 224 bits from cryptography and
// PyCryptodome, and the ciphers and modes the older rule left out (3DES,
// PyCryptodome's ECB mode).
func pythonCryptoRules() []Rule {
	const (
		whyOldTLS = "{call} asks for SSL or TLS 1.0/1.1, protocol versions with known attacks (POODLE, BEAST) that RFC 8996 deprecates. " +
			"Use ssl.create_default_context() (or ssl.PROTOCOL_TLS_CLIENT / PROTOCOL_TLS_SERVER), which negotiates TLS 1.2 or later."
		whyOldTLSMin = "{call} lets connections fall back to SSL or TLS 1.0/1.1, protocol versions with known attacks that RFC 8996 deprecates. " +
			"Set minimum_version to ssl.TLSVersion.TLSv1_2 or later."
		whyWrapSocket = "{call} makes a TLS client socket that does not check the server's certificate unless cert_reqs=ssl.CERT_REQUIRED and " +
			"ca_certs are passed (its defaults are CERT_NONE and, before Python 3.10, TLS 1.0): anyone on the network path can read and change " +
			"the traffic. It was deprecated in Python 3.7 and removed in 3.12: use ssl.create_default_context().wrap_socket(sock, server_hostname=host)."
		whyShortKey = "{call} makes RSA, DSA or Diffie-Hellman keys shorter than 2048 bits: such keys are within reach of factoring or discrete-log " +
			"computation. Use 2048 bits or more (3072 for keys that must last)."
		whyShortCurve = "{call} names an elliptic curve under 224 bits: keys on it are within reach of discrete-log computation. Use SECP256R1 (P-256) " +
			"or a larger curve, or X25519/Ed25519."
	)
	refOldTLS := []string{"CWE-327", "https://datatracker.ietf.org/doc/html/rfc8996", "https://docs.python.org/3/library/ssl.html#security-considerations"}
	refShortKey := []string{"CWE-326", "https://www.keylength.com/", "https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/#generation"}
	// The protocol constants of ssl and pyOpenSSL that name SSL 2/3 or
	// TLS 1.0/1.1 alone (PROTOCOL_TLS / SSLv23_METHOD negotiate).
	oldProtocols := []string{"ssl.PROTOCOL_SSLv2", "ssl.PROTOCOL_SSLv3", "ssl.PROTOCOL_TLSv1", "ssl.PROTOCOL_TLSv1_1",
		"OpenSSL.SSL.SSLv2_METHOD", "OpenSSL.SSL.SSLv3_METHOD", "OpenSSL.SSL.TLSv1_METHOD", "OpenSSL.SSL.TLSv1_1_METHOD",
		"SSL.SSLv2_METHOD", "SSL.SSLv3_METHOD", "SSL.TLSv1_METHOD", "SSL.TLSv1_1_METHOD"}
	oldVersions := []string{"ssl.TLSVersion.SSLv3", "ssl.TLSVersion.TLSv1", "ssl.TLSVersion.TLSv1_1", "ssl.TLSVersion.MINIMUM_SUPPORTED",
		"TLSVersion.SSLv3", "TLSVersion.TLSv1", "TLSVersion.TLSv1_1", "TLSVersion.MINIMUM_SUPPORTED",
		"OpenSSL.SSL.SSL3_VERSION", "OpenSSL.SSL.TLS1_VERSION", "OpenSSL.SSL.TLS1_1_VERSION",
		"SSL.SSL3_VERSION", "SSL.TLS1_VERSION", "SSL.TLS1_1_VERSION"}
	shortBits := []string{"256", "384", "512", "768", "1000", "1024", "1280", "1536", "1792", "2000"}
	rsaGen := []string{"cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key"}
	dsaGen := []string{"cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key",
		"cryptography.hazmat.primitives.asymmetric.dsa.generate_parameters"}
	pycaGen := []string{"Crypto.PublicKey.RSA.generate", "Crypto.PublicKey.DSA.generate", "Cryptodome.PublicKey.RSA.generate",
		"Cryptodome.PublicKey.DSA.generate", "Crypto.PublicKey.ElGamal.generate", "Cryptodome.PublicKey.ElGamal.generate"}
	weakCurves := []string{"SECP192R1", "SECT163K1", "SECT163R2"}
	var curveNames []string
	for _, c := range weakCurves {
		curveNames = append(curveNames, "cryptography.hazmat.primitives.asymmetric.ec."+c)
	}
	return []Rule{
		{ID: "py-tls-old-protocol", Family: "tls", Languages: py, Severity: medium,
			Title: "Obsolete TLS/SSL protocol version", Why: whyOldTLS, References: refOldTLS,
			Match: Match{Names: []string{"ssl.SSLContext", "OpenSSL.SSL.Context"}, Arg: 0, Keyword: "protocol", When: "qual", Equals: oldProtocols}},
		{ID: "py-tls-old-protocol-wrap", Family: "tls", Languages: py, Severity: medium,
			Title: "Obsolete TLS/SSL protocol version", Why: whyOldTLS, References: refOldTLS,
			// ssl.wrap_socket(sock, keyfile, certfile, server_side, cert_reqs, ssl_version, ...)
			Match: Match{Names: []string{"ssl.wrap_socket", "*.wrap_socket"}, Arg: 5, Keyword: "ssl_version", When: "qual", Equals: oldProtocols}},
		{ID: "py-tls-old-protocol-minimum", Family: "tls", Languages: py, Severity: medium,
			Title: "Obsolete TLS/SSL protocol version", Why: whyOldTLSMin, References: refOldTLS,
			Match: Match{Kind: "assign", Names: []string{"minimum_version"}, Arg: none, When: "qual", Equals: oldVersions}},
		{ID: "py-tls-old-protocol-min-call", Family: "tls", Languages: py, Severity: medium,
			Title: "Obsolete TLS/SSL protocol version", Why: whyOldTLSMin, References: refOldTLS,
			// pyOpenSSL: ctx.set_min_proto_version(SSL.TLS1_VERSION)
			Match: Match{Names: []string{"*.set_min_proto_version"}, Arg: 0, When: "qual", Equals: oldVersions}},
		{ID: "py-tls-wrap-socket-unverified", Family: "tls", Languages: py, Severity: medium,
			Title: "TLS certificate verification disabled", Why: whyWrapSocket, References: refTLS,
			// Only the module function: SSLContext.wrap_socket verifies as
			// its context says. A server socket does not verify clients by
			// default, which is normal.
			Match: Match{Names: []string{"ssl.wrap_socket"}, Arg: 4, Keyword: "cert_reqs", When: "absent",
				Unless: map[string][]string{"server_side": {"True"}, "#3": {"True"}}}},
		{ID: "py-weak-key-size-rsa", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Key too short", Why: whyShortKey, References: refShortKey,
			// rsa.generate_private_key(public_exponent, key_size, backend=None)
			Match: Match{Names: rsaGen, Arg: 1, Keyword: "key_size", When: "literal", Equals: shortBits}},
		{ID: "py-weak-key-size-dsa", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Key too short", Why: whyShortKey, References: refShortKey,
			Match: Match{Names: dsaGen, Arg: 0, Keyword: "key_size", When: "literal", Equals: shortBits}},
		{ID: "py-weak-key-size-dh", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Key too short", Why: whyShortKey, References: refShortKey,
			// dh.generate_parameters(generator, key_size, backend=None)
			Match: Match{Names: []string{"cryptography.hazmat.primitives.asymmetric.dh.generate_parameters"}, Arg: 1, Keyword: "key_size",
				When: "literal", Equals: shortBits}},
		{ID: "py-weak-key-size-pycryptodome", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Key too short", Why: whyShortKey, References: refShortKey,
			Match: Match{Names: pycaGen, Arg: 0, Keyword: "bits", When: "literal", Equals: shortBits}},
		{ID: "py-weak-curve", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Key too short", Why: whyShortCurve, References: refShortKey,
			Match: Match{Names: curveNames, Arg: none, When: "any"}},
		{ID: "py-weak-curve-pycryptodome", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Key too short", Why: whyShortCurve, References: refShortKey,
			Match: Match{Names: []string{"Crypto.PublicKey.ECC.generate", "Cryptodome.PublicKey.ECC.generate"}, Arg: none, Keyword: "curve",
				When: "matches", Pattern: `(?i)^((nist )?p-?192|prime192v1|secp192r1)$`}},
		{ID: "py-weak-cipher-3des", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			// 64-bit blocks: Sweet32 recovers plaintext after a few GB
			// under one key; NIST disallows it for encryption after 2023.
			Match: Match{Names: []string{"Crypto.Cipher.DES3.new", "Cryptodome.Cipher.DES3.new", "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
				"pyDes.triple_des", "pyDes.des"}, Arg: none, When: "any"}},
		{ID: "py-cipher-ecb-mode", Family: "weak-crypto", Languages: py, Severity: medium,
			Title: "Broken cipher", Why: whyCipher, References: refCipher,
			// AES.new(key, AES.MODE_ECB): equal blocks encrypt alike.
			Match: Match{Names: []string{"Crypto.Cipher.*.new", "Cryptodome.Cipher.*.new"}, Arg: 1, Keyword: "mode", When: "qual",
				Equals: []string{"Crypto.Cipher.*.MODE_ECB", "Cryptodome.Cipher.*.MODE_ECB", "*.MODE_ECB"}}},
	}
}
