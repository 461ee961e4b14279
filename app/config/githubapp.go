package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// EnvGitHubAppFile names the JSON file `shiftward setup github` writes: the
// app's id, private key and webhook secret in one place, instead of
// SHIFTWARD_GITHUB_APP_ID, SHIFTWARD_GITHUB_PRIVATE_KEY(_FILE) and
// SHIFTWARD_GITHUB_WEBHOOK_SECRET.
const EnvGitHubAppFile = "SHIFTWARD_GITHUB_APP_FILE"

// maxGitHubAppFile bounds the app file: a 4096-bit key and a few names fit
// in 8 KiB.
const maxGitHubAppFile = 64 << 10

// GitHubAppFile is what GitHub's manifest conversion
// (POST /app-manifests/{code}/conversions) answers and shiftward keeps: the
// app's identity, and the two secrets the server needs. The client secret
// (OAuth, which shiftward does not use) is left out.
type GitHubAppFile struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug,omitempty"`
	Name string `json:"name,omitempty"`
	// ClientID identifies the app (it is public); HTMLURL is its page.
	ClientID string `json:"client_id,omitempty"`
	HTMLURL  string `json:"html_url,omitempty"`
	// PEM is the app's private key; WebhookSecret signs its deliveries.
	PEM           string `json:"pem"`
	WebhookSecret string `json:"webhook_secret"`
}

// Check says what is missing or malformed, naming fields, never values.
func (f *GitHubAppFile) Check() error {
	switch {
	case f.ID <= 0:
		return errors.New("id is missing or not positive (the App ID)")
	case !strings.Contains(f.PEM, "PRIVATE KEY-----"):
		return errors.New("pem does not hold a PEM private key")
	case f.WebhookSecret == "":
		return errors.New("webhook_secret is missing")
	}
	return nil
}

// ReadGitHubAppFile reads and checks the app file at name. A file every
// user may read is a warning, not an error: Kubernetes mounts Secret volumes
// 0644 and Docker secrets 0444 by default, where the container's user is the
// boundary; on a shared host the operator should see it. Group read alone is
// no warning: a Secret mounted 0440 for the pod's fsGroup is the right setup.
func ReadGitHubAppFile(name string) (*GitHubAppFile, []string, error) {
	bad := func(format string, a ...any) error {
		return &Error{EnvGitHubAppFile, fmt.Sprintf(format, a...)}
	}
	fh, err := os.Open(name)
	if err != nil {
		return nil, nil, bad("cannot read: %v", errors.Unwrap(err))
	}
	defer fh.Close()
	var warnings []string
	st, err := fh.Stat()
	if err != nil {
		return nil, nil, bad("cannot read: %v", err)
	}
	if !st.Mode().IsRegular() {
		return nil, nil, bad("%s is not a regular file", name)
	}
	if st.Mode().Perm()&0o007 != 0 {
		warnings = append(warnings, fmt.Sprintf("%s: %s is readable by every user (mode %04o); it holds the app's private key, make it 0600",
			EnvGitHubAppFile, name, st.Mode().Perm()))
	}
	b, err := io.ReadAll(io.LimitReader(fh, maxGitHubAppFile+1))
	if err != nil {
		return nil, nil, bad("cannot read: %v", err)
	}
	if len(b) > maxGitHubAppFile {
		return nil, nil, bad("over %d bytes", maxGitHubAppFile)
	}
	var f GitHubAppFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		// encoding/json's errors name fields and types, never a value
		// longer than one character.
		return nil, nil, bad("not the JSON `shiftward setup github` writes: %v", err)
	}
	if dec.More() {
		return nil, nil, bad("not the JSON `shiftward setup github` writes: more than one value")
	}
	if err := f.Check(); err != nil {
		return nil, nil, bad("%v", err)
	}
	return &f, warnings, nil
}

// gitHubSettings are the variables the app file stands for. The previous
// webhook secret (a rotation) and the API URL are not in the file and may
// be given beside it.
var gitHubSettings = []string{EnvGitHubAppID, EnvGitHubPrivateKeyFile, EnvGitHubPrivateKey, EnvGitHubWebhookSecret}

// gitHubFromEnvOrFile reads the GitHub App's settings from EnvGitHubAppFile
// when it is set, else from the separate variables. The file and any
// variable it stands for together is an error naming both: which would win
// is not obvious, so neither does.
func gitHubFromEnvOrFile(getenv func(string) string) (GitHub, []string, error) {
	name := strings.TrimSpace(getenv(EnvGitHubAppFile))
	if name == "" {
		g, err := gitHubFromEnv(getenv)
		return g, nil, err
	}
	for _, v := range gitHubSettings {
		if getenv(v) != "" {
			return GitHub{}, nil, &Error{EnvGitHubAppFile, "set either it or " + v + ", not both (the file holds the app id, private key and webhook secret)"}
		}
	}
	f, warnings, err := ReadGitHubAppFile(name)
	if err != nil {
		return GitHub{}, nil, err
	}
	// The file's values go through the same checks as the variables';
	// they are checked above, so an error below is about another variable.
	g, err := gitHubFromEnv(func(k string) string {
		switch k {
		case EnvGitHubAppID:
			return strconv.FormatInt(f.ID, 10)
		case EnvGitHubPrivateKey:
			return f.PEM
		case EnvGitHubWebhookSecret:
			return f.WebhookSecret
		case EnvGitHubPrivateKeyFile:
			return ""
		}
		return getenv(k)
	})
	return g, warnings, err
}
