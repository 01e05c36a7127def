package rules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // America/Sao_Paulo on machines without zoneinfo

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default rules file, as a team would start its own from.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

var (
	defaultOnce  sync.Once
	defaultRules *Rules
	defaultErr   error
)

// Default returns the embedded default rules, loaded once per process.
func Default() (*Rules, error) {
	defaultOnce.Do(func() {
		defaultRules, defaultErr = Load("embedded default", defaultYAML)
	})
	return defaultRules, defaultErr
}

// LoadFile reads and validates a rules file.
func LoadFile(path string) (*Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Problem is one thing wrong with a rules file, at a place in it.
type Problem struct {
	File string
	Line int    // 0 when unknown
	Path string // where in the document: routes[3].schema
	Msg  string
}

func (p Problem) Error() string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	if p.Path != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Path, p.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, p.Msg)
}

// Problems is every problem found in a rules file; it is the error Load returns.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// Load parses and validates a rules file. name is used in messages. Every problem found is
// returned at once, each with its line, as Problems.
func Load(name string, data []byte) (*Rules, error) {
	var r Rules
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Problems{{File: name, Msg: "empty rules file"}}
		}
		return nil, yamlProblems(name, err)
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc) // it decoded above, so it parses
	r.source = name
	sum := sha256.Sum256(data)
	r.hash = hex.EncodeToString(sum[:])
	if ps := r.validate(); len(ps) > 0 {
		for i := range ps {
			ps[i].File = name
			ps[i].Line = lineOf(&doc, ps[i].Path)
		}
		return nil, ps
	}
	return &r, nil
}

var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlProblems turns yaml's "yaml: line 7: ..." and type errors into positioned problems.
func yamlProblems(name string, err error) Problems {
	var lines []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var ps Problems
	for _, l := range lines {
		p := Problem{File: name, Msg: l}
		if m := yamlLineRE.FindStringSubmatch(l); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Msg = m[2]
		}
		ps = append(ps, p)
	}
	return ps
}

