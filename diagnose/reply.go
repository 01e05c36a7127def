package diagnose

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/rules"
)

// The reply to the partner is built here, apart from the checks: the checks' messages are
// written for support (ids, offsets, exp, 1h02m), the reply for the partner. What the reply
// says comes from the facts, the directory's answer and which checks passed or failed; its
// words come from the rules' templates and, for what must be computed (times, durations,
// field problems), from this file.

// DefaultSignature is the team's signature when neither the rules nor the chain give one.
const DefaultSignature = "Equipe de Suporte API Parceiros – CrefazOn"

func (ch *Chain) signature(l Lang) string {
	if s := strings.TrimSpace(ch.Signature); s != "" {
		return s
	}
	if s := ch.Rules.Signature(string(l)); s != "" {
		return s
	}
	return DefaultSignature
}

func (ch *Chain) reply(cx *Context, v *Verdict, results []Result) string {
	data := ch.replyData(cx, v, results)
	text, err := ch.Rules.Reply(v.Category, string(cx.L), data)
	if err != nil {
		// Templates were run on sample data when the rules loaded; a failure here is a bug,
		// and the analyst must see that there is no reply rather than paste a broken one.
		return ""
	}
	return text
}

// replyData gathers what the reply may say about the case, worded for the partner.
func (ch *Chain) replyData(cx *Context, v *Verdict, results []Result) rules.ReplyData {
	f, r, l := cx.Facts, cx.Rules, cx.L
	st := make(map[string]Status, len(results))
	for _, res := range results {
		st[res.ID] = res.Status
	}
	d := rules.ReplyData{
		Lang:      string(l),
		Ticket:    strings.TrimSpace(v.Ticket),
		Signature: ch.signature(l),
		Escalate:  v.Escalate,
	}
	route := ""
	if f.URL != nil {
		d.Method, d.Path = f.Method, partnerPath(f)
	}
	if f.Route >= 0 {
		route = r.Route(f.Route).String()
	}
	if f.HasEnv {
		d.Environment = envWord(f.Env, l)
	}
	if f.HasAt {
		d.SentAt = PartnerTime(f.At, r.Location(), l, true)
	}
	d.Doc = replyDoc(r, v.Category, route)
	d.Verified = rules.ReplyVerified{
		Route:   st["request.endpoint"] == Pass,
		Key:     st["key.exists"] == Pass && st["key.active"] == Pass && st["key.environment"] == Pass,
		User:    st["user.active"] == Pass && st["user.key-binding"] == Pass,
		Token:   (st["token.format"] == Pass || st["token.format"] == Warn) && st["token.expiry"] == Pass && st["token.lifetime"] != Fail && st["token.signature"] != Fail,
		Product: st["product.api"] == Pass && st["product.version"] == Pass,
		Payload: st["payload.syntax"] == Pass,
		Time:    st["hours.business"] == Pass,
	}
	d.Token.Lifetime = HumanDuration(r.Token.Lifetime.Duration, l)
	d.Token.LoginRoute = loginRoute(r, f)

	switch v.Category {
	case "api-key-invalid":
		d.Key = keyProblem(cx, l)
	case "user-blocked":
		d.User.Problem = "inactive"
		if cx.Dir.User == nil {
			d.User.Problem = "unknown"
		}
	case "user-key-mismatch":
		d.User.Problem = "not-bound"
		u, k := cx.Dir.User, cx.Dir.Key
		d.User.OtherPartner = u != nil && k != nil && u.Partner != "" && u.Partner != k.Partner
	case "token-expired":
		if at, ok := tokenExpiredAt(cx); ok {
			d.Token.ExpiredAt = PartnerTime(at, r.Location(), l, false)
			d.Token.ExpiredBefore = HumanDuration(f.At.Sub(at), l)
		}
	case "token-invalid":
		d.Token.Problem, d.Token.Lasts = tokenProblem(cx, st, l)
	case "product-not-on-api", "product-version":
		d.Product = productData(r, f)
	case "request-syntax":
		d.Payload = payloadData(r, f, l)
	case "off-hours-routine":
		d.Hours = hoursData(cx)
	case "evidence-incomplete":
		d.Missing, d.Capture = evidenceToAsk(cx, v.MissingEvidence)
	}
	return d
}

