package secrets

import (
	"context"
	"regexp"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Verifier asks a secret's own provider whether the secret works. The
// scanner knows no network: the caller (app) brings the implementation,
// which must call only the provider the rule names, with a read-only
// check, within ctx.
//
// ruleID is the finding's full rule id ("secrets/github-pat"); secret is
// the matched value; related holds what the check needs besides it
// (RelatedAWSKeyID for an AWS secret access key). Verify must not keep
// the secret past its return and must never log it. Anything but a clear
// yes or no is scanners.Unverified.
type Verifier interface {
	Verify(ctx context.Context, ruleID, secret string, related map[string]string) scanners.Verification
}

// PathVerifier is a Verifier that may decline whole files: the scanner
// asks nothing about the secrets of a file it declines (one the review
// drops every finding of, under an ignored path), so those spend none of
// the review's checks.
type PathVerifier interface {
	Verifier
	VerifiesPath(path string) bool
}

// RelatedAWSKeyID is the key of related that holds the access key id an
// AWS secret access key is checked with.
const RelatedAWSKeyID = "aws_access_key_id"

// verifiable are the rules (ids without the "secrets/" prefix) whose
// secrets a Verifier is asked about: tokens a provider can check with a
// read-only call of the token's own account. Left out on purpose: refresh
// tokens, deploy, job and runner tokens, Slack configuration tokens and
// webhook URLs (no read-only check, or the check would wrongly say
// "invalid"), and Stripe test keys (stripe-access-token, checked only
// for live keys by the Verifier).
var verifiable = map[string]bool{
	"github-pat": true, "github-fine-grained-pat": true, "github-oauth": true, "github-app-token": true,
	"gitlab-pat": true, "gitlab-pat-routable": true,
	"slack-bot-token": true, "slack-user-token": true, "slack-app-token": true,
	"slack-legacy-bot-token": true, "slack-legacy-token": true, "slack-legacy-workspace-token": true,
	"stripe-access-token": true,
	awsSecretRule:         true,
}

const (
	awsSecretRule = "aws-secret-access-key"
	awsKeyIDRule  = "aws-access-token"
)

// awsKeyID finds the long-term (AKIA) and temporary (ASIA) access key ids
// an AWS secret access key may belong to.
var awsKeyID = regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z2-7]{16}\b`)

// awsPairLines is how far (in lines) an access key id may lie from the
// secret access key it is paired with.
const awsPairLines = 20

// WithVerifier has the scanner ask v about the secrets of verifiable rules
// it finds, and record the answer on the finding (Finding.Verification).
// Without it (the default) no secret leaves the scanner.
func WithVerifier(v Verifier) Option { return func(o *options) { o.verifier = v } }

// Verifying returns a scanner with the same compiled rules as s that asks
// v about the secrets it finds (see WithVerifier); nil v turns asking off.
// It is cheap: a review builds one per change, for that change's
// verification budget.
func (s *Scanner) Verifying(v Verifier) *Scanner {
	n := &Scanner{eng: s.eng, log: s.log, chunkBytes: s.chunkBytes, verifier: v}
	n.scratch.New = func() any { return &scratch{cs: *n.eng.newChunkScan("", nil)} }
	return n
}

// verify asks the Verifier about each finding of a verifiable rule, one
// at a time, within ctx. The secret is read back from in.Added at the
// finding's location (checked against its Identity), so the scan's hot
// path keeps nothing; it lives only in this call. An AWS secret access key
// is checked together with the nearest access key id of the same file
// (found by the scan, or in the file's text); without one, or with only a
// temporary (ASIA) id, whose check would need a session token, it is
// Unverified. The pair's answer goes to the key id's finding too.
func (s *Scanner) verify(ctx context.Context, in *scanners.Input, out []scanners.Finding) {
	if s.verifier == nil || len(out) == 0 {
		return
	}
	if pv, ok := s.verifier.(PathVerifier); ok && !pv.VerifiesPath(in.Path) {
		return
	}
	type keyID struct {
		id   string
		line int
		at   int // index in out, -1 when found in the text only
	}
	var ids []keyID
	needIDs := false
	for i := range out {
		switch strings.TrimPrefix(out[i].RuleID, Name+"/") {
		case awsKeyIDRule:
			if v, ok := secretAt(in, &out[i]); ok && awsKeyID.MatchString(v) {
				ids = append(ids, keyID{v, out[i].Location.StartLine, i})
			}
		case awsSecretRule:
			needIDs = true
		}
	}
	if needIDs && len(ids) == 0 {
		for _, l := range in.Added {
			for _, v := range awsKeyID.FindAllString(l.Text, 4) {
				ids = append(ids, keyID{v, l.Number, -1})
			}
		}
	}
	for i := range out {
		f := &out[i]
		id := strings.TrimPrefix(f.RuleID, Name+"/")
		if !verifiable[id] || f.Verification != "" {
			continue
		}
		secret, ok := secretAt(in, f)
		if !ok {
			f.Verification = scanners.Unverified
			continue
		}
		if id != awsSecretRule {
			f.Verification = s.verifier.Verify(ctx, f.RuleID, secret, nil)
			continue
		}
		best := -1
		for k, c := range ids {
			d := abs(c.line - f.Location.StartLine)
			if d <= awsPairLines && (best < 0 || d < abs(ids[best].line-f.Location.StartLine)) {
				best = k
			}
		}
		if best < 0 || !strings.HasPrefix(ids[best].id, "AKIA") {
			f.Verification = scanners.Unverified
			continue
		}
		f.Verification = s.verifier.Verify(ctx, f.RuleID, secret, map[string]string{RelatedAWSKeyID: ids[best].id})
		if at := ids[best].at; at >= 0 && (out[at].Verification == "" || f.Verification == scanners.Verified) {
			out[at].Verification = f.Verification
		}
	}
}

// secretAt reads a one-line finding's secret back from the added line at
// its location, and checks it is the one the finding names.
func secretAt(in *scanners.Input, f *scanners.Finding) (string, bool) {
	l := f.Location
	if l.StartLine != l.EndLine || l.StartColumn < 1 || l.EndColumn < l.StartColumn {
		return "", false
	}
	line, ok := addedLine(in, l.StartLine)
	if !ok || l.EndColumn > len(line.Text) {
		return "", false
	}
	v := line.Text[l.StartColumn-1 : l.EndColumn]
	if Identity(v) != f.Identity {
		return "", false
	}
	return v, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
