package diagnose_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/rules"
)

var updateReplies = flag.Bool("update", false, "rewrite testdata/replies from the current templates (or UPDATE_REPLIES=1)")

// --- what a reply must never hold -----------------------------------------------------

// English words that do not belong in a Portuguese reply (loan words Brazilian developers
// use, such as token, login, JSON or web, are not in the list), and the other way round.
var (
	englishWords = []string{
		"the", "and", "with", "please", "request", "key", "expired", "field", "header", "body",
		"hello", "regards", "team", "error", "sent", "valid", "invalid", "check", "checked", "user",
		"was", "your", "you", "not", "this", "for", "from", "before", "after", "missing",
		"required", "found", "send", "time", "date", "business", "hours", "support", "thanks",
		"unavailable", "payload", "endpoint", "timeout", "ticket", "staging", "production",
	}
	portugueseWords = []string{
		"não", "você", "para", "com", "requisição", "chave", "usuário", "ambiente", "olá",
		"obrigado", "atenciosamente", "equipe", "horário", "feriado", "também", "está", "são",
		"foi", "pela", "pelo", "sua", "seu", "campo", "corpo", "envie", "faça", "homologação",
		"produção", "dúvida", "análise", "chamado", "documentação", "às", "sábado", "enviado",
		"expirou", "expirado", "inválido", "obrigatório", "cabeçalho", "novamente", "resposta", "erro",
	}
	wordRE = regexp.MustCompile(`[\p{L}]+`)

	isoTimeRE  = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2})`)
	offsetRE   = regexp.MustCompile(`(^|[\s(])[+-]\d{2}(:?\d{2})?\b|\b(UTC|GMT)\b`)
	spanRE     = regexp.MustCompile(`\b\d+(h\d+m?|m\d+s?|d\d+h)\b|\b\d+(s|ms|m)\b`)
	enHoursRE  = regexp.MustCompile(`\b\d+h\b`)
	ptHoursRE  = regexp.MustCompile(`(?m)(^|\p{L}+)[^\p{L}\d\n]*\d+h(\d\d)?\b`)
	urlRE      = regexp.MustCompile(`https?://\S+`)
	claimRE    = regexp.MustCompile(`(?i)\bexp\b|\biat\b|\bnbf\b|\balg\b|\bseção\b|\bsection\b|\bprocedimento\b|\bprocedure\b`)
	libraryRE  = regexp.MustCompile(`(?i)invalid character|unexpected end|looking for|a JWT has|token is malformed|%!|<no value>|\{\{`)
	cpfRE      = regexp.MustCompile(`\b\d{3}\.\d{3}\.\d{3}-\d{2}\b|\b\d{11}\b|\b\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}\b`)
	emailRE    = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	phoneRE    = regexp.MustCompile(`\(?\b\d{2}\)? ?9?\d{4}-\d{4}\b`)
	ptClaimRE  = regexp.MustCompile(`(?i)\b(conferimos|verificamos|checamos|validamos|confirmamos)\b`)
	ptSkipRE   = regexp.MustCompile(`(?i)\b(chave|usuário|credenciais|tudo)\b`)
	enClaimRE  = regexp.MustCompile(`(?i)\bwe (checked|verified|confirmed|validated)\b`)
	enSkipRE   = regexp.MustCompile(`(?i)\b(key|user|credentials|everything)\b`)
	loneLinkRE = regexp.MustCompile(`(?m)^https://\S+$`)
)

// replyFacts is what a reply is judged against: its language, whether the key and user
// checks ran, and the values of the case that must never be repeated.
type replyFacts struct {
	lang           string
	keyUserChecked bool
	ticket         string
	secrets        []string
}

