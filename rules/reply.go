package rules

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
)

// ReplySettings is what every reply shares: the team's signature and the common parts
// (greeting, what was looked at, the documentation link, the sign-off) that each category's
// template calls with {{template "name" .}}.
type ReplySettings struct {
	Signature Texts `yaml:"signature" json:"signature"`
	Parts     Texts `yaml:"parts" json:"parts"`
}

// ReplyData is what a reply template can use. Everything in it is already worded for the
// partner, in the reply's language: times in the partner's clock, durations as people say
// them, names of environments as the partner knows them. It never carries a secret, a
// personal datum, a check id or a section of the internal procedure.
type ReplyData struct {
	Lang        string // pt-BR or en
	Ticket      string // the ticket's reference, "" when the case has none
	Signature   string // the team's signature
	Method      string // POST
	Path        string // /api/v2/propostas/pre-analise, without the query string
	Environment string // the environment called, in the reply's language: homologação, staging
	SentAt      string // when the request was sent: 18/11/2026 às 10:15 (horário de Brasília)
	Doc         string // the documentation link for exactly this topic, "" when none fits
	Escalate    bool   // the case goes to CrefazOn's engineering team
	// Partner: the partner's developer reads the text in `triagem check`, before any ticket
	// exists. The common parts then leave out the greeting and the sign-off, and a template
	// says "open a ticket" where it would say "answer this ticket".
	Partner bool

	Key      ReplyKey
	User     ReplyUser
	Token    ReplyToken
	Product  ReplyProduct
	Payload  ReplyPayload
	Hours    ReplyHours
	Missing  []string // evidence the partner must still send: api_key, user, environment, endpoint, payload, timestamp, error_message
	Capture  string   // how the partner can best send what is missing: "har" (it holds the time and the answer), "curl" (the request alone), ""
	Verified ReplyVerified
}

// ReplyKey says what is wrong with the API key (api-key-missing, api-key-invalid).
type ReplyKey struct {
	Problem     string // unknown, inactive, other-environment ("" for a missing key)
	Environment string // where the key sent belongs, for other-environment
}

// ReplyUser says what is wrong with the user (user-blocked, user-key-mismatch).
type ReplyUser struct {
	Problem      string // unknown, inactive, not-bound
	OtherPartner bool   // the key belongs to another company than the user's
}

// ReplyToken says what is wrong with the token.
type ReplyToken struct {
	Problem       string // token-invalid: no-bearer, malformed, alg-none, no-exp, too-long, signature
	ExpiredAt     string // token-expired: when it expired, in the partner's clock
	ExpiredBefore string // how long before the request it expired: pouco mais de uma hora
	Lifetime      string // how long a token lasts: 12 horas
	Lasts         string // how long the token sent lasts, for too-long: 24 horas
	LoginRoute    string // POST /api/v2/usuarios/login, of the request's API version
}

// ReplyProduct names the product and the API versions (product-not-on-api, product-version).
type ReplyProduct struct {
	Name       string
	Channel    string // where a product not on the API is sold (as the rules write it)
	Version    string // the request's API version: V1
	MinVersion string // the first version that has the product: V2
	MinPrefix  string // that version's path prefix: /api/v2/
	MinLogin   string // that version's login route: POST /api/v2/usuarios/login
}

// ReplyPayload says what is wrong with the request's body (request-syntax).
type ReplyPayload struct {
	NotJSON   bool
	Truncated bool // the JSON ends before its braces or quotes close
	Line      int  // where the JSON stops being JSON, when known
	Column    int
	Fields    []ReplyField
}

// ReplyField is one field of the body and what is wrong with it, in the reply's language.
type ReplyField struct {
	Name    string // cliente.cpf; the body itself when the problem is the whole body
	Problem string // não é um CPF válido (os dígitos verificadores não conferem)
}

// ReplyHours says when and why the request met CrefazOn's routines (off-hours-routine).
type ReplyHours struct {
	When        string // why it was off hours, as a phrase: em um sábado / on a Saturday
	Why         string // holiday, weekend, early, late
	Holiday     string // the holiday's name, as the calendar writes it (Portuguese)
	Weekday     string // the request's weekday, in the reply's language
	Routine     bool   // sent inside a routine window
	Window      string // that window: das 22h às 6h / from 22:00 to 06:00
	Unavailable bool   // the API answered as unavailable (5xx, a timeout, a temporary failure)
	Days        string // business days: de segunda a sexta / Monday to Friday
	Open, Close string // business hours: 8h, 18h / 08:00, 18:00
}

