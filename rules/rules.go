// Package rules owns what a support team may change without touching Go: environments and
// hosts, API versions, products, routes and their payload schemas, business hours, holidays,
// routine windows, token lifetime, known error messages, replies and documentation links.
// It loads and validates a rules file (a versioned YAML schema, "triagem.rules/v1") and embeds
// the default one, built from the partner API's facts. It judges no case and prints nothing.
package rules

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// SchemaV1 is the only rules schema this version of triagem reads.
const SchemaV1 = "triagem.rules/v1"

// Rules is a loaded, validated rules file. Build it with Load or Default; the zero value is
// not usable.
type Rules struct {
	Schema        string           `yaml:"schema" json:"schema"`
	Name          string           `yaml:"name" json:"name"`
	Version       string           `yaml:"version" json:"version"`
	Timezone      string           `yaml:"timezone" json:"timezone"`
	Environments  []Environment    `yaml:"environments" json:"environments"`
	APIVersions   []APIVersion     `yaml:"api_versions" json:"api_versions"`
	Products      []Product        `yaml:"products" json:"products"`
	Routes        []Route          `yaml:"routes" json:"routes"`
	Token         Token            `yaml:"token" json:"token"`
	BusinessHours BusinessHours    `yaml:"business_hours" json:"business_hours"`
	Holidays      Holidays         `yaml:"holidays" json:"holidays"`
	Routines      []Routine        `yaml:"routines" json:"routines"`
	Unavailable   Unavailable      `yaml:"unavailable" json:"unavailable"`
	Errors        []KnownError     `yaml:"errors" json:"errors"`
	ReplyCommon   ReplySettings    `yaml:"reply" json:"reply"`
	Replies       map[string]Texts `yaml:"replies" json:"replies"`
	Docs          []Doc            `yaml:"docs" json:"docs"`
	Redaction     Redaction        `yaml:"redaction" json:"redaction"`
	Tickets       Tickets          `yaml:"tickets,omitempty" json:"tickets,omitempty"`
	Incidents     Incidents        `yaml:"incidents,omitempty" json:"incidents,omitempty"`

	// Derived at load time; never serialised.
	source       string
	hash         string
	loc          *time.Location
	calendarName string           // bancario or nacional
	days         []calendarDay    // the calendar's days, less the ignored ones
	schemas      []compiledSchema // one per route, compiled on first use
	aliases      map[string]int   // folded id or alias -> index in Products
	replies      *replyTemplates  // category + "\x00" + lang
}

// Environment is one deployment of the partner API (homologacao, producao).
type Environment struct {
	ID      string   `yaml:"id" json:"id"`
	Name    string   `yaml:"name" json:"name"`
	BaseURL string   `yaml:"base_url" json:"base_url"`
	Hosts   []string `yaml:"hosts" json:"hosts"`
}

// APIVersion tells a version by its path prefix. Level orders versions ("at least V2").
type APIVersion struct {
	ID     string `yaml:"id" json:"id"`
	Level  int    `yaml:"level" json:"level"`
	Prefix string `yaml:"prefix" json:"prefix"`
}

// Product is a credit product as the API and the procedure know it.
type Product struct {
	ID         string   `yaml:"id" json:"id"`
	Name       string   `yaml:"name" json:"name"`
	OnAPI      bool     `yaml:"on_api" json:"on_api"`
	MinVersion string   `yaml:"min_version,omitempty" json:"min_version,omitempty"`
	PayloadIDs []int    `yaml:"payload_ids,omitempty" json:"payload_ids,omitempty"`
	Aliases    []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	Channel    string   `yaml:"channel,omitempty" json:"channel,omitempty"` // where it is sold when not on the API
}

// Route is one route of one API version. Path is relative to the version's prefix and may
// hold {placeholders}; it is matched without regard to case, as the server does.
type Route struct {
	Version string `yaml:"version" json:"version"`
	Method  string `yaml:"method" json:"method"`
	Path    string `yaml:"path" json:"path"`
	Async   bool   `yaml:"async,omitempty" json:"async,omitempty"`
	Product string `yaml:"product,omitempty" json:"product,omitempty"` // a route only one product uses
	Login   bool   `yaml:"login,omitempty" json:"login,omitempty"`     // the login route: no token expected
	Schema  any    `yaml:"schema,omitempty" json:"schema,omitempty"`   // JSON Schema of the body

	segments []string
}