// replyProblems lists what is wrong with a reply; nil when it can go out as it is.
func replyProblems(reply string, rf replyFacts) []string {
	var ps []string
	bad := func(format string, args ...any) { ps = append(ps, fmt.Sprintf(format, args...)) }
	for _, re := range []*regexp.Regexp{isoTimeRE, offsetRE, spanRE, claimRE, libraryRE, cpfRE, emailRE, phoneRE} {
		if m := re.FindString(reply); m != "" {
			bad("holds %q (%s)", m, re)
		}
	}
	for _, c := range diagnose.Checks {
		if strings.Contains(reply, c.ID) {
			bad("names the check %s", c.ID)
		}
	}
	for _, c := range rules.Categories {
		if strings.Contains(reply, c) {
			bad("names the category %s", c)
		}
	}
	for _, s := range rf.secrets {
		if s != "" && strings.Contains(reply, s) {
			bad("repeats a secret or personal datum of the case")
		}
	}
	foreign := englishWords
	if rf.lang == "en" {
		foreign = portugueseWords
		if m := enHoursRE.FindString(reply); m != "" {
			bad("writes a time as %q", m)
		}
	} else {
		for _, m := range ptHoursRE.FindAllStringSubmatch(reply, -1) {
			if !slices.Contains([]string{"das", "às", "à", "da"}, m[1]) {
				bad("writes a duration as %q", m[0])
			}
		}
	}
	for _, w := range wordRE.FindAllString(urlRE.ReplaceAllString(reply, ""), -1) {
		if slices.Contains(foreign, strings.ToLower(w)) {
			bad("holds the %s word %q", map[bool]string{true: "Portuguese", false: "English"}[rf.lang == "en"], w)
		}
	}
	if !rf.keyUserChecked {
		claim, skipped := ptClaimRE, ptSkipRE
		if rf.lang == "en" {
			claim, skipped = enClaimRE, enSkipRE
		}
		for _, para := range strings.Split(reply, "\n\n") {
			if claim.MatchString(para) && skipped.MatchString(para) {
				bad("claims a check that did not run: %q", para)
			}
		}
	}
	greeting, signOff := "Olá!\n\n", "Atenciosamente,\n"
	if rf.lang == "en" {
		greeting, signOff = "Hello,\n\n", "Kind regards,\n"
	}
	if !strings.HasPrefix(reply, greeting) {
		bad("does not start with the greeting %q", greeting)
	}
	if !strings.Contains(reply, signOff) || strings.HasSuffix(reply, signOff) {
		bad("does not end with a sign-off and a signature")
	}
	if rf.ticket != "" && !strings.Contains(reply, " "+rf.ticket+".") {
		bad("does not name the ticket %s", rf.ticket)
	}
	if strings.Contains(reply, "https://") && !loneLinkRE.MatchString(reply) {
		bad("has a link that is not on its own line")
	}
	if strings.Contains(reply, "\n\n\n") || strings.Contains(reply, " \n") {
		bad("has stray blank lines or trailing spaces")
	}
	return ps
}

