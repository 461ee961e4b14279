package github

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
)

// apiError gives err short context and the type the worker branches on:
// *platform.RateLimitError (retry later), *platform.PermanentError (a
// missing repository or a revoked installation: dead letter), or a plain
// wrapped error. GitHub's error text names the endpoint and status, never a
// token.
func apiError(op string, err error) error {
	if err == nil {
		return nil
	}
	var rl *platform.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("%s: %w", op, err)
	}
	// go-github refuses on its own when an earlier success response said no
	// requests remain; report those the same way.
	var ghRL *gh.RateLimitError
	if errors.As(err, &ghRL) {
		return &platform.RateLimitError{After: max(time.Until(ghRL.Rate.Reset.Time), time.Second), Err: fmt.Errorf("%s: %w", op, err)}
	}
	var abuse *gh.AbuseRateLimitError
	if errors.As(err, &abuse) {
		after := hostapi.DefaultRateLimitWait
		if abuse.RetryAfter != nil {
			after = *abuse.RetryAfter
		}
		return &platform.RateLimitError{After: after, Err: fmt.Errorf("%s: %w", op, err)}
	}
	// The installation token could not be made: a deleted or suspended
	// installation answers 404 or 403 there, and no retry will change that.
	var tokErr *ghinstallation.HTTPError
	if errors.As(err, &tokErr) && tokErr.Response != nil {
		switch tokErr.Response.StatusCode {
		case http.StatusNotFound, http.StatusForbidden, http.StatusUnauthorized:
			return &platform.PermanentError{Err: fmt.Errorf("%s: installation token refused (%d)", op, tokErr.Response.StatusCode)}
		}
		return fmt.Errorf("%s: installation token: status %d", op, tokErr.Response.StatusCode)
	}
	if status(err) == http.StatusNotFound {
		return &platform.PermanentError{Err: fmt.Errorf("%s: %w", op, err)}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// status is the HTTP status of a GitHub error response, 0 when there was none.
func status(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// maxRefusedPath bounds the path quoted from a refusal.
const maxRefusedPath = 512

// workflowRefusal recognises GitHub's refusal of an app's commit that
// creates or updates a GitHub Actions workflow without the "workflows"
// permission: "refusing to allow a GitHub App to create or update workflow
// `.github/workflows/ci.yml` without `workflows` permission". That is the
// text git pushes get back ("remote rejected"); for the git data API GitHub
// documents neither the status nor the step that refuses, so any 4xx
// answer of the tree, commit or ref call whose message (or one of its
// errors') says it counts. It returns nil for any other error.
func workflowRefusal(op string, err error) error {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode < 400 || er.Response.StatusCode >= 500 {
		return nil
	}
	msgs := []string{er.Message}
	for _, e := range er.Errors {
		msgs = append(msgs, e.Message)
	}
	for _, m := range msgs {
		lower := strings.ToLower(m)
		if !strings.Contains(lower, "refusing to allow") || !strings.Contains(lower, "workflow") || !strings.Contains(lower, "`workflows` permission") {
			continue
		}
		var path string
		if _, rest, ok := strings.Cut(m, "workflow `"); ok {
			if p, _, ok := strings.Cut(rest, "`"); ok && len(p) <= maxRefusedPath {
				path = p
			}
		}
		return &platform.PermissionError{Permission: "workflows", Path: path,
			Err: fmt.Errorf("%s: GitHub refuses the app's commit to a workflow file without the workflows permission (%d)", op, er.Response.StatusCode)}
	}
	return nil
}