// Token holds the token rules of the procedure (3.3).
type Token struct {
	Lifetime Duration `yaml:"lifetime" json:"lifetime"`
	Leeway   Duration `yaml:"leeway" json:"leeway"`
}

// BusinessHours is the weekly opening of support and of the daytime operation (3.4).
type BusinessHours struct {
	Days  []string `yaml:"days" json:"days"`
	Open  Clock    `yaml:"open" json:"open"`
	Close Clock    `yaml:"close" json:"close"`

	days [7]bool
}

// Holidays is the calendar of closed and shortened days: a built-in calendar (bancario, the
// default, or nacional) less the days the team works on, plus the team's own days.
type Holidays struct {
	Calendar string `yaml:"calendar,omitempty" json:"calendar,omitempty"` // bancario | nacional
	// Calendars is how rules files named the calendar before: [br-national] reads as bancario.
	Calendars []string  `yaml:"calendars,omitempty" json:"calendars,omitempty"`
	Ignore    []string  `yaml:"ignore,omitempty" json:"ignore,omitempty"`   // calendar days treated as working days
	Extra     []TeamDay `yaml:"extra,omitempty" json:"extra,omitempty"`     // closed days the calendar does not know
	Partial   []TeamDay `yaml:"partial,omitempty" json:"partial,omitempty"` // days that open late or close early
}

// Routine is a scheduled window during which the API may be unavailable.
type Routine struct {
	Name   string   `yaml:"name" json:"name"`
	Days   []string `yaml:"days,omitempty" json:"days,omitempty"` // the days the window starts on; empty: every day
	Window Window   `yaml:"window" json:"window"`

	days [7]bool
}

// Unavailable tells an unavailability failure from any other.
type Unavailable struct {
	Statuses        []int    `yaml:"statuses" json:"statuses"`
	TimeoutPatterns []string `yaml:"timeout_patterns" json:"timeout_patterns"`

	folded []string
}

// KnownError is an error message the API is known to answer, and what it usually means.
type KnownError struct {
	Message   string `yaml:"message" json:"message"`
	Temporary bool   `yaml:"temporary,omitempty" json:"temporary,omitempty"`
	Section   string `yaml:"section,omitempty" json:"section,omitempty"`
	Meaning   Texts  `yaml:"meaning" json:"meaning"`

	folded string
}

// Redaction says what an escalation bundle masks. Headers and fields are masked whole
// (matched without regard to case); patterns are looked for in every text of the case.
type Redaction struct {
	Headers  []string           `yaml:"headers" json:"headers"`
	Fields   []string           `yaml:"fields" json:"fields"`
	Patterns []RedactionPattern `yaml:"patterns" json:"patterns"`
	// SecretWords make a field, parameter, cookie or header name a secret when one of the
	// name's words is among them ("auth*" is a prefix). See internal/sensitive.
	SecretWords []string `yaml:"secret_words,omitempty" json:"secret_words,omitempty"`
	// SafeHeaders are the only headers whose values are kept: every other header is masked.
	SafeHeaders []string `yaml:"safe_headers,omitempty" json:"safe_headers,omitempty"`
	// PersonalFields are key paths of personal data (names, birth dates, addresses);
	// ReadableFields are exceptions under them.
	PersonalFields []string `yaml:"personal_fields,omitempty" json:"personal_fields,omitempty"`
	ReadableFields []string `yaml:"readable_fields,omitempty" json:"readable_fields,omitempty"`
}

