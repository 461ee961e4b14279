package webhook

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/queue"
)

// GitHub is the Source for GitHub App deliveries.
type GitHub struct {
	// Secrets are the webhook secrets accepted, current first (rotation).
	Secrets [][]byte
}

var _ Source = GitHub{}

// Platform returns "github".
func (GitHub) Platform() string { return string(platform.GitHub) }

// maxHeaderValue bounds the ids and names taken from headers: they end up
// in Redis keys and log lines. GitHub's are a GUID and a short event name.
const maxHeaderValue = 256

// Precheck checks, before the body is read, that X-Hub-Signature-256 has
// the shape of a signature (the HMAC itself needs the whole body), that the
// event and delivery id are named, and the Content-Type. A GitHub App sends
// application/json; a repository or organisation webhook (or a Marketplace
// listing) may be set to application/x-www-form-urlencoded, which carries the
// same JSON in a "payload" field, so both are accepted and any other type
// named is refused (415).
func (g GitHub) Precheck(h http.Header) (Check, error) {
	v, err := github.NewVerifier(g.Secrets, h.Get("X-Hub-Signature-256"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	c := &githubCheck{Verifier: v, event: h.Get("X-GitHub-Event"), id: h.Get("X-GitHub-Delivery")}
	switch {
	case c.event == "" || len(c.event) > maxHeaderValue:
		return nil, fmt.Errorf("%w: missing or overlong X-GitHub-Event header", ErrInvalidPayload)
	case c.id == "" || len(c.id) > maxHeaderValue:
		return nil, fmt.Errorf("%w: missing or overlong X-GitHub-Delivery header", ErrInvalidPayload)
	}
	if h.Get("Content-Type") == "" {
		// GitHub always names one; without it the body is read as JSON. The
		// signature, not this header, decides what is authentic.
		return c, nil
	}
	mt, err := mediaType(h, "application/json", "application/x-www-form-urlencoded")
	if err != nil {
		return nil, err
	}
	c.form = mt == "application/x-www-form-urlencoded"
	return c, nil
}

// githubCheck computes the HMAC while the body is read (the embedded
// Verifier is the io.Writer and Verify of Check).
type githubCheck struct {
	*github.Verifier
	event, id string
	form      bool
}

// Verify implements Check.
func (c *githubCheck) Verify() error {
	if err := c.Verifier.Verify(); err != nil {
		return fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	return nil
}

// Parse turns a delivery into jobs, one per pull request it names.
func (c *githubCheck) Parse(body []byte) (Delivery, error) {
	d := Delivery{ID: c.id, Event: c.event}
	if c.form {
		// The signature covers the raw form body, checked before; the JSON
		// is the payload field, decoded in place (no second copy of up to
		// 25 MB).
		p, err := formPayload(body)
		if err != nil {
			return d, fmt.Errorf("%w: %v", ErrInvalidPayload, err)
		}
		body = p
	}
	ev, action, err := github.ParseAction(d.Event, d.ID, body)
	if err != nil {
		var ve *platform.ValidationError
		if errors.As(err, &ve) {
			return d, fmt.Errorf("%w: %s", ErrInvalidPayload, ve.Reason)
		}
		return d, err
	}
	d.Ignored, d.Action = ev.Ignored, action
	d.Jobs = Jobs(ev)
	return d, nil
}

// formPayload finds the "payload" field of an application/x-www-form-urlencoded
// body and percent-decodes it in place, returning the decoded bytes (a
// sub-slice of body). Decoding never lengthens, so writes stay behind reads.
func formPayload(body []byte) ([]byte, error) {
	for len(body) > 0 {
		var field []byte
		field, body, _ = bytes.Cut(body, []byte("&"))
		key, val, ok := bytes.Cut(field, []byte("="))
		if !ok || string(key) != "payload" {
			continue
		}
		w := 0
		for r := 0; r < len(val); r++ {
			switch b := val[r]; b {
			case '+':
				val[w] = ' '
			case '%':
				if r+2 >= len(val) {
					return nil, errors.New("form payload has a truncated escape")
				}
				hi, lo := unhex(val[r+1]), unhex(val[r+2])
				if hi < 0 || lo < 0 {
					return nil, errors.New("form payload has a malformed escape")
				}
				val[w] = byte(hi<<4 | lo)
				r += 2
			default:
				val[w] = b
			}
			w++
		}
		if w == 0 {
			break
		}
		return val[:w], nil
	}
	return nil, errors.New("form body without a payload field")
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// Jobs makes one queue job per change of a parsed event. When an event names
// several pull requests, each job's delivery id gets the pull request number
// so deduplication stays per job.
func Jobs(ev *platform.Event) []queue.Job {
	if ev.Ignored != "" {
		return nil
	}
	jobs := make([]queue.Job, 0, len(ev.Changes))
	for _, c := range ev.Changes {
		id := ev.DeliveryID
		if len(ev.Changes) > 1 {
			id += "/" + strconv.Itoa(c.Number)
		}
		jobs = append(jobs, queue.Job{DeliveryID: id, Kind: ev.Kind, Change: c, Command: ev.Command})
	}
	return jobs
}
