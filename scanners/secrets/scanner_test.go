package secrets_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// A PEM block whose body is random-looking base64 (not a real key).
var pemKey = "-----BEGIN RSA PRIVATE KEY-----\n" +
	"MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6Z1pPNLvW4mDwq0fUQtWgFBPZ\n" +
	"Qb0mHZi9mXHnDhBGe6AYzoLrGHT0EMXlbU3vSdYiJ1PzCn4D1rmGcQ3Pi3vdDGtk\n" +
	"q3Zk8Tn1vB2mE9rQx7LcWp4Ua6Hy0Js5Gd3Kf8Nb2Vt1Xr9Me4Lq7Sa0Pz6Oi5Cw\n" +
	"-----END RSA PRIVATE KEY-----"

const ghToken = "ghp_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7"

func ids(fs []scanners.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %d-%d", f.RuleID, f.Location.StartLine, f.Location.EndLine))
	}
	return out
}

func TestScannerBasics(t *testing.T) {
	s := newScanner(t)
	if s.Name() != "secrets" {
		t.Errorf("Name() = %q", s.Name())
	}
	wants := map[string]bool{
		"main.go": true, "config/.env": true, "deploy/values.yaml": true, "README": true,
		"logo.png": false, "lib/app.jar": false, "docs/spec.docx": false, "bun.lockb": false,
		"certs/store.p12": true, "keys/id.pfx": true,
		// Text files gitleaks' allowlist or a lockfile list names are
		// scanned: their digests are dropped one by one, not the file.
		"package-lock.json": true, "web/yarn.lock": true, "go.sum": true, "go.mod": true,
		"node_modules/x/index.js": true, "vendor/github.com/x/y/a.go": true, "Cargo.lock": true,
	}
	for p, want := range wants {
		if got := s.Wants(p); got != want {
			t.Errorf("Wants(%q) = %v, want %v", p, got, want)
		}
	}
	if fs, err := s.Scan(context.Background(), nil); err != nil || fs != nil {
		t.Errorf("Scan(nil) = %v, %v", fs, err)
	}
}