// RedactionPattern is one kind of personal data. Kind "cpf" and "cnpj" are recognised by
// their check digits (so other numbers stay readable); kind "regex" by Regex.
type RedactionPattern struct {
	Name       string `yaml:"name" json:"name"`
	Kind       string `yaml:"kind" json:"kind"` // cpf, cnpj, phone, regex
	Regex      string `yaml:"regex,omitempty" json:"regex,omitempty"`
	KeepLast   int    `yaml:"keep_last,omitempty" json:"keep_last,omitempty"`     // characters kept at the end, to correlate
	KeepDomain bool   `yaml:"keep_domain,omitempty" json:"keep_domain,omitempty"` // e-mail: keep what follows @
}

// Doc is one entry of the documentation index.
type Doc struct {
	ID         string   `yaml:"id" json:"id"`
	Title      string   `yaml:"title" json:"title"`
	URL        string   `yaml:"url" json:"url"`
	Sections   []string `yaml:"sections,omitempty" json:"sections,omitempty"`
	Categories []string `yaml:"categories,omitempty" json:"categories,omitempty"`
	Routes     []string `yaml:"routes,omitempty" json:"routes,omitempty"` // "METHOD /path" as in routes
	Keywords   []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
}

// Texts is one text per language ("pt-BR", "en").
type Texts map[string]string

// In returns the text in lang, falling back to pt-BR, the users' language.
func (t Texts) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t[DefaultLang]
}

// DefaultLang is the language of replies and messages unless --lang says otherwise.
const DefaultLang = "pt-BR"

// Langs are the languages every reply must exist in.
var Langs = []string{"pt-BR", "en"}

// Source names where the rules came from ("embedded default" or a path).
func (r *Rules) Source() string { return r.source }

// Hash is the SHA-256 of the rules file's bytes, so that a verdict names the exact rules.
func (r *Rules) Hash() string { return r.hash }

// Location is the rules' time zone.
func (r *Rules) Location() *time.Location { return r.loc }

// Environment returns the environment with the given id.
func (r *Rules) Environment(id string) (Environment, bool) {
	for _, e := range r.Environments {
		if e.ID == id {
			return e, true
		}
	}
	return Environment{}, false
}

// EnvironmentOfHost returns the environment that serves host (compared without case).
func (r *Rules) EnvironmentOfHost(host string) (Environment, bool) {
	host = strings.ToLower(host)
	for _, e := range r.Environments {
		for _, h := range e.Hosts {
			if strings.ToLower(h) == host {
				return e, true
			}
		}
	}
	return Environment{}, false
}

// VersionOfPath returns the API version whose prefix is the longest one path starts with,
// and the rest of the path after that prefix (with a leading slash).
func (r *Rules) VersionOfPath(path string) (APIVersion, string, bool) {
	lower := strings.ToLower(path)
	best := -1
	for i, v := range r.APIVersions {
		p := strings.ToLower(v.Prefix)
		if strings.HasPrefix(lower, p) && (best < 0 || len(p) > len(r.APIVersions[best].Prefix)) {
			best = i
		}
	}
	if best < 0 {
		return APIVersion{}, "", false
	}
	v := r.APIVersions[best]
	rest := path[len(v.Prefix):]
	if !strings.HasPrefix(rest, "/") {
		rest = "/" + rest
	}
	return v, rest, true
}

// VersionByID returns the API version with the given id.
func (r *Rules) VersionByID(id string) (APIVersion, bool) {
	for _, v := range r.APIVersions {
		if v.ID == id {
			return v, true
		}
	}
	return APIVersion{}, false
}

// Product returns the product with the given id.
func (r *Rules) Product(id string) (Product, bool) {
	for _, p := range r.Products {
		if p.ID == id {
			return p, true
		}
	}
	return Product{}, false
}

// ProductByName finds a product by id or alias, without regard to case, accents, spaces,
// hyphens or underscores: "Luz em Dia", "luz-em-dia" and "LUZ_EM_DIA" are one product.
func (r *Rules) ProductByName(name string) (Product, bool) {
	i, ok := r.aliases[Fold(name)]
	if !ok {
		return Product{}, false
	}
	return r.Products[i], true
}

// ProductByPayloadID finds the product that a payload's produto.id names.
func (r *Rules) ProductByPayloadID(id int) (Product, bool) {
	for _, p := range r.Products {
		for _, pid := range p.PayloadIDs {
			if pid == id {
				return p, true
			}
		}
	}
	return Product{}, false
}

