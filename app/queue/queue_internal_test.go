package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
)

func TestBackoff(t *testing.T) {
	almostOne := func() float64 { return 0.999999 }
	zero := func() float64 { return 0 }
	for _, tc := range []struct {
		name      string
		attempt   int
		base, max time.Duration
		rnd       func() float64
		lo, hi    time.Duration // want lo <= d < hi
	}{
		{"first retry under base", 1, 10 * time.Millisecond, time.Second, almostOne, 9 * time.Millisecond, 10 * time.Millisecond},
		{"doubles per attempt", 3, 10 * time.Millisecond, time.Second, almostOne, 39 * time.Millisecond, 40 * time.Millisecond},
		{"capped at max", 20, 10 * time.Millisecond, time.Second, almostOne, 999 * time.Millisecond, time.Second},
		{"no overflow on huge attempts", 500, time.Hour, 2 * time.Hour, almostOne, 119 * time.Minute, 2 * time.Hour},
		{"shift overflow to negative is capped", 40, time.Hour, 2 * time.Hour, almostOne, 119 * time.Minute, 2 * time.Hour},
		{"full jitter reaches zero", 5, 10 * time.Millisecond, time.Second, zero, 0, 1},
		{"attempt 0 treated as 1", 0, 10 * time.Millisecond, time.Second, almostOne, 9 * time.Millisecond, 10 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := backoff(tc.attempt, tc.base, tc.max, tc.rnd)
			if d < tc.lo || d >= tc.hi {
				t.Errorf("backoff = %s, want in [%s, %s)", d, tc.lo, tc.hi)
			}
		})
	}
}

type retryAfterErr time.Duration

func (e retryAfterErr) Error() string             { return "slow down" }
func (e retryAfterErr) RetryAfter() time.Duration { return time.Duration(e) }

type notPermanent struct{}

func (notPermanent) Error() string   { return "maybe" }
func (notPermanent) Permanent() bool { return false }

func TestJudge(t *testing.T) {
	o := &Options{MaxAttempts: 3, BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond}
	half := func() float64 { return 0.5 }
	rateLimit := &platform.RateLimitError{After: time.Minute, Err: errors.New("429")}
	for _, tc := range []struct {
		name           string
		attempt, waits int
		err            error
		want           Outcome
		wantAttempt    int
		wantWaits      int
		wantDelay      time.Duration
		wantErr        string
	}{
		{"success", 0, 0, nil, Done, 0, 0, 0, ""},
		{"transient", 0, 0, errors.New("502"), Retry, 1, 0, 5 * time.Millisecond, "502"},
		{"second failure backs off more", 1, 0, errors.New("502"), Retry, 2, 0, 10 * time.Millisecond, "502"},
		{"out of attempts", 2, 0, errors.New("502"), Dead, 3, 0, 0, "502"},
		{"permanent", 0, 0, fmt.Errorf("x: %w", &platform.PermanentError{Err: errors.New("gone")}), Dead, 1, 0, 0, "x: gone"},
		{"Permanent() false retries", 0, 0, notPermanent{}, Retry, 1, 0, 5 * time.Millisecond, "maybe"},
		// A rate limit is waited out: the job runs again when the window
		// ends (plus jitter up to min(base, 1s)), and no attempt is spent.
		{"rate limit waits for the window", 0, 0, rateLimit, Wait, 0, 1, time.Minute + 5*time.Millisecond, "rate limited, retry after 1m0s: 429"},
		{"short window: no backoff added", 1, 3, fmt.Errorf("w: %w", retryAfterErr(time.Millisecond)), Wait, 1, 4, 6 * time.Millisecond, "w: slow down"},
		{"rate limit on the last attempt still waits", 2, 0, retryAfterErr(time.Second), Wait, 2, 1, time.Second + 5*time.Millisecond, "slow down"},
		{"past MaxRateLimitWaits a rate limit counts", 1, MaxRateLimitWaits, retryAfterErr(time.Second), Retry, 2, MaxRateLimitWaits, time.Second, "slow down"},
		{"and can end the job", 2, MaxRateLimitWaits, retryAfterErr(time.Second), Dead, 3, MaxRateLimitWaits, 0, "slow down"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, j, d := judge(o, Job{ID: "j", Attempt: tc.attempt, Waits: tc.waits, LastError: "old"}, tc.err, half)
			if v != tc.want || j.Attempt != tc.wantAttempt || j.Waits != tc.wantWaits || d != tc.wantDelay {
				t.Errorf("judge = (%v, attempt %d, waits %d, %s), want (%v, %d, %d, %s)",
					v, j.Attempt, j.Waits, d, tc.want, tc.wantAttempt, tc.wantWaits, tc.wantDelay)
			}
			if tc.err != nil && j.LastError != tc.wantErr {
				t.Errorf("LastError = %q, want %q", j.LastError, tc.wantErr)
			}
		})
	}
}