// ReplyVerified tells which parts of the request were checked and found right, so that a
// reply claims only what was verified.
type ReplyVerified struct {
	Route   bool // the address, API version and environment
	Key     bool // the key, in CrefazOn's records
	User    bool // the user, in CrefazOn's records
	Token   bool // the token's form and validity at the request's time
	Payload bool // the body against the route's documented fields
	Product bool // the product is offered on the version used
	Time    bool // the time against business hours and routines
}

// sampleReplyData exercises every field, so that a template naming a field or a part that
// does not exist is refused when the rules load, not when a partner's case reaches it.
func sampleReplyData(lang string) ReplyData {
	return ReplyData{
		Lang: lang, Ticket: "SUP-1", Signature: "Team", Method: "POST", Path: "/api/v2/x", Environment: "env",
		SentAt: "sent", Doc: "https://docs", Escalate: true,
		Key:     ReplyKey{Problem: "other-environment", Environment: "env"},
		User:    ReplyUser{Problem: "inactive", OtherPartner: true},
		Token:   ReplyToken{Problem: "malformed", ExpiredAt: "at", ExpiredBefore: "before", Lifetime: "12", Lasts: "24", LoginRoute: "POST /login"},
		Product: ReplyProduct{Name: "P", Channel: "web", Version: "V1", MinVersion: "V2", MinPrefix: "/api/v2/", MinLogin: "POST /login"},
		Payload: ReplyPayload{NotJSON: true, Line: 1, Column: 2, Fields: []ReplyField{{Name: "a", Problem: "b"}}},
		Hours:   ReplyHours{When: "w", Why: "holiday", Holiday: "H", Weekday: "d", Routine: true, Window: "w", Unavailable: true, Days: "d", Open: "8", Close: "18"},
		Missing: []string{"api_key", "user", "environment", "endpoint", "payload", "timestamp", "error_message"}, Capture: "har",
		Verified: ReplyVerified{Route: true, Key: true, User: true, Token: true, Payload: true, Product: true, Time: true},
	}
}

// compileReplies parses the common parts and every category's template, per language, and
// runs each once on sample data. It reports problems with add, at their place in the file.
// Without eager (the embedded rules) it parses nothing now: each template is parsed when a
// verdict first needs it.
func (r *Rules) compileReplies(add func(path, pt, en string, args ...any), eager bool) {
	r.replies = &replyTemplates{}
	if !eager {
		// The embedded rules: every template is known to parse and render
		// (TestDefaultLoadsAsTheYAML); each is parsed when a verdict first needs it.
		r.replies.lazy = true
		return
	}
	parts := map[string]*template.Template{}
	all := map[replyKey]*template.Template{}
	defer func() { r.replies.ready.Store(&all) }()
	for _, l := range Langs {
		if strings.TrimSpace(r.ReplyCommon.Signature[l]) == "" {
			add("reply.signature", "falta o texto em %s", "no %s text", l)
		}
		t, err := template.New("parts").Parse(r.ReplyCommon.Parts[l])
		if err != nil {
			add("reply.parts", "o texto em %[1]s não é um modelo válido: confira as chaves {{ }} e os nomes dos campos", "%[1]s text: %[2]v", l, err)
			continue
		}
		parts[l] = t
	}
	for cat, texts := range r.Replies {
		if !knownCategory(cat) {
			add("replies."+cat, "categoria desconhecida: %q", "unknown category %q", cat)
			continue
		}
		for _, l := range Langs {
			if strings.TrimSpace(texts[l]) == "" {
				add("replies."+cat, "falta o texto em %s", "no %s text", l)
				continue
			}
			base := parts[l]
			if base == nil {
				continue // reported above
			}
			t, err := parseReply(base, texts[l])
			if err != nil {
				add("replies."+cat, "o texto em %[1]s não é um modelo válido: confira as chaves {{ }} e os nomes dos campos", "%[1]s text: %[2]v", l, err)
				continue
			}
			if err := t.ExecuteTemplate(new(strings.Builder), "reply", sampleReplyData(l)); err != nil {
				add("replies."+cat, "o texto em %[1]s não pôde ser montado com dados de exemplo: confira os nomes dos campos entre {{ }}", "%[1]s text: %[2]v", l, err)
				continue
			}
			all[replyKey{cat, l}] = t
		}
	}
}