// MatchRoute returns the index of the route of version that method and rest (the path after
// the version prefix) reach. With an empty method, it matches when exactly one route has the
// path. methodKnown tells whether some route has the path with another method.
func (r *Rules) MatchRoute(version, method, rest string) (idx int, pathKnown bool) {
	segs := splitPath(rest)
	idx = -1
	candidates := 0
	for i := range r.Routes {
		rt := &r.Routes[i]
		if rt.Version != version || !segmentsMatch(rt.segments, segs) {
			continue
		}
		pathKnown = true
		if method == "" {
			candidates++
			idx = i
			continue
		}
		if strings.EqualFold(rt.Method, method) {
			return i, true
		}
	}
	if method == "" && candidates != 1 {
		return -1, pathKnown
	}
	return idx, pathKnown
}

// Route returns route i.
func (r *Rules) Route(i int) *Route { return &r.Routes[i] }

// String is "POST /api/v2/propostas/pre-analise" style: the way docs and messages name it.
func (rt *Route) String() string { return rt.Method + " " + rt.Path }

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func segmentsMatch(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if !strings.EqualFold(t, segs[i]) {
			return false
		}
	}
	return true
}

// IsBusinessDay tells whether the local weekday of t is a business day (holidays aside).
func (b *BusinessHours) IsBusinessDay(wd time.Weekday) bool { return b.days[wd] }

// StartsOn tells whether the routine's window starts on weekday wd.
func (rt *Routine) StartsOn(wd time.Weekday) bool { return rt.days[wd] }

// KnownErrorIn finds the first known error message contained in text (folded).
func (r *Rules) KnownErrorIn(text string) (KnownError, bool) {
	f := Fold(text)
	for _, e := range r.Errors {
		if e.folded != "" && strings.Contains(f, e.folded) {
			return e, true
		}
	}
	return KnownError{}, false
}

// IsTimeoutText tells whether an error text reports a timeout.
func (r *Rules) IsTimeoutText(text string) bool {
	f := Fold(text)
	for _, p := range r.Unavailable.folded {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}

// IsUnavailableStatus tells whether an HTTP status reports unavailability.
func (r *Rules) IsUnavailableStatus(status int) bool {
	for _, s := range r.Unavailable.Statuses {
		if s == status {
			return true
		}
	}
	return false
}

// DocsFor returns the documentation links for a category and a route ("METHOD /path"),
// in rules order, without duplicates.
func (r *Rules) DocsFor(category, route string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range r.Docs {
		if !(contains(d.Categories, category) || (route != "" && containsFold(d.Routes, route))) || seen[d.URL] {
			continue
		}
		seen[d.URL] = true
		out = append(out, d.URL)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// compiledSchema is a route's payload schema, compiled on first use: a diagnosis needs one
// route's schema, and compiling them all would cost every run.
type compiledSchema struct {
	once sync.Once
	s    schemaValidator
	err  error
}

// SearchDocs finds the documentation entries that fit words: every word must appear (without
// regard to case and accents) in an entry's id, title, keywords, routes, sections or
// categories. Entries matching more words' fields rank first; no words lists them all.
func (r *Rules) SearchDocs(words []string) []Doc {
	type scored struct {
		d     Doc
		score int
	}
	var hits []scored
	for _, d := range r.Docs {
		fields := append([]string{d.ID, d.Title}, d.Keywords...)
		fields = append(fields, d.Routes...)
		fields = append(fields, d.Sections...)
		fields = append(fields, d.Categories...)
		score, all := 0, true
		for _, w := range words {
			fw := Fold(w)
			if fw == "" {
				continue
			}
			found := false
			for _, f := range fields {
				ff := Fold(f)
				switch {
				case ff == fw:
					score += 3
					found = true
				case strings.Contains(ff, fw):
					score++
					found = true
				}
			}
			all = all && found
		}
		if all {
			hits = append(hits, scored{d, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	out := make([]Doc, len(hits))
	for i, h := range hits {
		out[i] = h.d
	}
	return out
}
