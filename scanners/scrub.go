package scanners

import (
	"errors"
	"slices"
	"strings"
)

// minSecretPiece is the shortest piece of a secret Scrub looks for: shorter
// runs ("key", "=") would match innocent text.
const minSecretPiece = 8

// Scrub keeps secret material out of what findings say. For every
// Sensitive finding it reads the secret from inputs (the span its Location
// names) and, in every finding: masks it in Evidence and Message, and drops
// a Fix any of whose edits would still hold it (a line with two secrets: the
// fix of one must not suggest the other again). Findings of files not in
// inputs are left as they are.
func Scrub(fs []Finding, inputs []*Input) {
	mask := masker(fs, inputs)
	if mask == nil {
		return
	}
	for i := range fs {
		f := &fs[i]
		f.Evidence, f.Message = mask(f.Evidence), mask(f.Message)
		if f.Fix != nil && slices.ContainsFunc(f.Fix.Edits(), func(e Edit) bool { return mask(e.Replacement) != e.Replacement }) {
			f.Fix = nil
			f.Message += "\n\nNo suggestion is offered: the line holds another secret, which a suggestion would repeat."
		}
	}
}

// ScrubStatuses keeps secret material out of res's status errors, which
// leave the scanners as "not scanned" lines of a review, of a log, of a
// check: a parser's error may quote the token that broke it. Each error is
// masked with the secrets res found (as Scrub masks findings) and passed
// through every Redactor in list, which finds those no finding named (a
// token in a file whose scanner was off, in a path outside the change).
func ScrubStatuses(res *Result, list []Scanner, inputs []*Input) {
	mask := masker(res.Findings, inputs)
	for i := range res.Statuses {
		errs := res.Statuses[i].Errors
		for j, err := range errs {
			msg := err.Error()
			clean := msg
			if mask != nil {
				clean = mask(clean)
			}
			clean = Redact(list, clean)
			if clean != msg {
				r := &redactedError{msg: clean, err: err}
				r.path, _ = ErrorPath(err)
				errs[j] = r
			}
		}
	}
}

// redactedError is an error whose text had a secret masked. It still
// unwraps (errors.Is(err, ErrBound) keeps working), but only its masked
// text is ever printed.
type redactedError struct {
	msg  string
	err  error
	path string
}

func (e *redactedError) Error() string { return e.msg }

// FilePath names the file the original error was about ("" for none).
func (e *redactedError) FilePath() string { return e.path }

// Is reports whether the original error is target, without handing the
// original (and its unmasked text) out through Unwrap.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// masker returns a function masking the secrets of fs's Sensitive findings,
// or nil when there are none.
func masker(fs []Finding, inputs []*Input) func(string) string {
	var secrets []string
	for i := range fs {
		if fs[i].Sensitive {
			secrets = append(secrets, secretPieces(&fs[i], inputs)...)
		}
	}
	if len(secrets) == 0 {
		return nil
	}
	return func(s string) string {
		for _, sec := range secrets {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
		return s
	}
}

// secretPieces is the text of a Sensitive finding's span, by line.
func secretPieces(f *Finding, inputs []*Input) []string {
	l := f.Location
	if l.StartColumn <= 0 || l.EndColumn <= 0 || l.EndLine < l.StartLine {
		return nil
	}
	var in *Input
	for _, x := range inputs {
		if x.Path == l.Path {
			in = x
			break
		}
	}
	if in == nil {
		return nil
	}
	var out []string
	for _, line := range in.Added {
		if line.Number < l.StartLine || line.Number > l.EndLine {
			continue
		}
		text := line.Text
		from, to := 0, len(text)
		if line.Number == l.StartLine {
			from = l.StartColumn - 1
		}
		if line.Number == l.EndLine {
			to = l.EndColumn
		}
		if from < 0 || to > len(text) || from >= to {
			continue
		}
		if piece := strings.TrimSpace(text[from:to]); len(piece) >= minSecretPiece {
			out = append(out, piece)
		}
	}
	return out
}