// TestOnlyAddedLines: a secret on a line that is not added is not
// reported, and a private key with a line missing from Added (so split
// into two blocks) is not either.
func TestOnlyAddedLines(t *testing.T) {
	s := newScanner(t)
	in := &scanners.Input{Path: "main.go", Added: []scanners.Line{
		{Number: 1, Text: "package main"},
		{Number: 2, Text: "// nothing here"},
		{Number: 4, Text: "func main() {}"},
	}, Content: []byte("package main\n// nothing here\nvar t = \"" + ghToken + "\"\nfunc main() {}\n")}
	if fs := scan(t, s, in); len(fs) != 0 {
		t.Errorf("findings on a file whose secret line is not added: %v", ids(fs))
	}

	lines := strings.Split(pemKey, "\n")
	in = &scanners.Input{Path: "key.pem"}
	for i, l := range lines {
		if i == 2 {
			continue // the middle line of the key is unchanged context
		}
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	for _, f := range scan(t, s, in) {
		if f.RuleID == "secrets/private-key" {
			t.Errorf("private key reported although one of its lines is not added: %+v", f.Location)
		}
	}
	all := textInput("key.pem", pemKey)
	if got := ids(scan(t, s, all)); !cmp.Equal(got, []string{"secrets/private-key 1-5"}) {
		t.Errorf("wholly added key: got %v", got)
	}
}

// TestEscapedOneLineKey: a PEM key written as one string literal with \n
// escapes is found on its line and does not swallow the lines after it.
func TestEscapedOneLineKey(t *testing.T) {
	s := newScanner(t)
	escaped := strings.ReplaceAll(pemKey, "\n", `\n`)
	text := "package keys\n\nconst signingKey = \"" + escaped + "\"\n\nvar token = \"" + ghToken + "\"\n"
	fs := scan(t, s, textInput("keys.go", text))
	var key, tok *scanners.Finding
	for i := range fs {
		switch fs[i].RuleID {
		case "secrets/private-key":
			key = &fs[i]
		case "secrets/github-pat":
			tok = &fs[i]
		}
	}
	if key == nil || tok == nil {
		t.Fatalf("want a private-key and a github-pat finding, got %v", ids(fs))
	}
	if key.Location.StartLine != 3 || key.Location.EndLine != 3 {
		t.Errorf("private key at lines %d-%d, want 3-3", key.Location.StartLine, key.Location.EndLine)
	}
	wantStart := strings.Index("const signingKey = \""+escaped, "-----BEGIN") + 1
	if key.Location.StartColumn != wantStart || key.Location.EndColumn != wantStart+len(escaped)-1 {
		t.Errorf("private key columns %d-%d, want %d-%d", key.Location.StartColumn, key.Location.EndColumn, wantStart, wantStart+len(escaped)-1)
	}
	if tok.Location.StartLine != 5 {
		t.Errorf("token at line %d, want 5", tok.Location.StartLine)
	}
}

// TestChunkBoundaries scans a large block with tiny chunks so that chunk
// edges fall inside and around a multi-line key and single-line tokens:
// every secret is still reported exactly once, as with one chunk.
func TestChunkBoundaries(t *testing.T) {
	var b strings.Builder
	for i := range 1600 {
		switch i {
		case 700:
			b.WriteString(pemKey + "\n")
		case 1000:
			b.WriteString("token = \"" + ghToken + "\"\n")
		case 1300:
			b.WriteString("aws = \"AKIAZ7VQ3MXL2PWRTK5N\"\n")
		default:
			fmt.Fprintf(&b, "filler line %d with ordinary words and no secret\n", i)
		}
	}
	in := textInput("big.txt", b.String())
	want := ids(scan(t, newScanner(t), in))
	if d := cmp.Diff([]string{"secrets/private-key 701-705", "secrets/github-pat 1005-1005", "secrets/aws-access-token 1305-1305"}, want); d != "" {
		t.Fatalf("single-chunk scan (-want +got):\n%s", d)
	}
	// Chunks span chunkBytes plus a 32 KiB overlap and advance by about
	// chunkBytes, so with these sizes some chunk ends inside the key.
	for _, size := range []int{300, 997, 4096} {
		got := ids(scan(t, newScanner(t, secrets.WithChunkBytes(size)), in))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("chunk size %d (-one chunk +chunked):\n%s", size, d)
		}
	}
}

func entropy(s string) float64 {
	counts := map[rune]int{}
	for _, c := range s {
		counts[c]++
	}
	e := 0.0
	for _, n := range counts {
		p := float64(n) / float64(len(s))
		e -= p * math.Log2(p)
	}
	return e
}

// TestEntropyThreshold: a 32-character hex value with entropy just under
// 3.5. gitleaks' generic-api-key (threshold 3.5) must not report it, as in
// gitleaks; a provider rule with a lower threshold (adobe-client-id, 2.0)
// must; shiftward's secret-assignment (3.0) reports it under an api_key
// name, because hex API keys commonly sit at 3.3-3.6 bits.
func TestEntropyThreshold(t *testing.T) {
	const hexValue = "9081726354a9081726354a9081726354" // 11 symbols, no counting run
	if e := entropy(hexValue); e >= 3.5 || e < 3.4 {
		t.Fatalf("test value entropy %.3f, want just under 3.5", e)
	}
	s := newScanner(t)
	has := func(fs []scanners.Finding, rule string) bool {
		for _, f := range fs {
			if f.RuleID == rule {
				return true
			}
		}
		return false
	}
	fs := scan(t, s, textInput("config.py", `api_key = "`+hexValue+`"`))
	if has(fs, "secrets/generic-api-key") {
		t.Errorf("generic-api-key reported a value of entropy < 3.5: %v", ids(fs))
	}
	if !has(fs, "secrets/secret-assignment") {
		t.Errorf("secret-assignment missed a hex api key: %v", ids(fs))
	}
	fs = scan(t, s, textInput("config.py", `adobe_client_id = "`+hexValue+`"`))
	if !has(fs, "secrets/adobe-client-id") {
		t.Errorf("adobe-client-id (entropy threshold 2) missed it: %v", ids(fs))
	}
}

