package iac

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig/v3"
	"github.com/bmatcuk/doublestar/v4"
	"sigs.k8s.io/yaml"

	"github.com/shiftward/shiftward/scanners"
)

// Bounds of one chart's render. Templates are written by strangers and
// text/template is a programming language: every way it has to loop, nest
// or grow is bounded before it runs, and a render past a bound is an
// error (the chart is not scanned), never a partial render taken for whole.
const (
	// maxRenderOutput bounds the bytes the render writes, all templates
	// together (a chart of CRDs writes megabytes); one template's output
	// is parsed, so it is bounded by scanners.MaxParseBytes.
	maxRenderOutput = 16 << 20
	// maxRenderValue bounds one string or list a function returns (the
	// output of include, tpl, repeat, toYaml...).
	maxRenderValue = 1 << 20
	// maxRenderList bounds the elements of one list or map a function
	// returns, and the count a loop function (until, seq) makes.
	maxRenderList = 100_000
	// maxRangeSteps bounds the iterations of every range loop of a render
	// together (text/template ranges over an integer with no function
	// call, so the loop itself is counted: see boundRanges).
	maxRangeSteps = 1_000_000
	// maxRenderCalls bounds the function calls of a render.
	maxRenderCalls = 2_000_000
	// maxRenderProduced bounds the bytes all function results of a
	// render hold together (strings, and 16 bytes an element of lists and
	// maps), so that a loop keeping each of its megabyte values cannot
	// exhaust memory before the render's time is up.
	maxRenderProduced = 128 << 20
	// maxIncludeDepth bounds the nesting of include, tpl and template
	// calls (Helm allows 1000 of one name, and none on tpl alone).
	maxIncludeDepth = 100
	// maxTemplateCalls bounds the {{ template }} actions of a render, whose
	// nesting text/template bounds only at 100,000.
	maxTemplateCalls = 10_000
	// maxRenderDocs bounds the YAML documents a render may produce.
	maxRenderDocs = 2_000
)

// errRenderBound wraps every render bound error.
func renderBound(what string, limit int) error {
	return &scanners.BoundError{What: "Helm render " + what, Limit: int64(limit)}
}

// renderer renders one chart: the template set, the function map, and the
// budgets that every function, include and loop draws from.
type renderer struct {
	ctx   context.Context
	calls int
	steps int
	depth int
	tmpls int
	// produced is what function results held so far (maxRenderProduced).
	produced int
	set      *template.Template
}

// funcMap is sprig's text functions with Helm's additions, each wrapped to
// draw from the render's budgets, with the unbounded or costly ones
// replaced by bounded stand-ins and the ones that reach outside (env, DNS,
// lookup) made inert.
func (r *renderer) funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	maps.Copy(f, template.FuncMap{
		"toYaml": toYAML, "mustToYaml": mustToYAML, "toYamlPretty": toYAML,
		"fromYaml": fromYAML, "fromYamlArray": fromYAMLArray,
		"toJson": toJSON, "mustToJson": mustToJSON, "fromJson": fromJSON, "fromJsonArray": fromJSONArray,
		"toToml": toTOML, "mustToToml": toTOML, "fromToml": fromTOML,
		"include":  r.includeIn(func() *template.Template { return r.set }),
		"tpl":      r.tplIn(func() *template.Template { return r.set }),
		"required": required,
		"fail":     func(msg string) (string, error) { return "", errors.New(msg) },
		"lookup":   func(string, string, string, string) map[string]any { return map[string]any{} },
		// Reaching out of the process: never.
		"getHostByName": func(string) string { return "" },
		// Loops and repeats, bounded.
		"until":     func(n int) ([]int, error) { return intRange(0, n, 1) },
		"untilStep": intRange,
		"seq":       seq,
		"repeat":    repeat,
		"indent":    func(n int, s string) (string, error) { return indent(n, s, false) },
		"nindent":   func(n int, s string) (string, error) { return indent(n, s, true) },
		"replace":   replace,
		"printf":    printf,
		// Randomness and keys: a fixed, cheap stand-in of the right length,
		// so renders are deterministic and cost nothing.
		"randAlphaNum": placeholder, "randAlpha": placeholder, "randAscii": placeholder, "randNumeric": placeholderDigits,
		"randBytes": func(n int) (string, error) {
			s, err := placeholder(n)
			return base64.StdEncoding.EncodeToString([]byte(s)), err
		},
		"genPrivateKey":  func(string) string { return placeholderPEM },
		"derivePassword": func(uint32, string, string, string, string) string { return "placeholder" },
		"bcrypt":         func(string) string { return "placeholder" },
		"htpasswd":       func(string, string) string { return "placeholder" },
		"genCA":          func(string, int) certificate { return placeholderCert },
		"genCAWithKey":   func(string, int, string) (certificate, error) { return placeholderCert, nil },
		"genSelfSignedCert": func(string, []any, []any, int) (certificate, error) {
			return placeholderCert, nil
		},
		"genSelfSignedCertWithKey": func(string, []any, []any, int, string) (certificate, error) {
			return placeholderCert, nil
		},
		"genSignedCert": func(string, []any, []any, int, certificate) (certificate, error) {
			return placeholderCert, nil
		},
		"genSignedCertWithKey": func(string, []any, []any, int, certificate, string) (certificate, error) {
			return placeholderCert, nil
		},
		"buildCustomCert": func(string, string) (certificate, error) { return placeholderCert, nil },
		"regexReplaceAll": func(re, s, repl string) (string, error) {
			return regexReplace(re, s, repl, false)
		},
		"regexReplaceAllLiteral": func(re, s, repl string) (string, error) {
			return regexReplace(re, s, repl, true)
		},
		boundRangeFunc: r.rangeStep,
		boundTmplFunc:  r.templateCall,
	})
	for name, fn := range f {
		f[name] = r.wrap(name, fn)
	}
	return f
}

