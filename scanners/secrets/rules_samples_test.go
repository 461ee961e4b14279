package secrets_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/scannertest"
	"github.com/shiftward/shiftward/scanners/secrets"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

const rsaBody = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6Z1pPNLvW4mDwq0fUQtWgFBPZ\nQb0mHZi9mXHnDhBGe6AYzoLrGHT0EMXlbU3vSdYiJ1PzCn4D1rmGcQ3Pi3vdDGtk\n"

// ownSamples are the true- and false-positive samples of the rules
// shiftward adds to gitleaks' set (shiftward.toml) and of its changes to
// gitleaks' private-key rule, written for shiftward. Where several rules
// match one secret only the most specific is reported (see
// TestOneFindingPerSecret), so true positives avoid values a gitleaks rule
// would claim first.
var ownSamples = map[string][]scannertest.Sample{
	"secrets/password-assignment": {
		{Path: "db.go", Content: `	password := "s3cr3t-Pa55"`, Hit: true},
		{Path: "settings.py", Content: `DB_PASSWORD = 'hunter2!x'`, Hit: true},
		{Path: "config.json", Content: `  "password": "Prl23Db#@",`, Hit: true},
		{Path: "app.xml", Content: `<connection host="db" password="Xk9#mm2q"/>`, Hit: true},
		{Path: "build.gradle", Content: `password = "cackle!"`, Hit: true},
		{Path: "db.php", Content: `$db_pass = "kL9!vv22";`, Hit: true},
		{Path: "client.py", Content: `        self.pw = "aB3$zz81"`, Hit: true},
		// Typed vals and properties (Scala, Kotlin, TypeScript).
		{Path: "Db.scala", Content: `  val dbPassword: String = "Xk9#mm2qz"`, Hit: true},
		{Path: "db.ts", Content: `  private readonly pswd: string = "Lq7!pw3Z"`, Hit: true},
		// JSON escaped inside a string (a config embedded in JSON or code).
		{Path: "payload.json", Content: `{"config": "{\"password\": \"Xk9#mm2qz\"}"}`, Hit: true},
		{Path: "Db.scala", Content: `  val password: String = sys.env("DB_PASSWORD")`, Hit: false},
		{Path: "payload.json", Content: `{"config": "{\"password\": \"${DB_PASSWORD}\"}"}`, Hit: false},
		{Path: "db.go", Content: `	password := os.Getenv("DB_PASSWORD")`, Hit: false},
		{Path: "app.yaml", Content: `password: "${DB_PASSWORD}"`, Hit: false},
		{Path: "app.yaml", Content: `password: "<your-password-here>"`, Hit: false},
		{Path: "app.py", Content: `password = "changeme"`, Hit: false},
		{Path: "app.py", Content: `password = "%(db_password)s"`, Hit: false},
		{Path: "app.py", Content: `PASSWORD = "xxxxxxxx"`, Hit: false},
		{Path: "app.py", Content: `password = "abc"`, Hit: false},
		{Path: "nav.js", Content: `const compass = "north-west";`, Hit: false},
		{Path: "user.rb", Content: `password_hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"`, Hit: false},
		{Path: "tpl.go", Content: `	Password: "{{ .Values.password }}",`, Hit: false},
		{Path: "sched.go", Content: `	if f.pass.name == "nilcheckelim" {`, Hit: false},
		{Path: "t_test.go", Content: `const password = "@/?!"`, Hit: false},
		{Path: "gen.go", Content: `	encodeUserPassword: "encodeUserPassword",`, Hit: false},
	},
	"secrets/password-in-config": {
		{Path: ".env", Content: `DB_PASSWORD=Xk9#mm2q!`, Hit: true},
		{Path: "config.ini", Content: `password = hunter2x9`, Hit: true},
		{Path: "docker-compose.yml", Content: `      POSTGRES_PASSWORD: s3cretPa55`, Hit: true},
		{Path: "notes.txt", Content: `ssh admin@10.0.0.5 pw:IhqSb1Gg`, Hit: true},
		{Path: "app.yml", Content: `  pswd: Lq7pw3Zx`, Hit: true},
		{Path: "app.yml", Content: `  pswd: ${PSWD}`, Hit: false},
		{Path: ".env", Content: `DB_PASSWORD=${VAULT_DB_PASSWORD}`, Hit: false},
		{Path: "app.yaml", Content: `password: required`, Hit: false},
		{Path: "main.go", Content: `	password = cfg.Password1`, Hit: false},
		{Path: "README.md", Content: `password: your_password_here`, Hit: false},
		{Path: "vars.yml", Content: `password: !vault |`, Hit: false},
		{Path: "template.yaml", Content: `      MasterUserPassword: !Ref DBPassword`, Hit: false},
		{Path: "template.yaml", Content: `      Password: !GetAtt Secret.Value`, Hit: false},
		{Path: "settings.ini", Content: `password_length = 12345`, Hit: false},
		{Path: "passwd.txt", Content: `pwdump=n0NeKreD`, Hit: false},
		{Path: "power.cfg", Content: `PWR_MGM: N0tThePSw45f!!!`, Hit: false},
	},
	"secrets/cli-credential-flag": {
		{Path: "run.sh", Content: `mysql -u root --password=Sne3sd8AZjq mydb`, Hit: true},
		{Path: "deploy.sh", Content: `gpg --batch --passphrase N1DdkUD3E73 -d secrets.gpg`, Hit: true},
		{Path: "ci.ps1", Content: `Connect-Server -Domain 'localhost' -Password 'Sjdn43ss@!'`, Hit: true},
		{Path: "call.sh", Content: `curl --oauth2-bearer eZs2fjkjD8hUcsQ37b8zHig== https://api.example.org`, Hit: true},
		{Path: "run.sh", Content: `mysql --password=$DB_PASSWORD`, Hit: false},
		{Path: "run.sh", Content: `docker login --password-stdin`, Hit: false},
		{Path: "run.sh", Content: `gh auth login --token "${GITHUB_TOKEN}"`, Hit: false},
		{Path: "run.sh", Content: `vault login --token prompt`, Hit: false},
	},
	"secrets/generic-api-key": {
		{Path: "sarif.go", Content: `const FingerprintKey = "shiftward/v1"`, Hit: false},
		{Path: "client.py", Content: `api_key_path = "api/v2/users/keys"`, Hit: false},
		{Path: "client.py", Content: `api_key = "xk7Qm2/Rz9Lp4Wv8Tn"`, Hit: true},
		{Path: "client.go", Content: `apiKey := "shiftward/v1Xq7Zr2Mk9Pw"`, Hit: true},
	},
	// Values of entropy 3.0-3.5: gitleaks' generic-api-key (3.5) lets
	// them through, which is the gap this rule fills.
	"secrets/secret-assignment": {
		{Path: "sarif.go", Content: `const FingerprintKey = "shiftward/v1"`, Hit: false},
		{Path: "auth.ts", Content: `const authToken = "Zk29Zk29/fLmnfLmn38Z";`, Hit: true},
		{Path: "app.py", Content: `api_key = "9f8e9f8e7d6c7d6c5b5b"`, Hit: true},
		{Path: "app.yaml", Content: `client_secret: 9f8e9f8e7d6c7d6c5b5b`, Hit: true},
		{Path: "NOTES.md", Content: "- TLS: `rejectUnauthorized: 0/null/undefined` turn verification off", Hit: false},
		{Path: "auth.ts", Content: `const authToken = "Zk29Zk29fLmnfLmn38Z";`, Hit: true},
		{Path: "app.py", Content: `api_key = get_key("primary")`, Hit: false},
		{Path: "app.py", Content: `token = "TOKEN_PLACEHOLDER"`, Hit: false},
		{Path: "deploy.yaml", Content: `      secretName: my-app-secret-v1`, Hit: false},
		{Path: "app.py", Content: `token = self.session.token`, Hit: false},
		{Path: "main.go", Content: `	token := tokenSource1`, Hit: false},
		{Path: "app.py", Content: `api_key = "1111111111"`, Hit: false},
		{Path: "ecdh_test.go", Content: `	PublicKey: "04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230",`, Hit: false},
		// Names of metadata about a credential, and keys that are not
		// credentials: the value is an id, a name or a database key.
		{Path: "Jenkinsfile", Content: `credentialsId: 'a3f1c9e2-7b4d-4e8a-9c2f-1d6b8e4a7c3f'`, Hit: false},
		{Path: "main.tf", Content: `  kms_key_id = "c9e2a3f1-4d7b-8a4e-2f9c-a7c31d6b8e4a"`, Hit: false},
		{Path: "app.py", Content: `DB_SECRET_NAME = "prod-db-7f3a9c"`, Hit: false},
		{Path: "models.py", Content: `foreignKey = "fk_Zk29fLmn38Zq"`, Hit: false},
		{Path: "form.html", Content: `csrf_token = "Zk29Zk29fLmnfLmn38Zq9w"`, Hit: false},
		{Path: "client_test.go", Content: `	nonMatchingToken := "z8k29fLmnq38w"`, Hit: false},
		{Path: "app.env", Content: `APP_KEY_PAIR=Zk29Zk29fLmnfLmn38Zq`, Hit: false},
		{Path: "client.py", Content: `auth_query = "client_id=app1&scope=read&state=9f8e7d6c5b"`, Hit: false},
		{Path: "client.py", Content: `token_expr = "newToken(4096)"`, Hit: false},
		// The same values under a credential's own name are reported.
		{Path: "app.env", Content: `APP_SECRET_KEY=Zk29Zk29fLmnfLmn38Zq`, Hit: true},
		{Path: "gen.go", Content: `	"decapsulationKeySize768": "decapsulationKeySize1024",`, Hit: false},
	},
	"secrets/connection-string-password": {
		{Path: ".env", Content: `DATABASE_URL=postgres://app:Zq8!xp2Lw@db.internal:5432/app`, Hit: true},
		{Path: "db.js", Content: `const uri = "mongodb+srv://admin:hunter22@cluster0.ab1cd.mongodb.net/prod";`, Hit: true},
		{Path: "app.yml", Content: `broker: amqp://guest:s3cr3tQ@rabbit:5672/`, Hit: true},
		{Path: "cache.py", Content: `REDIS_URL = "redis://:Lq7pw3Zx@cache:6379/0"`, Hit: true},
		{Path: "cache.py", Content: `REDIS_URL = "redis://:${REDIS_PASSWORD}@cache:6379/0"`, Hit: false},
		{Path: "README.md", Content: `postgres://user:password@localhost/db`, Hit: false},
		{Path: "app.yml", Content: `url: postgres://${DB_USER}:${DB_PASS}@db/app`, Hit: false},
		{Path: "README.md", Content: `http://user:<password>@host/path`, Hit: false},
		{Path: "go.mod", Content: `// see https://github.com/org/repo`, Hit: false},
		{Path: "proxy_test.go", Content: `	"http://foo:bar@bar.com",`, Hit: false},
	},
	"secrets/xml-password": {
		{Path: "settings.xml", Content: `<password>Xk9#mm2qz</password>`, Hit: true},
		{Path: "web.config", Content: `<add key="Db.Password" value="Tr0ub4dor3"/>`, Hit: true},
		{Path: "settings.xml", Content: `<password>${env.MAVEN_PASSWORD}</password>`, Hit: false},
		{Path: "web.config", Content: `<add key="PasswordPolicy" value="strong"/>`, Hit: false},
		{Path: "users.xml", Content: `<password name="password">cackle!9</password>`, Hit: true},
		{Path: "users.xml", Content: `<password encrypted="false">Lq7pw3Zx</password>`, Hit: true},
		{Path: "app.csproj", Content: `  <UserSecretsId>79a3edd0-2092-40a2-a04d-dcb46d5ca9ed</UserSecretsId>`, Hit: false},
		{Path: "users.xml", Content: `<password name="password">${env.PASSWORD}</password>`, Hit: false},
	},
	"secrets/password-argument": {
		{Path: "auth.py", Content: `    if password == "Lq7!pw3Z":`, Hit: true},
		{Path: "auth.js", Content: `if (pwd !== 'Lq7pw3Zx') { deny(); }`, Hit: true},
		{Path: "db.py", Content: `PASSWORD = os.environ.get("DB_PASSWORD") or "at5G6zi!m"`, Hit: true},
		{Path: "db.py", Content: `password = os.getenv("DB_PASSWORD", "Lq7pw3Zx")`, Hit: true},
		{Path: "fetch.c", Content: `    curl_easy_setopt(curl, CURLOPT_PASSWORD, "KiASRCRiGFLPDiIdZZLBXaNz");`, Hit: true},
		{Path: "fetch.c", Content: `    curl_easy_setopt(curl, CURLOPT_PROXYUSERPWD, "user:NjWbc62SosW");`, Hit: true},
		{Path: "fetch.c", Content: `    curl_easy_setopt(curl, CURLOPT_PROXYPASSWORD, ")d!~ORI8ed7293eg@w8&()");`, Hit: true},
		{Path: "fetch.c", Content: `    curl_easy_setopt(curl, CURLOPT_PASSWORD, getpass("Password: "));`, Hit: false},
		{Path: "auth.py", Content: `    if password == "":`, Hit: false},
		{Path: "auth.py", Content: `    if password != confirm_password:`, Hit: false},
		{Path: "forms.py", Content: `    fields = ("username", "password", "email2")`, Hit: false},
		{Path: "forms.py", Content: `    fields = ("password", "password_confirmation")`, Hit: false},
		{Path: "db.py", Content: `password = os.getenv("DB_PASSWORD", "changeme")`, Hit: false},
		{Path: "ui.js", Content: `t("password", "Password:")`, Hit: false},
		{Path: "nav.js", Content: `if (compass == "nw23-x") {}`, Hit: false},
		// A table of strings across lines, the working directory's
		// variable, a user:password pair of words (Go's own tests).
		{Path: "pbkdf2_test.go", Content: "\t\t\"passwordPASSWORDpassword\",\n\t\t\"saltSALTsaltSALTsaltSALTsaltSALTsalt\",", Hit: false},
		{Path: "shim_test.go", Content: "\t\"ServerAuth-Enforced\":                    \"PASS\",\n\t\"ClientAuth-Enforced\": \"FAIL-9x\",", Hit: false},
		{Path: "os_test.go", Content: `	Setenv("PWD", "/tmp/work")`, Hit: false},
		{Path: "url_test.go", Content: `	{"user", "password", "user:password"},`, Hit: false},
		{Path: "rules.go", Content: `	names := []string{"*Passwd", "*PASSWD", "pwd", "*Pwd", "*PWD", "*passcode"}`, Hit: false},
		{Path: "setup.py", Content: `	PWD_DEFAULT = os.environ.get("ADMIN_PWD", "Lq7pw3Zx")`, Hit: true},
	},
	"secrets/netrc-password": {
		{Path: ".netrc", Content: "machine api.example.com login bob password Lq7pw3Zx", Hit: true},
		{Path: "home/bob/_netrc", Content: "machine api.example.com\n  login bob\n  password Lq7pw3Zx", Hit: true},
		{Path: ".netrc", Content: "machine api.example.com login bob password ${NETRC_PASSWORD}", Hit: false},
		{Path: "notes.txt", Content: "machine api.example.com login bob password Lq7pw3Zx", Hit: false},
	},
	"secrets/npmrc-password": {
		{Path: ".npmrc", Content: "//npm.example.com/:_password=WGs5bW0ycXo=", Hit: true},
		{Path: ".npmrc", Content: "_auth = Ym9iOkxxN3B3M1p4", Hit: true},
		{Path: ".npmrc", Content: "//npm.example.com/:_password=${NPM_PASSWORD}", Hit: false},
		{Path: "setup.py", Content: "use_auth = True", Hit: false},
	},
	"secrets/cli-login-password": {
		{Path: "run.sh", Content: `docker login -u bob -p Lq7pw3Zx registry.example.com`, Hit: true},
		{Path: "run.sh", Content: `mysqldump -u root -pLq7pw3Zx app > app.sql`, Hit: true},
		{Path: "run.sh", Content: `sshpass -p 'Lq7pw3Zx' ssh bob@host`, Hit: true},
		{Path: "README.md", Content: "Give it with mysql -pPASS, or sshpass -p WORD.", Hit: false},
		{Path: "run.sh", Content: `redis-cli -h cache -a Lq7pw3Zx ping`, Hit: true},
		{Path: "export.py", Content: `os.system("openssl pkcs12 -export -in c.pem -passout pass:Lq7pw3Zx -out c.p12")`, Hit: true},
		{Path: "run.sh", Content: `docker login -u bob -p "$REGISTRY_PASSWORD" registry.example.com`, Hit: false},
		{Path: "run.sh", Content: `docker run -p 8080:80 nginx && docker login`, Hit: false},
		{Path: "run.sh", Content: `mysql -u root -p mydb`, Hit: false},
		{Path: "run.sh", Content: `openssl rsa -in k.pem -passin env:KEY_PASS`, Hit: false},
	},
	"secrets/connection-string-key-password": {
		{Path: "Db.cs", Content: `var cs = "Data Source=db;Initial Catalog=app;User ID=sa;Pwd=Lq7pw3Zx;";`, Hit: true},
		{Path: "db.py", Content: `conn = "Server=db;Database=app;Uid=sa;Password=Lq7pw3Zx;"`, Hit: true},
		{Path: "Db.cs", Content: `var cs = $"Server=db;Database=app;User Id=sa;Password={password};";`, Hit: false},
		{Path: "docs.md", Content: `Set Password=<password>; in the connection string`, Hit: false},
		{Path: "query.sql", Content: "SELECT 1; password = 'x'", Hit: false},
	},
	"secrets/credential-macro": {
		{Path: "config.h", Content: `#define DB_PASSWORD "Xk9#mm2qz"`, Hit: true},
		{Path: "app.spec", Content: `%define token 4b9a6d8b4bc56fbfa1c638eb0c6cab37`, Hit: true},
		{Path: "app.spec", Content: "%define token 4b9a6d8b4bc56fbfa1c638eb0c6cab37\n%define name app", Hit: true},
		{Path: "config.h", Content: `#define PASSWORD_LENGTH 16`, Hit: false},
		{Path: "config.h", Content: `#define TOKEN_MAX_LEN (MAX_LEN + 1)`, Hit: false},
		{Path: "config.h", Content: `#define PASSWORD_PROMPT "Password: "`, Hit: false},
		{Path: "notes.md", Content: "We define password Lq7pw3Zx for the demo", Hit: false},
	},
	"secrets/pgpass-password": {
		{Path: ".pgpass", Content: "db.example.com:5432:app:bob:Lq7pw3Zx", Hit: true},
		{Path: "home/.pgpass", Content: "*:*:*:postgres:Lq7pw3Zx", Hit: true},
		{Path: ".pgpass", Content: "# hostname:port:database:username:password", Hit: false},
		{Path: "hosts.txt", Content: "db.example.com:5432:app:bob:Lq7pw3Zx", Hit: false},
	},
	"secrets/service-password": {
		{Path: ".env", Content: "MYSQLPASS=Lq7pw3Zx", Hit: true},
		{Path: "config.ini", Content: "smtppass = Lq7!pw3Z", Hit: true},
		{Path: "app.py", Content: `ROOTPW = "Lq7pw3Zx"`, Hit: true},
		{Path: ".env", Content: "MYSQLPASS=${MYSQL_PASSWORD}", Hit: false},
		{Path: "app.py", Content: `ROOTPW = rootpw_from_vault`, Hit: false},
		{Path: "render.cpp", Content: `shadowpass = Lq7pw3Zx;`, Hit: false},
		{Path: ".env", Content: "DBPASS=changeme", Hit: false},
	},
	// Tokens are assembled so the source holds nothing token-shaped.
	"secrets/ai-provider-api-key": {
		{Path: "notes.txt", Content: "llx-" + tokBody40, Hit: true},
		{Path: "app.py", Content: `XAI_KEY = "xai-` + tokBody40 + tokBody40 + `"`, Hit: true},
		{Path: "app.env", Content: "TOGETHER=tgp_v1_" + tokBody40, Hit: true},
		{Path: "notes.md", Content: "key: `sk-proj-" + tokBody40[:20] + "T3BlbkFJ" + tokBody40[20:] + "`", Hit: true},
		{Path: "notes.txt", Content: "llx-" + strings.Repeat("x", 44), Hit: false},
		{Path: "notes.txt", Content: "a.disk-proj-" + tokBody40 + "T3BlbkFJ" + tokBody40, Hit: false},
		{Path: "notes.txt", Content: "sk-ant-api03-abc123xyz-456def789ghij-klmnopqrstuvwx-3456yza789bcde-1234fghijklmnopby56aaaogaopaaaabc123xyzBB", Hit: false},
	},
	"secrets/platform-api-token": {
		{Path: "notes.txt", Content: "cfut_" + tokBody40, Hit: true},
		{Path: "figma.env", Content: "FIGMA=figd_" + tokBody40, Hit: true},
		{Path: "stripe.yml", Content: "webhook: whsec_" + tokBody40[:32], Hit: true},
		{Path: "notes.txt", Content: "HRKU-f1274537-88fb-4e1a-beda-453bd9a496ef", Hit: true},
		{Path: "stripe.yml", Content: "webhook: whsec_" + strings.Repeat("x", 32), Hit: false},
		{Path: "stripe.yml", Content: "webhook: whsec_12345678901234567890123456789012", Hit: false},
		{Path: "notes.txt", Content: "figd_" + strings.Repeat("ab", 20), Hit: false},
	},
	"secrets/django-secret-key": {
		{Path: "mysite/settings.py", Content: `SECRET_KEY = 'k#9$@w^)q&z(3x!v+_m2p8r*t%y7n0e-b5c)l1j4h6g=f'`, Hit: true},
		{Path: "mysite/settings.py", Content: `SECRET_KEY = "django-insecure-k#9$@w^)q&z(3x!v+_m2p8r*t%y7n0e-b5c)l1j4h6g=f"`, Hit: true},
		{Path: "mysite/settings.py", Content: `SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`, Hit: false},
		{Path: "mysite/settings.py", Content: `SECRET_KEY = 'get_random_secret_key()'`, Hit: false},
		{Path: "mysite/settings.py", Content: `SECRET_KEY = 'django-insecure-changeme-changeme-changeme'`, Hit: false},
		{Path: "notes.txt", Content: `SECRET_KEY = 'k#9$@w^)q&z(3x!v+_m2p8r*t%y7n0e-b5c)l1j4h6g=f'`, Hit: false},
	},
	"secrets/putty-private-key": {
		{Path: "id.ppk", Content: puttyKey("none"), Hit: true},
		{Path: "id.ppk", Content: puttyKey("aes256-cbc"), Hit: false},
		{Path: "README.md", Content: "PuTTY-User-Key-File-3: ssh-rsa (the first line of a .ppk file)", Hit: false},
	},
	"secrets/private-key-base64": {
		{Path: "secret.yaml", Content: "  tls.key: " + b64("-----BEGIN RSA PRIVATE KEY-----\n"+rsaBody+"-----END RSA PRIVATE KEY-----\n"), Hit: true},
		{Path: "secret.yaml", Content: "  tls.crt: " + b64("-----BEGIN CERTIFICATE-----\n"+rsaBody+"-----END CERTIFICATE-----\n"), Hit: false},
		{Path: "secret.yaml", Content: "  tls.key: " + b64("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"+rsaBody+"-----END ENCRYPTED PRIVATE KEY-----\n"), Hit: false},
		{Path: "secret.yaml", Content: "  key.pub: " + b64("-----BEGIN PUBLIC KEY-----\n"+rsaBody+"-----END PUBLIC KEY-----\n"), Hit: false},
	},
	"secrets/aws-secret-access-key": {
		{Path: "credentials", Content: `aws_secret_access_key = q8Zl3Vt0Ykd/K7MdNG/bPxRfiCY9mQ2wLp4Xs1Hv`, Hit: true},
		{Path: "config.py", Content: `AWS_SECRET = "q8Zl3Vt0Ykd/K7MdNG/bPxRfiCY9mQ2wLp4Xs1Hv"`, Hit: true},
		{Path: "credentials", Content: `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, Hit: false},
		{Path: ".env", Content: `AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}`, Hit: false},
		{Path: ".env", Content: `AWS_SECRET_ACCESS_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`, Hit: false},
		// The SDKs' own name for it, beside the key id.
		{Path: "s3.yml", Content: "accessKeyId: AKIAZ7Q3XVCLM2RTEKPW\nsecretAccessKey: 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", Hit: true},
		{Path: "s3.js", Content: `new S3({ secretAccessKey: "q8Zl3Vt0Ykd/K7MdNG/bPxRfiCY9mQ2wLp4Xs1Hv" })`, Hit: true},
		{Path: "s3.js", Content: `new S3({ secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY })`, Hit: false},
		{Path: "s3.yml", Content: "secretAccessKey: q8Zl3Vt0Ykd/K7MdNG/bPxRfiCY9mQ2wLp4Xs1H", Hit: false},
	},
	"secrets/private-key": {
		{Path: "id_rsa", Content: "-----BEGIN RSA PRIVATE KEY-----\n" + rsaBody + "-----END RSA PRIVATE KEY-----", Hit: true},
		{Path: "id_rsa", Content: "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + rsaBody + "-----END ENCRYPTED PRIVATE KEY-----", Hit: false},
		{Path: "id_rsa", Content: "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,0421B854034C0260\n\n" + rsaBody + "-----END RSA PRIVATE KEY-----", Hit: false},
	},
}

// envRef is what a generated negative sample holds where its true
// positive held the secret: a reference to the environment, as a fixed
// file would.
const envRef = "${SECRET}"

// knownMisses are gitleaks true positives (in testdata/) that the case's
// own rule does not report, each with why. TestKnownMisses checks that
// another rule still reports the secret, so nothing is missed.
var knownMisses = map[string]string{
	// airtable-personnal-access-token's regex wants the token on the
	// line of its airtable keyword; in this XML variant it is on the next
	// line, and generic-api-key reports it.
	"gitleaks-c-00110": "secrets/generic-api-key",
}

// gitleaksSamples turns gitleaks' rule cases (the MIT-licensed subset in
// testdata/, the same on every clone) into samples: each true positive a
// positive, each false positive a negative; and, as a negative, each true
// positive with its secret replaced by envRef (the secret is the case's
// own when gitleaks generated it, else the span the rule reports on one
// line). Cases listed in knownMisses are left out.
func gitleaksSamples(t *testing.T, s *secrets.Scanner) map[string][]scannertest.Sample {
	t.Helper()
	out := map[string][]scannertest.Sample{}
	for _, c := range readRuleCases(t, scannertest.Fixtures(t).Path(ruleCasesFile)) {
		if knownMisses[c.ID] != "" {
			continue
		}
		id := secrets.Name + "/" + c.RuleID
		if tw := twins[id]; tw != "" {
			id = tw
		}
		if c.Label == "false_positive" {
			out[id] = append(out[id], scannertest.Sample{Path: c.Path, Content: c.Text})
			continue
		}
		out[id] = append(out[id], scannertest.Sample{Path: c.Path, Content: c.Text, Hit: true})
		secret := c.Secret
		if secret == "" || !strings.Contains(c.Text, secret) {
			secret = reportedSpan(t, s, id, c.Path, c.Text)
		}
		if secret != "" {
			out[id] = append(out[id], scannertest.Sample{Path: c.Path, Content: strings.ReplaceAll(c.Text, secret, envRef)})
		}
	}
	return out
}

// reportedSpan is the text rule reports in text, when it reports it on
// one line; "" otherwise.
func reportedSpan(t *testing.T, s *secrets.Scanner, rule, path, text string) string {
	t.Helper()
	lines := strings.Split(text, "\n")
	for _, f := range scan(t, s, textInput(path, text)) {
		l := f.Location
		if f.RuleID != rule || l.StartLine != l.EndLine || l.StartColumn < 1 || l.EndColumn > len(lines[l.StartLine-1]) {
			continue
		}
		return lines[l.StartLine-1][l.StartColumn-1 : l.EndColumn]
	}
	return ""
}

// ruleSamples are all the samples of the rules the scanner lists:
// gitleaks' cases and shiftward's own.
func ruleSamples(t *testing.T, s *secrets.Scanner) map[string][]scannertest.Sample {
	t.Helper()
	all := gitleaksSamples(t, s)
	for id, smp := range ownSamples {
		all[id] = append(all[id], smp...)
	}
	for id, smp := range extraSamples {
		all[id] = append(all[id], smp...)
	}
	return all
}

// extraSamples are written for shiftward for the gitleaks rules that have
// no cases in testdata/ (gitleaks validates them with none). The tokens are
// assembled so the source holds nothing token-shaped.
var extraSamples = map[string][]scannertest.Sample{
	"secrets/dropbox-long-lived-api-token": {
		{Path: "app.py", Content: `DROPBOX_TOKEN = "` + dropboxLong + `"`, Hit: true},
		{Path: "app.py", Content: `DROPBOX_TOKEN = os.environ["DROPBOX_TOKEN"]`},
		{Path: "app.py", Content: `DROPBOX_TOKEN = "` + strings.Replace(dropboxLong, "AAAAAAAAAA", "BBBBBBBBBB", 1) + `"`},
	},
	"secrets/dropbox-short-lived-api-token": {
		{Path: ".env", Content: `dropbox_access_token=` + dropboxShort, Hit: true},
		{Path: ".env", Content: `dropbox_access_token=` + envRef},
		{Path: ".env", Content: `dropbox_access_token=` + dropboxShort[:100]},
	},
}

// puttyKey is a PuTTY key file whose Encryption header is enc.
func puttyKey(enc string) string {
	lines := strings.Split(strings.TrimSpace(rsaBody), "\n")
	return "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: " + enc + "\nComment: rsa-key\nPublic-Lines: 2\n" +
		rsaBody + "Private-Lines: 2\n" + strings.Join(lines, "\n") + "\nPrivate-MAC: 3a7c1d6b8e4a9f2c3a7c1d6b8e4a9f2c\n"
}

// tokBody40 is a random-looking 40-character token body.
const tokBody40 = "Zq8Lm3Xv7Rt2Kp9Wn4Bs6Hd1Fg5Jc0Ty8Ue3Vi7O"

// Dropbox token shapes: 11 characters, ten A's and 43 more; "sl." and 135.
var (
	dropboxLong  = "Zq8Lm3Xv7Rt" + strings.Repeat("A", 10) + strings.Repeat("k2Wn", 10) + "9Bs"
	dropboxShort = "sl." + strings.Repeat("Zq8Lm3Xv7R", 13) + "t2Kp9"
)

// twins are gitleaks rules that are another rule's exact twin (same regex,
// keywords and path), so the one listed first reports every match and the
// twin is not listed (Rules); their cases are checked against the rule
// that reports them instead.
var twins = map[string]string{
	"secrets/bittrex-secret-key": "secrets/bittrex-access-key",
}

// TestRules checks every rule the scanner lists on its samples, through
// the harness every scanner shares.
func TestRules(t *testing.T) {
	s := newScanner(t)
	samples := ruleSamples(t, s)
	var pos, neg int
	for _, smp := range samples {
		for _, x := range smp {
			if x.Hit {
				pos++
			} else {
				neg++
			}
		}
	}
	t.Logf("%d rules listed; %d samples for %d rules: %d positive, %d negative", len(s.Rules()), pos+neg, len(samples), pos, neg)
	scannertest.CheckRules(t, s, samples)
}

// TestKnownMisses: each gitleaks true positive its rule misses is still
// reported, by the rule knownMisses names.
func TestKnownMisses(t *testing.T) {
	s := newScanner(t)
	found := 0
	for _, c := range readRuleCases(t, scannertest.Fixtures(t).Path(ruleCasesFile)) {
		want := knownMisses[c.ID]
		if want == "" {
			continue
		}
		found++
		var got []string
		for _, f := range scan(t, s, textInput(c.Path, c.Text)) {
			got = append(got, f.RuleID)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s (%s): reported %v, want only %s", c.ID, c.RuleID, got, want)
		}
	}
	if found != len(knownMisses) {
		t.Errorf("%d of the %d known misses are in the rule cases", found, len(knownMisses))
	}
}

// TestRulesListed runs the scanner over everything its tests scan (its
// samples, gitleaks' rule cases and history, CredSweeper's samples, the
// lockfiles) and checks that every rule it reports is listed, and that
// Explain says of each listed rule what Rules does.
func TestRulesListed(t *testing.T) {
	s := newScanner(t)
	var all []scanners.Finding
	add := func(in *scanners.Input) {
		all = append(all, scan(t, s, in)...)
	}
	for _, smp := range ruleSamples(t, s) {
		for _, x := range smp {
			add(scannertest.Added(x.Path, []byte(x.Content)))
		}
	}
	for _, c := range scannertest.Corpora(t) {
		for _, rc := range readRuleCases(t, c.Path(ruleCasesFile)) {
			add(textInput(rc.Path, rc.Text))
		}
		dir := c.Path("secrets", "credsweeper", "samples")
		walkFiles(t, dir, func(rel string, b []byte) { add(textInput(rel, string(b))) })
		hist := c.Path("secrets", "gitleaks", "history-small")
		walkFiles(t, hist, func(rel string, b []byte) {
			if !strings.HasSuffix(rel, ".patch") {
				return
			}
			files, err := diff.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			for _, in := range diffInputs(files) {
				add(in)
			}
		})
	}
	walkFiles(t, filepath.Join("testdata", "lockfiles"), func(rel string, b []byte) { add(textInput(rel, string(b))) })
	if len(all) < 500 {
		t.Fatalf("%d findings: the inputs were not read", len(all))
	}
	t.Logf("%d findings checked", len(all))
	scannertest.CheckListed(t, s, all)
	for _, r := range s.Rules() {
		d, ok := s.Explain(r.ID)
		if !ok || d.Title != r.Title || d.Description != r.Why || d.Fix != r.Fix || d.Severity != r.Severity {
			t.Errorf("Explain(%s) = %+v, %v; want what Rules lists", r.ID, d, ok)
		}
	}
}

// walkFiles calls fn with every regular file below dir (path relative to
// dir, with forward slashes) and its content.
func walkFiles(t *testing.T, dir string, fn func(rel string, b []byte)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		fn(filepath.ToSlash(rel), b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTwinsNotListed: a twin rule is not listed (it reports nothing) but
// Explain still describes it.
func TestTwinsNotListed(t *testing.T) {
	s := newScanner(t)
	listed := map[string]bool{}
	for _, r := range s.Rules() {
		listed[r.ID] = true
	}
	for twin, first := range twins {
		if listed[twin] || !listed[first] {
			t.Errorf("%s listed %v, %s listed %v; want false, true", twin, listed[twin], first, listed[first])
		}
		if _, ok := s.Explain(twin); !ok {
			t.Errorf("Explain(%s) found nothing", twin)
		}
	}
}

// TestConsecutiveLines: a rule whose value ends at a line's end reports
// every line of a run of lines that each hold a credential, not every
// other one (the end of one match is the newline the next one starts
// after).
func TestConsecutiveLines(t *testing.T) {
	s := newScanner(t)
	for _, tc := range []struct{ path, text string }{
		{"notes.txt", "Password:Prl23Db#@\npw:Prl23Db#@\nPassword=Prl23Db#@\npwd:Prl23Db#@"},
		{"app.env", "API_SECRET=Zk29Zk29fLmnfLmn38Zq\nAPP_TOKEN=Qm38Qm38gHjkgHjk47Wr\nAUTH_KEY=Xp47Xp47hJklhJkl56Ts"},
		{".env", "MYSQLPASS=Lq7pw3Zx\nSMTPPASS=Lq7!pw3Z\nROOTPW=Lq8pw4Zx"},
	} {
		lines := map[int]bool{}
		for _, f := range scan(t, s, textInput(tc.path, tc.text)) {
			lines[f.Location.StartLine] = true
		}
		if n := strings.Count(tc.text, "\n") + 1; len(lines) != n {
			t.Errorf("%s: lines %v reported, want all %d", tc.path, lines, n)
		}
	}
}
