package secrets

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

var _ scanners.Redactor = (*Scanner)(nil)

// maxRedactBytes bounds the text Redact returns: status lines and error
// messages are short, and a longer one (a parser quoting a whole file) is
// cut rather than scanned whole on every status.
const maxRedactBytes = 64 << 10

// redactTimeout bounds one Redact call. A status text is checked in
// microseconds; one built to be slow is withheld whole rather than let
// out unchecked or hold up the review.
const redactTimeout = time.Second

// shortText is the length up to which a text is checked without a timer:
// the rules get through 4 KiB of even the slowest text in milliseconds.
const shortText = 4 << 10

// Redact returns text with every secret the scanner's rules find in it
// masked the way findings show them ("ghp_…(40 chars)", see Redact), for
// texts that leave the scanners other than as findings: a parser's error
// quoting the token that broke it, a status line. Every rule with a
// regex runs, whatever its path filter, since a text has no path; rules
// run only where the prefilter found one of their keywords, so a text
// without any costs one pass of the prefilter.
//
// A text over 64 KiB is cut to 64 KiB after masking; the masking reads
// up to 32 KiB further, so a secret the cut would split (a token, a PEM
// key) is still found whole and masked, not left half-quoted. A text the
// rules cannot get through in a second is withheld whole.
func (s *Scanner) Redact(text string) string {
	if len(text) <= shortText {
		// Milliseconds at worst: no timer needed (nor its allocations).
		return s.redact(context.Background(), text)
	}
	ctx, cancel := context.WithTimeout(context.Background(), redactTimeout)
	defer cancel()
	return s.redact(ctx, text)
}

// redact is Redact within ctx's time.
func (s *Scanner) redact(ctx context.Context, text string) string {
	if text == "" {
		return text
	}
	scanned := text
	if len(scanned) > maxRedactBytes+blockBytes {
		scanned = cutRunes(scanned, maxRedactBytes+blockBytes)
	}
	out, err := s.mask(ctx, scanned)
	if err != nil {
		// Not checked whole: nothing of it may go out.
		return fmt.Sprintf("[%d bytes withheld: not checked for secrets in time]", len(text))
	}
	if len(out) > maxRedactBytes {
		return cutRunes(out, maxRedactBytes) + "…(truncated)"
	}
	if len(scanned) < len(text) {
		return out + "…(truncated)"
	}
	return out
}

// mask replaces each secret found in text by its redacted form.
func (s *Scanner) mask(ctx context.Context, text string) (string, error) {
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	cs := &sc.cs
	cs.path, cs.active = "", s.eng.redactActive
	defer func() { cs.text, cs.active = "", nil }()
	ms, err := cs.scan(ctx, text)
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		return text, nil
	}
	spans := make([]window, 0, len(ms))
	for _, m := range ms {
		spans = append(spans, window{m.secretStart, m.secretEnd})
	}
	slices.SortFunc(spans, func(a, b window) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for i := 0; i < len(spans); {
		// Overlapping secrets (two rules on one token) are masked as one.
		w := spans[i]
		for i++; i < len(spans) && spans[i].start < w.end; i++ {
			w.end = max(w.end, spans[i].end)
		}
		b.WriteString(text[prev:w.start])
		b.WriteString(Redact(text[w.start:w.end]))
		prev = w.end
	}
	b.WriteString(text[prev:])
	return b.String(), nil
}

// cutRunes is s's first n bytes at most, not splitting a UTF-8 sequence.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
