package secrets

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
	"github.com/zricethezav/gitleaks/v8/config"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// Limits on a repository's .gitleaks.toml. The file is untrusted input: RE2
// keeps matching linear, but compiling thousands of large patterns still
// costs memory and start-up time for every scan of that repository.
const (
	maxConfigBytes  = 1 << 20
	maxRules        = 1000
	maxPatternBytes = 8 << 10
	maxAllowlists   = 1000
)

// ErrConfig is wrapped by every error ParseGitleaksConfig returns, so
// callers can tell a bad repository config from an internal failure.
var ErrConfig = errors.New("invalid gitleaks config")

//go:embed shiftward.toml
var builtinTOML []byte

// Config is a parsed and compiled gitleaks-format rule set. It is immutable
// once built and safe to share between scanners and goroutines.
type Config struct {
	rules      []*rule
	allowlists []*allowlist
}

// Rules returns the ids of the rules in c, in evaluation order.
func (c *Config) Rules() []string {
	ids := make([]string, len(c.rules))
	for i, r := range c.rules {
		ids[i] = r.id
	}
	return ids
}

// rawConfig mirrors gitleaks' TOML schema (config/config.go ViperConfig),
// plus the few per-rule fields shiftward's own rules add (title, severity,
// envName, docURL). Unknown keys are ignored, as gitleaks ignores them.
type rawConfig struct {
	Title      string
	Extend     rawExtend
	Rules      []rawRule
	AllowList  *rawAllowlist   `toml:"allowlist"`
	Allowlists []*rawAllowlist `toml:"allowlists"`
}

type rawExtend struct {
	Path          string
	URL           string
	UseDefault    bool     `toml:"useDefault"`
	DisabledRules []string `toml:"disabledRules"`
}

type rawRule struct {
	ID          string
	Description string
	Path        string
	Regex       string
	SecretGroup int `toml:"secretGroup"`
	Entropy     float64
	Keywords    []string
	Tags        []string
	AllowList   *rawAllowlist   `toml:"allowlist"`
	Allowlists  []*rawAllowlist `toml:"allowlists"`
	SkipReport  bool            `toml:"skipReport"`

	// shiftward extensions.
	Title    string
	Severity string
	EnvName  string `toml:"envName"`
	DocURL   string `toml:"docURL"`
}

