package config

import (
	"sort"
	"strconv"
	"strings"
)

// envPrefix starts every environment variable shiftward reads.
const envPrefix = "SHIFTWARD_"

// envTestPrefix starts the variables tests read (SHIFTWARD_TEST_REDIS_URL,
// SHIFTWARD_TEST_HELM): not settings, but no mistake either.
const envTestPrefix = envPrefix + "TEST_"

// Known is every environment variable shiftward reads as a setting. A
// test parses this package's Env* constants and fails when one is missing.
var Known = []string{
	EnvAddr,
	EnvGitHubAppID,
	EnvGitHubAppFile,
	EnvGitHubPrivateKeyFile,
	EnvGitHubPrivateKey,
	EnvGitHubWebhookSecret,
	EnvGitHubWebhookSecretPrevious,
	EnvGitHubAPIURL,
	EnvGitLabURL,
	EnvGitLabToken,
	EnvGitLabWebhookSecret,
	EnvGitLabWebhookSecretPrevious,
	EnvGitLabWebhookSecretsFile,
	EnvGitLabSetupToken,
	EnvRedisURL,
	EnvRedisPrefix,
	EnvWorkers,
	EnvMaxAttempts,
	EnvJobTimeout,
	EnvRetryBackoff,
	EnvVisibilityTimeout,
	EnvFailOn,
	EnvLogLevel,
	EnvOSVURL,
	EnvOSVDir,
	EnvOSVTTL,
	EnvTrustedProxies,
	EnvWebhookMemoryMiB,
	EnvWebhookWait,
	EnvSecretsVerify,
	EnvReconcileInterval,
}

// maxSuggestDistance is the most edits (a letter added, dropped or
// changed) between a name and the setting it is taken for.
const maxSuggestDistance = 3

// maxNameLog bounds a name quoted in a warning.
const maxNameLog = 128

// maxNameCompared bounds the names compared with the settings' (each under
// 64 bytes; editDistance reads 64 runes).
const maxNameCompared = 64

// Unknown returns one warning for each SHIFTWARD_* variable in environ
// ("NAME=value" entries, as os.Environ gives) that is not a setting in
// Known, naming the closest setting when it is a few edits away:
//
//	SHIFTWARD_REDIS_ULR is not a shiftward setting; did you mean SHIFTWARD_REDIS_URL?
//
// A misspelt optional setting is otherwise silently unset (a Redis URL
// typo runs the in-process queue). The prefix is matched in any case, so
// shiftward_redis_url is reported too; SHIFTWARD_TEST_* (read by tests)
// are not. Values are never read: they may be secrets. Warnings are sorted
// and each name is reported once.
func Unknown(environ []string) []string {
	known := make(map[string]bool, len(Known))
	for _, k := range Known {
		known[k] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if len(name) < len(envPrefix) || !strings.EqualFold(name[:len(envPrefix)], envPrefix) {
			continue
		}
		upper := strings.ToUpper(name)
		if known[name] || strings.HasPrefix(upper, envTestPrefix) || seen[name] {
			continue
		}
		seen[name] = true
		msg := quoteName(name)
		if len(name) > maxNameLog {
			msg = quoteName(strings.ToValidUTF8(name[:maxNameLog], "")) + "..."
		}
		msg += " is not a shiftward setting"
		if s := closestSetting(upper); s != "" {
			msg += "; did you mean " + s + "?"
		} else {
			msg += " (see README, Configuration)"
		}
		out = append(out, msg)
	}
	sort.Strings(out)
	return out
}

// quoteName writes a name as is when it is plain (letters, digits, '_'),
// else Go-quoted, so a control character cannot forge a log line.
func quoteName(s string) string {
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return strconv.Quote(s)
		}
	}
	return s
}

// closestSetting is the setting closest to name (upper case), or "" when
// none is within maxSuggestDistance edits (editDistance, as for the repo
// file's keys) and within a third of its length after the prefix (a short
// name is not "close" to everything). Ties go to the first in sorted
// order, so the answer is stable.
func closestSetting(name string) string {
	if len(name) > maxNameCompared {
		return ""
	}
	best, bestD := "", maxSuggestDistance+1
	for _, k := range Known {
		d := editDistance(name, k)
		if d > maxSuggestDistance || 3*d > len(k)-len(envPrefix) {
			continue
		}
		if d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	return best
}
