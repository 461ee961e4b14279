package setup

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/config"
)

// DefaultGitHubURL is github.com's web address.
const DefaultGitHubURL = "https://github.com"

// DefaultGitHubTimeout is how long the flow waits for GitHub to send the
// browser back. GitHub's code is good for an hour; ten minutes is plenty
// to read the page and press the button.
const DefaultGitHubTimeout = 10 * time.Minute

// GitHubOptions configures the manifest flow.
type GitHubOptions struct {
	// URL is shiftward's public address; the webhook is URL/webhooks/github.
	URL string
	// Org registers the app under an organisation; empty: the signed-in
	// user's account.
	Org string
	// GitHubURL is github.com or a GitHub Enterprise Server's address.
	GitHubURL string
	// Out is the file the app's credentials are written to (mode 0600).
	Out string
	// Force lets Out be replaced.
	Force bool
	// Name, when set, replaces the manifest's app name (GitHub's must be
	// unique on the instance).
	Name string
	// Manifest is an app.yml to register instead of the embedded one.
	Manifest []byte
	// Listen is the local server's address: 127.0.0.1 on a random port
	// when empty. A fixed port suits an SSH tunnel to a remote host.
	Listen string
	// Timeout bounds the wait for GitHub (DefaultGitHubTimeout when 0).
	Timeout time.Duration
	// HTTPClient sends the code exchange; nil: a client with a 30 s timeout.
	HTTPClient *http.Client
	// Ready, when set, is called with the local page's address once the
	// server listens (tests drive the browser's part with it).
	Ready func(pageURL string)
}