type rawAllowlist struct {
	Description string
	Condition   string
	Commits     []string
	Paths       []string
	RegexTarget string `toml:"regexTarget"`
	Regexes     []string
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`

	// builtin marks a global allowlist of shiftward's default rule set
	// (gitleaks' own), set by defaultRaw; never read from TOML.
	builtin bool
}

// ParseGitleaksConfig reads a repository's .gitleaks.toml in gitleaks' own
// format: rules (regex, path, keywords, entropy, secretGroup, per-rule
// allowlists), global allowlists (with targetRules), and [extend] with
// useDefault and disabledRules. useDefault extends shiftward's default rule
// set, which is gitleaks' default set plus shiftward's own rules. extend.path
// and extend.url are refused: a repository config may not make the scanner
// read other files or the network.
func ParseGitleaksConfig(data []byte) (*Config, error) {
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("%w: %d bytes exceeds the %d byte limit", ErrConfig, len(data), maxConfigBytes)
	}
	raw, err := decodeRaw(data)
	if err != nil {
		return nil, err
	}
	if raw.Extend.Path != "" || raw.Extend.URL != "" {
		return nil, fmt.Errorf("%w: extend.path and extend.url are not supported, use extend.useDefault", ErrConfig)
	}
	if raw.Extend.UseDefault {
		base, err := defaultRaw()
		if err != nil {
			return nil, err
		}
		raw = extendRaw(base, raw)
	}
	return compileRaw(raw)
}

// DefaultConfig returns shiftward's default rules: gitleaks' default set
// (from the gitleaks module's embedded gitleaks.toml) extended by
// shiftward's own rules in shiftward.toml.
//
// The rules are compiled once per process (about 0.1 s) and shared: a
// Config is immutable.
func DefaultConfig() (*Config, error) { return defaultConfig() }

var defaultConfig = sync.OnceValues(func() (*Config, error) {
	raw, err := defaultRaw()
	if err != nil {
		return nil, err
	}
	return compileRaw(raw)
})

// decodeRaw decodes a gitleaks config with go-toml, after nest.TOML has
// checked its nesting: BurntSushi/toml is quadratic in nesting depth (a few
// tens of kilobytes of nested inline tables took it seconds and gigabytes),
// go-toml is linear.
func decodeRaw(data []byte) (*rawConfig, error) {
	if err := nest.TOML(data); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var raw rawConfig
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if len(raw.Rules) > maxRules {
		return nil, fmt.Errorf("%w: %d rules exceeds the limit of %d", ErrConfig, len(raw.Rules), maxRules)
	}
	return &raw, nil
}

func defaultRaw() (*rawConfig, error) {
	base, err := decodeRaw([]byte(config.DefaultConfig))
	if err != nil {
		return nil, fmt.Errorf("gitleaks default config: %w", err)
	}
	own, err := decodeRaw(builtinTOML)
	if err != nil {
		return nil, fmt.Errorf("shiftward builtin config: %w", err)
	}
	for _, c := range []*rawConfig{base, own} {
		for _, a := range globalAllowlists(c) {
			a.builtin = true
		}
	}
	return extendRaw(base, own), nil
}

// extendRaw merges child onto base the way gitleaks' Config.extend does: a
// rule only in base is kept unless disabled; a rule in both takes the
// child's non-empty scalar fields and the union of keywords, tags and
// allowlists; global allowlists are concatenated.
func extendRaw(base, child *rawConfig) *rawConfig {
	disabled := make(map[string]bool, len(child.Extend.DisabledRules))
	for _, id := range child.Extend.DisabledRules {
		disabled[id] = true
	}
	out := &rawConfig{Title: child.Title}
	childIdx := make(map[string]int, len(child.Rules))
	for i, r := range child.Rules {
		childIdx[r.ID] = i
	}
	used := make(map[string]bool)
	for _, b := range base.Rules {
		if disabled[b.ID] {
			continue
		}
		i, ok := childIdx[b.ID]
		if !ok {
			out.Rules = append(out.Rules, b)
			continue
		}
		c := child.Rules[i]
		used[b.ID] = true
		m := b
		if c.Description != "" {
			m.Description = c.Description
		}
		if c.Entropy != 0 {
			m.Entropy = c.Entropy
		}
		if c.SecretGroup != 0 {
			m.SecretGroup = c.SecretGroup
		}
		if c.Regex != "" {
			m.Regex = c.Regex
		}
		if c.Path != "" {
			m.Path = c.Path
		}
		if c.Title != "" {
			m.Title = c.Title
		}
		if c.Severity != "" {
			m.Severity = c.Severity
		}
		if c.EnvName != "" {
			m.EnvName = c.EnvName
		}
		if c.DocURL != "" {
			m.DocURL = c.DocURL
		}
		m.Keywords = append(slices.Clip(b.Keywords), c.Keywords...)
		m.Tags = append(slices.Clip(b.Tags), c.Tags...)
		m.Allowlists = append(slices.Clip(ruleAllowlists(b)), ruleAllowlists(c)...)
		m.AllowList = nil
		out.Rules = append(out.Rules, m)
	}
	for _, c := range child.Rules {
		if !used[c.ID] {
			out.Rules = append(out.Rules, c)
		}
	}
	out.Allowlists = append(out.Allowlists, globalAllowlists(child)...)
	out.Allowlists = append(out.Allowlists, globalAllowlists(base)...)
	return out
}

func ruleAllowlists(r rawRule) []*rawAllowlist {
	if r.AllowList != nil {
		return append([]*rawAllowlist{r.AllowList}, r.Allowlists...)
	}
	return r.Allowlists
}

func globalAllowlists(c *rawConfig) []*rawAllowlist {
	if c.AllowList != nil {
		return append([]*rawAllowlist{c.AllowList}, c.Allowlists...)
	}
	return c.Allowlists
}

func compileRaw(raw *rawConfig) (*Config, error) {
	cfg := &Config{}
	byID := make(map[string]*rule, len(raw.Rules))
	for _, rr := range raw.Rules {
		r, err := compileRule(rr)
		if err != nil {
			return nil, err
		}
		if byID[r.id] != nil {
			return nil, fmt.Errorf("%w: rule %q defined twice", ErrConfig, r.id)
		}
		byID[r.id] = r
		cfg.rules = append(cfg.rules, r)
	}
	globals := globalAllowlists(raw)
	if len(globals) > maxAllowlists {
		return nil, fmt.Errorf("%w: too many allowlists", ErrConfig)
	}
	for _, ra := range globals {
		a, err := compileAllowlist(ra)
		if err != nil {
			return nil, fmt.Errorf("%w: [[allowlists]]: %v", ErrConfig, err)
		}
		if len(ra.TargetRules) == 0 {
			a.global = true
			cfg.allowlists = append(cfg.allowlists, a)
			continue
		}
		for _, id := range ra.TargetRules {
			r := byID[id]
			if r == nil {
				return nil, fmt.Errorf("%w: allowlist target rule %q does not exist", ErrConfig, id)
			}
			r.allowlists = append(r.allowlists, a)
		}
	}
	return cfg, nil
}

func compileRule(rr rawRule) (*rule, error) {
	id := strings.TrimSpace(rr.ID)
	if id == "" {
		return nil, fmt.Errorf("%w: a rule has no id", ErrConfig)
	}
	r := &rule{
		id:          id,
		description: rr.Description,
		secretGroup: rr.SecretGroup,
		entropy:     rr.Entropy,
		title:       rr.Title,
		envName:     rr.EnvName,
		docURL:      rr.DocURL,
		skipReport:  rr.SkipReport,
		validate:    validators[id],
		generic:     genericRules[id] || slices.Contains(rr.Tags, "generic"),
	}
	if r.title == "" {
		r.title = titleFor(id)
	}
	sev := rr.Severity
	if sev == "" {
		sev = defaultSeverity(id)
	}
	s, err := scanners.ParseSeverity(sev)
	if err != nil {
		return nil, fmt.Errorf("%w: rule %q: %v", ErrConfig, id, err)
	}
	r.severity = s
	if rr.Regex == "" && rr.Path == "" {
		return nil, fmt.Errorf("%w: rule %q: both regex and path are empty", ErrConfig, id)
	}
	if rr.Regex != "" {
		// Parsed now, for its errors and groups; compiled on the rule's
		// first keyword hit (most rules name a vendor a change never
		// mentions). Parse accepting a pattern means Compile does too.
		if len(rr.Regex) > maxPatternBytes {
			return nil, fmt.Errorf("%w: rule %q: regex: pattern of %d bytes exceeds the %d byte limit", ErrConfig, id, len(rr.Regex), maxPatternBytes)
		}
		t, err := syntax.Parse(rr.Regex, syntax.Perl)
		if err != nil {
			return nil, fmt.Errorf("%w: rule %q: regex: %v", ErrConfig, id, err)
		}
		if n := t.MaxCap(); r.secretGroup < 0 || r.secretGroup > n {
			return nil, fmt.Errorf("%w: rule %q: secretGroup %d out of range (max %d)", ErrConfig, id, r.secretGroup, n)
		}
		r.reSrc = rr.Regex
	}
	if rr.Path != "" {
		if r.path, err = newPathSet([]string{rr.Path}); err != nil {
			return nil, fmt.Errorf("%w: rule %q: path: %v", ErrConfig, id, err)
		}
	}
	for _, k := range rr.Keywords {
		k = strings.ToLower(k)
		if k != "" && !slices.Contains(r.keywords, k) {
			r.keywords = append(r.keywords, k)
		}
	}
	for _, ra := range ruleAllowlists(rr) {
		a, err := compileAllowlist(ra)
		if err != nil {
			return nil, fmt.Errorf("%w: rule %q allowlist: %v", ErrConfig, id, err)
		}
		r.allowlists = append(r.allowlists, a)
	}
	if r.reSrc != "" {
		r.tailMax = -1
		if a := anchoredPattern(rr.Regex, r.keywords); a.src != "" {
			if _, err := syntax.Parse(a.src, syntax.Perl); err == nil {
				r.anchSrc = a.src
				r.exact, r.wordStart, r.seq, r.prefixMax, r.tailMax = a.exact, a.wordStart, a.seq, a.prefixMax, a.tailMax
			}
		}
		if r.anchSrc == "" {
			r.preSrc = relaxPattern(rr.Regex)
		}
		r.span = spanOf(rr.Regex)
		if len(r.keywords) == 0 {
			r.literals = requiredLiterals(rr.Regex)
		}
	}
	return r, nil
}

func compilePattern(p string) (*regexp.Regexp, error) {
	if len(p) > maxPatternBytes {
		return nil, fmt.Errorf("pattern of %d bytes exceeds the %d byte limit", len(p), maxPatternBytes)
	}
	return regexp.Compile(p)
}

func compileAllowlist(ra *rawAllowlist) (*allowlist, error) {
	if ra == nil {
		return nil, errors.New("empty allowlist")
	}
	a := &allowlist{and: false, builtin: ra.builtin, description: ra.Description}
	switch strings.ToUpper(ra.Condition) {
	case "", "OR", "||":
	case "AND", "&&":
		a.and = true
	default:
		return nil, fmt.Errorf("unknown condition %q (want AND or OR)", ra.Condition)
	}
	switch ra.RegexTarget {
	case "", "secret":
		a.target = targetSecret
	case "match":
		a.target = targetMatch
	case "line":
		a.target = targetLine
	default:
		return nil, fmt.Errorf("unknown regexTarget %q (want secret, match or line)", ra.RegexTarget)
	}
	if len(ra.Commits)+len(ra.Paths)+len(ra.Regexes)+len(ra.StopWords) == 0 {
		return nil, errors.New("must contain at least one of commits, paths, regexes or stopwords")
	}
	a.hasCommits = len(ra.Commits) > 0
	var err error
	if a.paths, err = newPathSet(ra.Paths); err != nil {
		return nil, fmt.Errorf("paths: %v", err)
	}
	if a.regexes, err = joinPatterns(ra.Regexes); err != nil {
		return nil, fmt.Errorf("regexes: %v", err)
	}
	for _, w := range ra.StopWords {
		if w = strings.ToLower(w); w != "" && !slices.Contains(a.stopwords, w) {
			a.stopwords = append(a.stopwords, w)
		}
	}
	return a, nil
}

// joinPatterns compiles allowlist regexes. gitleaks joins them into one
// alternation; an unanchored alternation of many words such as
// generic-api-key's (?i)(?:access(?:ibility|or)|...|author|...) costs
// ~20µs a finding in Go's NFA. A pattern with required literals
// (requiredLiteralsMin) runs only where one occurs in the target; the
// others stay joined, as gitleaks has them.
func joinPatterns(ps []string) (*regexSet, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	set := &regexSet{}
	var rest []string
	for _, p := range ps {
		if len(p) > maxPatternBytes {
			return nil, fmt.Errorf("pattern of %d bytes exceeds the %d byte limit", len(p), maxPatternBytes)
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		// A top-level alternation is split, each alternative with its own
		// literals: generic-api-key's list of words always contains one
		// (api, auth) where the rule matched, each alternative rarely.
		if t, err := syntax.Parse(p, syntax.Perl); err == nil && t.Op == syntax.OpAlternate {
			for _, sub := range t.Sub {
				sp := patternString(sub)
				if lits := requiredLiteralsMin(sp, 2); lits != nil && allASCII(lits) {
					if re, err := regexp.Compile(sp); err == nil {
						set.gated = append(set.gated, pathPattern{re: re, lits: lits})
						continue
					}
				}
				rest = append(rest, "(?:"+sp+")")
			}
			continue
		}
		if lits := requiredLiteralsMin(p, 2); lits != nil && allASCII(lits) {
			set.gated = append(set.gated, pathPattern{re: re, lits: lits})
			continue
		}
		rest = append(rest, "(?:"+p+")")
	}
	if len(rest) > 0 {
		re, err := regexp.Compile(strings.Join(rest, "|"))
		if err != nil {
			return nil, err
		}
		set.rest = re
	}
	return set, nil
}

func allASCII(ss []string) bool {
	for _, s := range ss {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return false
			}
		}
	}
	return true
}
