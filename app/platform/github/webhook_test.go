package github_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
)

// corpusDir holds the webhook payloads: the full corpus or testdata/, which
// has every payload and the same delivery index (see scannertest.Data).
func corpusDir(t testing.TB) string { return scannertest.Data(t).Dir }

type delivery struct {
	PayloadFile string            `json:"payload_file"`
	Headers     map[string]string `json:"headers"`
}

func deliveries(t testing.TB) (string, string, []delivery) {
	t.Helper()
	root := corpusDir(t)
	b, err := os.ReadFile(filepath.Join(root, "webhooks/github/deliveries.index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Secret     string     `json:"secret"`
		Deliveries []delivery `json:"deliveries"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Deliveries) == 0 {
		t.Fatal("no deliveries in index")
	}
	return root, idx.Secret, idx.Deliveries
}

func TestVerify(t *testing.T) {
	const docsSecret = "It's a Secret to Everybody"
	hello := []byte("Hello, World!")
	tests := []struct {
		name    string
		secrets []string
		body    []byte
		header  string
		wantErr bool
	}{
		{
			// GitHub's documented test vector (validating-webhook-deliveries.md),
			// also in corpus webhooks/github/headers.json signature_test_vector.
			name:    "github docs vector",
			secrets: []string{docsSecret},
			body:    hello,
			header:  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
		},
		{
			// Same vector with the new secret listed second: rotation.
			name:    "second secret matches",
			secrets: []string{"new-secret", docsSecret},
			body:    hello,
			header:  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
		},
		{
			// printf 'Hello, World!' | openssl dgst -sha256 -hmac 'new-secret'
			name:    "first secret matches",
			secrets: []string{"new-secret", docsSecret},
			body:    hello,
			header:  "sha256=693585aa43518a80e267fbc0ace9296f035480e1a1b11cd09cf6a9b8a7ef0330",
		},
		{
			name:    "body changed",
			secrets: []string{docsSecret},
			body:    []byte("Hello, World?"),
			header:  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
			wantErr: true,
		},
		{
			name:    "wrong secret",
			secrets: []string{"It's a Secret to Nobody"},
			body:    hello,
			header:  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
			wantErr: true,
		},
		{name: "missing header", secrets: []string{docsSecret}, body: hello, header: "", wantErr: true},
		{
			// The legacy X-Hub-Signature value, a correct HMAC-SHA1
			// (openssl dgst -sha1 -hmac), is not accepted.
			name:    "sha1 prefix",
			secrets: []string{docsSecret},
			body:    hello,
			header:  "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59",
			wantErr: true,
		},
		{name: "not hex", secrets: []string{docsSecret}, body: hello, header: "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", wantErr: true},
		{name: "truncated", secrets: []string{docsSecret}, body: hello, header: "sha256=757107ea0eb2509fc211221cce984b8a", wantErr: true},
		{name: "no secrets configured", secrets: nil, body: hello, header: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", wantErr: true},
		{
			// HMAC-SHA256 of the empty body under the empty key (python3
			// hmac.new(b'', b'', sha256)): an empty configured secret must not
			// turn verification off.
			name:    "empty secret",
			secrets: []string{""},
			body:    nil,
			header:  "sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var secrets [][]byte
			for _, s := range tt.secrets {
				secrets = append(secrets, []byte(s))
			}
			err := github.Verify(secrets, tt.body, tt.header)
			if tt.wantErr {
				if !errors.Is(err, github.ErrSignature) {
					t.Fatalf("Verify = %v, want ErrSignature", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify = %v, want nil", err)
			}
		})
	}
}

// Every corpus delivery carries X-Hub-Signature-256 computed over the file's
// exact bytes with the docs secret; one flipped byte must fail.
func TestVerifyCorpus(t *testing.T) {
	root, secret, ds := deliveries(t)
	for _, d := range ds {
		body, err := os.ReadFile(filepath.Join(root, d.PayloadFile))
		if err != nil {
			t.Fatal(err)
		}
		sig := d.Headers["X-Hub-Signature-256"]
		if err := github.Verify([][]byte{[]byte("other"), []byte(secret)}, body, sig); err != nil {
			t.Errorf("%s: Verify = %v", d.PayloadFile, err)
		}
		body[len(body)/2] ^= 1
		if err := github.Verify([][]byte{[]byte(secret)}, body, sig); !errors.Is(err, github.ErrSignature) {
			t.Errorf("%s: tampered body: Verify = %v, want ErrSignature", d.PayloadFile, err)
		}
	}
}

const (
	prBase = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	prHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
)

var helloWorld = platform.Repo{ID: 186853002, Owner: "Codertocat", Name: "Hello-World", DefaultBranch: "master"}

func prChange(installation int64) platform.Change {
	return platform.Change{
		Platform: platform.GitHub, Installation: installation, Repo: helloWorld,
		Number: 2, BaseSHA: prBase, HeadSHA: prHead, Ref: "changes",
	}
}

// handled lists the corpus payloads that ask for a review, with the exact
// event expected; every other payload must be ignored without error.
var handled = map[string]platform.Event{
	"pull_request/opened.payload.json":                             {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"pull_request/opened.with-null-body.json":                      {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"pull_request/opened.with-organization.payload.json":           {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"pull_request/reopened.payload.json":                           {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"pull_request/reopened.with-organization.payload.json":         {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"pull_request/synchronize.payload.json":                        {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"pull_request/ready_for_review.with-installation.payload.json": {Kind: platform.KindReview, Changes: []platform.Change{prChange(1)}},
	"check_suite/rerequested.payload.json":                         {Kind: platform.KindRescan, Changes: []platform.Change{prChange(957387)}},
	"check_suite/rerequested.with-organization.payload.json":       {Kind: platform.KindRescan, Changes: []platform.Change{prChange(957387)}},
	"check_run/rerequested.payload.json":                           {Kind: platform.KindRescan, Changes: []platform.Change{checkRunChange}},
	"check_run/rerequested.with-organization.payload.json":         {Kind: platform.KindRescan, Changes: []platform.Change{checkRunChange}},
	"push/with-new-branch.payload.json":                            {Kind: platform.KindPush, Changes: []platform.Change{newBranchPush}},
	"push/with-no-username-committer.payload.json":                 {Kind: platform.KindPush, Changes: []platform.Change{newBranchPush}},
}

// A re-run on a branch with no pull request: scanned like a push of the
// suite's before..head range.
var checkRunChange = platform.Change{
	Platform: platform.GitHub, Installation: 1,
	Repo:    platform.Repo{ID: 526, Owner: "github", Name: "hello-world", DefaultBranch: "master"},
	BaseSHA: "146e867f55c26428e5f9fade55a9bbf5e95a7912", HeadSHA: "d6fde92930d4715a2b49857d24b940956b26d2d3", Ref: "master",
}

// A new branch (before all zeros) is compared with the default branch.
var newBranchPush = platform.Change{
	Platform: platform.GitHub, Installation: 1, Repo: helloWorld,
	BaseSHA: "master", HeadSHA: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", Ref: "master",
}

func TestParseCorpus(t *testing.T) {
	root, _, ds := deliveries(t)
	seen := map[string]bool{}
	for _, d := range ds {
		name := strings.TrimPrefix(d.PayloadFile, "webhooks/github/payloads/")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(root, d.PayloadFile))
			if err != nil {
				t.Fatal(err)
			}
			id := d.Headers["X-GitHub-Delivery"]
			got, err := github.Parse(d.Headers["X-GitHub-Event"], id, body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want, ok := handled[name]
			if !ok {
				if got.Ignored == "" || len(got.Changes) != 0 {
					t.Fatalf("Parse = %+v, want ignored", got)
				}
				return
			}
			seen[name] = true
			want.DeliveryID = id
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for name := range handled {
		if !seen[name] {
			t.Errorf("handled payload %s not in the corpus index", name)
		}
	}
}

func TestParseEdgeCases(t *testing.T) {
	const sha1, sha2 = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"
	repo := `"repository":{"id":7,"name":"r","owner":{"login":"o"},"default_branch":"main"},"installation":{"id":9}`
	want := platform.Change{Platform: platform.GitHub, Installation: 9, Repo: platform.Repo{ID: 7, Owner: "o", Name: "r", DefaultBranch: "main"}}
	with := func(f func(*platform.Change)) []platform.Change { c := want; f(&c); return []platform.Change{c} }
	tests := []struct {
		name, event, body string
		want              *platform.Event
		invalid           bool
	}{
		{name: "not json", event: "push", body: `{`, invalid: true},
		{name: "json array", event: "pull_request", body: `[]`, invalid: true},
		{name: "missing event", event: "", body: `{}`, invalid: true},
		{name: "unknown event", event: "issues", body: `not even json`, want: &platform.Event{Ignored: `event "issues" is not handled`}},
		{
			name: "draft pull request is reviewed", event: "pull_request",
			body: `{"action":"opened","number":5,"pull_request":{"number":5,"state":"open","draft":true,"head":{"ref":"f","sha":"` + sha2 + `"},"base":{"ref":"main","sha":"` + sha1 + `"}},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindReview, Changes: with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 5, sha1, sha2, "f" })},
		},
		{
			name: "closed pull request synchronize", event: "pull_request",
			body: `{"action":"synchronize","number":5,"pull_request":{"state":"closed","head":{"sha":"` + sha2 + `"},"base":{"sha":"` + sha1 + `"}},` + repo + `}`,
			want: &platform.Event{Ignored: "pull request is closed"},
		},
		{
			name: "pull request without head sha", event: "pull_request",
			body:    `{"action":"opened","number":5,"pull_request":{"state":"open","base":{"sha":"` + sha1 + `"}},` + repo + `}`,
			invalid: true,
		},
		{
			name: "pull request with short sha", event: "pull_request",
			body:    `{"action":"opened","number":5,"pull_request":{"state":"open","head":{"sha":"abc"},"base":{"sha":"` + sha1 + `"}},` + repo + `}`,
			invalid: true,
		},
		{
			name: "repository owner with a slash", event: "pull_request",
			body:    `{"action":"opened","number":5,"pull_request":{"state":"open","head":{"sha":"` + sha2 + `"},"base":{"sha":"` + sha1 + `"}},"repository":{"id":7,"name":"r","owner":{"login":"o/../x"}},"installation":{"id":9}}`,
			invalid: true,
		},
		{
			name: "push to a branch", event: "push",
			body: `{"ref":"refs/heads/feature/x","before":"` + sha1 + `","after":"` + sha2 + `",` + repo + `}`,
			want: &platform.Event{Kind: platform.KindPush, Changes: with(func(c *platform.Change) { c.BaseSHA, c.HeadSHA, c.Ref = sha1, sha2, "feature/x" })},
		},
		{
			name: "branch deletion", event: "push",
			body: `{"ref":"refs/heads/x","before":"` + sha1 + `","after":"0000000000000000000000000000000000000000","deleted":true,` + repo + `}`,
			want: &platform.Event{Ignored: "push deletes the branch"},
		},
		{
			name: "tag push", event: "push",
			body: `{"ref":"refs/tags/v1","before":"` + sha1 + `","after":"` + sha2 + `",` + repo + `}`,
			want: &platform.Event{Ignored: "push is not to a branch"},
		},
		{
			name: "push without repository", event: "push",
			body:    `{"ref":"refs/heads/x","before":"` + sha1 + `","after":"` + sha2 + `","installation":{"id":9}}`,
			invalid: true,
		},
		{
			name: "check suite naming two pull requests", event: "check_suite",
			body: `{"action":"rerequested","check_suite":{"head_sha":"` + sha2 + `","pull_requests":[` +
				`{"number":1,"head":{"ref":"a","sha":"` + sha2 + `"},"base":{"sha":"` + sha1 + `"}},` +
				`{"number":3,"head":{"ref":"a","sha":"` + sha2 + `"},"base":{"sha":"` + sha1 + `"}}]},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindRescan, Changes: append(
				with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 1, sha1, sha2, "a" }),
				with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 3, sha1, sha2, "a" })...)},
		},
		{
			name: "conversation comment with a command", event: "issue_comment",
			body: `{"action":"created","issue":{"number":5,"state":"open","pull_request":{"url":"x"}},"comment":{"id":77,"body":"thanks!\r\n/shiftward ignore secrets/aws-key test fixture --until 2027-01-31","user":{"login":"octo","id":3,"type":"User"}},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindCommand, Changes: with(func(c *platform.Change) { c.Number = 5 }),
				Command: &platform.Command{Name: "ignore", Args: []string{"secrets/aws-key", "test", "fixture", "--until", "2027-01-31"},
					Line: "/shiftward ignore secrets/aws-key test fixture --until 2027-01-31", Author: "octo", AuthorID: 3, CommentID: 77, Comment: platform.CommentIssue}},
		},
		{
			name: "review comment with a command", event: "pull_request_review_comment",
			body: `{"action":"created","pull_request":{"number":5,"state":"open","head":{"ref":"f","sha":"` + sha2 + `"},"base":{"ref":"main","sha":"` + sha1 + `"}},"comment":{"id":78,"body":"/shiftward explain secrets/aws-key","user":{"login":"octo","id":3,"type":"User"}},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindCommand, Changes: with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 5, sha1, sha2, "f" }),
				Command: &platform.Command{Name: "explain", Args: []string{"secrets/aws-key"}, Line: "/shiftward explain secrets/aws-key", Author: "octo", AuthorID: 3, CommentID: 78, Comment: platform.CommentReview}},
		},
		{
			name: "comment quoting a command", event: "issue_comment",
			body: `{"action":"created","issue":{"number":5,"state":"open","pull_request":{}},"comment":{"id":77,"body":"> /shiftward rescan\n` + "```\\n/shiftward rescan\\n```" + `","user":{"login":"octo","type":"User"}},` + repo + `}`,
			want: &platform.Event{Ignored: "comment holds no /shiftward command"},
		},
		{
			name: "bot comment", event: "issue_comment",
			body: `{"action":"created","issue":{"number":5,"pull_request":{}},"comment":{"id":77,"body":"/shiftward rescan","user":{"login":"shiftward[bot]","type":"Bot"}},` + repo + `}`,
			want: &platform.Event{Ignored: "comment by a bot"},
		},
		{
			name: "issue (not pull request) comment", event: "issue_comment",
			body: `{"action":"created","issue":{"number":5},"comment":{"id":77,"body":"/shiftward rescan","user":{"login":"octo","type":"User"}},` + repo + `}`,
			want: &platform.Event{Ignored: "comment is on an issue, not a pull request"},
		},
		{
			name: "edited comment", event: "issue_comment",
			body: `{"action":"edited","issue":{"number":5,"pull_request":{}},"comment":{"id":77,"body":"/shiftward rescan","user":{"login":"octo","type":"User"}},` + repo + `}`,
			want: &platform.Event{Ignored: `issue_comment action "edited" is not handled`},
		},
		{
			name: "apply fixes button", event: "check_run",
			body: `{"action":"requested_action","requested_action":{"identifier":"apply_fixes"},"check_run":{"head_sha":"` + sha2 + `","check_suite":{"head_branch":"f"},"pull_requests":[{"number":5,"head":{"ref":"f","sha":"` + sha2 + `"},"base":{"ref":"main","sha":"` + sha1 + `"}}]},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindApplyFixes, Changes: with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 5, sha1, sha2, "f" })},
		},
		{
			name: "re-run button", event: "check_run",
			body: `{"action":"requested_action","requested_action":{"identifier":"rerun"},"check_run":{"head_sha":"` + sha2 + `","check_suite":{"head_branch":"f"},"pull_requests":[{"number":5,"head":{"ref":"f","sha":"` + sha2 + `"},"base":{"ref":"main","sha":"` + sha1 + `"}}]},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindRescan, Changes: with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 5, sha1, sha2, "f" })},
		},
		{
			name: "approval", event: "pull_request_review",
			body: `{"action":"submitted","review":{"state":"approved","commit_id":"` + sha2 + `"},"pull_request":{"number":5,"state":"open","head":{"ref":"f","sha":"` + sha2 + `"},"base":{"ref":"main","sha":"` + sha1 + `"}},` + repo + `}`,
			want: &platform.Event{Kind: platform.KindRescan, Changes: with(func(c *platform.Change) { c.Number, c.BaseSHA, c.HeadSHA, c.Ref = 5, sha1, sha2, "f" })},
		},
		{
			name: "check suite requested", event: "check_suite",
			body: `{"action":"requested","check_suite":{}}`,
			want: &platform.Event{Ignored: `check_suite action "requested" is not handled`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := github.Parse(tt.event, "d-1", []byte(tt.body))
			if tt.invalid {
				var ve *platform.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("Parse = %+v, %v; want *platform.ValidationError", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.want.DeliveryID = "d-1"
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	root := corpusDir(f)
	_, _, ds := deliveries(f)
	for _, d := range ds {
		if b, err := os.ReadFile(filepath.Join(root, d.PayloadFile)); err == nil {
			f.Add(d.Headers["X-GitHub-Event"], b)
		}
	}
	f.Add("push", []byte(`{"ref":"refs/heads/x","before":"0","after":null}`))
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		ev, err := github.Parse(event, "fuzz", body)
		if err != nil {
			var ve *platform.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error is not a ValidationError: %v", err)
			}
			return
		}
		if (ev.Ignored == "") == (len(ev.Changes) == 0) {
			t.Fatalf("event must be either ignored or carry changes: %+v", ev)
		}
		for _, c := range ev.Changes {
			if ev.Kind == platform.KindCommand && (ev.Command == nil || c.Number <= 0) {
				t.Fatalf("command without command or number: %+v", ev)
			}
			if (ev.Kind != platform.KindCommand && (c.HeadSHA == "" || c.BaseSHA == "")) || c.Repo.Owner == "" || c.Repo.Name == "" || c.Installation <= 0 {
				t.Fatalf("incomplete change: %+v", c)
			}
		}
	})
}

// The header's shape is judged alone, before any body: exactly "sha256="
// and 64 hex digits.
func TestParseSignature(t *testing.T) {
	good := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	for _, tt := range []struct {
		header string
		ok     bool
	}{
		{good, true},
		{"  " + good + " ", true},
		{"sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17", true},
		{"", false},
		{"sha256=", false},
		{"sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", false},
		{good + "00", false},
		{good[:len(good)-2], false},
		{"sha256=" + strings.Repeat("g", 64), false},
		{"SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", false},
	} {
		_, err := github.ParseSignature(tt.header)
		if (err == nil) != tt.ok {
			t.Errorf("ParseSignature(%q) = %v, want ok %v", tt.header, err, tt.ok)
		}
		if err != nil && !errors.Is(err, github.ErrSignature) {
			t.Errorf("ParseSignature(%q) = %v, want ErrSignature", tt.header, err)
		}
	}
}

// Writing the body in pieces gives the same verdict as Verify over it whole.
func TestVerifierStreams(t *testing.T) {
	const docsSecret = "It's a Secret to Everybody"
	sig := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	for _, tt := range []struct {
		pieces []string
		ok     bool
	}{
		{[]string{"Hello, World!"}, true},
		{[]string{"Hel", "lo, ", "", "World!"}, true},
		{[]string{"Hello, World"}, false},
		{[]string{"Hello, World!", "!"}, false},
	} {
		v, err := github.NewVerifier([][]byte{[]byte("other"), []byte(docsSecret)}, sig)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range tt.pieces {
			v.Write([]byte(p))
		}
		if err := v.Verify(); (err == nil) != tt.ok {
			t.Errorf("pieces %q: Verify = %v, want ok %v", tt.pieces, err, tt.ok)
		}
	}
}

// TestTestdataIsTheCorpus: with the full corpus beside the repository,
// testdata/ holds its delivery index, headers.json and every payload the
// index lists, byte for byte, so a fresh clone runs the tests above on the
// same deliveries.
func TestTestdataIsTheCorpus(t *testing.T) {
	rels := []string{"webhooks/github/deliveries.index.json", "webhooks/github/headers.json"}
	_, _, ds := deliveries(t)
	for _, d := range ds {
		rels = append(rels, d.PayloadFile)
	}
	scannertest.SameAsCorpus(t, rels...)
}