// envWord names an environment as the partner reads it in the reply's language.
// EnvironmentWord is how a reply names the environment whose id is given ("produção",
// "production"); an id the rules do not know is given as is.
func EnvironmentWord(rl *rules.Rules, id string, l Lang) string {
	for _, e := range rl.Environments {
		if e.ID == id {
			return envWord(e, l)
		}
	}
	return id
}

func envWord(e rules.Environment, l Lang) string {
	if l == "en" {
		switch e.ID {
		case "homologacao":
			return "staging"
		case "producao":
			return "production"
		}
		return e.ID
	}
	return strings.ToLower(e.Name)
}

// partnerPath is the request's path as the reply shows it: without the query string, and
// with a placeholder instead of a segment that holds personal data (a CPF or CNPJ, even one
// mistyped, or an e-mail address).
func partnerPath(f *Facts) string {
	segs := strings.Split(f.URL.Path, "/")
	for i, s := range segs {
		if looksPersonal(s) {
			segs[i] = "{documento}"
		}
	}
	return strings.Join(segs, "/")
}

func looksPersonal(seg string) bool {
	if brdoc.ValidCPF(seg) || brdoc.ValidCNPJ(seg) || strings.Contains(seg, "@") || strings.Contains(seg, "%40") {
		return true
	}
	digits := 0
	for _, c := range seg {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == '-' || c == '/':
		default:
			return false
		}
	}
	return digits == 11 || digits == 14 // a CPF's or CNPJ's length, whatever its check digits
}

// replyDoc picks the one link for exactly the reply's topic: the category's entry, else the
// route's, else none.
func replyDoc(r *rules.Rules, category, route string) string {
	for _, d := range r.Docs {
		if slices.Contains(d.Categories, category) {
			return d.URL
		}
	}
	if route == "" {
		return ""
	}
	for _, d := range r.Docs {
		for _, rt := range d.Routes {
			if strings.EqualFold(rt, route) {
				return d.URL
			}
		}
	}
	return ""
}

// loginRoute is the login route of the request's API version, as the partner calls it:
// POST /api/v2/usuarios/login.
func loginRoute(r *rules.Rules, f *Facts) string {
	if !f.HasVersion {
		return ""
	}
	return loginOf(r, f.Version)
}

func loginOf(r *rules.Rules, v rules.APIVersion) string {
	for i := range r.Routes {
		rt := r.Route(i)
		if rt.Login && rt.Version == v.ID {
			return rt.Method + " " + strings.TrimSuffix(v.Prefix, "/") + rt.Path
		}
	}
	return ""
}

func keyProblem(cx *Context, l Lang) rules.ReplyKey {
	k := cx.Dir.Key
	switch {
	case k == nil:
		return rules.ReplyKey{Problem: "unknown"}
	case !k.Active:
		return rules.ReplyKey{Problem: "inactive"}
	}
	env := k.Environment
	if e, ok := cx.Rules.Environment(k.Environment); ok {
		env = envWord(e, l)
	}
	return rules.ReplyKey{Problem: "other-environment", Environment: env}
}

// tokenExpiredAt is when the token expired: the earliest of its exp, its issue time plus the
// lifetime, and the issue time the partner gave plus the lifetime (as the expiry check reads
// them).
func tokenExpiredAt(cx *Context) (time.Time, bool) {
	f, t, lifetime := cx.Facts, cx.Token, cx.Rules.Token.Lifetime.Duration
	var bounds []time.Time
	usable := cx.tokenUsable()
	if usable && t.HasExp {
		bounds = append(bounds, t.Exp)
	}
	if usable && t.HasIat {
		bounds = append(bounds, t.Iat.Add(lifetime))
	}
	if f.HasIssuedAt && (!usable || !t.HasIat) {
		bounds = append(bounds, f.IssuedAt.Add(lifetime))
	}
	if len(bounds) == 0 || !f.HasAt {
		return time.Time{}, false
	}
	return slices.MinFunc(bounds, func(a, b time.Time) int { return a.Compare(b) }), true
}