// certificate is what sprig's certificate functions return.
type certificate struct{ Cert, Key string }

const placeholderPEM = "-----BEGIN PLACEHOLDER-----\n-----END PLACEHOLDER-----\n"

var placeholderCert = certificate{Cert: placeholderPEM, Key: placeholderPEM}

var errType = reflect.TypeFor[error]()

// wrap makes fn check the render's context and call budget before it
// runs, and the size of what it returns after (a string over
// maxRenderValue, a list or map over maxRenderList is an error).
func (r *renderer) wrap(name string, fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || name == boundRangeFunc || name == boundTmplFunc {
		return fn
	}
	hasErr := t.NumOut() == 2 && t.Out(1) == errType
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		fail := func(err error) []reflect.Value {
			if !hasErr {
				// text/template recovers a panicking function call into an
				// error of the render.
				panic(err)
			}
			return []reflect.Value{reflect.Zero(t.Out(0)), reflect.ValueOf(&err).Elem()}
		}
		if err := r.spend(); err != nil {
			return fail(err)
		}
		var out []reflect.Value
		if t.IsVariadic() {
			out = v.CallSlice(args)
		} else {
			out = v.Call(args)
		}
		if len(out) > 0 {
			n, err := sizeOf(out[0])
			if err != nil {
				return fail(fmt.Errorf("%s: %w", name, err))
			}
			r.produced += n
			if r.produced > maxRenderProduced {
				return fail(renderBound("bytes produced by functions", maxRenderProduced))
			}
		}
		return out
	}).Interface()
}

// spend draws one call from the budget and checks the context.
func (r *renderer) spend() error {
	r.calls++
	if r.calls > maxRenderCalls {
		return renderBound("function calls", maxRenderCalls)
	}
	if r.calls%256 == 0 {
		if err := r.ctx.Err(); err != nil {
			return fmt.Errorf("Helm render: %w", err)
		}
	}
	return nil
}

// sizeOf checks a function's result against the value bounds and says
// how many bytes it holds (16 an element of a list or map).
func sizeOf(v reflect.Value) (int, error) {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if v.Len() > maxRenderValue {
			return 0, renderBound("value size in bytes", maxRenderValue)
		}
		return v.Len(), nil
	case reflect.Slice, reflect.Map, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Len() > maxRenderValue {
				return 0, renderBound("value size in bytes", maxRenderValue)
			}
			return v.Len(), nil
		}
		if v.Len() > maxRenderList {
			return 0, renderBound("list length", maxRenderList)
		}
		return 16 * v.Len(), nil
	}
	return 0, nil
}

// The functions the parse-tree rewrite calls (boundTree). A chart that
// calls them itself only spends its own budget.
const (
	boundRangeFunc = "__shiftward_range"
	boundTmplFunc  = "__shiftward_template"
)

