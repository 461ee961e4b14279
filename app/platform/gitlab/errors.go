package gitlab

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/shiftward/shiftward/app/platform"
)

// TokenEnv names the setting that holds the bot's access token, quoted in
// errors that a wrong token causes.
const TokenEnv = "SHIFTWARD_GITLAB_TOKEN"

// apiError gives err short context and the type the worker branches on:
// *platform.RateLimitError (retry later), *platform.PermanentError (a
// missing project or merge request, a refused token: dead letter), or a
// plain wrapped error. GitLab's error text names the endpoint and status,
// never the token (sent in a header).
func apiError(op string, err error) error {
	if err == nil {
		return nil
	}
	var rl *platform.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("%s: %w", op, err)
	}
	switch status(err) {
	case http.StatusUnauthorized:
		return &platform.PermanentError{Err: fmt.Errorf("%s: GitLab refused the bot token (401): check %s", op, TokenEnv)}
	case http.StatusForbidden:
		return &platform.PermanentError{Err: fmt.Errorf("%s: GitLab refused the bot token (403: revoked, expired, lacking the api scope, or the bot is not a member with Developer access): check %s", op, TokenEnv)}
	case http.StatusNotFound:
		return &platform.PermanentError{Err: fmt.Errorf("%s: %w", op, err)}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// status is the HTTP status of a GitLab error response, 0 when there was
// none. client-go turns every 404 into its sentinel gl.ErrNotFound.
func status(err error) int {
	if errors.Is(err, gl.ErrNotFound) {
		return http.StatusNotFound
	}
	var er *gl.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// message is GitLab's error message, for telling one 400 from another.
func message(err error) string {
	var er *gl.ErrorResponse
	if errors.As(err, &er) {
		return er.Message
	}
	return ""
}

// sameStateTransition recognises GitLab's 400 when a commit status is set to
// the state it already has ("Cannot transition status via :run from
// :running"): the state asked for is there, so the call succeeded.
func sameStateTransition(err error) bool {
	return status(err) == http.StatusBadRequest && strings.Contains(message(err), "Cannot transition status")
}
