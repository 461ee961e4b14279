package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// Imports of the samples of pythonCryptoRules.
const (
	pySSL    = "import ssl\nimport socket"
	pyOSSL   = "from OpenSSL import SSL"
	pyAsym   = "from cryptography.hazmat.primitives.asymmetric import rsa, dsa, dh, ec"
	pyCipher = "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes"
)

// pythonCryptoSamples are the samples of pythonCryptoRules (rules_python_crypto.go).
func pythonCryptoSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		"code/py-path-traversal-fs": {
			pos("a.py", pyReq("import shutil", "shutil.copy('/srv/files/' + x, '/tmp/out')\n")),
			pos("a.py", pyReq("import os", "return str(os.listdir(os.path.join('/srv/files', x)))\n")),
			neg("a.py", pyReq("import shutil", "shutil.copy('/srv/files/a.txt', '/tmp/out')\n")),
			// Checked to stay in the directory first.
			neg("a.py", pyReq("import os", "p = os.path.realpath(os.path.join('/srv/files', x))\nif os.path.commonpath([p, '/srv/files']) != '/srv/files':\n    abort(404)\nreturn str(os.listdir(p))\n")),
		},
		"code/py-path-traversal-pathlib": {
			pos("a.py", pyReq("import pathlib", "return (pathlib.Path('/srv/files') / x).read_text()\n")),
			pos("a.py", pyReq("from pathlib import Path", "Path('/srv/files', x).unlink()\n")),
			neg("a.py", pyReq("from pathlib import Path", "return Path('/srv/files', 'index.html').read_text()\n")),
			// Checked to stay in the directory.
			neg("a.py", pyReq("from pathlib import Path", "p = (Path('/srv/files') / x).resolve()\nif not p.is_relative_to('/srv/files'):\n    abort(404)\nreturn p.read_text()\n")),
			// An uploaded file's own stream is not a path.
			neg("a.py", pyReq("", "return request.files['f'].read()\n")),
		},
		"code/py-flask-view-returns-input": {
			pos("a.py", "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/hi')\ndef hi():\n    name = request.args.get('name', '')\n    return 'Hello ' + name\n"),
			pos("a.py", "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/hi', methods=['POST'])\ndef hi():\n    out = '<ul>'\n    out += request.form['item']\n    return out, 200\n"),
			neg("a.py", "from flask import Flask, request\nfrom markupsafe import escape\napp = Flask(__name__)\n\n@app.route('/hi')\ndef hi():\n    return 'Hello ' + escape(request.args.get('name', ''))\n"),
			neg("a.py", "from flask import Flask, request, jsonify\napp = Flask(__name__)\n\n@app.route('/hi')\ndef hi():\n    return jsonify(name=request.args.get('name'))\n"),
			// Headers given: the view may set its own content type.
			neg("a.py", "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/hi')\ndef hi():\n    return request.args['q'], 200, {'Content-Type': 'text/plain'}\n"),
			// FastAPI sends a returned str as JSON.
			neg("a.py", "from fastapi import FastAPI, Request\napp = FastAPI()\n\n@app.get('/hi')\ndef hi(name: str):\n    return 'Hello ' + name\n"),
			// A helper inside the view returns to the view, not to Flask.
			neg("a.py", "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/hi')\ndef hi():\n    def label(v):\n        return 'x' + v\n    return str(len(label(request.args['q'])))\n"),
		},
		"code/py-tls-old-protocol": {
			pos("a.py", pyFn(pySSL, "ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n")),
			pos("a.py", pyFn(pySSL, "ctx = ssl.SSLContext(protocol=ssl.PROTOCOL_SSLv3)\n")),
			pos("a.py", pyFn("from ssl import SSLContext, PROTOCOL_TLSv1_1", "ctx = SSLContext(PROTOCOL_TLSv1_1)\n")),
			pos("a.py", pyFn(pyOSSL, "ctx = SSL.Context(SSL.TLSv1_METHOD)\n")),
			neg("a.py", pyFn(pySSL, "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n")),
			neg("a.py", pyFn(pyOSSL, "ctx = SSL.Context(SSL.TLS_METHOD)\n")),
			// Another library's Context.
			neg("a.py", pyFn("import zmq", "ctx = zmq.Context(1)\n")),
		},
		"code/py-tls-old-protocol-wrap": {
			pos("a.py", pyFn(pySSL, "s = ssl.wrap_socket(socket.socket(), ssl_version=ssl.PROTOCOL_SSLv3, cert_reqs=ssl.CERT_REQUIRED, ca_certs='ca.pem')\n")),
			neg("a.py", pyFn(pySSL, "s = ssl.wrap_socket(socket.socket(), ssl_version=ssl.PROTOCOL_TLSv1_2, cert_reqs=ssl.CERT_REQUIRED, ca_certs='ca.pem')\n")),
		},
		"code/py-tls-old-protocol-minimum": {
			pos("a.py", pyFn(pySSL, "ctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1\n")),
			neg("a.py", pyFn(pySSL, "ctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2\n")),
		},
		"code/py-tls-old-protocol-min-call": {
			pos("a.py", pyFn(pyOSSL, "ctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_min_proto_version(SSL.TLS1_VERSION)\n")),
			neg("a.py", pyFn(pyOSSL, "ctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_min_proto_version(SSL.TLS1_2_VERSION)\n")),
		},
		"code/py-tls-wrap-socket-unverified": {
			pos("a.py", pyFn(pySSL, "s = ssl.wrap_socket(socket.create_connection((x, 443)))\n")),
			neg("a.py", pyFn(pySSL, "s = ssl.wrap_socket(socket.create_connection((x, 443)), cert_reqs=ssl.CERT_REQUIRED, ca_certs='ca.pem')\n")),
			neg("a.py", pyFn(pySSL, "s = ssl.wrap_socket(conn, server_side=True, certfile='c.pem', keyfile='k.pem')\n")),
			// A context's wrap_socket verifies as the context says.
			neg("a.py", pyFn(pySSL, "ctx = ssl.create_default_context()\ns = ctx.wrap_socket(socket.socket(), server_hostname=x)\n")),
		},
		"code/py-weak-key-size-rsa": {
			pos("a.py", pyFn(pyAsym, "k = rsa.generate_private_key(public_exponent=65537, key_size=1024)\n")),
			pos("a.py", pyFn(pyAsym, "k = rsa.generate_private_key(65537, 512)\n")),
			neg("a.py", pyFn(pyAsym, "k = rsa.generate_private_key(public_exponent=65537, key_size=2048)\n")),
		},
		"code/py-weak-key-size-dsa": {
			pos("a.py", pyFn(pyAsym, "k = dsa.generate_private_key(key_size=1024)\n")),
			neg("a.py", pyFn(pyAsym, "k = dsa.generate_private_key(key_size=3072)\n")),
		},
		"code/py-weak-key-size-dh": {
			pos("a.py", pyFn(pyAsym, "p = dh.generate_parameters(generator=2, key_size=512)\n")),
			neg("a.py", pyFn(pyAsym, "p = dh.generate_parameters(generator=2, key_size=2048)\n")),
		},
		"code/py-weak-key-size-pycryptodome": {
			pos("a.py", pyFn("from Crypto.PublicKey import RSA", "k = RSA.generate(1024)\n")),
			pos("a.py", pyFn("from Cryptodome.PublicKey import DSA", "k = DSA.generate(bits=1024)\n")),
			neg("a.py", pyFn("from Crypto.PublicKey import RSA", "k = RSA.generate(3072)\n")),
		},
		"code/py-weak-curve": {
			pos("a.py", pyFn(pyAsym, "k = ec.generate_private_key(ec.SECP192R1())\n")),
			pos("a.py", pyFn(pyAsym, "k = ec.generate_private_key(curve=ec.SECT163K1())\n")),
			neg("a.py", pyFn(pyAsym, "k = ec.generate_private_key(ec.SECP256R1())\n")),
		},
		"code/py-weak-curve-pycryptodome": {
			pos("a.py", pyFn("from Crypto.PublicKey import ECC", "k = ECC.generate(curve='P-192')\n")),
			neg("a.py", pyFn("from Crypto.PublicKey import ECC", "k = ECC.generate(curve='P-256')\n")),
		},
		"code/py-weak-cipher-3des": {
			pos("a.py", pyFn(pyCipher, "c = Cipher(algorithms.TripleDES(x), modes.CBC(iv))\n")),
			pos("a.py", pyFn("from Crypto.Cipher import DES3", "c = DES3.new(x, DES3.MODE_CBC)\n")),
			neg("a.py", pyFn(pyCipher, "c = Cipher(algorithms.AES(x), modes.GCM(iv))\n")),
		},
		"code/py-cipher-ecb-mode": {
			pos("a.py", pyFn("from Crypto.Cipher import AES", "c = AES.new(x, AES.MODE_ECB)\n")),
			pos("a.py", pyFn("from Cryptodome.Cipher import AES", "c = AES.new(x, mode=AES.MODE_ECB)\n")),
			neg("a.py", pyFn("from Crypto.Cipher import AES", "c = AES.new(x, AES.MODE_GCM)\n")),
		},
	}
}
