package code

import "testing"

// TestFixedHost: a URL prefix that names its host, or starts a reference
// relative to the page or a base URL, leaves input a path or a query.
func TestFixedHost(t *testing.T) {
	for prefix, want := range map[string]bool{
		"https://api.example.com/": true,
		"https://api.example.com":  false,
		"//cdn.example.com/":       true,
		"//":                       false,
		"/flags/":                  true,
		"/api":                     true,
		"/":                        false,
		"/\\":                      false,
		"\\\\evil/":                false,
		"api/v1/":                  true,
		"./":                       true,
		"?page=":                   true,
		"api":                      false,
		"javascript:/":             false,
		"":                         false,
	} {
		if got := fixedHost(prefix); got != want {
			t.Errorf("fixedHost(%q) = %v, want %v", prefix, got, want)
		}
	}
}