// TestReplyProblemsCatchesWhatMustNotGoOut makes sure the checker itself fails on each
// fault a reply must not have: a checker that passes everything would prove nothing.
func TestReplyProblemsCatchesWhatMustNotGoOut(t *testing.T) {
	good := "Olá!\n\nAnalisamos a requisição POST /api/v2/x, enviada em 18/11/2026 às 10:15 (horário de Brasília).\n\nO token enviado já tinha expirado, pouco mais de uma hora antes da requisição.\n\nDocumentação sobre este assunto:\nhttps://docs.example/a\n\nReferência: chamado SUP-1.\n\nAtenciosamente,\nEquipe"
	goodEN := "Hello,\n\nWe looked at the request POST /api/v2/x, sent on 18 November 2026 at 10:15 (Brasília time).\n\nThe token had expired, a little over an hour before the request.\n\nReference: ticket SUP-1.\n\nKind regards,\nTeam"
	pt := replyFacts{lang: "pt-BR", ticket: "SUP-1", secrets: []string{"hml-alfa-4b9e2c7a1d83f605", "alfa.maria"}}
	en := replyFacts{lang: "en", ticket: "SUP-1"}
	if ps := replyProblems(good, pt); ps != nil {
		t.Fatalf("a good pt-BR reply is refused: %q", ps)
	}
	if ps := replyProblems(goodEN, en); ps != nil {
		t.Fatalf("a good English reply is refused: %q", ps)
	}
	swap := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("%q not in the sample", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	tests := []struct {
		name  string
		reply string
		rf    replyFacts
	}{
		{"ISO timestamp", swap(good, "18/11/2026 às 10:15", "2026-11-18T10:15:00"), pt},
		{"ISO timestamp with a space", swap(good, "18/11/2026 às 10:15", "2026-11-18 10:15"), pt},
		{"offset", swap(good, "(horário de Brasília)", "-03"), pt},
		{"offset with minutes", swap(good, "(horário de Brasília)", "(-03:00)"), pt},
		{"check id", swap(good, "O token enviado", "token.expiry: o token"), pt},
		{"category id", swap(good, "O token enviado", "token-expired: o token"), pt},
		{"exp", swap(good, "O token enviado já tinha expirado", "O exp do token já tinha passado"), pt},
		{"section", swap(good, "O token enviado", "Pela seção 3.3, o token"), pt},
		{"duration 1h02m", swap(good, "pouco mais de uma hora", "1h02m"), pt},
		{"duration 12h", swap(good, "pouco mais de uma hora", "12h"), pt},
		{"duration 45s", swap(good, "pouco mais de uma hora", "45s"), pt},
		{"English word in pt-BR", swap(good, "O token enviado", "O token sent"), pt},
		{"English greeting in pt-BR", swap(good, "Olá!", "Hello!"), pt},
		{"Portuguese word in en", swap(goodEN, "The token had", "O token enviado had"), en},
		{"Portuguese accent word in en", swap(goodEN, "the request POST", "the requisição POST"), en},
		{"claim about skipped key check", swap(good, "O token enviado", "Conferimos a chave de API e o token"), pt},
		{"claim about everything", swap(good, "O token enviado", "Verificamos tudo, e o token"), pt},
		{"claim in English", swap(goodEN, "The token had", "We checked your key, and the token had"), en},
		{"library error", swap(good, "O token enviado", "invalid character '}' looking for beginning of object key string; o token"), pt},
		{"API key", swap(good, "O token enviado", "A chave hml-alfa-4b9e2c7a1d83f605 e o token"), pt},
		{"user login", swap(good, "O token enviado", "O usuário alfa.maria e o token"), pt},
		{"CPF", swap(good, "O token enviado", "O CPF 529.982.247-25 e o token"), pt},
		{"e-mail", swap(good, "O token enviado", "O e-mail maria@example.com e o token"), pt},
		{"phone", swap(good, "O token enviado", "O telefone (11) 98765-4321 e o token"), pt},
		{"no greeting", swap(good, "Olá!\n\n", ""), pt},
		{"no signature", swap(good, "\nEquipe", ""), pt},
		{"no ticket", swap(good, "Referência: chamado SUP-1.\n\n", ""), pt},
		{"link inside a sentence", swap(good, "Documentação sobre este assunto:\nhttps://docs.example/a", "Veja https://docs.example/a agora."), pt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if ps := replyProblems(tc.reply, tc.rf); len(ps) == 0 {
				t.Errorf("not caught:\n%s", tc.reply)
			}
		})
	}
	// The claim check applies only when the key and the user were not checked.
	claim := swap(good, "O token enviado", "Conferimos a chave de API; o token enviado")
	pt.keyUserChecked = true
	if ps := replyProblems(claim, pt); ps != nil {
		t.Errorf("a claim about a check that ran is refused: %q", ps)
	}
}

// --- the bundled cases ----------------------------------------------------------------

type bundled struct {
	name string
	c    *diagnose.Case
	raw  []byte
}

func bundledCases(t *testing.T) []bundled {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "cases", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no bundled cases: %v", err)
	}
	var out []bundled
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bundled{name: strings.TrimSuffix(filepath.Base(p), ".yaml"), raw: raw})
	}
	return out
}

func (b bundled) parse(t *testing.T) *diagnose.Case {
	t.Helper()
	c, err := diagnose.ParseCase(b.name+".yaml", b.raw)
	if err != nil {
		t.Fatalf("%s: %v", b.name, err)
	}
	return c
}

// secretsOf are the values of a case a reply must never repeat: its key, token, password,
// user and partner, and the personal data in its payload.
func secretsOf(c *diagnose.Case) []string {
	s := []string{c.Credentials.APIKey, c.Credentials.Token, c.Credentials.User, c.Partner}
	for k, v := range c.Request.Headers {
		if strings.EqualFold(k, "Authorization") {
			s = append(s, v, strings.TrimPrefix(v, "Bearer "))
		}
	}
	body := string(c.Request.Body.Raw)
	s = append(s, cpfRE.FindAllString(body, -1)...)
	s = append(s, emailRE.FindAllString(body, -1)...)
	s = append(s, phoneRE.FindAllString(body, -1)...)
	return s
}

