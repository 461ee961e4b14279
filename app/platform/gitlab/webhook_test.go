package gitlab_test

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
	"github.com/shiftward/shiftward/app/platform/gitlab"
)

// corpusDir holds the webhook payloads: the full corpus or testdata/, which
// has every payload and the same delivery index (see scannertest.Data).
func corpusDir(t testing.TB) string { return scannertest.Data(t).Dir }

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		secrets []string
		token   string
		wantErr bool
	}{
		{name: "match", secrets: []string{"test-webhook-token"}, token: "test-webhook-token"},
		{name: "second secret matches (rotation)", secrets: []string{"new", "test-webhook-token"}, token: "test-webhook-token"},
		{name: "first secret matches", secrets: []string{"new", "test-webhook-token"}, token: "new"},
		{name: "wrong token", secrets: []string{"test-webhook-token"}, token: "test-webhook-tokeN", wantErr: true},
		{name: "prefix of the secret", secrets: []string{"test-webhook-token"}, token: "test-webhook", wantErr: true},
		{name: "secret is a prefix", secrets: []string{"test"}, token: "test-webhook-token", wantErr: true},
		{name: "missing header", secrets: []string{"test-webhook-token"}, token: "", wantErr: true},
		{name: "no secrets configured", secrets: nil, token: "x", wantErr: true},
		// An empty configured secret must not turn verification off.
		{name: "empty secret", secrets: []string{""}, token: "", wantErr: true},
		{name: "empty secret skipped", secrets: []string{"", "s3"}, token: "s3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var secrets [][]byte
			for _, s := range tt.secrets {
				secrets = append(secrets, []byte(s))
			}
			err := gitlab.Verify(secrets, tt.token)
			if tt.wantErr {
				if !errors.Is(err, gitlab.ErrToken) {
					t.Fatalf("Verify = %v, want ErrToken", err)
				}
				if err != nil && tt.token != "" && strings.Contains(err.Error(), tt.token) {
					t.Errorf("error %q quotes the token", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify = %v, want nil", err)
			}
		})
	}
}

type delivery struct {
	PayloadFile string            `json:"payload_file"`
	Headers     map[string]string `json:"headers"`
}

