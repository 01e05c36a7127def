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
	"sync/atomic"
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

// generatedDefault returns the embedded rules as decoded from default.yaml, written as Go
// values when the program is built (default_gen.go, kept current by
// TestDefaultGeneratedFileIsCurrent): a start-up does not parse the YAML. nil only while
// default_gen.go is being regenerated; the YAML is decoded then.
var generatedDefault func() *Rules

// generatedRedaction is the redaction section of generatedDefault alone.
var generatedRedaction func() Redaction

// Default returns the embedded default rules, loaded once per process.
func Default() (*Rules, error) {
	defaultOnce.Do(func() {
		// The embedded schemas are known to compile (TestDefaultRouteSchemasCompile): each
		// compiles when a case first reaches its route, not at every start. Their reply
		// templates, known to render (TestDefaultLoadsAsTheYAML), parse on first use too.
		if generatedDefault != nil {
			defaultRules, defaultErr = finish("embedded default", generatedDefault(), generatedDefaultHash, defaultYAML, false)
		} else {
			defaultRules, defaultErr = load("embedded default", defaultYAML, false)
		}
		defaultLoaded.Store(defaultErr == nil)
	})
	return defaultRules, defaultErr
}

// DefaultRedaction is the embedded rules' redaction section. A command that only prints (the
// output redactor needs no more) takes that section alone instead of loading and validating
// all the rules; once the rules are loaded, it is theirs.
func DefaultRedaction() (Redaction, error) {
	if defaultLoaded.Load() {
		return defaultRules.Redaction, nil
	}
	if generatedRedaction != nil {
		return generatedRedaction(), nil
	}
	r, err := Default()
	if err != nil {
		return Redaction{}, err
	}
	return r.Redaction, nil
}

var defaultLoaded atomic.Bool

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
	Msg  string // in English
	Pt   string // the same in Portuguese, a whole sentence of its own
}

func (p Problem) Error() string { return p.Text("en") }

// Text is the problem in lang ("en", or Portuguese for anything else, the users' language).
func (p Problem) Text(lang string) string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	msg := p.Msg
	if lang != "en" && p.Pt != "" {
		msg = p.Pt
	}
	if p.Path != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Path, msg)
	}
	return fmt.Sprintf("%s: %s", loc, msg)
}

// Problems is every problem found in a rules file; it is the error Load returns.
type Problems []Problem

func (ps Problems) Error() string { return ps.Text("en") }

// Text is every problem in lang, one a line.
func (ps Problems) Text(lang string) string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Text(lang)
	}
	return strings.Join(msgs, "\n")
}

// Load parses and validates a rules file. name is used in messages. Every problem found is
// returned at once, each with its line, as Problems.
func Load(name string, data []byte) (*Rules, error) {
	return load(name, data, true)
}

// load is Load; eager compiles every route's schema and reply template now, so that a rules
// file with one that does not compile is refused with the others' problems.
func load(name string, data []byte, eager bool) (*Rules, error) {
	var r Rules
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Problems{{File: name, Msg: "empty rules file", Pt: "o arquivo de regras está vazio"}}
		}
		return nil, yamlProblems(name, err)
	}
	sum := sha256.Sum256(data)
	return finish(name, &r, hex.EncodeToString(sum[:]), data, eager)
}

// finish validates decoded rules and derives what the program looks up; data is the file
// they were decoded from, to place problems by line.
func finish(name string, r *Rules, hash string, data []byte, eager bool) (*Rules, error) {
	r.source = name
	r.hash = hash
	if ps := r.validate(eager); len(ps) > 0 {
		// The node tree only places the problems: parsed again only for them.
		var doc yaml.Node
		_ = yaml.Unmarshal(data, &doc) // it decoded above, so it parses
		for i := range ps {
			ps[i].File = name
			ps[i].Line = lineOf(&doc, ps[i].Path)
		}
		return nil, ps
	}
	return r, nil
}