// lineOf finds the line of a path like routes[3].schema in a YAML document; the nearest
// existing ancestor's line when the path ends in a field that is absent.
func lineOf(doc *yaml.Node, path string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, step := range splitPathSteps(path) {
		var next *yaml.Node
		switch {
		case n.Kind == yaml.MappingNode && step.key != "":
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == step.key {
					next = n.Content[i+1]
					line = n.Content[i].Line
					break
				}
			}
		case n.Kind == yaml.SequenceNode && step.key == "" && step.idx < len(n.Content):
			next = n.Content[step.idx]
			line = next.Line
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

type pathStep struct {
	key string
	idx int
}

func splitPathSteps(path string) []pathStep {
	var steps []pathStep
	for _, part := range strings.Split(path, ".") {
		if part == "" {
			continue
		}
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			steps = append(steps, pathStep{key: key})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, _ := strconv.Atoi(num)
			steps = append(steps, pathStep{idx: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return steps
}

// validate checks everything a team can get wrong and derives the lookup structures.
func (r *Rules) validate() Problems {
	var ps Problems
	add := func(path, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if r.Schema != SchemaV1 {
		add("schema", "want %q, got %q", SchemaV1, r.Schema)
	}
	if r.Name == "" {
		add("name", "missing: name the rules so verdicts can say which rules judged them")
	}
	loc, err := time.LoadLocation(r.Timezone)
	if err != nil || r.Timezone == "" {
		add("timezone", "%q is not a time zone such as America/Sao_Paulo", r.Timezone)
		loc = time.UTC
	}
	r.loc = loc

	envIDs := map[string]bool{}
	if len(r.Environments) == 0 {
		add("environments", "at least one environment is needed")
	}
	hosts := map[string]string{}
	for i, e := range r.Environments {
		p := fmt.Sprintf("environments[%d]", i)
		if e.ID == "" {
			add(p+".id", "missing")
		}
		if envIDs[e.ID] {
			add(p+".id", "duplicate environment %q", e.ID)
		}
		envIDs[e.ID] = true
		for j, h := range e.Hosts {
			h = strings.ToLower(h)
			if other, ok := hosts[h]; ok {
				add(fmt.Sprintf("%s.hosts[%d]", p, j), "host %s is already in environment %s", h, other)
			}
			hosts[h] = e.ID
		}
	}

	verIDs := map[string]bool{}
	if len(r.APIVersions) == 0 {
		add("api_versions", "at least one API version is needed")
	}
	for i, v := range r.APIVersions {
		p := fmt.Sprintf("api_versions[%d]", i)
		if v.ID == "" {
			add(p+".id", "missing")
		}
		if !strings.HasPrefix(v.Prefix, "/") || !strings.HasSuffix(v.Prefix, "/") {
			add(p+".prefix", "%q must start and end with /", v.Prefix)
		}
		verIDs[v.ID] = true
	}

	r.aliases = map[string]int{}
	for i, pr := range r.Products {
		p := fmt.Sprintf("products[%d]", i)
		if pr.ID == "" {
			add(p+".id", "missing")
		}
		if pr.MinVersion != "" && !verIDs[pr.MinVersion] {
			add(p+".min_version", "unknown API version %q", pr.MinVersion)
		}
		names := append([]string{pr.ID, pr.Name}, pr.Aliases...)
		for j, a := range names {
			k := Fold(a)
			if k == "" {
				continue
			}
			if other, ok := r.aliases[k]; ok && other != i {
				path := p + ".id"
				if j == 1 {
					path = p + ".name"
				}
				if j >= 2 {
					path = fmt.Sprintf("%s.aliases[%d]", p, j-2)
				}
				add(path, "%q already names product %s", a, r.Products[other].ID)
				continue
			}
			r.aliases[k] = i
		}
	}

	r.schemas = make([]compiledSchema, len(r.Routes))
	for i := range r.Routes {
		rt := &r.Routes[i]
		p := fmt.Sprintf("routes[%d]", i)
		if !verIDs[rt.Version] {
			add(p+".version", "unknown API version %q", rt.Version)
		}
		switch strings.ToUpper(rt.Method) {
		case "GET", "POST", "PUT", "PATCH", "DELETE":
			rt.Method = strings.ToUpper(rt.Method)
		default:
			add(p+".method", "%q is not an HTTP method the API uses", rt.Method)
		}
		if !strings.HasPrefix(rt.Path, "/") {
			add(p+".path", "%q must start with /", rt.Path)
		}
		rt.segments = splitPath(rt.Path)
		if rt.Product != "" {
			if _, ok := r.Product(rt.Product); !ok {
				add(p+".product", "unknown product %q", rt.Product)
			}
		}
		if rt.Schema != nil {
			if _, err := r.compileRoute(i); err != nil {
				add(p+".schema", "does not compile: %v", err)
			}
		}
	}

	if r.Token.Lifetime.Duration <= 0 {
		add("token.lifetime", "must be positive, such as 12h")
	}

	bh := &r.BusinessHours
	if bh.days, err = parseDays(bh.Days); err != nil {
		add("business_hours.days", "%v", err)
	}
	if bh.Close <= bh.Open {
		add("business_hours.close", "closing (%s) must come after opening (%s)", bh.Close, bh.Open)
	}

	r.buildCalendar(add)
	r.checkTickets(add)

	for i := range r.Routines {
		rt := &r.Routines[i]
		p := fmt.Sprintf("routines[%d]", i)
		if rt.days, err = parseDays(rt.Days); err != nil {
			add(p+".days", "%v", err)
		}
		switch {
		case rt.Window.err != "":
			add(p+".window", "%s", rt.Window.err)
		case rt.Window == (Window{}):
			add(p+".window", "missing: a window such as 22:00-06:00")
		}
	}

	for i, s := range r.Unavailable.Statuses {
		if s < 100 || s > 599 {
			add(fmt.Sprintf("unavailable.statuses[%d]", i), "%d is not an HTTP status", s)
		}
	}
	for i, p := range r.Unavailable.TimeoutPatterns {
		f := Fold(p)
		if f == "" {
			add(fmt.Sprintf("unavailable.timeout_patterns[%d]", i), "empty pattern")
			continue
		}
		r.Unavailable.folded = append(r.Unavailable.folded, f)
	}
	for i := range r.Errors {
		e := &r.Errors[i]
		e.folded = Fold(e.Message)
		if e.folded == "" {
			add(fmt.Sprintf("errors[%d].message", i), "missing")
		}
	}

	r.compileReplies(add)
	var noReply []string
	for _, c := range Categories {
		if _, ok := r.Replies[c]; !ok {
			noReply = append(noReply, c)
		}
	}
	if len(noReply) > 0 {
		add("replies", "no reply for %s (copy them from 'triagem rules show')", strings.Join(noReply, ", "))
	}
	for i, p := range r.Redaction.Patterns {
		path := fmt.Sprintf("redaction.patterns[%d]", i)
		switch p.Kind {
		case "cpf", "cnpj", "phone":
		case "regex":
			if _, err := regexp.Compile(p.Regex); err != nil || p.Regex == "" {
				add(path+".regex", "not a regular expression: %v", err)
			}
		default:
			add(path+".kind", "%q is not a pattern kind (cpf, cnpj, phone, regex)", p.Kind)
		}
		if p.Name == "" {
			add(path+".name", "missing")
		}
	}
	for i, d := range r.Docs {
		p := fmt.Sprintf("docs[%d]", i)
		if !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") {
			add(p+".url", "%q is not an http(s) link", d.URL)
		}
		for j, c := range d.Categories {
			if !knownCategory(c) {
				add(fmt.Sprintf("%s.categories[%d]", p, j), "unknown category %q", c)
			}
		}
	}
	return ps
}

// Categories are the verdict categories of the contract, in order of precedence. The rules
// carry replies and links per category; the categories themselves are fixed by the contract.
var Categories = []string{
	"api-key-missing", "api-key-invalid", "user-blocked", "user-key-mismatch",
	"token-expired", "token-invalid", "product-not-on-api", "product-version",
	"request-syntax", "off-hours-routine", "evidence-incomplete", "no-apparent-cause",
}

func knownCategory(c string) bool { return contains(Categories, c) }