func deliveries(t testing.TB) (string, []delivery) {
	t.Helper()
	root := corpusDir(t)
	b, err := os.ReadFile(filepath.Join(root, "webhooks/gitlab/deliveries.index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Deliveries []delivery `json:"deliveries"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Deliveries) == 0 {
		t.Fatal("no deliveries in index")
	}
	return root, idx.Deliveries
}

// handled lists the corpus payloads that ask for work, with the exact event
// expected; every other payload must be ignored without error.
var handled = map[string]platform.Event{
	// open, with oldrev (gitlab4j's sample).
	"webhooks/gitlab/payloads/gitlab4j/merge-request-event.json": {Kind: platform.KindReview, Changes: []platform.Change{{
		Platform: platform.GitLab, Repo: platform.Repo{ID: 1, Owner: "gitlabhq", Name: "gitlab-test", DefaultBranch: "master"},
		Number: 1, BaseSHA: "master", HeadSHA: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Ref: "ms-viewport",
	}}},
	"webhooks/gitlab/payloads/go-gitlab/merge_request.json": {Kind: platform.KindReview, Changes: []platform.Change{{
		Platform: platform.GitLab, Repo: platform.Repo{ID: 1, Owner: "gitlabhq", Name: "gitlab-test", DefaultBranch: "master"},
		Number: 1, BaseSHA: "master", HeadSHA: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Ref: "ms-viewport",
	}}},
	// update with oldrev: new commits.
	"webhooks/gitlab/payloads/go-gitlab/service_merge_request.json": {Kind: platform.KindReview, Changes: []platform.Change{{
		Platform: platform.GitLab, Repo: platform.Repo{ID: 2, Owner: "test", Name: "woodpecker", DefaultBranch: "master"},
		Number: 2, BaseSHA: "master", HeadSHA: "0ab96a10266b95b4b533dcfd98738015fbe70889", Ref: "next-feature",
	}}},
	"webhooks/gitlab/payloads/gitlab4j/external-status-check-event.json": {Kind: platform.KindReview},
	"webhooks/gitlab/payloads/gitlab4j/push-event.json": {Kind: platform.KindPush, Changes: []platform.Change{{
		Platform: platform.GitLab, Repo: platform.Repo{ID: 15, Owner: "mike", Name: "diaspora", DefaultBranch: "master"},
		BaseSHA: "95790bf891e76fee5e1747ab589903a6a1f80f22", HeadSHA: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Ref: "master",
	}}},
	"webhooks/gitlab/payloads/go-gitlab/push.json": {Kind: platform.KindPush, Changes: []platform.Change{{
		Platform: platform.GitLab, Repo: platform.Repo{ID: 15, Owner: "mike", Name: "diaspora", DefaultBranch: "master"},
		BaseSHA: "95790bf891e76fee5e1747ab589903a6a1f80f22", HeadSHA: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Ref: "master",
	}}},
}

func TestParseCorpus(t *testing.T) {
	root, ds := deliveries(t)
	seen := 0
	for _, d := range ds {
		body, err := os.ReadFile(filepath.Join(root, d.PayloadFile))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := gitlab.Parse(d.Headers["X-Gitlab-Event"], body)
		if err != nil {
			t.Errorf("%s: Parse = %v", d.PayloadFile, err)
			continue
		}
		want, ok := handled[d.PayloadFile]
		if !ok {
			if ev.Ignored == "" || ev.Kind != "" || len(ev.Changes) > 0 {
				t.Errorf("%s: got %+v, want ignored", d.PayloadFile, ev)
			}
			continue
		}
		seen++
		if ev.Ignored != "" {
			t.Errorf("%s: ignored (%s), want %s", d.PayloadFile, ev.Ignored, want.Kind)
			continue
		}
		if want.Changes == nil {
			// Checked only for kind and shape: a review of one MR.
			if ev.Kind != want.Kind || len(ev.Changes) != 1 || ev.Changes[0].Number <= 0 {
				t.Errorf("%s: got %+v", d.PayloadFile, ev)
			}
			continue
		}
		if diff := cmp.Diff(&want, ev); diff != "" {
			t.Errorf("%s: event (-want +got):\n%s", d.PayloadFile, diff)
		}
	}
	if seen != len(handled) {
		t.Errorf("saw %d handled payloads, want %d (corpus changed?)", seen, len(handled))
	}
}

// mr builds a Merge Request Hook body around object_attributes.
func mr(attrs string, extra string) []byte {
	return []byte(`{"object_kind":"merge_request","project":{"id":42,"path_with_namespace":"acme/tools/widgets","default_branch":"main"},` +
		`"object_attributes":` + attrs + extra + `}`)
}

const sha1 = "1111111111111111111111111111111111111111"

func TestParse(t *testing.T) {
	noteHead := `{"object_kind":"note","user":{"id":5,"username":"dev"},"project":{"id":42,"path_with_namespace":"acme/tools/widgets","default_branch":"main"},` +
		`"merge_request":{"iid":7,"state":"opened","source_branch":"feature","target_branch":"main","last_commit":{"id":"` + sha1 + `"},"source_project_id":42,"target_project_id":42},`
	head := `"last_commit":{"id":"` + sha1 + `"},"iid":7,"source_branch":"feature","target_branch":"main","state":"opened"`
	review := &platform.Event{Kind: platform.KindReview, Changes: []platform.Change{{
		Platform: platform.GitLab, Repo: platform.Repo{ID: 42, Owner: "acme/tools", Name: "widgets", DefaultBranch: "main"},
		Number: 7, BaseSHA: "main", HeadSHA: sha1, Ref: "feature",
	}}}
	tests := []struct {
		name    string
		event   string
		body    []byte
		want    *platform.Event
		ignored bool
		invalid bool
	}{
		{name: "open", event: "Merge Request Hook", body: mr(`{"action":"open",`+head+`}`, ""), want: review},
		{name: "reopen", event: "Merge Request Hook", body: mr(`{"action":"reopen",`+head+`}`, ""), want: review},
		{name: "draft reviewed", event: "Merge Request Hook", body: mr(`{"action":"open","draft":true,`+head+`}`, ""), want: review},
		{name: "update with oldrev", event: "Merge Request Hook", body: mr(`{"action":"update","oldrev":"`+strings.Repeat("2", 40)+`",`+head+`}`, ""), want: review},
		{name: "update with last_commit change", event: "Merge Request Hook", body: mr(`{"action":"update",`+head+`}`, `,"changes":{"last_commit":{"previous":null,"current":{}}}`), want: review},
		{name: "update title only", event: "Merge Request Hook", body: mr(`{"action":"update",`+head+`}`, `,"changes":{"title":{"previous":"a","current":"b"}}`), ignored: true},
		{name: "approved: reviewed again (suppressions may wait for it)", event: "Merge Request Hook", body: mr(`{"action":"approved",`+head+`}`, ""),
			want: &platform.Event{Kind: platform.KindRescan, Changes: review.Changes}},
		{name: "close", event: "Merge Request Hook", body: mr(`{"action":"close",`+head+`}`, ""), ignored: true},
		{name: "merge", event: "Merge Request Hook", body: mr(`{"action":"merge",`+head+`}`, ""), ignored: true},
		{name: "diff_refs base", event: "Merge Request Hook", body: mr(`{"action":"open","diff_refs":{"base_sha":"`+strings.Repeat("3", 40)+`","head_sha":"`+sha1+`"},`+head+`}`, ""),
			want: &platform.Event{Kind: platform.KindReview, Changes: []platform.Change{{
				Platform: platform.GitLab, Repo: platform.Repo{ID: 42, Owner: "acme/tools", Name: "widgets", DefaultBranch: "main"},
				Number: 7, BaseSHA: strings.Repeat("3", 40), HeadSHA: sha1, Ref: "feature",
			}}}},
		{name: "no last_commit", event: "Merge Request Hook", body: mr(`{"action":"open","iid":7,"source_branch":"f","target_branch":"main"}`, ""), invalid: true},
		{name: "bad sha", event: "Merge Request Hook", body: mr(`{"action":"open","iid":7,"source_branch":"f","last_commit":{"id":"../../x"}}`, ""), invalid: true},
		{name: "no iid", event: "Merge Request Hook", body: mr(`{"action":"open","last_commit":{"id":"`+sha1+`"},"source_branch":"f"}`, ""), invalid: true},
		{name: "no object_attributes", event: "Merge Request Hook", body: []byte(`{"object_kind":"merge_request"}`), invalid: true},
		{name: "no project", event: "Merge Request Hook", body: []byte(`{"object_attributes":{"action":"open",` + head + `}}`), invalid: true},
		{name: "project path odd", event: "Merge Request Hook", body: []byte(`{"project":{"id":1,"path_with_namespace":"../x"},"object_attributes":{"action":"open",` + head + `}}`), invalid: true},
		{name: "not json", event: "Merge Request Hook", body: []byte(`{`), invalid: true},
		{name: "array", event: "Push Hook", body: []byte(`[]`), invalid: true},
		{name: "push", event: "Push Hook", body: []byte(`{"object_kind":"push","ref":"refs/heads/dev","before":"` + strings.Repeat("a", 40) + `","after":"` + sha1 + `","project_id":42,"project":{"id":42,"path_with_namespace":"acme/widgets","default_branch":"main"}}`),
			want: &platform.Event{Kind: platform.KindPush, Changes: []platform.Change{{Platform: platform.GitLab, Repo: platform.Repo{ID: 42, Owner: "acme", Name: "widgets", DefaultBranch: "main"}, BaseSHA: strings.Repeat("a", 40), HeadSHA: sha1, Ref: "dev"}}}},
		{name: "new branch push", event: "Push Hook", body: []byte(`{"object_kind":"push","ref":"refs/heads/dev","before":"` + strings.Repeat("0", 40) + `","after":"` + sha1 + `","project":{"id":42,"path_with_namespace":"acme/widgets","default_branch":"main"}}`),
			want: &platform.Event{Kind: platform.KindPush, Changes: []platform.Change{{Platform: platform.GitLab, Repo: platform.Repo{ID: 42, Owner: "acme", Name: "widgets", DefaultBranch: "main"}, BaseSHA: "main", HeadSHA: sha1, Ref: "dev"}}}},
		{name: "branch deleted", event: "Push Hook", body: []byte(`{"object_kind":"push","ref":"refs/heads/dev","before":"` + sha1 + `","after":"` + strings.Repeat("0", 40) + `","project":{"id":42,"path_with_namespace":"acme/widgets"}}`), ignored: true},
		{name: "tag push", event: "Push Hook", body: []byte(`{"object_kind":"push","ref":"refs/tags/v1","after":"` + sha1 + `"}`), ignored: true},
		{name: "push without after", event: "Push Hook", body: []byte(`{"object_kind":"push","ref":"refs/heads/dev","project":{"id":42,"path_with_namespace":"acme/widgets","default_branch":"main"}}`), invalid: true},
		{name: "note with a command", event: "Note Hook", body: []byte(noteHead + `"object_attributes":{"id":99,"note":"/shiftward rescan","noteable_type":"MergeRequest","discussion_id":"d1"}}`),
			want: &platform.Event{Kind: platform.KindCommand, Changes: []platform.Change{{Platform: platform.GitLab, Repo: review.Changes[0].Repo, Number: 7, HeadSHA: sha1, Ref: "feature"}},
				Command: &platform.Command{Name: "rescan", Line: "/shiftward rescan", Author: "dev", AuthorID: 5, CommentID: 99, Comment: platform.CommentNote, DiscussionID: "d1"}}},
		{name: "note without a command", event: "Note Hook", body: []byte(noteHead + `"object_attributes":{"id":99,"note":"nice","noteable_type":"MergeRequest"}}`), ignored: true},
		{name: "note on an issue", event: "Note Hook", body: []byte(noteHead + `"object_attributes":{"id":99,"note":"/shiftward rescan","noteable_type":"Issue"}}`), ignored: true},
		{name: "system note", event: "Note Hook", body: []byte(noteHead + `"object_attributes":{"id":99,"note":"/shiftward rescan","noteable_type":"MergeRequest","system":true}}`), ignored: true},
		{name: "note without merge request", event: "Note Hook", body: []byte(`{"object_kind":"note","user":{"username":"dev"},"object_attributes":{"id":99,"note":"/shiftward rescan","noteable_type":"MergeRequest"}}`), invalid: true},
		{name: "note malformed", event: "Note Hook", body: []byte(`nope`), invalid: true},
		{name: "system hook", event: "System Hook", body: []byte(`{"event_name":"push"}`), ignored: true},
		{name: "pipeline", event: "Pipeline Hook", body: []byte(`{}`), ignored: true},
		{name: "no event", event: "", body: []byte(`{}`), invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := gitlab.Parse(tt.event, tt.body)
			if tt.invalid {
				var ve *platform.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("Parse = %+v, %v; want ValidationError", ev, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tt.ignored {
				if ev.Ignored == "" || len(ev.Changes) > 0 {
					t.Fatalf("Parse = %+v, want ignored", ev)
				}
				return
			}
			if d := cmp.Diff(tt.want, ev); d != "" {
				t.Errorf("event (-want +got):\n%s", d)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("Merge Request Hook", string(mr(`{"action":"open","iid":7,"last_commit":{"id":"`+sha1+`"},"source_branch":"f","target_branch":"main"}`, "")))
	f.Add("Push Hook", `{"object_kind":"push","ref":"refs/heads/dev","before":"`+strings.Repeat("0", 40)+`","after":"`+sha1+`","project":{"id":42,"path_with_namespace":"a/b","default_branch":"main"}}`)
	f.Add("Note Hook", `{"object_kind":"note"}`)
	f.Fuzz(func(t *testing.T, event, body string) {
		ev, err := gitlab.Parse(event, []byte(body))
		if err != nil {
			var ve *platform.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a ValidationError", err)
			}
			return
		}
		if ev.Ignored == "" && len(ev.Changes) != 1 {
			t.Fatalf("neither ignored nor one change: %+v", ev)
		}
		for _, c := range ev.Changes {
			if ev.Kind == platform.KindCommand && (ev.Command == nil || c.Number <= 0) {
				t.Fatalf("command without command or number: %+v", ev)
			}
			if c.Platform != platform.GitLab || c.Repo.ID <= 0 || (ev.Kind != platform.KindCommand && (c.HeadSHA == "" || c.BaseSHA == "")) || strings.Contains(c.Repo.Name, "/") {
				t.Fatalf("bad change %+v", c)
			}
		}
	})
}

// MatchToken says which secret matched, so its project limits can apply.
func TestMatchTokenSaysWhich(t *testing.T) {
	secrets := [][]byte{[]byte("any-project"), nil, []byte("project-42"), []byte("project-43")}
	for _, tt := range []struct {
		token string
		want  int
	}{
		{"any-project", 0},
		{"project-42", 2},
		{"project-43", 3},
		{"project-4", -1},
		{"", -1},
	} {
		got, err := gitlab.MatchToken(secrets, tt.token)
		if got != tt.want || (err == nil) != (tt.want >= 0) {
			t.Errorf("MatchToken(%q) = %d, %v; want %d", tt.token, got, err, tt.want)
		}
		if tt.want < 0 && !errors.Is(err, gitlab.ErrToken) {
			t.Errorf("MatchToken(%q) = %v, want ErrToken", tt.token, err)
		}
	}
}

// TestTestdataIsTheCorpus: with the full corpus beside the repository,
// testdata/ holds its delivery index, headers.json and every payload the
// index lists, byte for byte, so a fresh clone runs the tests above on the
// same deliveries.
func TestTestdataIsTheCorpus(t *testing.T) {
	rels := []string{"webhooks/gitlab/deliveries.index.json", "webhooks/gitlab/headers.json"}
	_, ds := deliveries(t)
	for _, d := range ds {
		rels = append(rels, d.PayloadFile)
	}
	scannertest.SameAsCorpus(t, rels...)
}