// rangeStep is called with the value every range loop ranges over, before
// it loops: the loop's length is drawn from the render's step budget.
func (r *renderer) rangeStep(v any) (any, error) {
	if err := r.spend(); err != nil {
		return nil, err
	}
	rv := reflect.ValueOf(v)
	n := 0
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if rv.Int() > maxRangeSteps {
			return nil, renderBound("loop steps", maxRangeSteps)
		}
		n = int(max(rv.Int(), 0))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if rv.Uint() > maxRangeSteps {
			return nil, renderBound("loop steps", maxRangeSteps)
		}
		n = int(rv.Uint())
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		n = rv.Len()
	case reflect.Invalid:
	default:
		// Channels and iterator functions: no chart value is one.
		return nil, fmt.Errorf("range over %s: not rendered", rv.Kind())
	}
	r.steps += n
	if r.steps > maxRangeSteps {
		return nil, renderBound("loop steps", maxRangeSteps)
	}
	return v, nil
}

// templateCall counts {{ template }} actions; it passes the action's data
// through.
func (r *renderer) templateCall(v ...any) (any, error) {
	r.tmpls++
	if r.tmpls > maxTemplateCalls {
		return nil, renderBound("template calls", maxTemplateCalls)
	}
	if len(v) == 0 {
		return nil, r.spend()
	}
	return v[0], r.spend()
}

// includeIn is Helm's include over the template set set returns: a named
// template rendered to a string, nested at most maxIncludeDepth deep.
func (r *renderer) includeIn(set func() *template.Template) func(string, any) (string, error) {
	return func(name string, data any) (string, error) {
		if r.depth >= maxIncludeDepth {
			return "", renderBound("include nesting", maxIncludeDepth)
		}
		r.depth++
		defer func() { r.depth-- }()
		w := &limitWriter{limit: maxRenderValue}
		err := set().ExecuteTemplate(w, name, data)
		return w.String(), err
	}
}

// tplIn is Helm's tpl over the template set set returns: a string
// rendered as a template, with the chart's named templates in scope (and
// those it defines, for its own include calls). Nested tpl and include
// calls share the depth bound.
func (r *renderer) tplIn(set func() *template.Template) func(string, any) (string, error) {
	return func(text string, data any) (string, error) {
		if r.depth >= maxIncludeDepth {
			return "", renderBound("include nesting", maxIncludeDepth)
		}
		r.depth++
		defer func() { r.depth-- }()
		parent := set()
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("tpl: %w", err)
		}
		t.Funcs(template.FuncMap{
			"include": r.wrap("include", r.includeIn(func() *template.Template { return t })),
			"tpl":     r.wrap("tpl", r.tplIn(func() *template.Template { return t })),
		})
		t, err = t.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("tpl: %w", err)
		}
		for _, d := range t.Templates() {
			if orig := parent.Lookup(d.Name()); orig == nil || orig.Tree != d.Tree {
				if err := boundTree(d.Tree, -1, "", false); err != nil {
					return "", err
				}
			}
		}
		w := &limitWriter{limit: maxRenderValue}
		if err := t.Execute(w, data); err != nil {
			return "", fmt.Errorf("tpl: %w", err)
		}
		return strings.ReplaceAll(w.String(), "<no value>", ""), nil
	}
}

// limitWriter is a strings.Builder that fails past limit bytes: the
// template stops at its next write.
type limitWriter struct {
	strings.Builder
	limit int
	// total, when set, is a budget shared with other writers.
	total *int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.Len()+len(p) > w.limit {
		return 0, renderBound("output size in bytes", w.limit)
	}
	if w.total != nil {
		*w.total += len(p)
		if *w.total > maxRenderOutput {
			return 0, renderBound("output size in bytes", maxRenderOutput)
		}
	}
	return w.Builder.Write(p)
}

func required(msg string, v any) (any, error) {
	if v == nil {
		return nil, errors.New(msg)
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, errors.New(msg)
	}
	return v, nil
}

// intRange is sprig's untilStep with its length bounded first.
func intRange(start, stop, step int) ([]int, error) {
	if step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop) {
		return []int{}, nil
	}
	n := (stop - start) / step
	if n < 0 || n >= maxRenderList {
		return nil, renderBound("list length", maxRenderList)
	}
	out := make([]int, 0, n+1)
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		out = append(out, i)
	}
	return out, nil
}