// TestTokenContainingTest: "test" inside a real-format token is not a
// reason to drop it.
func TestTokenContainingTest(t *testing.T) {
	s := newScanner(t)
	cases := map[string]string{
		"secrets/github-pat":          `token := "ghp_test8Kq2LmZ9xW4vB7nR1pY6sT3uH5jD0fGa"`,
		"secrets/stripe-access-token": `stripe.Key = "sk_test_4eC39HqLyjWDarjtT1zdp7dcTEST"`,
	}
	for rule, line := range cases {
		found := false
		for _, f := range scan(t, s, textInput("pay.go", line)) {
			found = found || f.RuleID == rule
		}
		if !found {
			t.Errorf("%s not reported on %q", rule, line)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ghp_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7", "ghp_…(40 chars)"},
		{"hunter22", "hu…(8 chars)"},
		{"abcdefghijklmno", "abc…(15 chars)"},
		{"abc", "…(3 chars)"},
		{"", "…(0 chars)"},
		{"pässwörd", "pä…(8 chars)"},
	}
	for _, tc := range tests {
		if got := secrets.Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNothingLeaks scans every gitleaks true-positive case that names its
// secret (the full corpus's, or the sample in testdata/), and checks that no text field of any finding holds the
// secret, that Evidence shows at most a quarter of it, and that Identity
// is its sha256.
func TestNothingLeaks(t *testing.T) {
	corpus := scannertest.Data(t)
	cases, least := readRuleCases(t, corpus.Path(ruleCasesFile)), 300
	if corpus.Full {
		least = 1000
	}
	s := newScanner(t)
	checked := 0
	for _, c := range cases {
		if c.Secret == "" || c.Label != "true_positive" || len(c.Secret) < 8 {
			continue
		}
		for _, f := range scan(t, s, textInput(c.Path, c.Text)) {
			fields := []string{f.Title, f.Message, f.Evidence, f.Identity, strings.Join(f.References, " ")}
			if f.Fix != nil {
				fields = append(fields, f.Fix.Description, f.Fix.Replacement)
			}
			for _, field := range fields {
				if strings.Contains(field, c.Secret) {
					t.Fatalf("%s: finding %s exposes the secret in %q", c.ID, f.RuleID, strings.ReplaceAll(field, c.Secret, "<the secret>"))
				}
			}
			if f.RuleID != "secrets/"+c.RuleID {
				continue
			}
			checked++
			sum := sha256.Sum256([]byte(c.Secret))
			if f.Identity != hex.EncodeToString(sum[:]) && !strings.Contains(c.Text, c.Secret+c.Secret) {
				// The rule's secret group may be a part of the labelled
				// value; the identity must then still not be the value.
				if f.Identity == c.Secret {
					t.Fatalf("%s: identity is the secret", c.ID)
				}
			}
			shown, _, _ := strings.Cut(f.Evidence, "…")
			if len(shown) > 4 || len(shown)*4 > len(c.Secret) {
				t.Fatalf("%s: evidence %q shows too much", c.ID, f.Evidence)
			}
		}
	}
	if checked < least {
		t.Errorf("only %d findings checked", checked)
	}
}

// TestConcurrentScans shares one Scanner between goroutines (run with
// -race): results must equal a sequential scan.
func TestConcurrentScans(t *testing.T) {
	s := newScanner(t)
	in := textInput("app.py", "token = \""+ghToken+"\"\npassword = \"Tr0ub4dor&3\"\n"+pemKey)
	want := ids(scan(t, s, in))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs, err := s.Scan(context.Background(), in)
			if err != nil {
				errs <- err
				return
			}
			if got := ids(fs); !cmp.Equal(got, want) {
				errs <- fmt.Errorf("got %v, want %v", got, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestScanCancelled(t *testing.T) {
	s := newScanner(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Scan(ctx, textInput("a.txt", "token = \""+ghToken+"\""))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: err = %v, want context.Canceled", err)
	}
}

// TestOneFindingPerSecret: a GitHub token assigned to "token" matches
// github-pat, generic-api-key and secret-assignment; only the provider
// rule is reported.
func TestOneFindingPerSecret(t *testing.T) {
	s := newScanner(t)
	got := ids(scan(t, s, textInput("a.py", "token = \""+ghToken+"\"\npassword = \"Tr0ub4dor&3\"")))
	want := []string{"secrets/github-pat 1-1", "secrets/password-assignment 2-2"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestFindingFields checks one finding whole.
func TestFindingFields(t *testing.T) {
	s := newScanner(t)
	fs := scan(t, s, textInput("cmd/app/main.go", "package main\n\nimport \"os\"\n\nvar token = \""+ghToken+"\"\n"))
	if len(fs) != 1 {
		t.Fatalf("want 1 finding, got %v", ids(fs))
	}
	f := fs[0]
	sum := sha256.Sum256([]byte(ghToken))
	want := scanners.Finding{
		Scanner:  "secrets",
		RuleID:   "secrets/github-pat",
		Severity: scanners.SeverityHigh,
		Title:    "GitHub personal access token",
		Message: "A GitHub personal access token was added (ghp_…(40 chars)). Anything committed stays in git history " +
			"even after it is deleted, so treat it as leaked: revoke or rotate it, then load it from a secret store or the environment.",
		Location: scanners.Location{Path: "cmd/app/main.go", StartLine: 5, EndLine: 5, StartColumn: 14, EndColumn: 53},
		Fix: &scanners.Fix{
			Description: "Read the value from the TOKEN environment variable instead of hard-coding it. " +
				`The file imports "os". Removing the literal does not remove it from git history: rotate the secret as well.`,
			StartLine: 5, EndLine: 5,
			Replacement: `var token = os.Getenv("TOKEN")`,
		},
		References: []string{"CWE-798", "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/token-expiration-and-revocation"},
		Evidence:   "ghp_…(40 chars)",
		Identity:   hex.EncodeToString(sum[:]),
		Sensitive:  true,
	}
	if d := cmp.Diff(want, f); d != "" {
		t.Errorf("finding (-want +got):\n%s", d)
	}
}

func FuzzScan(f *testing.F) {
	f.Add("main.go", "token := \""+ghToken+"\"\npassword = \"x\"")
	f.Add("key.pem", pemKey)
	f.Add("a.py", `k = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"`)
	f.Add(".env", "DB_PASSWORD=Xk9#mm2q!\nDATABASE_URL=postgres://a:b@c/d")
	f.Add("x.rs", "let s = \"\xff\xfe\";\n\x00\n")
	s, err := secrets.New(secrets.WithChunkBytes(64))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path, text string) {
		in := textInput(path, text)
		fs, err := s.Scan(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range fs {
			if fd.Location.StartLine < 1 || fd.Location.EndLine < fd.Location.StartLine || fd.Location.EndLine > len(in.Added) {
				t.Fatalf("bad location %+v for %d lines", fd.Location, len(in.Added))
			}
		}
	})
}

func TestExplain(t *testing.T) {
	s, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := s.Explain("secrets/aws-access-token")
	if !ok || d.ID != "secrets/aws-access-token" || d.Title == "" || d.Severity == scanners.SeverityUnknown || len(d.References) == 0 || !strings.Contains(d.Fix, "Revoke") {
		t.Errorf("Explain(aws-access-token) = %+v, %v", d, ok)
	}
	if _, ok := s.Explain("secrets/no-such-rule"); ok {
		t.Error("Explain of an unknown rule succeeded")
	}
}

// TestTwoSecretsOnALineSuggestNeither: the fix of one secret would repeat
// the other on the same line; through Run, neither fix is offered and no
// output of either finding holds a secret.
func TestTwoSecretsOnALineSuggestNeither(t *testing.T) {
	s := newScanner(t)
	// Made at run time, so no key-shaped literal sits in the repository.
	r := rand.New(rand.NewPCG(4, 2))
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	awsKeyID := "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	awsSecret := pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
	line := `client = boto3.client("s3", aws_access_key_id="` + awsKeyID + `", aws_secret_access_key="` + awsSecret + `")`
	res, err := scanners.Run(context.Background(), []scanners.Scanner{s}, []*scanners.Input{textInput("app.py", "import boto3\n"+line+"\n")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) < 2 {
		t.Fatalf("want both secrets found, got %v", ids(res.Findings))
	}
	for _, f := range res.Findings {
		out := f.Message + f.Evidence
		if f.Fix != nil {
			out += f.Fix.Replacement
		}
		if strings.Contains(out, awsKeyID) || strings.Contains(out, awsSecret) {
			t.Errorf("%s quotes a secret: %q", f.RuleID, out)
		}
	}
}