func parseReply(parts *template.Template, text string) (*template.Template, error) {
	return template.Must(parts.Clone()).New("reply").Option("missingkey=error").Parse(text)
}

// replyTemplates are the rules' reply templates by category and lang: all parsed and checked
// at load for a rules file, parsed on first use for the embedded rules (lazy).
type replyTemplates struct {
	lazy  bool
	mu    sync.Mutex                    // lazy only: one writer at a time (concurrent batch workers)
	parts map[string]*template.Template // lazy only: the common parts by lang, parsed once
	// ready holds the templates known so far (nil for a category without one), read without
	// the lock by every verdict of a batch: a lazy one replaces the map whole, never writes it,
	// when it parses another.
	ready atomic.Pointer[map[replyKey]*template.Template]
}

type replyKey struct{ category, lang string }

// template is the reply for category in lang; nil when the rules have none.
func (r *Rules) template(category, lang string) *template.Template {
	rt := r.replies
	key := replyKey{category, lang}
	known := func() (*template.Template, bool) {
		if ready := rt.ready.Load(); ready != nil {
			t, ok := (*ready)[key]
			return t, ok
		}
		return nil, false
	}
	if t, ok := known(); ok || !rt.lazy {
		return t
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if t, ok := known(); ok {
		return t
	}
	var t *template.Template
	if text := r.Replies[category][lang]; strings.TrimSpace(text) != "" && knownCategory(category) {
		if rt.parts == nil {
			rt.parts = map[string]*template.Template{}
		}
		base, ok := rt.parts[lang]
		if !ok {
			base, _ = template.New("parts").Parse(r.ReplyCommon.Parts[lang])
			rt.parts[lang] = base
		}
		if base != nil {
			t, _ = parseReply(base, text)
		}
	}
	ready := map[replyKey]*template.Template{}
	if old := rt.ready.Load(); old != nil {
		maps.Copy(ready, *old)
	}
	ready[key] = t
	rt.ready.Store(&ready)
	return t
}

// Reply renders the reply for a category in lang (pt-BR when the rules have no text in lang).
// Templates may leave blank lines and trailing spaces where a conditional part is empty: the
// text is tidied so that paragraphs are separated by exactly one blank line.
func (r *Rules) Reply(category, lang string, data ReplyData) (string, error) {
	t := r.template(category, lang)
	if t == nil {
		t = r.template(category, DefaultLang)
	}
	if t == nil {
		return "", fmt.Errorf("no reply for %s", category)
	}
	var b strings.Builder
	b.Grow(2048) // a reply is about a kilobyte: written once instead of grown five times
	if err := t.ExecuteTemplate(&b, "reply", data); err != nil {
		return "", fmt.Errorf("reply for %s: %v", category, err)
	}
	return TidyText(b.String()), nil
}

// TidyText trims each line's trailing spaces, keeps at most one blank line between
// paragraphs and trims the text's ends. Written as one pass over the lines (rather than a
// split, a join and a regular expression for the runs of blank lines) because every verdict
// of a batch goes through it.
func TidyText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	newlines := 0 // line ends owed before the next text, at most two (one blank line)
	for rest := s; ; {
		line, more, found := strings.Cut(rest, "\n")
		line = strings.TrimRight(line, " \t\r")
		if line != "" {
			for range min(newlines, 2) {
				b.WriteByte('\n')
			}
			newlines = 0
			b.WriteString(line)
		}
		if !found {
			break
		}
		newlines++
		rest = more
	}
	return strings.TrimSpace(b.String())
}

// Signature is the team's signature in lang.
func (r *Rules) Signature(lang string) string {
	return strings.TrimSpace(r.ReplyCommon.Signature.In(lang))
}

// ReplyPart renders one of the common parts (greeting, context, docs, closing) in lang, for a
// text that is not a category's reply but opens or closes like one (triagem check's report
// when nothing was found to fix). "" when the part cannot be rendered.
func (r *Rules) ReplyPart(part, lang string, data ReplyData) string {
	for _, l := range []string{lang, DefaultLang} {
		for _, cat := range Categories {
			t := r.template(cat, l)
			if t == nil || t.Lookup(part) == nil {
				continue
			}
			var b strings.Builder
			if err := t.ExecuteTemplate(&b, part, data); err != nil {
				return ""
			}
			return TidyText(b.String())
		}
	}
	return ""
}