var (
	yamlLineRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): (.*)$`) })
	yamlUnknownRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^field (\S+) not found in type `) })
	yamlCannotRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^cannot unmarshal (!!\w+)`) })
	yamlTypeWordPT = map[string]string{"!!str": "um texto", "!!int": "um número", "!!float": "um número",
		"!!bool": "um booleano", "!!map": "um mapeamento", "!!seq": "uma lista", "!!null": "um valor vazio"}
)

// yamlProblems turns yaml's "yaml: line 7: ..." and type errors into positioned problems.
// yaml's own words stay in the English message; the Portuguese one says what is wrong in
// its own words, or what to look at.
func yamlProblems(name string, err error) Problems {
	var te *textError
	if errors.As(err, &te) { // a value our own types refused (a duration, a time of day)
		p := Problem{File: name, Msg: te.en, Pt: te.pt}
		if m := yamlLineRE().FindStringSubmatch(te.en); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Msg = m[2]
		}
		if m := yamlLineRE().FindStringSubmatch(te.pt); m != nil {
			p.Pt = m[2]
		}
		return Problems{p}
	}
	var lines []string
	var yte *yaml.TypeError
	if errors.As(err, &yte) {
		lines = yte.Errors
	} else {
		lines = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var ps Problems
	for _, l := range lines {
		p := Problem{File: name, Msg: l}
		if m := yamlLineRE().FindStringSubmatch(l); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Msg = m[2]
		}
		switch m := yamlUnknownRE().FindStringSubmatch(p.Msg); {
		case m != nil:
			p.Pt = fmt.Sprintf("campo desconhecido %q: confira o nome em 'triagem rules show'", m[1])
		case yamlCannotRE().MatchString(p.Msg):
			got := yamlTypeWordPT[yamlCannotRE().FindStringSubmatch(p.Msg)[1]]
			if got == "" {
				got = "um valor de outro tipo"
			}
			p.Pt = fmt.Sprintf("tipo errado: veio %s, que este campo não aceita", got)
		default:
			p.Pt = "o YAML não pôde ser lido a partir desta linha: confira a indentação, os dois-pontos depois de cada campo e as aspas"
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

// validate checks everything a team can get wrong and derives the lookup structures. eager (a
// user's rules file) compiles the route schemas, the reply templates and the redaction
// patterns now; the embedded rules, which the tests check compile, compile their schemas and
// templates on first use and leave the patterns to the redactor that uses them.
func (r *Rules) validate(eager bool) Problems {
	var ps Problems
	add := func(path, pt, en string, args ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(en, args...), Pt: fmt.Sprintf(pt, args...)})
	}
	addErr := func(path string, err error) { // an error of ours, worded in both languages
		ps = append(ps, Problem{Path: path, Msg: err.Error(), Pt: ptOf(err, "")})
	}
	if r.Schema != SchemaV1 {
		add("schema", "esperado %q, veio %q", "want %q, got %q", SchemaV1, r.Schema)
	}
	if r.Name == "" {
		add("name", "falta: dê um nome às regras, para que os veredictos digam quais regras os julgaram", "missing: name the rules so verdicts can say which rules judged them")
	}
	loc, err := time.LoadLocation(r.Timezone)
	if err != nil || r.Timezone == "" {
		add("timezone", "%q não é um fuso horário como America/Sao_Paulo", "%q is not a time zone such as America/Sao_Paulo", r.Timezone)
		loc = time.UTC
	}
	r.loc = loc

	envIDs := map[string]bool{}
	if len(r.Environments) == 0 {
		add("environments", "é preciso pelo menos um ambiente", "at least one environment is needed")
	}
	hosts := map[string]string{}
	for i, e := range r.Environments {
		p := fmt.Sprintf("environments[%d]", i)
		if e.ID == "" {
			add(p+".id", "falta", "missing")
		}
		if envIDs[e.ID] {
			add(p+".id", "o ambiente %q aparece mais de uma vez", "duplicate environment %q", e.ID)
		}
		envIDs[e.ID] = true
		for j, h := range e.Hosts {
			h = strings.ToLower(h)
			if other, ok := hosts[h]; ok {
				add(fmt.Sprintf("%s.hosts[%d]", p, j), "o host %s já está no ambiente %s", "host %s is already in environment %s", h, other)
			}
			hosts[h] = e.ID
		}
	}

	verIDs := map[string]bool{}
	if len(r.APIVersions) == 0 {
		add("api_versions", "é preciso pelo menos uma versão da API", "at least one API version is needed")
	}
	for i, v := range r.APIVersions {
		p := fmt.Sprintf("api_versions[%d]", i)
		if v.ID == "" {
			add(p+".id", "falta", "missing")
		}
		if !strings.HasPrefix(v.Prefix, "/") || !strings.HasSuffix(v.Prefix, "/") {
			add(p+".prefix", "%q deve começar e terminar com /", "%q must start and end with /", v.Prefix)
		}
		verIDs[v.ID] = true
	}

	r.aliases = map[string]int{}
	for i, pr := range r.Products {
		p := fmt.Sprintf("products[%d]", i)
		if pr.ID == "" {
			add(p+".id", "falta", "missing")
		}
		if pr.MinVersion != "" && !verIDs[pr.MinVersion] {
			add(p+".min_version", "versão da API desconhecida: %q", "unknown API version %q", pr.MinVersion)
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
				add(path, "%q já é o nome do produto %s", "%q already names product %s", a, r.Products[other].ID)
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
			add(p+".version", "versão da API desconhecida: %q", "unknown API version %q", rt.Version)
		}
		switch strings.ToUpper(rt.Method) {
		case "GET", "POST", "PUT", "PATCH", "DELETE":
			rt.Method = strings.ToUpper(rt.Method)
		default:
			add(p+".method", "%q não é um método HTTP que a API usa", "%q is not an HTTP method the API uses", rt.Method)
		}
		if !strings.HasPrefix(rt.Path, "/") {
			add(p+".path", "%q deve começar com /", "%q must start with /", rt.Path)
		}
		rt.segments = splitPath(rt.Path)
		if rt.Product != "" {
			if _, ok := r.Product(rt.Product); !ok {
				add(p+".product", "produto desconhecido: %q", "unknown product %q", rt.Product)
			}
		}
		if rt.Schema != nil && eager {
			if _, err := r.compileRoute(i); err != nil {
				// the compiler's own words stay in the English text
				addErr(p+".schema", &textError{pt: "o esquema JSON não compila: confira os tipos e as palavras-chave (o detalhe do compilador aparece com --lang en)",
					en: fmt.Sprintf("does not compile: %v", err)})
			}
		}
	}

	if r.Token.Lifetime.Duration <= 0 {
		add("token.lifetime", "deve ser positiva, como 12h", "must be positive, such as 12h")
	}

	bh := &r.BusinessHours
	if bh.days, err = parseDays(bh.Days); err != nil {
		addErr("business_hours.days", err)
	}
	if bh.Close <= bh.Open {
		add("business_hours.close", "o fechamento (%s) deve vir depois da abertura (%s)", "closing (%s) must come after opening (%s)", bh.Close, bh.Open)
	}

	r.buildCalendar(add)
	r.checkTickets(add)

	for i := range r.Routines {
		rt := &r.Routines[i]
		p := fmt.Sprintf("routines[%d]", i)
		if rt.days, err = parseDays(rt.Days); err != nil {
			addErr(p+".days", err)
		}
		switch {
		case rt.Window.err != nil:
			addErr(p+".window", rt.Window.err)
		case rt.Window == (Window{}):
			add(p+".window", "falta: uma janela como 22:00-06:00", "missing: a window such as 22:00-06:00")
		}
	}

	for i, s := range r.Unavailable.Statuses {
		if s < 100 || s > 599 {
			add(fmt.Sprintf("unavailable.statuses[%d]", i), "%d não é um status HTTP", "%d is not an HTTP status", s)
		}
	}
	for i, p := range r.Unavailable.TimeoutPatterns {
		f := Fold(p)
		if f == "" {
			add(fmt.Sprintf("unavailable.timeout_patterns[%d]", i), "padrão vazio", "empty pattern")
			continue
		}
		r.Unavailable.folded = append(r.Unavailable.folded, f)
	}
	for i := range r.Errors {
		e := &r.Errors[i]
		e.folded = Fold(e.Message)
		if e.folded == "" {
			add(fmt.Sprintf("errors[%d].message", i), "falta", "missing")
		}
	}

	r.compileReplies(add, eager)
	var noReply []string
	for _, c := range Categories {
		if _, ok := r.Replies[c]; !ok {
			noReply = append(noReply, c)
		}
	}
	if len(noReply) > 0 {
		add("replies", "sem resposta para %s (copie-as de 'triagem rules show')", "no reply for %s (copy them from 'triagem rules show')", strings.Join(noReply, ", "))
	}
	for i, p := range r.Redaction.Patterns {
		path := fmt.Sprintf("redaction.patterns[%d]", i)
		switch p.Kind {
		case "cpf", "cnpj", "phone":
		case "regex":
			if !eager {
				break
			}
			if _, err := regexp.Compile(p.Regex); err != nil || p.Regex == "" {
				addErr(path+".regex", &textError{pt: "não é uma expressão regular válida: confira parênteses, colchetes e barras invertidas",
					en: fmt.Sprintf("not a regular expression: %v", err)})
			}
		default:
			add(path+".kind", "%q não é um tipo de padrão (cpf, cnpj, phone, regex)", "%q is not a pattern kind (cpf, cnpj, phone, regex)", p.Kind)
		}
		if p.Name == "" {
			add(path+".name", "falta", "missing")
		}
	}
	for i, d := range r.Docs {
		p := fmt.Sprintf("docs[%d]", i)
		if !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") {
			add(p+".url", "%q não é um link http(s)", "%q is not an http(s) link", d.URL)
		}
		for j, c := range d.Categories {
			if !knownCategory(c) {
				add(fmt.Sprintf("%s.categories[%d]", p, j), "categoria desconhecida: %q", "unknown category %q", c)
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
