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
	r, err := newGitHubRun(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", r.opts.Listen)
	if err != nil {
		return fmt.Errorf("listening for GitHub's redirect: %w", err)
	}
	local := "http://" + ln.Addr().String()
	manifest, err := Manifest(r.src, r.hookBase+"/webhooks/github", local+"/callback", r.opts.Name)
	if err != nil {
		ln.Close()
		return err
	}
	f := r.newFlow(ln.Addr().String(), manifest)
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 90 * time.Second}
	go srv.Serve(ln)
	defer shutdown(srv)

	r.printStart(w, local, manifest)
	if r.opts.Ready != nil {
		r.opts.Ready(local + "/")
	}
	code, err := waitForCode(ctx, f, r.opts.Timeout)
	if err != nil {
		return err
	}
	file, err := r.register(ctx, f, code)
	if err != nil {
		return err
	}
	r.printNext(w, file)
	return nil
}

// githubRun is one run of the manifest flow, its options checked and their
// defaults filled in.
type githubRun struct {
	opts     GitHubOptions
	hookBase string // shiftward's public address
	web, api string // GitHub's web address and REST API base
	src      []byte // the app.yml the manifest is built from
}

// newGitHubRun checks opts before anything listens, so that a bad flag or
// manifest fails at once.
func newGitHubRun(opts GitHubOptions) (*githubRun, error) {
	hookBase, err := publicURL("--url", opts.URL)
	if err != nil {
		return nil, err
	}
	web, api, err := gitHubURLs(opts.GitHubURL)
	if err != nil {
		return nil, err
	}
	if opts.Org != "" && !orgRE.MatchString(opts.Org) {
		return nil, fmt.Errorf("--org %q is not a GitHub organisation name", opts.Org)
	}
	if opts.Out == "" {
		opts.Out = "github-app.json"
	}
	if err := checkWritable(opts.Out, opts.Force); err != nil {
		return nil, err
	}
	r := &githubRun{opts: opts, hookBase: hookBase, web: web, api: api, src: opts.Manifest}
	if r.src == nil {
		r.src = appYML
	}
	if _, err := Manifest(r.src, hookBase+"/webhooks/github", "http://127.0.0.1/callback", opts.Name); err != nil {
		return nil, err
	}
	if r.opts.Timeout <= 0 {
		r.opts.Timeout = DefaultGitHubTimeout
	}
	if r.opts.Listen == "" {
		r.opts.Listen = "127.0.0.1:0"
	}
	if host, _, err := net.SplitHostPort(r.opts.Listen); err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return nil, fmt.Errorf("--listen %q: the page must listen on the loopback interface (127.0.0.1:PORT)", r.opts.Listen)
	}
	return r, nil
}

// newFlow makes the local page's handler for the server listening on host:
// it posts manifest, with a fresh state, to GitHub's "new app" form (the
// organisation's when opts.Org is set).
func (r *githubRun) newFlow(host string, manifest []byte) *flow {
	action := r.web + "/settings/apps/new"
	if r.opts.Org != "" {
		action = r.web + "/organizations/" + url.PathEscape(r.opts.Org) + "/settings/apps/new"
	}
	f := &flow{
		state:    randomState(),
		host:     host,
		manifest: string(manifest),
		codes:    make(chan string, 1),
		results:  make(chan flowResult, 1),
	}
	f.action = action + "?state=" + url.QueryEscape(f.state)
	return f
}

// shutdown stops the local page's server, giving a request under way two
// seconds.
func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
}

// printStart tells the user which address to open and what GitHub will be
// asked for.
func (r *githubRun) printStart(w io.Writer, local string, manifest []byte) {
	fmt.Fprintf(w, "Open this address in a browser on this machine to register the GitHub App on %s:\n\n  %s/\n\n", r.web, local)
	fmt.Fprintf(w, "The page sends you to GitHub with the app's settings (webhook %s/webhooks/github; %s).\n",
		r.hookBase, strings.Join(manifestPermissions(manifest), ", "))
	fmt.Fprintf(w, "Confirm there (GitHub may ask for another name: app names are unique). Waiting up to %s.\n", r.opts.Timeout)
	if strings.HasPrefix(r.hookBase, "http://") {
		fmt.Fprintf(w, "Warning: %s is not https: deliveries are signed, but travel in the clear.\n", r.hookBase)
	}
}

// waitForCode waits up to timeout for GitHub to send the browser back with
// a code.
func waitForCode(ctx context.Context, f *flow, timeout time.Duration) (string, error) {
	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case code := <-f.codes:
		return code, nil
	case <-wait.Done():
		if ctx.Err() != nil {
			return "", fmt.Errorf("interrupted before GitHub sent the browser back: nothing was written")
		}
		return "", fmt.Errorf("no answer from GitHub within %s: the page was not completed, nothing was written; run the command again", timeout)
	}
}

// register exchanges code for the app's credentials, writes them to
// opts.Out and checks the server would read them; the browser's page is
// told the outcome either way.
func (r *githubRun) register(ctx context.Context, f *flow, code string) (config.GitHubAppFile, error) {
	app, err := exchangeCode(ctx, r.opts.HTTPClient, r.api, code)
	if err != nil {
		f.results <- flowResult{err: err}
		return config.GitHubAppFile{}, err
	}
	file := config.GitHubAppFile{ID: app.GetID(), Slug: app.GetSlug(), Name: app.GetName(), ClientID: app.GetClientID(),
		HTMLURL: app.GetHTMLURL(), PEM: app.GetPEM(), WebhookSecret: app.GetWebhookSecret()}
	data, _ := json.MarshalIndent(file, "", "  ")
	if err := writeSecretFile(r.opts.Out, append(data, '\n'), r.opts.Force); err != nil {
		err = fmt.Errorf("GitHub registered the app %q (id %d), but its credentials could not be written to %s: %v; "+
			"generate a private key on %s and set the variables by hand (README, Running the GitHub App)", file.Name, file.ID, r.opts.Out, err, file.HTMLURL)
		f.results <- flowResult{err: err}
		return config.GitHubAppFile{}, err
	}
	// What the server will read: a file it refuses should fail here.
	if _, _, err := config.ReadGitHubAppFile(r.opts.Out); err != nil {
		f.results <- flowResult{err: err}
		return config.GitHubAppFile{}, fmt.Errorf("the file written does not read back: %w", err)
	}
	f.results <- flowResult{name: file.Name, install: installURL(r.web, file)}
	return file, nil
}

// printNext says what was registered and written (never a secret), and
// how to install and run the app.
func (r *githubRun) printNext(w io.Writer, file config.GitHubAppFile) {
	fmt.Fprintf(w, "\nRegistered the GitHub App %q (id %d): %s\n", file.Name, file.ID, file.HTMLURL)
	fmt.Fprintf(w, "Wrote its id, private key and webhook secret to %s (mode 0600). Keep it secret: GitHub shows the key only once\n"+
		"(a new one can be generated on the app's settings page).\n\n", r.opts.Out)
	fmt.Fprintf(w, "Next:\n  1. Install the app on the repositories to review:\n       %s\n", installURL(r.web, file))
	fmt.Fprintf(w, "  2. Run shiftward with the file (and Redis for durable jobs):\n       %s=%s shiftward serve\n", config.EnvGitHubAppFile, r.opts.Out)
	if r.api != config.DefaultGitHubAPIURL {
		fmt.Fprintf(w, "     with %s=%s for this GitHub Enterprise Server.\n", config.EnvGitHubAPIURL, r.api)
	}
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
