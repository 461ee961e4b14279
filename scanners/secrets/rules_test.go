package secrets_test

import (
	"encoding/base64"
	"strings"
	"testing"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

const rsaBody = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6Z1pPNLvW4mDwq0fUQtWgFBPZ\nQb0mHZi9mXHnDhBGe6AYzoLrGHT0EMXlbU3vSdYiJ1PzCn4D1rmGcQ3Pi3vdDGtk\n"

// TestOwnRules runs every rule shiftward adds to gitleaks' set on its
// true-positive and false-positive samples: each TP must be reported by
// that rule, each FP must not.
//
// Where several rules match one secret only the most specific is reported
// (see TestOneFindingPerSecret), so TP samples avoid values a gitleaks
// rule would claim first.
func TestOwnRules(t *testing.T) {
	tests := []struct {
		rule, path, text string
		want             bool
	}{
		// password-assignment
		{"password-assignment", "db.go", `	password := "s3cr3t-Pa55"`, true},
		{"password-assignment", "settings.py", `DB_PASSWORD = 'hunter2!x'`, true},
		{"password-assignment", "config.json", `  "password": "Prl23Db#@",`, true},
		{"password-assignment", "app.xml", `<connection host="db" password="Xk9#mm2q"/>`, true},
		{"password-assignment", "build.gradle", `password = "cackle!"`, true},
		{"password-assignment", "db.php", `$db_pass = "kL9!vv22";`, true},
		{"password-assignment", "client.py", `        self.pw = "aB3$zz81"`, true},
		{"password-assignment", "db.go", `	password := os.Getenv("DB_PASSWORD")`, false},
		{"password-assignment", "app.yaml", `password: "${DB_PASSWORD}"`, false},
		{"password-assignment", "app.yaml", `password: "<your-password-here>"`, false},
		{"password-assignment", "app.py", `password = "changeme"`, false},
		{"password-assignment", "app.py", `password = "%(db_password)s"`, false},
		{"password-assignment", "app.py", `PASSWORD = "xxxxxxxx"`, false},
		{"password-assignment", "app.py", `password = "abc"`, false},
		{"password-assignment", "nav.js", `const compass = "north-west";`, false},
		{"password-assignment", "user.rb", `password_hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"`, false},
		{"password-assignment", "tpl.go", `	Password: "{{ .Values.password }}",`, false},
		{"password-assignment", "sched.go", `	if f.pass.name == "nilcheckelim" {`, false},
		{"password-assignment", "t_test.go", `const password = "@/?!"`, false},
		{"password-assignment", "gen.go", `	encodeUserPassword: "encodeUserPassword",`, false},

		// password-in-config
		{"password-in-config", ".env", `DB_PASSWORD=Xk9#mm2q!`, true},
		{"password-in-config", "config.ini", `password = hunter2x9`, true},
		{"password-in-config", "docker-compose.yml", `      POSTGRES_PASSWORD: s3cretPa55`, true},
		{"password-in-config", "notes.txt", `ssh admin@10.0.0.5 pw:IhqSb1Gg`, true},
		{"password-in-config", ".env", `DB_PASSWORD=${VAULT_DB_PASSWORD}`, false},
		{"password-in-config", "app.yaml", `password: required`, false},
		{"password-in-config", "main.go", `	password = cfg.Password1`, false},
		{"password-in-config", "README.md", `password: your_password_here`, false},
		{"password-in-config", "vars.yml", `password: !vault |`, false},
		{"password-in-config", "settings.ini", `password_length = 12345`, false},
		{"password-in-config", "passwd.txt", `pwdump=n0NeKreD`, false},
		{"password-in-config", "power.cfg", `PWR_MGM: N0tThePSw45f!!!`, false},

		// cli-credential-flag
		{"cli-credential-flag", "run.sh", `mysql -u root --password=Sne3sd8AZjq mydb`, true},
		{"cli-credential-flag", "deploy.sh", `gpg --batch --passphrase N1DdkUD3E73 -d secrets.gpg`, true},
		{"cli-credential-flag", "ci.ps1", `Connect-Server -Domain 'localhost' -Password 'Sjdn43ss@!'`, true},
		{"cli-credential-flag", "call.sh", `curl --oauth2-bearer eZs2fjkjD8hUcsQ37b8zHig== https://api.example.org`, true},
		{"cli-credential-flag", "run.sh", `mysql --password=$DB_PASSWORD`, false},
		{"cli-credential-flag", "run.sh", `docker login --password-stdin`, false},
		{"cli-credential-flag", "run.sh", `gh auth login --token "${GITHUB_TOKEN}"`, false},
		{"cli-credential-flag", "run.sh", `vault login --token prompt`, false},

		// secret-assignment
		// Values of entropy 3.0-3.5: gitleaks' generic-api-key (3.5)
		// lets them through, which is the gap this rule fills.
		{"secret-assignment", "app.py", `api_key = "9f8e9f8e7d6c7d6c5b5b"`, true},
		{"secret-assignment", "app.yaml", `client_secret: 9f8e9f8e7d6c7d6c5b5b`, true},
		{"secret-assignment", "auth.ts", `const authToken = "Zk29Zk29fLmnfLmn38Z";`, true},
		{"secret-assignment", "app.py", `api_key = get_key("primary")`, false},
		{"secret-assignment", "app.py", `token = "TOKEN_PLACEHOLDER"`, false},
		{"secret-assignment", "deploy.yaml", `      secretName: my-app-secret-v1`, false},
		{"secret-assignment", "app.py", `token = self.session.token`, false},
		{"secret-assignment", "main.go", `	token := tokenSource1`, false},
		{"secret-assignment", "app.py", `api_key = "1111111111"`, false},
		{"secret-assignment", "ecdh_test.go", `	PublicKey: "04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230",`, false},
		{"secret-assignment", "gen.go", `	"decapsulationKeySize768": "decapsulationKeySize1024",`, false},

		// connection-string-password
		{"connection-string-password", ".env", `DATABASE_URL=postgres://app:Zq8!xp2Lw@db.internal:5432/app`, true},
		{"connection-string-password", "db.js", `const uri = "mongodb+srv://admin:hunter22@cluster0.ab1cd.mongodb.net/prod";`, true},
		{"connection-string-password", "app.yml", `broker: amqp://guest:s3cr3tQ@rabbit:5672/`, true},
		{"connection-string-password", "README.md", `postgres://user:password@localhost/db`, false},
		{"connection-string-password", "app.yml", `url: postgres://${DB_USER}:${DB_PASS}@db/app`, false},
		{"connection-string-password", "README.md", `http://user:<password>@host/path`, false},
		{"connection-string-password", "go.mod", `// see https://github.com/org/repo`, false},
		{"connection-string-password", "proxy_test.go", `	"http://foo:bar@bar.com",`, false},

		// xml-password
		{"xml-password", "settings.xml", `<password>Xk9#mm2qz</password>`, true},
		{"xml-password", "web.config", `<add key="Db.Password" value="Tr0ub4dor3"/>`, true},
		{"xml-password", "settings.xml", `<password>${env.MAVEN_PASSWORD}</password>`, false},
		{"xml-password", "web.config", `<add key="PasswordPolicy" value="strong"/>`, false},

		// private-key-base64
		{"private-key-base64", "secret.yaml", "  tls.key: " + b64("-----BEGIN RSA PRIVATE KEY-----\n"+rsaBody+"-----END RSA PRIVATE KEY-----\n"), true},
		{"private-key-base64", "secret.yaml", "  tls.crt: " + b64("-----BEGIN CERTIFICATE-----\n"+rsaBody+"-----END CERTIFICATE-----\n"), false},
		{"private-key-base64", "secret.yaml", "  tls.key: " + b64("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"+rsaBody+"-----END ENCRYPTED PRIVATE KEY-----\n"), false},
		{"private-key-base64", "secret.yaml", "  key.pub: " + b64("-----BEGIN PUBLIC KEY-----\n"+rsaBody+"-----END PUBLIC KEY-----\n"), false},

		// aws-secret-access-key
		{"aws-secret-access-key", "credentials", `aws_secret_access_key = q8Zl3Vt0Ykd/K7MdNG/bPxRfiCY9mQ2wLp4Xs1Hv`, true},
		{"aws-secret-access-key", "config.py", `AWS_SECRET = "q8Zl3Vt0Ykd/K7MdNG/bPxRfiCY9mQ2wLp4Xs1Hv"`, true},
		{"aws-secret-access-key", "credentials", `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, false},
		{"aws-secret-access-key", ".env", `AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}`, false},
		{"aws-secret-access-key", ".env", `AWS_SECRET_ACCESS_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`, false},

		// private-key: shiftward's allowlist for encrypted keys
		{"private-key", "id_rsa", "-----BEGIN RSA PRIVATE KEY-----\n" + rsaBody + "-----END RSA PRIVATE KEY-----", true},
		{"private-key", "id_rsa", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + rsaBody + "-----END ENCRYPTED PRIVATE KEY-----", false},
		{"private-key", "id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,0421B854034C0260\n\n" + rsaBody + "-----END RSA PRIVATE KEY-----", false},
	}
	s := newScanner(t)
	for _, tc := range tests {
		name := tc.rule + "/" + map[bool]string{true: "tp", false: "fp"}[tc.want] + "/" + tc.path
		t.Run(name, func(t *testing.T) {
			var got []string
			hit := false
			for _, f := range scan(t, s, textInput(tc.path, tc.text)) {
				got = append(got, f.RuleID)
				if f.RuleID == "secrets/"+tc.rule {
					hit = true
				}
			}
			if hit != tc.want {
				t.Errorf("rule %s on %q: reported %v, want %v (all findings: %s)", tc.rule, trunc(tc.text, 120), hit, tc.want, strings.Join(got, ", "))
			}
		})
	}
}
