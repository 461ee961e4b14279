package secretverify

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// forms are the shapes of the secrets each provider is asked about (the
// built-in rules' shapes, anchored). Stripe: live keys only; a test-mode
// key moves no money and is not worth a call to the live API. They are
// compiled on first use: their counted repeats make large programs (half a
// megabyte), which a process that checks no secret should neither build
// nor have its garbage collector trace.
var forms = sync.OnceValue(func() map[Provider]*regexp.Regexp {
	return map[Provider]*regexp.Regexp{
		GitHub: regexp.MustCompile(`^(?:gh[pous]_[0-9A-Za-z]{36}|github_pat_\w{82})$`),
		GitLab: regexp.MustCompile(`^glpat-[0-9A-Za-z_.-]{20,300}$`),
		Slack:  regexp.MustCompile(`^(?:xox[bpaoesr]|xapp)-[0-9A-Za-z-]{8,200}$`),
		AWS:    regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`),
		Stripe: regexp.MustCompile(`^(?:sk|rk)_live_[0-9A-Za-z]{10,99}$`),
	}
})

var awsLongTermID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`) })

func wellFormed(p Provider, secret string, related map[string]string) bool {
	re := forms()[p]
	if re == nil || !re.MatchString(secret) {
		return false
	}
	return p != AWS || awsLongTermID().MatchString(related[secrets.RelatedAWSKeyID])
}

// do sends req and returns the status and at most maxResponse bytes of the
// body; the body is drained and closed.
func (c *Checker) do(req *http.Request) (int, []byte, error) {
	req.Header.Set("User-Agent", "shiftward-secret-check")
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	return resp.StatusCode, body, err
}

// byStatus maps the answers of the providers that answer by status alone:
// 200 verified, 401 invalid, anything else unknown (403 is a token that
// works but may not read this endpoint; 429 and 5xx say nothing).
func byStatus(status int, err error, public bool) scanners.Verification {
	switch {
	case err != nil:
		return scanners.Unverified
	case status == http.StatusOK:
		return scanners.Verified
	case status == http.StatusUnauthorized && public:
		return scanners.Invalid
	}
	return scanners.Unverified
}

// gitHubCheck: GET /user with the token as a bearer token
// (https://docs.github.com/en/rest/users/users#get-the-authenticated-user).
// 200 verified; 401 {"message":"Bad credentials"} invalid. A GitHub App
// installation token (ghs_) gets 403 here: unknown.
func (c *Checker) gitHubCheck(ctx context.Context, token string) (scanners.Verification, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.gitHub+"/user", nil)
	if err != nil {
		return scanners.Unverified, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	status, _, err := c.do(req)
	return byStatus(status, err, c.gitHub == DefaultGitHubAPIURL), status, err
}

// gitLabCheck: GET /api/v4/personal_access_tokens/self with PRIVATE-TOKEN
// (https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token).
// 200 verified; 401 {"message":"401 Unauthorized"} invalid on gitlab.com.
func (c *Checker) gitLabCheck(ctx context.Context, token string) (scanners.Verification, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.gitLab+"/api/v4/personal_access_tokens/self", nil)
	if err != nil {
		return scanners.Unverified, 0, err
	}
	req.Header.Set("PRIVATE-TOKEN", token)
	status, _, err := c.do(req)
	return byStatus(status, err, c.gitLab == DefaultGitLabURL), status, err
}

// slackInvalid are the auth.test errors that mean the token is dead
// (https://api.slack.com/methods/auth.test#errors); any other error says
// nothing about the token.
var slackInvalid = map[string]bool{
	"invalid_auth": true, "account_inactive": true, "token_revoked": true, "token_expired": true, "not_authed": true,
}

// slackCheck: POST https://slack.com/api/auth.test with the token as a
// bearer token. Slack answers 200 either way: {"ok":true,...} verified;
// {"ok":false,"error":"invalid_auth"} (or account_inactive,
// token_revoked, token_expired) invalid; any other error unknown.
func (c *Checker) slackCheck(ctx context.Context, token string) (scanners.Verification, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, slackURL, nil)
	if err != nil {
		return scanners.Unverified, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body, err := c.do(req)
	if err != nil || status != http.StatusOK {
		return scanners.Unverified, status, err
	}
	var r struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &r) != nil || r.OK == nil {
		return scanners.Unverified, status, nil
	}
	switch {
	case *r.OK:
		return scanners.Verified, status, nil
	case slackInvalid[r.Error]:
		return scanners.Invalid, status, nil
	}
	return scanners.Unverified, status, nil
}

// stsBody is the GetCallerIdentity call, which needs no permission: any
// working key pair may make it
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
const stsBody = "Action=GetCallerIdentity&Version=2011-06-15"

// stsInvalid are the STS error codes that mean the key pair does not work.
var stsInvalid = map[string]bool{"InvalidClientTokenId": true, "SignatureDoesNotMatch": true}

// awsCheck: a SigV4-signed POST of GetCallerIdentity to the global STS
// endpoint (us-east-1). 200 verified; 403 with <Code>InvalidClientTokenId
// or SignatureDoesNotMatch invalid; anything else unknown.
func (c *Checker) awsCheck(ctx context.Context, keyID, secret string, now time.Time) (scanners.Verification, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, stsURL, strings.NewReader(stsBody))
	if err != nil {
		return scanners.Unverified, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	signV4(req, []byte(stsBody), keyID, secret, "us-east-1", "sts", now)
	status, body, err := c.do(req)
	if err != nil {
		return scanners.Unverified, status, err
	}
	switch status {
	case http.StatusOK:
		return scanners.Verified, status, nil
	case http.StatusForbidden:
		var r struct {
			Code string `xml:"Error>Code"`
		}
		if xml.Unmarshal(body, &r) == nil && stsInvalid[r.Code] {
			return scanners.Invalid, status, nil
		}
	}
	return scanners.Unverified, status, nil
}

// stripeCheck: GET https://api.stripe.com/v1/balance with the key as the
// basic-auth user (https://docs.stripe.com/api/authentication). 200
// verified; 401 ("Invalid API Key provided") invalid. A restricted key
// without balance access gets 403: unknown.
func (c *Checker) stripeCheck(ctx context.Context, key string) (scanners.Verification, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, stripeURL, nil)
	if err != nil {
		return scanners.Unverified, 0, err
	}
	req.SetBasicAuth(key, "")
	status, _, err := c.do(req)
	return byStatus(status, err, true), status, err
}