// tokenProblem says, for token-invalid, what is wrong with the token, and how long it lasts
// when that is the fault.
func tokenProblem(cx *Context, st map[string]Status, l Lang) (string, string) {
	f, t := cx.Facts, cx.Token
	switch {
	case st["token.format"] == Fail && f.BearerMissing:
		return "no-bearer", ""
	case st["token.format"] == Fail && t != nil && t.Err == nil && strings.EqualFold(t.Alg, "none"):
		return "alg-none", ""
	case st["token.format"] == Fail:
		return "malformed", ""
	case st["token.lifetime"] == Fail && !t.HasExp:
		return "no-exp", ""
	case st["token.lifetime"] == Fail:
		issued := t.Iat
		if !t.HasIat {
			issued = f.IssuedAt
		}
		return "too-long", HumanDuration(t.Exp.Sub(issued), l)
	}
	return "signature", ""
}

func productData(r *rules.Rules, f *Facts) rules.ReplyProduct {
	p := rules.ReplyProduct{Name: f.Product.Name, Channel: f.Product.Channel}
	if f.HasVersion {
		p.Version = strings.ToUpper(f.Version.ID)
	}
	if v, ok := r.VersionByID(f.Product.MinVersion); ok {
		p.MinVersion = strings.ToUpper(v.ID)
		p.MinPrefix = v.Prefix
		p.MinLogin = loginOf(r, v)
	}
	return p
}

// payloadData says where the body stops being JSON, or which fields are wrong and how.
func payloadData(r *rules.Rules, f *Facts, l Lang) rules.ReplyPayload {
	var p rules.ReplyPayload
	if f.PayloadErr != nil {
		p.NotJSON = true
		var v any
		var se *json.SyntaxError
		if err := json.Unmarshal(f.Payload, &v); errors.As(err, &se) {
			if strings.Contains(se.Error(), "unexpected end") {
				p.Truncated = true
			} else {
				p.Line, p.Column = lineCol(f.Payload, int(se.Offset)-1)
			}
		}
		return p
	}
	if f.Route < 0 {
		return p
	}
	vs, err := r.ValidatePayload(f.Route, f.PayloadValue)
	if err != nil {
		return p
	}
	for _, v := range vs {
		p.Fields = append(p.Fields, fieldProblems(v, l)...)
	}
	return p
}

// fieldProblems words a schema violation for the partner's developer, one item per field,
// never repeating the value sent (it may be personal data).
func fieldProblems(v rules.Violation, l Lang) []rules.ReplyField {
	name := v.Path
	if name == "" {
		name = l.T("o corpo", "the body")
	}
	one := func(problem string) []rules.ReplyField { return []rules.ReplyField{{Name: name, Problem: problem}} }
	switch v.Code {
	case "required":
		out := make([]rules.ReplyField, len(v.Fields))
		for i, fld := range v.Fields {
			if v.Path != "" {
				fld = v.Path + "." + fld
			}
			out[i] = rules.ReplyField{Name: fld, Problem: l.T("campo obrigatório que não foi enviado", "a required field that was not sent")}
		}
		return out
	case "type":
		return one(l.T("deve ser %s, mas foi enviado como %s", "must be %s, but was sent as %s", kindWord(v.Want, l), kindWord(v.Got, l)))
	case "format":
		switch v.Want {
		case "cpf", "cnpj":
			return one(documentProblem(v.Want == "cpf", v.Detail, l))
		case "http-url":
			return one(webhookProblem(v.Detail, l))
		case "date":
			return one(l.T("deve ser uma data no formato AAAA-MM-DD", "must be a date written as YYYY-MM-DD"))
		case "date-time":
			return one(l.T("deve ser uma data com hora, no formato da documentação", "must be a date and time, written as the documentation shows"))
		case "email":
			return one(l.T("deve ser um endereço de e-mail válido", "must be a valid e-mail address"))
		}
		return one(l.T("não está no formato que a documentação descreve", "is not in the format the documentation describes"))
	case "enum", "const":
		return one(l.T("deve ser um destes valores: %s", "must be one of these values: %s", v.Want))
	case "minLength":
		if v.Want == "1" {
			return one(l.T("não pode ficar vazio", "must not be empty"))
		}
		return one(l.T("deve ter pelo menos %s caracteres", "must have at least %s characters", v.Want))
	case "maxLength":
		return one(l.T("deve ter no máximo %s caracteres", "must have at most %s characters", v.Want))
	case "pattern":
		return one(l.T("não está no formato esperado", "is not in the expected format"))
	case "minimum":
		return one(l.T("deve ser no mínimo %s", "must be at least %s", strings.TrimSuffix(v.Want, ".00")))
	case "maximum":
		return one(l.T("deve ser no máximo %s", "must be at most %s", strings.TrimSuffix(v.Want, ".00")))
	}
	return one(l.T("não está como a documentação da rota descreve", "is not as the route's documentation describes"))
}