// githubCode is the shape of GitHub's temporary manifest code (40 hex
// digits today); go-github puts it in the request path unescaped, so
// anything else is refused before it can name another endpoint.
var githubCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// slugRE is a GitHub App slug, printed in links.
var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,99}$`)

// orgRE is a GitHub organisation login.
var orgRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// GitHub registers the app with GitHub's manifest flow: it serves a page on
// 127.0.0.1 that posts the manifest (built from app.yml, the webhook
// pointed at opts.URL) and a random state to GitHub's "new app" form; GitHub
// sends the browser back to the local callback with a temporary code, which
// is exchanged (POST /app-manifests/{code}/conversions) for the app's id,
// private key and webhook secret. Those are written to opts.Out, mode 0600;
// w gets the local address, then what was registered and the next steps,
// never a secret.
func GitHub(ctx context.Context, opts GitHubOptions, w io.Writer) error {
	hookBase, err := publicURL("--url", opts.URL)
	if err != nil {
		return err
	}
	web, api, err := gitHubURLs(opts.GitHubURL)
	if err != nil {
		return err
	}
	if opts.Org != "" && !orgRE.MatchString(opts.Org) {
		return fmt.Errorf("--org %q is not a GitHub organisation name", opts.Org)
	}
	if opts.Out == "" {
		opts.Out = "github-app.json"
	}
	if err := checkWritable(opts.Out, opts.Force); err != nil {
		return err
	}
	src := opts.Manifest
	if src == nil {
		src = appYML
	}
	// Checked once before listening, so a bad manifest fails at once.
	if _, err := Manifest(src, hookBase+"/webhooks/github", "http://127.0.0.1/callback", opts.Name); err != nil {
		return err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultGitHubTimeout
	}
	listen := opts.Listen
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	if host, _, err := net.SplitHostPort(listen); err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return fmt.Errorf("--listen %q: the page must listen on the loopback interface (127.0.0.1:PORT)", listen)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listening for GitHub's redirect: %w", err)
	}
	local := "http://" + ln.Addr().String()
	manifest, err := Manifest(src, hookBase+"/webhooks/github", local+"/callback", opts.Name)
	if err != nil {
		ln.Close()
		return err
	}
	action := web + "/settings/apps/new"
	if opts.Org != "" {
		action = web + "/organizations/" + url.PathEscape(opts.Org) + "/settings/apps/new"
	}
	f := &flow{
		state:    randomState(),
		host:     ln.Addr().String(),
		manifest: string(manifest),
		codes:    make(chan string, 1),
		results:  make(chan flowResult, 1),
	}
	f.action = action + "?state=" + url.QueryEscape(f.state)
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 90 * time.Second}
	go srv.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()

	fmt.Fprintf(w, "Open this address in a browser on this machine to register the GitHub App on %s:\n\n  %s/\n\n", web, local)
	fmt.Fprintf(w, "The page sends you to GitHub with the app's settings (webhook %s/webhooks/github; %s).\n",
		hookBase, strings.Join(manifestPermissions(manifest), ", "))
	fmt.Fprintf(w, "Confirm there (GitHub may ask for another name: app names are unique). Waiting up to %s.\n", timeout)
	if strings.HasPrefix(hookBase, "http://") {
		fmt.Fprintf(w, "Warning: %s is not https: deliveries are signed, but travel in the clear.\n", hookBase)
	}
	if opts.Ready != nil {
		opts.Ready(local + "/")
	}

	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var code string
	select {
	case code = <-f.codes:
	case <-wait.Done():
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted before GitHub sent the browser back: nothing was written")
		}
		return fmt.Errorf("no answer from GitHub within %s: the page was not completed, nothing was written; run the command again", timeout)
	}
	app, err := exchangeCode(ctx, opts.HTTPClient, api, code)
	if err != nil {
		f.results <- flowResult{err: err}
		return err
	}
	file := config.GitHubAppFile{ID: app.GetID(), Slug: app.GetSlug(), Name: app.GetName(), ClientID: app.GetClientID(),
		HTMLURL: app.GetHTMLURL(), PEM: app.GetPEM(), WebhookSecret: app.GetWebhookSecret()}
	install := installURL(web, file)
	data, _ := json.MarshalIndent(file, "", "  ")
	if err := writeSecretFile(opts.Out, append(data, '\n'), opts.Force); err != nil {
		err = fmt.Errorf("GitHub registered the app %q (id %d), but its credentials could not be written to %s: %v; "+
			"generate a private key on %s and set the variables by hand (README, Running the GitHub App)", file.Name, file.ID, opts.Out, err, file.HTMLURL)
		f.results <- flowResult{err: err}
		return err
	}
	// What the server will read: a file it refuses should fail here.
	if _, _, err := config.ReadGitHubAppFile(opts.Out); err != nil {
		f.results <- flowResult{err: err}
		return fmt.Errorf("the file written does not read back: %w", err)
	}
	f.results <- flowResult{name: file.Name, install: install}

	fmt.Fprintf(w, "\nRegistered the GitHub App %q (id %d): %s\n", file.Name, file.ID, file.HTMLURL)
	fmt.Fprintf(w, "Wrote its id, private key and webhook secret to %s (mode 0600). Keep it secret: GitHub shows the key only once\n"+
		"(a new one can be generated on the app's settings page).\n\n", opts.Out)
	fmt.Fprintf(w, "Next:\n  1. Install the app on the repositories to review:\n       %s\n", install)
	fmt.Fprintf(w, "  2. Run shiftward with the file (and Redis for durable jobs):\n       %s=%s shiftward serve\n", config.EnvGitHubAppFile, opts.Out)
	if api != config.DefaultGitHubAPIURL {
		fmt.Fprintf(w, "     with %s=%s for this GitHub Enterprise Server.\n", config.EnvGitHubAPIURL, api)
	}
	return nil
}

// gitHubURLs returns the web address and REST API base of a GitHub: the
// API of github.com is api.github.com, of a GHE.com tenant api.<host>, of a
// GitHub Enterprise Server <host>/api/v3/.
func gitHubURLs(s string) (web, api string, err error) {
	if s == "" {
		s = DefaultGitHubURL
	}
	u, perr := url.Parse(strings.TrimSpace(s))
	if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return "", "", fmt.Errorf("--github-url %q: want https://github.com or a GitHub Enterprise Server's address", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	web = u.String()
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "github.com" || host == "www.github.com":
		return "https://github.com", config.DefaultGitHubAPIURL, nil
	case strings.HasSuffix(host, ".ghe.com"):
		return web, u.Scheme + "://api." + u.Host + "/", nil
	}
	return web, web + "/api/v3/", nil
}

// installURL is where the app is installed: its page plus
// /installations/new (github.com/apps/<slug>, or GHES's
// /github-apps/<slug>, as html_url says).
func installURL(web string, f config.GitHubAppFile) string {
	if u, err := url.Parse(f.HTMLURL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.RawQuery == "" {
		return strings.TrimRight(f.HTMLURL, "/") + "/installations/new"
	}
	if slugRE.MatchString(f.Slug) {
		return web + "/apps/" + f.Slug + "/installations/new"
	}
	return web + "/settings/apps"
}

// exchangeCode completes the manifest flow (POST
// /app-manifests/{code}/conversions, no authentication). It is sent once:
// the code is good for one conversion.
func exchangeCode(ctx context.Context, hc *http.Client, api, code string) (*gh.AppConfig, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	client := gh.NewClient(hc)
	if api != config.DefaultGitHubAPIURL {
		var err error
		if client, err = client.WithEnterpriseURLs(api, api); err != nil {
			return nil, fmt.Errorf("GitHub API address %s: %w", api, err)
		}
	}
	app, _, err := client.Apps.CompleteAppManifest(ctx, code)
	if err != nil {
		var er *gh.ErrorResponse
		if errors.As(err, &er) && er.Response != nil {
			return nil, fmt.Errorf("GitHub refused the code (%d %s): it is good for one hour and once; run the command again", er.Response.StatusCode, er.Message)
		}
		return nil, fmt.Errorf("exchanging GitHub's code for the app's credentials: %w", err)
	}
	f := config.GitHubAppFile{ID: app.GetID(), PEM: app.GetPEM(), WebhookSecret: app.GetWebhookSecret()}
	if err := f.Check(); err != nil {
		return nil, fmt.Errorf("GitHub's answer lacks what the server needs: %v", err)
	}
	return app, nil
}

func randomState() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// flow is the local server: the page that posts the manifest, and the
// callback GitHub sends the browser back to.
type flow struct {
	state, host, manifest, action string
	// codes takes the first code whose state matched; results brings the
	// outcome back to the browser.
	codes   chan string
	results chan flowResult
}

type flowResult struct {
	name, install string
	err           error
}

// The pages are written with html.EscapeString, not html/template: a
// template's reflective method calls keep every exported method of every
// type in the binary (go-github's, client-go's, go-redis'), which took it
// from 35 MB to 56 MB.

// page is the local page: a form posting the manifest to GitHub, submitted
// at once by a script, by hand without one.
func page(action, manifest string) string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>Register shiftward on GitHub</title></head>
<body>
<form id="register" action="` + html.EscapeString(action) + `" method="post">
<input type="hidden" name="manifest" value="` + html.EscapeString(manifest) + `">
<p>Sending you to GitHub to register the app. If nothing happens, <button type="submit">Register on GitHub</button></p>
</form>
<script>document.getElementById("register").submit();</script>
</body></html>
`
}

