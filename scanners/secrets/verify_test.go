package secrets_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// recordingVerifier answers from a table by secret and records each call.
type recordingVerifier struct {
	mu      sync.Mutex
	answers map[string]scanners.Verification
	calls   []verifyCall
}

type verifyCall struct {
	Rule, Secret string
	Related      map[string]string
}

func (v *recordingVerifier) Verify(_ context.Context, rule, secret string, related map[string]string) scanners.Verification {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.calls = append(v.calls, verifyCall{rule, secret, related})
	if a, ok := v.answers[secret]; ok {
		return a
	}
	return scanners.Unverified
}

func added(path string, lines ...string) *scanners.Input {
	in := &scanners.Input{Path: path, New: true}
	for i, l := range lines {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	return in
}

func verdicts(fs []scanners.Finding) map[string]scanners.Verification {
	out := map[string]scanners.Verification{}
	for _, f := range fs {
		out[f.RuleID] = f.Verification
	}
	return out
}

const (
	slackToken  = "xoxb-" + "781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"
	awsID       = "AKIA" + "Z7Q3XVCLM2RTEKPW"
	awsSecret   = "q8Zl3Vt0" + "Ykd/K7Md" + "NG/bPxRf" + "iCY9mQ2w" + "Lp4Xs1Hv"
	stripeLive  = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dcQ2"
	genericPass = "Vt0Ykd9mQ2wLp4Xs1HvZq8"
)

func TestVerifierAnswersRecorded(t *testing.T) {
	base := newScanner(t)
	v := &recordingVerifier{answers: map[string]scanners.Verification{
		ghToken: scanners.Verified, slackToken: scanners.Invalid,
	}}
	s := base.Verifying(v)
	in := added("config.py",
		`GITHUB = "`+ghToken+`"`,
		`SLACK = "`+slackToken+`"`,
		`STRIPE = "`+stripeLive+`"`,
		`password = "`+genericPass+`"`,
	)
	fs, err := s.Scan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := verdicts(fs)
	want := map[string]scanners.Verification{
		"secrets/github-pat":          scanners.Verified,
		"secrets/slack-bot-token":     scanners.Invalid,
		"secrets/stripe-access-token": scanners.Unverified, // asked; the fake does not know it
	}
	for rule, w := range want {
		if got[rule] != w {
			t.Errorf("%s: verification %q, want %q (all: %v)", rule, got[rule], w, got)
		}
	}
	// A rule without a safe check is not asked about, and says nothing.
	for _, f := range fs {
		if _, ok := want[f.RuleID]; !ok && f.Verification != "" {
			t.Errorf("%s: verification %q, want none", f.RuleID, f.Verification)
		}
	}
	var asked []string
	for _, c := range v.calls {
		asked = append(asked, c.Rule+" "+c.Secret)
	}
	wantAsked := []string{"secrets/github-pat " + ghToken, "secrets/slack-bot-token " + slackToken, "secrets/stripe-access-token " + stripeLive}
	if diff := cmp.Diff(wantAsked, asked); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// Nothing a finding says holds the secret.
	for _, f := range fs {
		for _, sec := range []string{ghToken, slackToken, stripeLive} {
			if strings.Contains(f.Message+f.Evidence+f.Title+string(f.Verification), sec) {
				t.Errorf("%s says the secret", f.RuleID)
			}
		}
	}
}

func TestNoVerifierNoVerification(t *testing.T) {
	s := newScanner(t)
	fs, err := s.Scan(context.Background(), added("a.py", `GITHUB = "`+ghToken+`"`))
	if err != nil || len(fs) == 0 {
		t.Fatalf("Scan = %v, %v", fs, err)
	}
	for _, f := range fs {
		if f.Verification != "" {
			t.Errorf("%s: verification %q without a verifier", f.RuleID, f.Verification)
		}
	}
	// Verifying(nil) turns asking off again.
	fs, _ = s.Verifying(nil).Scan(context.Background(), added("a.py", `GITHUB = "`+ghToken+`"`))
	for _, f := range fs {
		if f.Verification != "" {
			t.Errorf("Verifying(nil): %s: verification %q", f.RuleID, f.Verification)
		}
	}
}

func TestVerifierOption(t *testing.T) {
	v := &recordingVerifier{answers: map[string]scanners.Verification{ghToken: scanners.Verified}}
	s, err := secrets.New(secrets.WithVerifier(v))
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := s.Scan(context.Background(), added("a.py", `GITHUB = "`+ghToken+`"`))
	if got := verdicts(fs)["secrets/github-pat"]; got != scanners.Verified {
		t.Errorf("verification %q, want verified", got)
	}
}

func TestAWSPairing(t *testing.T) {
	base := newScanner(t)
	tests := []struct {
		name    string
		lines   []string
		related map[string]string // what the check is given; nil: no call
		want    scanners.Verification
		wantID  scanners.Verification // on the key id's finding
	}{
		{
			name:    "id and secret in the same file",
			lines:   []string{"accessKeyId: " + awsID, "secretAccessKey: " + awsSecret},
			related: map[string]string{secrets.RelatedAWSKeyID: awsID},
			want:    scanners.Verified, wantID: scanners.Verified,
		},
		{
			name:  "secret without an id: not asked, unknown",
			lines: []string{"secretAccessKey: " + awsSecret},
			want:  scanners.Unverified,
		},
		{
			name:  "temporary id: would need a session token, not asked",
			lines: []string{"accessKeyId: ASIA" + "Z7Q3XVCLM2RTEKPW", "secretAccessKey: " + awsSecret},
			want:  scanners.Unverified,
		},
		{
			name:  "id too far away",
			lines: append(append([]string{"accessKeyId: " + awsID}, make([]string, 30)...), "secretAccessKey: "+awsSecret),
			want:  scanners.Unverified,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &recordingVerifier{answers: map[string]scanners.Verification{awsSecret: scanners.Verified}}
			fs, err := base.Verifying(v).Scan(context.Background(), added("s3.yml", tt.lines...))
			if err != nil {
				t.Fatal(err)
			}
			got := verdicts(fs)
			if got["secrets/aws-secret-access-key"] != tt.want {
				t.Errorf("secret key: %q, want %q (findings %v)", got["secrets/aws-secret-access-key"], tt.want, ids(fs))
			}
			if tt.wantID != "" && got["secrets/aws-access-token"] != tt.wantID {
				t.Errorf("key id: %q, want %q", got["secrets/aws-access-token"], tt.wantID)
			}
			if tt.related == nil {
				if len(v.calls) != 0 {
					t.Errorf("asked %d times, want none", len(v.calls))
				}
				return
			}
			if len(v.calls) != 1 {
				t.Fatalf("asked %d times, want once: %v", len(v.calls), v.calls)
			}
			if c := v.calls[0]; c.Rule != "secrets/aws-secret-access-key" || c.Secret != awsSecret || !cmp.Equal(c.Related, tt.related) {
				t.Errorf("call %+v", c)
			}
		})
	}
}

// pathVerifier declines the files under testdata/.
type pathVerifier struct{ *recordingVerifier }

func (pathVerifier) VerifiesPath(p string) bool { return !strings.HasPrefix(p, "testdata/") }

func TestPathVerifierDeclinesFiles(t *testing.T) {
	v := pathVerifier{&recordingVerifier{answers: map[string]scanners.Verification{ghToken: scanners.Verified}}}
	s := newScanner(t).Verifying(v)
	line := `GITHUB = "` + ghToken + `"`
	fs, _ := s.Scan(context.Background(), added("testdata/a.py", line))
	if len(fs) == 0 || fs[0].Verification != "" || len(v.calls) != 0 {
		t.Errorf("declined file: %d findings, verification %q, %d calls", len(fs), fs[0].Verification, len(v.calls))
	}
	fs, _ = s.Scan(context.Background(), added("src/a.py", line))
	if len(fs) == 0 || fs[0].Verification != scanners.Verified || len(v.calls) != 1 {
		t.Errorf("other file: verification %q, %d calls", fs[0].Verification, len(v.calls))
	}
}