func TestKey(t *testing.T) {
	pr := func(kind platform.Kind, owner string, n int, sha string) Job {
		return Job{Kind: kind, Change: platform.Change{Platform: platform.GitHub,
			Repo: platform.Repo{Owner: owner, Name: "API"}, Number: n, HeadSHA: sha, Ref: "main"}}
	}
	for _, tc := range []struct {
		name string
		j    Job
		want string
	}{
		{"review", pr(platform.KindReview, "acme", 12, "a"), "github:acme/api#12"},
		{"head sha is not part of the key", pr(platform.KindReview, "acme", 12, "b"), "github:acme/api#12"},
		{"owner case ignored", pr(platform.KindReview, "ACME", 12, "a"), "github:acme/api#12"},
		{"rescan of a pull request shares its key", pr(platform.KindRescan, "acme", 12, "a"), "github:acme/api#12"},
		{"push names the branch", pr(platform.KindPush, "acme", 0, "a"), "github:acme/api@main"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.j.Key(); got != tc.want {
				t.Errorf("Key() = %q, want %q", got, tc.want)
			}
		})
	}
}

// The job is plain JSON with stable names: it outlives deploys in Redis.
func TestJobJSON(t *testing.T) {
	j := Job{ID: "id1", DeliveryID: "d1", Kind: platform.KindReview, Attempt: 2, LastError: "boom",
		EnqueuedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Change: platform.Change{Platform: platform.GitLab, Installation: 3,
			Repo: platform.Repo{ID: 9, Owner: "g", Name: "p"}, Number: 4, BaseSHA: "b", HeadSHA: "h", Ref: "f"}}
	got, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"id1","delivery_id":"d1","kind":"review","change":{"platform":"gitlab","installation":3,` +
		`"repo":{"id":9,"owner":"g","name":"p"},"number":4,"base_sha":"b","head_sha":"h","ref":"f"},` +
		`"attempt":2,"enqueued_at":"2025-01-02T03:04:05Z","last_error":"boom"}`
	if string(got) != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
	var back Job
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(j, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("é", maxErrorLen) // 2 bytes each
	got := truncate(long)
	if !utf8.ValidString(got) || len(got) > maxErrorLen+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("truncate: len %d, valid %v", len(got), utf8.ValidString(got))
	}
	if s := "short"; truncate(s) != s {
		t.Errorf("truncate changed a short string")
	}
}

func TestOptions(t *testing.T) {
	o, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if o.DedupeWindow != 72*time.Hour || o.Concurrency != DefaultConcurrency || o.Prefix != DefaultPrefix ||
		o.Consumer == "" || o.Logger == nil || o.Observer == nil {
		t.Errorf("defaults not applied: %+v", o)
	}
	for name, bad := range map[string]Options{
		"negative":        {Concurrency: -1},
		"max below base":  {BackoffBase: time.Minute, BackoffMax: time.Second},
		"negative window": {DedupeWindow: -time.Hour},
		"short window":    {DedupeWindow: time.Hour},
	} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// Decide is the decision judge acts on and a worker asks; a zero limit is
// the queue's default, as in Options.
func TestDecide(t *testing.T) {
	transient := errors.New("502")
	limited := &platform.RateLimitError{After: time.Minute, Err: errors.New("429")}
	for _, tc := range []struct {
		name           string
		attempt, waits int
		err            error
		maxAttempts    int
		want           Outcome
	}{
		{"success", 4, 0, nil, 1, Done},
		{"transient with attempts left", 0, 0, transient, 2, Retry},
		{"transient on the last attempt", 1, 0, transient, 2, Dead},
		{"one attempt only", 0, 0, transient, 1, Dead},
		{"zero limit is the default", DefaultMaxAttempts - 2, 0, transient, 0, Retry},
		{"zero limit ends at the default", DefaultMaxAttempts - 1, 0, transient, 0, Dead},
		{"permanent on the first attempt", 0, 0, fmt.Errorf("x: %w", &platform.PermanentError{Err: transient}), 5, Dead},
		{"Permanent() false is transient", 0, 0, notPermanent{}, 5, Retry},
		{"rate limit waits, even on the last attempt", 4, 0, limited, 5, Wait},
		{"rate limit past the waits is a failure", 0, MaxRateLimitWaits, limited, 5, Retry},
		{"and can be the last", 4, MaxRateLimitWaits, limited, 5, Dead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(Job{Attempt: tc.attempt, Waits: tc.waits}, tc.err, tc.maxAttempts); got != tc.want {
				t.Errorf("Decide = %v, want %v", got, tc.want)
			}
		})
	}
}