// donePage tells the browser how the flow ended; the terminal has the rest.
func donePage(res flowResult) string {
	body := "<p>The app could not be set up: " + html.EscapeString(fmt.Sprint(res.err)) + "</p><p>See the terminal.</p>"
	if res.err == nil {
		body = "<p>The GitHub App " + html.EscapeString(res.name) + " is registered and its credentials are in the file named in the terminal.</p>\n" +
			`<p>Next, <a href="` + html.EscapeString(res.install) + `">install it on the repositories to review</a>.</p>`
	}
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>shiftward setup</title></head>
<body>` + body + "</body></html>\n"
}

func (f *flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	// A page another site reaches through DNS rebinding names its own
	// host: it could read the state and finish the flow with its own app.
	if r.Host != f.host {
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/":
		h.Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page(f.action, f.manifest))
	case "/callback":
		f.callback(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *flow) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state, code := q.Get("state"), q.Get("code")
	if subtle.ConstantTimeCompare([]byte(state), []byte(f.state)) != 1 {
		http.Error(w, "state does not match: this is not the answer to the page this command served", http.StatusBadRequest)
		return
	}
	if !githubCode.MatchString(code) {
		http.Error(w, "no code, or not one GitHub makes", http.StatusBadRequest)
		return
	}
	select {
	case f.codes <- code:
	default:
		http.Error(w, "this flow has already received its code", http.StatusGone)
		return
	}
	var res flowResult
	select {
	case res = <-f.results:
	case <-r.Context().Done():
		return
	case <-time.After(60 * time.Second):
		res.err = errors.New("still working")
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if res.err != nil {
		w.WriteHeader(http.StatusBadGateway)
	}
	io.WriteString(w, donePage(res))
}
