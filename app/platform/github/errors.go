package github

import (
	"errors"
	"fmt"
	"net/http"
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
