// Package setup registers shiftward with a code host in one step: `shiftward
// setup github` runs GitHub's manifest flow (the app is created from app.yml
// and its id, private key and webhook secret land in one 0600 file), and
// `shiftward setup gitlab` checks the bot token and creates or updates the
// project or group webhook. Both print what they did and the next step;
// neither prints a secret.
package setup

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// randomHex returns n random bytes as hex (a webhook secret: 32 bytes, as
// `openssl rand -hex 32` makes).
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// publicURL checks shiftward's public address (--url) and returns it without
// a trailing slash: an absolute http(s) URL with a host, no query or
// fragment. A path is kept (a reverse proxy's prefix).
func publicURL(flag, s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%s %q: want shiftward's public address, like https://shiftward.example.com", flag, s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s %q: want an address without query or fragment", flag, s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// checkWritable fails early, before anything is registered, when out
// exists (and force is off) or its directory takes no new file: the secrets
// GitHub hands over once must have somewhere to go.
func checkWritable(out string, force bool) error {
	st, err := os.Lstat(out)
	switch {
	case err == nil && !force:
		return fmt.Errorf("%s exists: refusing to overwrite it (it may hold another app's key); choose another --out, or pass --force", out)
	case err == nil && !st.Mode().IsRegular():
		return fmt.Errorf("%s exists and is not a regular file", out)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(out), ".shiftward-setup-*")
	if err != nil {
		return fmt.Errorf("cannot write next to %s: %w", out, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeSecretFile writes data to name with mode 0600. Without replace the
// file is created exclusively (an existing one is never overwritten); with
// replace a temporary file beside it is written, synced and renamed over
// it, so a reader sees the old file or the new one, never a part.
func writeSecretFile(name string, data []byte, replace bool) error {
	return writeSecretFileChecked(name, data, replace, nil)
}

// writeSecretFileChecked is writeSecretFile, with check (when given and
// replacing) run on the written temporary file before it takes name's
// place: a file check refuses leaves the old one as it was.
func writeSecretFileChecked(name string, data []byte, replace bool, check func(tmp string) error) error {
	if !replace {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if err := writeSync(f, data); err != nil {
			os.Remove(name)
			return err
		}
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".shiftward-setup-*")
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := writeSync(f, data); err != nil {
		os.Remove(f.Name())
		return err
	}
	if check != nil {
		if err := check(f.Name()); err != nil {
			os.Remove(f.Name())
			return err
		}
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// writeSync writes data, syncs and closes f.
func writeSync(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
