package githubtest_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"

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