// kindWord names a JSON type for a developer reading Portuguese or English.
func kindWord(t string, l Lang) string {
	pt := map[string]string{"string": "um texto", "integer": "um número inteiro", "number": "um número", "object": "um objeto", "array": "uma lista", "boolean": "verdadeiro ou falso", "null": "nulo"}
	en := map[string]string{"string": "a string", "integer": "an integer", "number": "a number", "object": "an object", "array": "an array", "boolean": "true or false", "null": "null"}
	words := pt
	or := " ou "
	if l == "en" {
		words, or = en, " or "
	}
	parts := strings.Split(t, "|")
	for i, p := range parts {
		if w, ok := words[p]; ok {
			parts[i] = w
		}
	}
	return strings.Join(parts, or)
}

func hoursData(cx *Context) rules.ReplyHours {
	f, r, l := cx.Facts, cx.Rules, cx.L
	bh := &r.BusinessHours
	h := rules.ReplyHours{
		Days:  daysWord(bh, l),
		Open:  clockWord(bh.Open, l),
		Close: clockWord(bh.Close, l),
	}
	if !f.HasAt {
		return h
	}
	lt := f.At.In(r.Location())
	h.Weekday = l.T(weekdayPT[lt.Weekday()], weekdayEN[lt.Weekday()])
	clock := rules.ClockOf(lt)
	switch name, holiday := r.IsHoliday(lt); {
	case holiday:
		h.Why, h.Holiday = "holiday", name
		// The calendar names holidays in Portuguese: the English reply does not repeat it.
		h.When = "on a holiday"
		if l != "en" {
			h.When = "em um feriado (" + name + ")"
		}
	case !bh.IsBusinessDay(lt.Weekday()):
		h.Why, h.When = "weekend", onWeekday(lt.Weekday(), l)
	case clock < bh.Open:
		h.Why, h.When = "early", l.T("antes "+ptArticle("d", bh.Open), "before "+bh.Open.String()+" Brasília time")
	default:
		h.Why, h.When = "late", l.T("depois "+ptArticle("d", bh.Close), "after "+bh.Close.String()+" Brasília time")
	}
	if rt, ok := routineAt(r, f.At); ok {
		h.Routine, h.Window = true, windowWord(rt.Window, l)
	}
	h.Unavailable = unavailability(cx) != ""
	return h
}

// userClaims are the claims a token names its user with, in the order they are trusted.
var userClaims = []string{"unique_name", "login", "usuario", "preferred_username", "username", "user", "sub"}