func bundledDirectory(t *testing.T) directory.Directory {
	t.Helper()
	d, err := directory.Open(filepath.Join("..", "testdata", "directory.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestReplyGolden compares each bundled case's reply, in both languages, with its golden file
// in testdata/replies (the cases diagnosed with the bundled directory, as support runs them;
// ".sem-diretorio" files hold the reply without a directory when it differs). With -update
// (or UPDATE_REPLIES=1) it rewrites them: review the diff, it is what partners will read.
func TestReplyGolden(t *testing.T) {
	update := *updateReplies || os.Getenv("UPDATE_REPLIES") != ""
	dir := filepath.Join("..", "testdata", "replies")
	if update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, b := range bundledCases(t) {
		for _, lang := range rules.Langs {
			with := diagnoseWith(t, newChain(t, bundledDirectory(t), diagnose.Lang(lang)), b.parse(t))
			without := diagnoseWith(t, newChain(t, nil, diagnose.Lang(lang)), b.parse(t))
			files := map[string]string{b.name + "." + lang + ".txt": with.Reply}
			if without.Reply != with.Reply {
				files[b.name+".sem-diretorio."+lang+".txt"] = without.Reply
			}
			for name, reply := range files {
				want[name] = true
				path := filepath.Join(dir, name)
				if update {
					if err := os.WriteFile(path, []byte(reply+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				golden, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%s: %v (run go test ./diagnose -run TestReplyGolden -update)", name, err)
					continue
				}
				if string(golden) != reply+"\n" {
					t.Errorf("%s differs from the reply now built:\n--- golden\n%s\n--- now\n%s", name, golden, reply)
				}
			}
		}
	}
	// A golden file no case produces any more is stale.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !want[e.Name()] {
			if update {
				_ = os.Remove(filepath.Join(dir, e.Name()))
				continue
			}
			t.Errorf("testdata/replies/%s: no bundled case produces it any more", e.Name())
		}
	}
}

// TestReplyGoesOutAsItIs runs every bundled case, with and without a directory, in both
// languages, and refuses any reply an analyst would have to edit before sending.
func TestReplyGoesOutAsItIs(t *testing.T) {
	for _, b := range bundledCases(t) {
		for _, lang := range rules.Langs {
			for _, withDir := range []bool{true, false} {
				var d directory.Directory
				if withDir {
					d = bundledDirectory(t)
				}
				c := b.parse(t)
				v := diagnoseWith(t, newChain(t, d, diagnose.Lang(lang)), c)
				rf := replyFacts{lang: lang, keyUserChecked: v.PriorAnalysis == "complete", ticket: v.Ticket, secrets: secretsOf(c)}
				for _, p := range replyProblems(v.Reply, rf) {
					t.Errorf("%s (%s, directory %v, %s): the reply %s:\n%s", b.name, lang, withDir, v.Category, p, v.Reply)
				}
				for _, r := range v.Checks {
					if r.Status == diagnose.Fail && strings.Contains(v.Reply, r.Message) {
						t.Errorf("%s (%s): the reply pastes the check message %q", b.name, lang, r.Message)
					}
				}
			}
		}
	}
}

// --- what each reply says -----------------------------------------------------------

func TestReplyWithoutDirectorySaysWhatWasVerified(t *testing.T) {
	for _, tc := range []struct{ lang, verified, pending string }{
		{"pt-BR", "- o token, que estava válido no momento da requisição", "A chave de API e o usuário ainda serão conferidos nos cadastros da CrefazOn."},
		{"en", "- the token, which was valid when the request was made", "CrefazOn will still look up the API key and the user in its records."},
	} {
		without := diagnoseWith(t, newChain(t, nil, diagnose.Lang(tc.lang)), newCase(t, weekday))
		with := diagnoseWith(t, newChain(t, testDirectory(), diagnose.Lang(tc.lang)), newCase(t, weekday))
		if without.Category != "no-apparent-cause" || with.Category != "no-apparent-cause" {
			t.Fatalf("categories %s / %s", without.Category, with.Category)
		}
		if !strings.Contains(without.Reply, tc.verified) || !strings.Contains(without.Reply, tc.pending) {
			t.Errorf("%s reply without a directory:\n%s", tc.lang, without.Reply)
		}
		if strings.Contains(with.Reply, tc.pending) || !strings.Contains(with.Reply, tc.verified) {
			t.Errorf("%s reply with a directory still defers the key and user:\n%s", tc.lang, with.Reply)
		}
		for _, s := range []string{"chave de API, que está ativa", "API key, which is active"} {
			if strings.Contains(without.Reply, s) {
				t.Errorf("%s reply without a directory claims the key was checked:\n%s", tc.lang, without.Reply)
			}
		}
	}
}

func TestReplyDoesNotAskForWhatTheCaseHolds(t *testing.T) {
	// No user in the case, but the token's claims name it: the reply asks only for the rest.
	c := newCase(t, weekday, withUser(""), noPayload())
	v := diagnoseWith(t, newChain(t, nil, "pt-BR"), c)
	if v.Category != "evidence-incomplete" || !slices.Contains(v.MissingEvidence, "payload") {
		t.Fatalf("category %s, missing %v", v.Category, v.MissingEvidence)
	}
	if strings.Contains(v.Reply, "login do usuário") {
		t.Errorf("the reply asks for the user the token names:\n%s", v.Reply)
	}
	if !strings.Contains(v.Reply, "- o corpo (JSON) enviado, completo") || !strings.Contains(v.Reply, "Copiar como cURL") {
		t.Errorf("the reply does not ask for the body and say how to get it:\n%s", v.Reply)
	}
	// A token without a user claim: then the user is asked for.
	at := mustTime(t, weekday)
	claims := tokenClaims(at.Add(-time.Hour), at.Add(11*time.Hour))
	delete(claims, "unique_name")
	v = diagnoseWith(t, newChain(t, nil, "en"), newCase(t, weekday, withUser(""), noPayload(), withToken(signHS(t, claims))))
	if !strings.Contains(v.Reply, "- the login of the user who generated the token") {
		t.Errorf("the reply does not ask for the user the case lacks:\n%s", v.Reply)
	}
	// Only the time is missing: one item, and no capture (a new one would not tell when the
	// failing request ran).
	v = diagnoseWith(t, newChain(t, nil, "pt-BR"), newCase(t, weekday, noTime()))
	if v.Category != "evidence-incomplete" || strings.Contains(v.Reply, "cURL") || strings.Contains(v.Reply, "HAR") || !strings.Contains(v.Reply, "mais uma informação") {
		t.Errorf("%s reply for a missing time only:\n%s", v.Category, v.Reply)
	}
	// The API's answer is missing: a HAR holds it, a cURL copy does not.
	v = diagnoseWith(t, newChain(t, nil, "en"), newCase(t, weekday, noPayload(), withError(""), noResponse()))
	if !strings.Contains(v.Reply, "Save all as HAR") || strings.Contains(v.Reply, "Copy as cURL") {
		t.Errorf("reply for a missing answer:\n%s", v.Reply)
	}
}

func TestReplyTokenInvalidSaysWhy(t *testing.T) {
	at := mustTime(t, weekday)
	tests := []struct {
		name string
		opt  caseOpt
		says []string // pt-BR, en
	}{
		{"no Bearer", withAuth(signHS(t, tokenClaims(at.Add(-time.Hour), at.Add(11*time.Hour)))),
			[]string{"sem o prefixo Bearer", "without the Bearer prefix"}},
		{"not a JWT", withToken("abc.def"), []string{"não é um token completo", "not a complete token"}},
		{"alg none", withToken(signNone(t, tokenClaims(at.Add(-time.Hour), at.Add(11*time.Hour)))),
			[]string{"não tem assinatura", "has no signature"}},
		{"no exp", withToken(signHS(t, tokenClaims(at.Add(-time.Hour), time.Time{}))),
			[]string{"não tem data de validade", "has no expiry date"}},
		{"lives a day", withToken(signHS(t, tokenClaims(at.Add(-time.Hour), at.Add(23*time.Hour)))),
			[]string{"vale por 24 horas, mas os tokens emitidos pelo login da API valem por 12 horas", "is valid for 24 hours, but tokens issued by the API's login are valid for 12 hours"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i, lang := range []diagnose.Lang{"pt-BR", "en"} {
				v := diagnoseWith(t, newChain(t, testDirectory(), lang), newCase(t, weekday, tc.opt))
				if v.Category != "token-invalid" {
					t.Fatalf("category %s", v.Category)
				}
				if !strings.Contains(v.Reply, tc.says[i]) {
					t.Errorf("%s reply does not say %q:\n%s", lang, tc.says[i], v.Reply)
				}
				if ps := replyProblems(v.Reply, replyFacts{lang: string(lang), keyUserChecked: true, ticket: "SUP-T"}); ps != nil {
					t.Errorf("%s reply: %q", lang, ps)
				}
			}
		})
	}
}

func TestReplyKeyAndUserProblems(t *testing.T) {
	tests := []struct {
		name, category string
		opts           []caseOpt
		says           string // pt-BR
	}{
		{"key unknown", "api-key-invalid", []caseOpt{withKey(keyUnknown)}, "não consta nos cadastros da CrefazOn"},
		{"key inactive", "api-key-invalid", []caseOpt{withKey(keyHmlGama), withUser("gama.ana")}, "está inativa"},
		{"production key on staging", "api-key-invalid", []caseOpt{withKey(keyPrdAlfa)}, "é do ambiente de produção, mas a requisição foi feita no ambiente de homologação"},
		{"user unknown", "user-blocked", []caseOpt{withUser("alfa.ninguem")}, "não está cadastrado na CrefazOn"},
		{"user inactive", "user-blocked", []caseOpt{withUser("alfa.pedro")}, "está bloqueado ou inativo"},
		{"another company's key", "user-key-mismatch", []caseOpt{withKey(keyHmlBeta)}, "pertence a outra empresa parceira"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, weekday, tc.opts...)
			v := diagnoseWith(t, newChain(t, testDirectory(), "pt-BR"), c)
			if v.Category != tc.category {
				t.Fatalf("category %s, want %s", v.Category, tc.category)
			}
			if !strings.Contains(v.Reply, tc.says) {
				t.Errorf("reply does not say %q:\n%s", tc.says, v.Reply)
			}
			// Never another company's name, nor the user's login.
			for _, s := range []string{"Corban", "alfa.", "gama.", "beta."} {
				if strings.Contains(v.Reply, s) {
					t.Errorf("reply names %q:\n%s", s, v.Reply)
				}
			}
		})
	}
}

func TestReplyOffHours(t *testing.T) {
	tests := []struct {
		at   string
		opts []caseOpt
		pt   string
		en   string
	}{
		{"2026-11-21 23:30", nil, "em um sábado, fora do horário de atendimento, durante a janela das rotinas programadas da CrefazOn (das 22h às 6h)", "on a Saturday, outside business hours, during the window of CrefazOn's scheduled routines (from 22:00 to 06:00)"},
		{"2026-11-18 06:30", []caseOpt{withStatus(503)}, "antes das 8h, fora do horário de atendimento. Nesse período, rotinas programadas", "before 08:00 Brasília time, outside business hours. At such times"},
		{"2026-11-18 23:10", nil, "depois das 18h", "after 18:00 Brasília time"},
		{"2026-11-20 10:30", []caseOpt{withStatus(504)}, "em um feriado (Dia da Consciência Negra)", "on a holiday, outside business hours"},
	}
	for _, tc := range tests {
		for _, lang := range []diagnose.Lang{"pt-BR", "en"} {
			v := diagnoseWith(t, newChain(t, testDirectory(), lang), newCase(t, tc.at, tc.opts...))
			want := tc.pt
			if lang == "en" {
				want = tc.en
			}
			if v.Category != "off-hours-routine" || !strings.Contains(v.Reply, want) {
				t.Errorf("%s %s (%s): reply does not say %q:\n%s", tc.at, lang, v.Category, want, v.Reply)
			}
			if ps := replyProblems(v.Reply, replyFacts{lang: string(lang), keyUserChecked: true, ticket: "SUP-T"}); ps != nil {
				t.Errorf("%s %s reply: %q", tc.at, lang, ps)
			}
		}
	}
}

func TestReplySignature(t *testing.T) {
	ch := newChain(t, nil, "pt-BR")
	v := diagnoseWith(t, ch, newCase(t, weekday))
	if !strings.HasSuffix(v.Reply, "\nEquipe de Suporte API Parceiros – CrefazOn") {
		t.Errorf("default signature missing:\n%s", v.Reply)
	}
	ch.Signature = "Time de Integrações – Parceiro X"
	v = diagnoseWith(t, ch, newCase(t, weekday))
	if !strings.HasSuffix(v.Reply, "\nAtenciosamente,\nTime de Integrações – Parceiro X") {
		t.Errorf("the chain's signature does not override the rules':\n%s", v.Reply)
	}
	// A team's rules file signs with its own name.
	data := strings.Replace(string(rules.DefaultYAML()), "pt-BR: Equipe de Suporte API Parceiros – CrefazOn", "pt-BR: Suporte Parceiros – Regional Sul", 1)
	team, err := rules.Load("team.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	v = diagnoseWith(t, &diagnose.Chain{Rules: team, Lang: "pt-BR"}, newCase(t, weekday))
	if !strings.HasSuffix(v.Reply, "\nAtenciosamente,\nSuporte Parceiros – Regional Sul") {
		t.Errorf("the rules' signature is not used:\n%s", v.Reply)
	}
	en := diagnoseWith(t, newChain(t, nil, "en"), newCase(t, weekday))
	if !strings.HasSuffix(en.Reply, "\nKind regards,\nCrefazOn Partner API Support Team") {
		t.Errorf("English signature:\n%s", en.Reply)
	}
	// Without a ticket, no reference line.
	v = diagnoseWith(t, newChain(t, nil, "pt-BR"), newCase(t, weekday, func(c *diagnose.Case) { c.Ticket = "" }))
	if strings.Contains(v.Reply, "Referência") {
		t.Errorf("a reference without a ticket:\n%s", v.Reply)
	}
}

func TestReplyHidesADocumentInThePath(t *testing.T) {
	for _, tc := range []struct{ url, path string }{
		{"/api/v2/propostas/52998224725/dados-bancarios?cpf=52998224725", "GET /api/v2/propostas/{documento}/dados-bancarios,"},
		{"/api/v2/propostas/529.982.247-26/dados-bancarios", "GET /api/v2/propostas/{documento}/dados-bancarios,"},
		{"/api/v2/propostas/maria@example.com/dados-bancarios", "GET /api/v2/propostas/{documento}/dados-bancarios,"},
		{"/api/v2/propostas/123456/dados-bancarios?token=abc", "GET /api/v2/propostas/123456/dados-bancarios,"},
	} {
		v := diagnoseWith(t, newChain(t, nil, "pt-BR"), newCase(t, weekday, withMethod("GET"), noPayload(), withURL(stag+tc.url)))
		if !strings.Contains(v.Reply, tc.path) {
			t.Errorf("%s: the reply does not show %q:\n%s", tc.url, tc.path, v.Reply)
		}
		for _, s := range []string{"52998224725", "529.982.247-26", "maria@", "token=", "?"} {
			if strings.Contains(v.Reply, s) {
				t.Errorf("%s: the reply holds %q:\n%s", tc.url, s, v.Reply)
			}
		}
	}
}

func TestEveryCategoryAndActionHasLabels(t *testing.T) {
	seen := map[string]bool{}
	for _, cat := range rules.Categories {
		act := diagnose.CategoryAction(cat)
		for _, l := range []diagnose.Lang{"pt-BR", "en"} {
			for id, label := range map[string]string{cat: diagnose.CategoryLabel(cat, l), act: diagnose.ActionLabel(act, l)} {
				if label == id || label == "" {
					t.Errorf("%s has no %s label", id, l)
				}
				if seen[string(l)+label] && id == cat {
					t.Errorf("two categories share the %s label %q", l, label)
				}
				if id == cat {
					seen[string(l)+label] = true
				}
			}
		}
		if diagnose.CategoryLabel(cat, "pt-BR") == diagnose.CategoryLabel(cat, "en") {
			t.Errorf("%s: the same label in both languages", cat)
		}
	}
	if got := diagnose.CategoryLabel("token-expired", "pt-BR"); got != "Token expirado" {
		t.Errorf("CategoryLabel(token-expired) = %q", got)
	}
	if got := diagnose.ActionLabel("reply", "pt-BR"); got != "Responder ao parceiro" {
		t.Errorf("ActionLabel(reply) = %q", got)
	}
	if got := diagnose.ActionLabel("cosmic", "en"); got != "cosmic" {
		t.Errorf("an unknown id = %q, want it as it is", got)
	}
}