// seq is sprig's seq (like the shell's: "seq 3", "seq 2 5", "seq 1 2 9")
// with its length bounded first.
func seq(params ...int) (string, error) {
	start, step, end := 1, 1, 0
	switch len(params) {
	case 1:
		end = params[0]
	case 2:
		start, end = params[0], params[1]
		if end < start {
			step = -1
		}
	case 3:
		start, step, end = params[0], params[1], params[2]
	default:
		return "", nil
	}
	if step == 0 {
		return "", nil
	}
	stop := end + 1
	if step < 0 {
		stop = end - 1
	}
	l, err := intRange(start, stop, step)
	if err != nil {
		return "", err
	}
	s := make([]string, len(l))
	for i, v := range l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, " "), nil
}

func repeat(n int, s string) (string, error) {
	if n < 0 || (len(s) > 0 && n > maxRenderValue/len(s)) {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	return strings.Repeat(s, n), nil
}

// indent is sprig's indent and nindent, bounded in what it makes.
func indent(n int, s string, newline bool) (string, error) {
	if n < 0 || n > maxRenderValue || (strings.Count(s, "\n")+1)*n+len(s) > maxRenderValue {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	pad := strings.Repeat(" ", n)
	out := pad + strings.ReplaceAll(s, "\n", "\n"+pad)
	if newline {
		out = "\n" + out
	}
	return out, nil
}

func replace(old, repl, s string) (string, error) {
	if len(repl) > len(old) && strings.Count(s, old)*(len(repl)-len(old)) > maxRenderValue {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	return strings.ReplaceAll(s, old, repl), nil
}

// regexReplace is sprig's regexReplaceAll(Literal), bounded in what the
// replacements may add.
func regexReplace(re, s, repl string, literal bool) (string, error) {
	rx, err := regexp.Compile(re)
	if err != nil {
		return "", err
	}
	if len(repl) > 0 && len(rx.FindAllStringIndex(s, maxRenderValue/len(repl)+1)) > maxRenderValue/len(repl) {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	if literal {
		return rx.ReplaceAllLiteralString(s, repl), nil
	}
	if !literal && strings.Contains(repl, "$") && len(s) > 0 && len(s)*len(repl) > 64*maxRenderValue {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	return rx.ReplaceAllString(s, repl), nil
}

// printfWidth finds widths and precisions in a format.
var printfWidth = regexp.MustCompile(`%[-+# 0]*(\*|\d{5,})|\.(\*|\d{5,})`)

// printf is text/template's printf without widths or precisions that
// would make one value megabytes long.
func printf(format string, args ...any) (string, error) {
	if printfWidth.MatchString(format) {
		return "", renderBound("printf width", 9999)
	}
	return fmt.Sprintf(format, args...), nil
}

func placeholder(n int) (string, error) {
	if n < 0 || n > maxRenderValue {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	return strings.Repeat("x", n), nil
}

func placeholderDigits(n int) (string, error) {
	if n < 0 || n > maxRenderValue {
		return "", renderBound("value size in bytes", maxRenderValue)
	}
	return strings.Repeat("1", n), nil
}

// Helm's own functions, as pkg/engine/funcs.go has them.

func toYAML(v any) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func mustToYAML(v any) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(s string) map[string]any {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(s string) []any {
	a := []any{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		a = []any{err.Error()}
	}
	return a
}

func toJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func mustToJSON(v any) (string, error) {
	data, err := json.Marshal(v)
	return string(data), err
}

func fromJSON(s string) map[string]any {
	m := map[string]any{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(s string) []any {
	a := []any{}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		a = []any{err.Error()}
	}
	return a
}

func toTOML(v any) string {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(v); err != nil {
		return err.Error()
	}
	return b.String()
}

func fromTOML(s string) map[string]any {
	m := map[string]any{}
	if err := toml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

// chartFiles is .Files: the chart's files that are not templates.
type chartFiles map[string][]byte

// GetBytes is a file's content, empty when there is none.
func (f chartFiles) GetBytes(name string) []byte { return f[name] }

// Get is a file's content as a string.
func (f chartFiles) Get(name string) string { return string(f[name]) }

// Glob is the files whose names match a pattern (** crosses directories).
func (f chartFiles) Glob(pattern string) chartFiles {
	out := chartFiles{}
	for name, b := range f {
		if ok, _ := doublestar.Match(pattern, name); ok {
			out[name] = b
		}
	}
	return out
}

// AsConfig is the files as a ConfigMap's data, by base name.
func (f chartFiles) AsConfig() string {
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return toYAML(m)
}

// AsSecrets is the files as a Secret's data, by base name.
func (f chartFiles) AsSecrets() string {
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(v)
	}
	return toYAML(m)
}

// Lines is a file's lines.
func (f chartFiles) Lines(p string) []string {
	s := strings.TrimSuffix(string(f[p]), "\n")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// boundTree rewrites a parsed template so that text/template's own loops
// and calls draw from the render's budgets: every range's pipeline passes
// through boundRangeFunc (which counts the loop's length before it runs),
// every {{ template }} action's through boundTmplFunc. With file >= 0, it
// also ends every line of literal text with a marker naming
// the file and source line (markLines).
func boundTree(t *parse.Tree, file int, src string, actions bool) error {
	if t == nil || t.Root == nil {
		return nil
	}
	var lines []int
	if file >= 0 {
		lines = lineStarts(src)
	}
	var walk func(n parse.Node, depth int) error
	walk = func(n parse.Node, depth int) error {
		if depth > scanners.MaxDepth {
			return scanners.TooDeep(scanners.MaxDepth)
		}
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return nil
			}
			var nodes []parse.Node
			for _, c := range n.Nodes {
				if err := walk(c, depth+1); err != nil {
					return err
				}
				nodes = append(nodes, c)
				if a, ok := c.(*parse.ActionNode); ok && actions && lines != nil {
					nodes = append(nodes, &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos,
						Text: []byte(fmt.Sprintf("%s%d:%d%s", markOpen, file, lineOf(lines, int(a.Pos)), markClose))})
				}
			}
			n.Nodes = nodes
		case *parse.TextNode:
			if lines != nil {
				n.Text = markText(n.Text, file, lineOf(lines, int(n.Pos)))
			}
		case *parse.IfNode:
			return walkBranch(&n.BranchNode, depth, walk)
		case *parse.WithNode:
			return walkBranch(&n.BranchNode, depth, walk)
		case *parse.RangeNode:
			n.Pipe.Cmds = append(n.Pipe.Cmds, boundCmd(t, n.Pipe.Pos, boundRangeFunc))
			return walkBranch(&n.BranchNode, depth, walk)
		case *parse.TemplateNode:
			if n.Pipe == nil {
				// Without data, {{ template }} passes nil: so does the
				// counter, called with none.
				n.Pipe = &parse.PipeNode{NodeType: parse.NodePipe, Pos: n.Pos, Line: n.Line}
			}
			n.Pipe.Cmds = append(n.Pipe.Cmds, boundCmd(t, n.Pos, boundTmplFunc))
		}
		return nil
	}
	return walk(t.Root, 0)
}

func walkBranch(b *parse.BranchNode, depth int, walk func(parse.Node, int) error) error {
	if err := walk(b.List, depth+1); err != nil {
		return err
	}
	if b.ElseList != nil {
		return walk(b.ElseList, depth+1)
	}
	return nil
}

// boundCmd is a pipeline command calling fn.
func boundCmd(t *parse.Tree, pos parse.Pos, fn string) *parse.CommandNode {
	id := parse.NewIdentifier(fn).SetTree(t).SetPos(pos)
	return &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}
}

// The line markers of the mapping render: " #<swl:FILE:LINE>" before the
// newline of each line of a template's literal text, so that the rendered
// line says which template line its end came from.
const markOpen, markClose = " #<swl:", ">"

var markRE = regexp.MustCompile(` #<swl:(\d+):(\d+)>`)

func markText(text []byte, file, line int) []byte {
	if !bytes.Contains(text, []byte("\n")) {
		return text
	}
	var b bytes.Buffer
	for i, part := range bytes.Split(text, []byte("\n")) {
		if i > 0 {
			fmt.Fprintf(&b, "%s%d:%d%s\n", markOpen, file, line+i-1, markClose)
		}
		b.Write(part)
	}
	return b.Bytes()
}

// lineStarts are the byte offsets of the lines of src (a template file:
// the positions of its trees' nodes index it).
func lineStarts(src string) []int {
	starts := []int{0}
	for i, c := range []byte(src) {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf is the 1-based line of byte offset pos.
func lineOf(starts []int, pos int) int {
	i, found := slices.BinarySearch(starts, pos)
	if found {
		return i + 1
	}
	return i
}