// TokenUser is the user a token's claims name, or "" when they name none.
func TokenUser(t *TokenInfo) string {
	if t == nil || t.Claims == nil {
		return ""
	}
	for _, c := range userClaims {
		if s, ok := t.Claims[c].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// evidenceToAsk is the missing evidence the partner must still send: not the user when the
// token's claims name it. capture says how the partner can send it best: a HAR export when
// the API's answer is missing, or the time along with the request (a HAR holds both); a cURL
// copy when only the request itself is; nothing when a capture would not help (the key, the
// user, the time alone: repeating the operation would not tell when the first one ran).
func evidenceToAsk(cx *Context, missing []string) (ask []string, capture string) {
	tokenUser := TokenUser(cx.Token) != ""
	var request, answer, when bool
	for _, m := range missing {
		if m == "user" && tokenUser {
			continue
		}
		ask = append(ask, m)
		switch m {
		case "endpoint", "payload", "environment":
			request = true
		case "error_message":
			answer = true
		case "timestamp":
			when = true
		}
	}
	switch {
	case answer || request && when:
		capture = "har"
	case request:
		capture = "curl"
	}
	return ask, capture
}

// documentProblem words, for the partner, why a CPF or CNPJ field was refused: the shape of
// a right number, its length, its characters, or its check digits.
func documentProblem(cpf bool, detail string, l Lang) string {
	switch detail {
	case rules.DetailShape:
		if cpf {
			return l.T("tem os dígitos de um CPF válido, mas escritos num formato que a API não aceita (envie só os 11 dígitos ou no formato 000.000.000-00)",
				"holds a valid CPF's digits, written in a shape the API does not accept (send the 11 digits alone or as 000.000.000-00)")
		}
		return l.T("tem os caracteres de um CNPJ válido, mas escritos num formato que a API não aceita (envie só os 14 caracteres ou no formato 00.000.000/0000-00)",
			"holds a valid CNPJ's characters, written in a shape the API does not accept (send the 14 characters alone or as 00.000.000/0000-00)")
	case rules.DetailLength:
		if cpf {
			return l.T("não tem os 11 dígitos de um CPF", "does not have a CPF's 11 digits")
		}
		return l.T("não tem os 14 caracteres de um CNPJ", "does not have a CNPJ's 14 characters")
	case rules.DetailCharacters:
		if cpf {
			return l.T("tem caracteres que não são dígitos de um CPF", "has characters that are not a CPF's digits")
		}
		return l.T("tem caracteres que não cabem num CNPJ", "has characters a CNPJ cannot hold")
	}
	if cpf {
		return l.T("não é um CPF válido (os dígitos verificadores não conferem)", "is not a valid CPF (its check digits do not match)")
	}
	return l.T("não é um CNPJ válido (os dígitos verificadores não conferem)", "is not a valid CNPJ (its check digits do not match)")
}

// webhookProblem words, for the partner, why the notification URL cannot be called back.
func webhookProblem(detail string, l Lang) string {
	switch detail {
	case rules.DetailNull:
		return l.T("veio com o texto \"null\" em vez de uma URL: informe a URL http(s) pública que vai receber as notificações",
			"holds the text \"null\" instead of a URL: give the public http(s) URL that will receive the notifications")
	case rules.DetailLocalhost, rules.DetailLoopback:
		return l.T("aponta para a própria máquina (localhost), que a CrefazOn não consegue chamar: use uma URL pública",
			"points to the machine itself (localhost), which CrefazOn cannot call: use a public URL")
	case rules.DetailPrivate, rules.DetailLinkLocal, rules.DetailUnspecified, rules.DetailReservedAddr:
		return l.T("aponta para um endereço de rede interna, que a CrefazOn não alcança: use uma URL pública",
			"points to an internal network address, which CrefazOn cannot reach: use a public URL")
	case rules.DetailLocalName, rules.DetailSingleLabel, rules.DetailNumericName:
		return l.T("usa um nome de servidor que só existe na sua rede: use um domínio público completo",
			"uses a server name that exists only on your network: use a full public domain")
	}
	return l.T("deve ser um endereço http(s) completo e público, que a CrefazOn consiga chamar", "must be a full, public http(s) address that CrefazOn can call")
}
