package githubtest_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/google/go-cmp/cmp"
	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// The fake checks the App JWT as GitHub does: RS256 by the App's key, iss
// the App id, expiring within ten minutes.
func TestAccessTokenChecksJWT(t *testing.T) {
	keyPEM, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := githubtest.New(t, 42, keyPEM)
	srv.AddRepo(githubtest.Repo{ID: 1, Owner: "o", Name: "r", Installation: 7})
	now := time.Now()
	sign := func(iss string, exp time.Duration, method jwt.SigningMethod, k any) string {
		tok := jwt.NewWithClaims(method, jwt.RegisteredClaims{
			Issuer: iss, IssuedAt: jwt.NewNumericDate(now.Add(-30 * time.Second)), ExpiresAt: jwt.NewNumericDate(now.Add(exp)),
		})
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name   string
		token  string
		inst   int
		status int
	}{
		{"valid", sign("42", 2*time.Minute, jwt.SigningMethodRS256, key), 7, http.StatusCreated},
		{"other app", sign("43", 2*time.Minute, jwt.SigningMethodRS256, key), 7, http.StatusUnauthorized},
		{"expires too late", sign("42", 11*time.Minute, jwt.SigningMethodRS256, key), 7, http.StatusUnauthorized},
		{"expired", sign("42", -time.Minute, jwt.SigningMethodRS256, key), 7, http.StatusUnauthorized},
		{"hmac", sign("42", 2*time.Minute, jwt.SigningMethodHS256, []byte("k")), 7, http.StatusUnauthorized},
		{"unknown installation", sign("42", 2*time.Minute, jwt.SigningMethodRS256, key), 8, http.StatusNotFound},
		{"no token", "", 7, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"app/installations/"+strconv.Itoa(tt.inst)+"/access_tokens", nil)
			req.Header.Set("Authorization", "Bearer "+tt.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	// API calls without a token it issued are refused.
	resp, err := http.Get(srv.URL + "repos/o/r/pulls/1/files")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unauthenticated API call: %d, want 401", resp.StatusCode)
	}
	if srv.TokenRequests() != 1 {
		t.Errorf("%d tokens issued, want 1", srv.TokenRequests())
	}
}

func TestBlobSHAIsGits(t *testing.T) {
	// printf 'hello\n' | git hash-object --stdin
	if got := githubtest.BlobSHA([]byte("hello\n")); got != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("BlobSHA = %s", got)
	}
	// git hash-object /dev/null
	if got := githubtest.BlobSHA(nil); got != "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391" {
		t.Errorf("BlobSHA(empty) = %s", got)
	}
}

// The trees API answers from the contents seeded at a commit plus the
// entries seeded with SetTree, recursively only when asked, and truncates
// past the limit.
func TestGetTree(t *testing.T) {
	keyPEM, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	srv := githubtest.New(t, 42, keyPEM)
	srv.AddRepo(githubtest.Repo{ID: 1, Owner: "o", Name: "r", Installation: 7})
	srv.SetContent("o", "r", "c1", "a/b/x.go", []byte("hello\n"))
	srv.SetContent("o", "r", "c1", "top.txt", []byte(""))
	srv.SetContent("o", "r", "c2", "other.txt", []byte("no"))
	srv.SetTree("o", "r", "c1", []githubtest.TreeEntry{
		{Path: "a/link", Mode: "120000", SHA: "1111111111111111111111111111111111111111"},
		{Path: "sub", Mode: "160000", Type: "commit", SHA: "2222222222222222222222222222222222222222"},
	})
	c := appClient(t, srv, keyPEM, 7)

	tr, _, err := c.Git.GetTree(context.Background(), "o", "r", "c1", true)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct{ Path, Mode, Type, SHA string }
	var got []entry
	for _, e := range tr.Entries {
		sha := e.GetSHA()
		if e.GetType() == "tree" {
			sha = "" // the fake's directory ids are its own
		}
		got = append(got, entry{e.GetPath(), e.GetMode(), e.GetType(), sha})
	}
	want := []entry{
		{"a", "040000", "tree", ""},
		{"a/b", "040000", "tree", ""},
		{"a/b/x.go", "100644", "blob", "ce013625030ba8dba906f756967f9e9ca394464a"},
		{"a/link", "120000", "blob", "1111111111111111111111111111111111111111"},
		{"sub", "160000", "commit", "2222222222222222222222222222222222222222"},
		{"top.txt", "100644", "blob", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("recursive tree (-want +got):\n%s", d)
	}
	if tr.Truncated == nil || *tr.Truncated {
		t.Errorf("truncated = %v, want false", tr.Truncated)
	}

	flat, _, err := c.Git.GetTree(context.Background(), "o", "r", "c1", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(flat.Entries) != 3 { // a, sub, top.txt
		t.Errorf("top-level tree has %d entries, want 3", len(flat.Entries))
	}

	srv.SetTreeLimit(2)
	cut, _, err := c.Git.GetTree(context.Background(), "o", "r", "c1", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(cut.Entries) != 2 || !cut.GetTruncated() {
		t.Errorf("limited tree: %d entries, truncated %v; want 2, true", len(cut.Entries), cut.GetTruncated())
	}

	if _, resp, err := c.Git.GetTree(context.Background(), "o", "r", "nope", true); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown commit: err %v, want 404", err)
	}
	if n := len(srv.CallsTo(githubtest.RouteGetTree)); n != 4 {
		t.Errorf("%d tree calls recorded, want 4", n)
	}
}

// appClient is a go-github client authenticated as installation inst of
// the fake's App.
func appClient(t *testing.T, srv *githubtest.Server, keyPEM []byte, inst int64) *gh.Client {
	t.Helper()
	key, err := jwt.ParseRSAPrivateKeyFromPEM(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		Issuer: strconv.FormatInt(srv.AppID, 10), IssuedAt: jwt.NewNumericDate(now.Add(-30 * time.Second)), ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	app, err := gh.NewClient(nil).WithAuthToken(tok).WithEnterpriseURLs(srv.URL, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	app.BaseURL, _ = url.Parse(srv.URL)
	it, _, err := app.Apps.CreateInstallationToken(context.Background(), inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := gh.NewClient(nil).WithAuthToken(it.GetToken())
	c.BaseURL, _ = url.Parse(srv.URL)
	return c
}
