package rules_test

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/crefazon/triagem/rules"
)

func mustDefault(t testing.TB) *rules.Rules {
	t.Helper()
	r, err := rules.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return r
}

func TestDefaultLoads(t *testing.T) {
	r := mustDefault(t)
	if again, _ := rules.Default(); again != r {
		t.Error("Default loads the rules again on each call")
	}
	if r.Schema != rules.SchemaV1 || r.Name != "crefazon-default" || r.Version == "" || r.Hash() == "" {
		t.Errorf("schema %q name %q version %q hash %q", r.Schema, r.Name, r.Version, r.Hash())
	}
	if r.Location().String() != "America/Sao_Paulo" {
		t.Errorf("time zone = %s", r.Location())
	}
	if r.Token.Lifetime.Duration != 12*time.Hour || r.Token.Leeway.Duration != 60*time.Second {
		t.Errorf("token lifetime %v leeway %v, want 12h and 60s", r.Token.Lifetime, r.Token.Leeway)
	}
	bh := &r.BusinessHours
	if bh.Open.String() != "08:00" || bh.Close.String() != "18:00" {
		t.Errorf("business hours %s-%s, want 08:00-18:00", bh.Open, bh.Close)
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if want := wd != time.Saturday && wd != time.Sunday; bh.IsBusinessDay(wd) != want {
			t.Errorf("%s business day = %v", wd, !want)
		}
	}
	if len(r.Routines) != 1 || r.Routines[0].Window.String() != "22:00-06:00" || !r.Routines[0].Window.CrossesMidnight() {
		t.Errorf("routines = %+v, want one 22:00-06:00 window", r.Routines)
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if !r.Routines[0].StartsOn(wd) {
			t.Errorf("the nightly routine does not start on %s", wd)
		}
	}
	for _, id := range []string{"homologacao", "producao"} {
		if _, ok := r.Environment(id); !ok {
			t.Errorf("no environment %s", id)
		}
	}
	// DefaultYAML hands out a copy: editing it does not change the embedded rules.
	y := rules.DefaultYAML()
	copy(y, "XXXXXX")
	if bytes.HasPrefix(rules.DefaultYAML(), []byte("XXXXXX")) {
		t.Error("DefaultYAML returns the embedded bytes themselves")
	}
	// The default text loads on its own too, with the same hash.
	r2, err := rules.Load("copy.yaml", rules.DefaultYAML())
	if err != nil {
		t.Fatalf("Load(DefaultYAML): %v", err)
	}
	if r2.Hash() != r.Hash() || r2.Source() != "copy.yaml" {
		t.Errorf("hash %s vs %s, source %q", r2.Hash(), r.Hash(), r2.Source())
	}
}

func TestDefaultRouteSchemasCompile(t *testing.T) {
	r := mustDefault(t)
	n := 0
	for i, rt := range r.Routes {
		if !r.HasSchema(i) {
			continue
		}
		n++
		// An empty object: the schema must compile, and every route that requires fields says so.
		vs, err := r.ValidatePayload(i, map[string]any{})
		if err != nil {
			t.Errorf("%s %s: schema does not compile: %v", rt.Version, rt.String(), err)
			continue
		}
		if len(vs) == 0 {
			t.Errorf("%s %s accepts an empty body", rt.Version, rt.String())
		}
		for _, v := range vs {
			if v.Code != "required" || len(v.Fields) == 0 {
				t.Errorf("%s %s on {}: %+v, want a required violation", rt.Version, rt.String(), v)
			}
		}
	}
	if n < 12 {
		t.Errorf("only %d routes have a schema", n)
	}
}

func routeIndex(t testing.TB, r *rules.Rules, version, method, path string) int {
	t.Helper()
	for i, rt := range r.Routes {
		if rt.Version == version && rt.Method == method && rt.Path == path {
			return i
		}
	}
	t.Fatalf("no route %s %s %s", version, method, path)
	return -1
}

func decode(t testing.TB, s string) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValidatePayload(t *testing.T) {
	r := mustDefault(t)
	pre := routeIndex(t, r, "v2", "POST", "/propostas/pre-analise")
	tests := []struct {
		name    string
		payload string
		want    []string // "path code want" per violation, sorted by path
	}{
		{"good", `{"cliente": {"cpf": "529.982.247-25", "nome": "Maria", "nascimento": "1985-03-12"}, "profissional": {"ocupacaoId": 3},
			"contato": {"telefone": "(11) 98765-4321"}, "endereco": {"cidadeId": 5270}, "operacao": {"urlNotificacao": "https://p.example.com/wh"}}`, nil},
		{"CPF digits only", `{"cliente": {"cpf": "52998224725", "nome": "Maria", "nascimento": "1985-03-12"}, "profissional": {"ocupacaoId": 3},
			"contato": {"telefone": "11987654321"}, "endereco": {"cidadeId": 5270}, "operacao": {"urlNotificacao": "http://p.example.com/wh"}}`, nil},
		{"the usual mistakes", `{"cliente": {"cpf": "529.982.247-26", "nascimento": "12/03/1985"}, "profissional": {"ocupacaoId": 3},
			"contato": {"telefone": "(11) 98765-4321"}, "endereco": {"cidadeId": "5270"}, "operacao": {"urlNotificacao": "null"}}`,
			[]string{"cliente required ", "cliente.cpf format cpf", "cliente.nascimento format date", "endereco.cidadeId type integer", "operacao.urlNotificacao format http-url"}},
		{"relative webhook", `{"cliente": {"cpf": "529.982.247-25", "nome": "M", "nascimento": "1985-03-12"}, "profissional": {"ocupacaoId": 3},
			"contato": {"telefone": "(11) 98765-4321"}, "endereco": {"cidadeId": 5270}, "operacao": {"urlNotificacao": "/webhooks/crefazon"}}`,
			[]string{"operacao.urlNotificacao format http-url"}},
		{"not an object", `[]`, []string{" type object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := r.ValidatePayload(pre, decode(t, tc.payload))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				w := v.Want
				if v.Code == "required" {
					w = ""
				}
				got = append(got, v.Path+" "+v.Code+" "+w)
				if strings.Contains(v.Got+v.Want+v.Detail, "529") {
					t.Errorf("violation %+v carries the CPF", v)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("violations = %q, want %q", got, tc.want)
			}
		})
	}
	// A route without a schema accepts anything.
	if vs, err := r.ValidatePayload(routeIndex(t, r, "v2", "GET", "/enderecos/paises"), decode(t, `"x"`)); err != nil || vs != nil {
		t.Errorf("route without schema: %v %v", vs, err)
	}
}

// edit replaces the first occurrence of old in the default rules and returns the new text and
// the line (1-based) of the last line of old, where the edit lands.
func edit(t testing.TB, old, new string) ([]byte, int) {
	t.Helper()
	data := rules.DefaultYAML()
	i := bytes.Index(data, []byte(old))
	if i < 0 {
		t.Fatalf("the default rules no longer hold %q", old)
	}
	line := 1 + bytes.Count(data[:i], []byte("\n")) + strings.Count(old, "\n")
	return bytes.Replace(data, []byte(old), []byte(new), 1), line
}

func TestLoadReportsProblemsWithLines(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		lines    []int // acceptable lines, relative to the edit's line (0: the edited line)
		words    []string
	}{
		{"route schema that does not compile",
			"    path: /propostas/pre-analise\n    async: true\n    schema:\n      type: object",
			"    path: /propostas/pre-analise\n    async: true\n    schema:\n      type: 12",
			[]int{-1, 0}, []string{"routes[1].schema", "does not compile"}},
		{"alias that names two products",
			"aliases: [Crédito na Conta de Luz, Conta de Luz, Boleto Energia]",
			"aliases: [Crédito na Conta de Luz, Conta de Luz, Boleto Energia, CLT]",
			[]int{0}, []string{"products[1].aliases[3]", "CLT", "consignado"}},
		{"malformed routine window",
			`window: "22:00-06:00"`, `window: "22h-6h"`,
			[]int{0}, []string{"22h"}},
		{"routine window without an end",
			`window: "22:00-06:00"`, `window: "22:00"`,
			[]int{0}, []string{"window"}},
		{"route with an unknown product",
			"product: cp-auto", "product: cp-moto",
			[]int{0}, []string{"routes[", "cp-moto"}},
		{"unknown top-level field",
			"timezone: America/Sao_Paulo\n", "timezone: America/Sao_Paulo\ntimezon: America/Recife\n",
			[]int{0}, []string{"timezon"}},
		{"unknown nested field",
			"  open: \"08:00\"", "  opens: \"08:00\"",
			[]int{0}, []string{"opens"}},
		{"wrong schema version",
			"schema: triagem.rules/v1", "schema: triagem.rules/v2",
			[]int{0}, []string{"triagem.rules/v1", "triagem.rules/v2"}},
		{"unknown time zone",
			"timezone: America/Sao_Paulo", "timezone: Brasilia",
			[]int{0}, []string{"Brasilia"}},
		{"opening time not HH:MM",
			`open: "08:00"`, `open: "8h"`,
			[]int{0}, []string{"8h"}},
		{"closing before opening",
			`close: "18:00"`, `close: "07:00"`,
			[]int{0}, []string{"business_hours.close"}},
		{"token lifetime not a duration",
			"lifetime: 12h", "lifetime: doze horas",
			[]int{0}, []string{"doze horas"}},
		{"route version unknown",
			"  - version: v2\n    method: GET\n    path: /enderecos/paises", "  - version: v3\n    method: GET\n    path: /enderecos/paises",
			[]int{-2}, []string{"v3"}},
		{"route method unknown",
			"    method: GET\n    path: /enderecos/paises", "    method: FETCH\n    path: /enderecos/paises",
			[]int{-1}, []string{"FETCH"}},
		{"unknown reply category",
			"  product-version:\n    pt-BR:", "  product-versao:\n    pt-BR:",
			[]int{-1}, []string{"product-versao"}},
		{"unknown holiday calendar",
			"calendar: bancario", "calendar: estadual",
			[]int{0}, []string{"holidays.calendar", "estadual", "bancario, nacional"}},
		{"holiday to ignore that does not exist",
			"  # ignore: [Corpus Christi]", "  ignore: [Carnival]",
			[]int{0}, []string{"Carnival"}},
		{"an extra day with a bad date",
			"  # extra:", "  extra: [{date: 2026-02-30, name: X}]",
			[]int{0}, []string{"holidays.extra[0].date", "2026-02-30"}},
		{"an extra day without a name",
			"  # extra:", "  extra: [{date: 12-24}]",
			[]int{0}, []string{"holidays.extra[0].name"}},
		{"an extra day with an unknown status",
			"  # extra:", "  extra: [{date: 12-24, name: X, status: folga}]",
			[]int{0}, []string{"holidays.extra[0].status", "folga", "ponto-facultativo"}},
		{"a partial day without hours",
			"  # partial:", "  partial: [{date: 12-24, name: X}]",
			[]int{0}, []string{"holidays.partial[0]", "open, close"}},
		{"a partial day closing before it opens",
			"  # partial:", "  partial: [{date: 12-24, name: X, open: \"13:00\", close: \"12:00\"}]",
			[]int{0}, []string{"holidays.partial[0].close", "12:00", "13:00"}},
		{"version prefix without slashes",
			"prefix: /api/v2/}", "prefix: api/v2}",
			[]int{0}, []string{"api_versions[0].prefix"}},
		{"a reply template that does not parse",
			"O produto {{.Product.Name}} não está disponível", "O produto {{.Product.Name não está disponível",
			[]int{-6, -5, 0}, []string{"replies.product-not-on-api", "pt-BR"}},
		{"a doc with an unknown category",
			"categories: [request-syntax]", "categories: [request-sintax]",
			[]int{0}, []string{"request-sintax"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, line := edit(t, tc.old, tc.new)
			_, err := rules.Load("team.yaml", data)
			if err == nil {
				t.Fatal("loaded a broken rules file")
			}
			var ps rules.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("err = %v (%T), want Problems", err, err)
			}
			var lines []int
			for _, d := range tc.lines {
				lines = append(lines, line+d)
			}
			found := false
			for _, p := range ps {
				text := p.Error()
				if p.File != "team.yaml" || !strings.HasPrefix(text, "team.yaml:") {
					t.Errorf("problem %q does not name the file", text)
				}
				all := true
				for _, w := range tc.words {
					all = all && strings.Contains(text, w)
				}
				if all && slices.Contains(lines, p.Line) {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem at line %v mentioning %q; got:\n%v", lines, tc.words, err)
			}
			for _, p := range ps {
				if w := englishIn(p); w != "" {
					t.Errorf("the Portuguese text of %q has the English word %q: %s", p.Error(), w, p.Text("pt-BR"))
				}
			}
		})
	}
}

// englishWordRE finds an English sentence's common words; prose, not values, is checked:
// what the user wrote comes quoted, places and flags are syntax.
var (
	englishWordRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(the|and|of|is|are|to|with|for|not|must|missing|unknown|want|got|text|needed|already)(?:[^\p{L}]|$)`)
	notProseRE    = regexp.MustCompile(`"[^"]*"|--?[\w-]+|[\w.]+\[\d+\][\w.\[\]]*|'[^']*'`)
)

// englishIn is an English word in the Portuguese text of p, "" when there is none.
func englishIn(p rules.Problem) string {
	text := p.Text("pt-BR")
	text = strings.TrimPrefix(text, p.File)
	text = notProseRE.ReplaceAllString(text, " ")
	if m := englishWordRE.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

func TestProblemsInBothLanguages(t *testing.T) {
	tests := []struct {
		name, old, new string
		pt, en         string
	}{
		{"YAML syntax", "timezone: America/Sao_Paulo", "timezone: [America/Sao_Paulo",
			"confira a indentação", "did not find expected"},
		{"unknown field", "timezone: America/Sao_Paulo\n", "timezone: America/Sao_Paulo\nfuso: x\n",
			"campo desconhecido \"fuso\"", "field fuso not found"},
		{"wrong type", "lifetime: 12h", "lifetime: [12h]",
			"esperada uma duração", "want a duration"},
		{"weekday", "days: [mon, tue, wed, thu, fri]", "days: [mon, tue, wed, thu, fry]",
			"não é um dia da semana", "is not a weekday"},
		{"window", `window: "22:00-06:00"`, `window: "22:00-22:00"`,
			"está vazia", "is empty"},
		{"regex", "    - {name: cnpj, kind: cnpj, keep_last: 2}", "    - {name: cnpj, kind: regex, regex: \"(\"}",
			"não é uma expressão regular válida", "not a regular expression"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := edit(t, tc.old, tc.new)
			_, err := rules.Load("team.yaml", data)
			var ps rules.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("err = %v, want Problems", err)
			}
			pt, en := ps.Text("pt-BR"), ps.Text("en")
			if !strings.Contains(pt, tc.pt) || !strings.Contains(en, tc.en) {
				t.Errorf("pt-BR:\n%s\nen:\n%s\nwant %q and %q", pt, en, tc.pt, tc.en)
			}
			if en != err.Error() {
				t.Errorf("Error() is not the English text:\n%s", err)
			}
			for _, p := range ps {
				if w := englishIn(p); w != "" {
					t.Errorf("the Portuguese text has the English word %q: %s", w, p.Text("pt-BR"))
				}
			}
		})
	}
}

func TestLoadProductNameCollisionLine(t *testing.T) {
	data, line := edit(t, "    name: CDC Energia", "    name: Energia")
	_, err := rules.Load("team.yaml", data)
	var ps rules.Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("err = %v, want one problem", err)
	}
	if ps[0].Line != line || !strings.Contains(ps[0].Error(), "name") {
		t.Errorf("problem = %v at line %d, want line %d and the name field", ps[0], ps[0].Line, line)
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	data := rules.DefaultYAML()
	data = bytes.Replace(data, []byte("schema: triagem.rules/v1"), []byte("schema: triagem.rules/v9"), 1)
	data = bytes.Replace(data, []byte("product: cp-auto"), []byte("product: cp-moto"), 1)
	data = bytes.Replace(data, []byte("statuses: [500, 502, 503, 504]"), []byte("statuses: [500, 502, 503, 5040]"), 1)
	_, err := rules.Load("team.yaml", data)
	var ps rules.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v", err)
	}
	text := err.Error()
	for _, w := range []string{"triagem.rules/v9", "cp-moto", "5040"} {
		if !strings.Contains(text, w) {
			t.Errorf("problems do not mention %s:\n%s", w, text)
		}
	}
	if len(strings.Split(text, "\n")) != len(ps) {
		t.Errorf("Problems.Error() is not one line per problem:\n%s", text)
	}
}

func TestLoadRejectsNonRules(t *testing.T) {
	for _, tc := range []struct{ name, text, word string }{
		{"empty", "", "empty"},
		{"a list", "- a\n- b\n", "team.yaml:1"},
		{"yaml syntax", "schema: triagem.rules/v1\nname: [x\n", "team.yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rules.Load("team.yaml", []byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.word) {
				t.Errorf("err = %v, want it to mention %q", err, tc.word)
			}
		})
	}
}

func TestProductByName(t *testing.T) {
	r := mustDefault(t)
	for _, tc := range []struct{ name, want string }{
		{"Luz em Dia", "luz-em-dia"},
		{"luz-em-dia", "luz-em-dia"},
		{"LUZ_EM_DIA", "luz-em-dia"},
		{"  luz em dia ", "luz-em-dia"},
		{"LuzEmDia", "luz-em-dia"},
		{"consignado", "consignado"},
		{"Crédito do Trabalhador", "consignado"},
		{"CREDITO DO TRABALHADOR", "consignado"},
		{"clt", "consignado"},
		{"Conta de Luz", "energia"},
		{"CP Automóvel", "cp-auto"},
		{"cp_auto", "cp-auto"},
		{"CDC Energia", "cdc-energia"},
		{"Cartão Benefício", ""},
		{"", ""},
	} {
		p, ok := r.ProductByName(tc.name)
		if tc.want == "" {
			if ok {
				t.Errorf("ProductByName(%q) = %s, want none", tc.name, p.ID)
			}
			continue
		}
		if !ok || p.ID != tc.want {
			t.Errorf("ProductByName(%q) = %q %v, want %s", tc.name, p.ID, ok, tc.want)
		}
	}
	if p, ok := r.ProductByName("Luz em Dia"); !ok || p.OnAPI || p.Channel == "" {
		t.Errorf("Luz em Dia = %+v: it is not on the API and is sold through another channel", p)
	}
	if p, _ := r.ProductByPayloadID(4); p.ID != "consignado" || p.MinVersion != "v2" {
		t.Errorf("produto.id 4 = %+v, want consignado from v2", p)
	}
	if p, _ := r.ProductByPayloadID(6); p.ID != "energia" {
		t.Errorf("produto.id 6 = %+v, want energia", p)
	}
	if _, ok := r.ProductByPayloadID(99); ok {
		t.Error("produto.id 99 names a product")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Luz em Dia": "luzemdia", "LUZ_EM_DIA": "luzemdia", "luz-em-dia": "luzemdia",
		"Crédito do Trabalhador": "creditodotrabalhador", "Produção": "producao", "\tHML ": "hml",
	} {
		if got := rules.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionOfPath(t *testing.T) {
	r := mustDefault(t)
	// The same versions listed the other way round: the longest prefix must still win.
	swapped, err := rules.Load("swapped.yaml", bytes.Replace(rules.DefaultYAML(),
		[]byte("  - {id: v2, level: 2, prefix: /api/v2/}\n  - {id: v1, level: 1, prefix: /api/}\n"),
		[]byte("  - {id: v1, level: 1, prefix: /api/}\n  - {id: v2, level: 2, prefix: /api/v2/}\n"), 1))
	if err != nil {
		t.Fatal(err)
	}
	if swapped.APIVersions[0].ID != "v1" {
		t.Fatal("the versions were not swapped")
	}
	tests := []struct{ path, version, rest string }{
		{"/api/v2/propostas/pre-analise", "v2", "/propostas/pre-analise"},
		{"/API/V2/Propostas/Pre-Analise", "v2", "/Propostas/Pre-Analise"},
		{"/Api/v2/usuarios/login", "v2", "/usuarios/login"},
		{"/api/Proposta", "v1", "/Proposta"},
		{"/api/Proposta/oferta-produto/12", "v1", "/Proposta/oferta-produto/12"},
		{"/api/v2/", "v2", "/"},
		{"/v2/propostas", "", ""},
		{"/", "", ""},
		{"", "", ""},
	}
	for _, rl := range []*rules.Rules{r, swapped} {
		for _, tc := range tests {
			v, rest, ok := rl.VersionOfPath(tc.path)
			if tc.version == "" {
				if ok {
					t.Errorf("%s: VersionOfPath(%q) = %s, want none", rl.Source(), tc.path, v.ID)
				}
				continue
			}
			if !ok || v.ID != tc.version || rest != tc.rest {
				t.Errorf("%s: VersionOfPath(%q) = %q %q %v, want %q %q", rl.Source(), tc.path, v.ID, rest, ok, tc.version, tc.rest)
			}
		}
	}
}

func TestMatchRoute(t *testing.T) {
	r := mustDefault(t)
	tests := []struct {
		version, method, rest string
		want                  string // "METHOD /path" of the route, "" for none
		pathKnown             bool
	}{
		{"v2", "POST", "/propostas/pre-analise", "POST /propostas/pre-analise", true},
		{"v2", "post", "/Propostas/PRE-ANALISE/", "POST /propostas/pre-analise", true},
		{"v2", "GET", "/propostas/98765/produtos-ofertados", "GET /propostas/{id}/produtos-ofertados", true},
		{"v2", "PUT", "/propostas/98765/produtos-ofertados/4", "PUT /propostas/{id}/produtos-ofertados/{produtoId}", true},
		{"v2", "PUT", "/proposta/98765/produtos-ofertados/consultar", "PUT /proposta/{id}/produtos-ofertados/consultar", true},
		{"v2", "POST", "/propostas/98765/autorizacao-consulta", "POST /propostas/{id}/autorizacao-consulta", true},
		{"v2", "GET", "/propostas/processamento/abc-123", "GET /propostas/processamento/{processoId}", true},
		{"v2", "POST", "/Propostas/tipos-documentos", "POST /propostas/tipos-documentos", true},
		{"v2", "POST", "/propostas/98765/produtos-ofertados", "", true}, // exists with GET only
		{"v2", "DELETE", "/propostas/pre-analise", "", true},
		{"v2", "", "/enderecos/paises", "GET /enderecos/paises", true}, // one method: it is that one
		{"v2", "", "/propostas/1/dados-bancarios", "", true},           // GET and POST: cannot tell
		{"v2", "GET", "/propostas//produtos-ofertados", "", false},     // an empty placeholder
		{"v2", "GET", "/propostas/1/produtos-ofertados/extra/x", "", false},
		{"v2", "POST", "/Usuario/login", "", false}, // a V1 route asked on V2
		{"v1", "POST", "/usuario/LOGIN", "POST /Usuario/login", true},
		{"v1", "GET", "/endereco/cidade/3550308", "GET /Endereco/Cidade/{id}", true},
		{"v1", "POST", "/propostas/pre-analise", "", false},
	}
	for _, tc := range tests {
		i, known := r.MatchRoute(tc.version, tc.method, tc.rest)
		got := ""
		if i >= 0 {
			got = r.Route(i).String()
			if r.Route(i).Version != tc.version {
				t.Errorf("MatchRoute(%s %s %s) matched a %s route", tc.version, tc.method, tc.rest, r.Route(i).Version)
			}
		}
		if got != tc.want || known != tc.pathKnown {
			t.Errorf("MatchRoute(%s, %q, %s) = %q known %v, want %q known %v", tc.version, tc.method, tc.rest, got, known, tc.want, tc.pathKnown)
		}
	}
}

func TestEnvironmentOfHost(t *testing.T) {
	r := mustDefault(t)
	for host, want := range map[string]string{
		"api-externo-stag.crefazon.com.br":                "homologacao",
		"APP2-CREFAZ-API-EXTERNAL-STAG.azurewebsites.net": "homologacao",
		"app-crefaz-api-external-stag.azurewebsites.net":  "homologacao",
		"api-externo.crefazon.com.br":                     "producao",
		"api.crefazon.com.br":                             "producao",
		"crefazon.com.br":                                 "",
		"api-externo-stag.crefazon.com.br.evil.example":   "",
	} {
		e, ok := r.EnvironmentOfHost(host)
		if (want == "") == ok || e.ID != want {
			t.Errorf("EnvironmentOfHost(%s) = %q %v, want %q", host, e.ID, ok, want)
		}
	}
}

func TestUnavailabilityAndKnownErrors(t *testing.T) {
	r := mustDefault(t)
	for _, s := range []int{500, 502, 503, 504} {
		if !r.IsUnavailableStatus(s) {
			t.Errorf("%d is not unavailability", s)
		}
	}
	for _, s := range []int{400, 401, 404, 422, 501} {
		if r.IsUnavailableStatus(s) {
			t.Errorf("%d counts as unavailability", s)
		}
	}
	for text, want := range map[string]bool{
		"upstream request timeout": true, "The operation has TIMED OUT": true, "Tempo esgotado": true,
		"context deadline exceeded": true, "504 Gateway Time-out": true, "Proposta invalida.": false,
	} {
		if r.IsTimeoutText(text) != want {
			t.Errorf("IsTimeoutText(%q) = %v", text, !want)
		}
	}
	for text, want := range map[string]string{
		"Falha de comunicação com o Motor de Crédito. Tente novamente mais tarde.": "Falha de comunicacao com o Motor de Credito",
		"erro: USUARIO NAO CADASTRADO":  "Usuario nao cadastrado",
		"Identificador único inválido!": "Identificador unico invalido!",
		"Erro desconhecido":             "",
	} {
		e, ok := r.KnownErrorIn(text)
		if e.Message != want || ok != (want != "") {
			t.Errorf("KnownErrorIn(%q) = %q %v, want %q", text, e.Message, ok, want)
		}
	}
	if e, _ := r.KnownErrorIn("Falha no processamento dos dados."); !e.Temporary || e.Meaning.In("en") == e.Meaning.In("pt-BR") {
		t.Errorf("webhook failure = %+v, want temporary and worded in both languages", e)
	}
}

func TestDocsFor(t *testing.T) {
	r := mustDefault(t)
	docs := r.DocsFor("request-syntax", "POST /propostas/pre-analise")
	for _, want := range []string{"https://api-externo-stag.crefazon.com.br/docs#pre-analise", "https://api-externo-stag.crefazon.com.br/docs#rotas"} {
		if !slices.Contains(docs, want) {
			t.Errorf("DocsFor(request-syntax, pre-analise) = %q, want %s", docs, want)
		}
	}
	for _, cat := range rules.Categories {
		seen := map[string]bool{}
		for _, d := range r.DocsFor(cat, "POST /usuarios/login") {
			if seen[d] {
				t.Errorf("DocsFor(%s) repeats %s", cat, d)
			}
			seen[d] = true
		}
	}
}

func TestReplyEveryCategoryBothLanguages(t *testing.T) {
	r := mustDefault(t)
	data := func(lang string) rules.ReplyData {
		return rules.ReplyData{
			Lang: lang, Ticket: "SUP-1", Signature: "SIGNATURE-1", Method: "POST", Path: "/api/Proposta",
			Environment: "ENV-1", SentAt: "SENT-AT-1", Doc: "https://docs.example/x",
			Token:   rules.ReplyToken{ExpiredAt: "EXPIRED-AT-1", ExpiredBefore: "BEFORE-1", Lifetime: "LIFETIME-1"},
			Product: rules.ReplyProduct{Name: "PRODUCT-1", Channel: "CHANNEL-1", Version: "V1", MinVersion: "V2"},
			Payload: rules.ReplyPayload{Fields: []rules.ReplyField{{Name: "FIELD-1", Problem: "PROBLEM-1"}}},
			Hours:   rules.ReplyHours{When: "WHEN-1", Days: "DAYS-1", Open: "OPEN-1", Close: "CLOSE-1"},
			Missing: []string{"payload"},
		}
	}
	if len(rules.Categories) != 12 {
		t.Fatalf("%d categories, the contract has 12", len(rules.Categories))
	}
	for _, cat := range rules.Categories {
		texts := map[string]string{}
		for _, lang := range rules.Langs {
			s, err := r.Reply(cat, lang, data(lang))
			if err != nil {
				t.Errorf("Reply(%s, %s): %v", cat, lang, err)
				continue
			}
			if strings.TrimSpace(s) == "" || strings.Contains(s, "<no value>") || strings.Contains(s, "{{") || strings.Contains(s, "\n\n\n") {
				t.Errorf("Reply(%s, %s) = %q", cat, lang, s)
			}
			texts[lang] = s
			// Every reply has the shape of REPLIES.md: greeting, what was looked at, the link
			// on its own line, the ticket, the signature last.
			for _, part := range []string{"SENT-AT-1", "/api/Proposta", "\nhttps://docs.example/x\n", "SUP-1"} {
				if !strings.Contains(s, part) {
					t.Errorf("%s %s reply lacks %q:\n%s", cat, lang, part, s)
				}
			}
			if !strings.HasSuffix(s, "\nSIGNATURE-1") {
				t.Errorf("%s %s reply does not end with the signature:\n%s", cat, lang, s)
			}
		}
		if texts["pt-BR"] == texts["en"] {
			t.Errorf("%s: the same reply in both languages", cat)
		}
		if !strings.HasPrefix(texts["pt-BR"], "Olá") || !strings.HasPrefix(texts["en"], "Hello") {
			t.Errorf("%s replies do not greet: %q / %q", cat, texts["pt-BR"], texts["en"])
		}
		for _, lang := range rules.Langs {
			s := texts[lang]
			var must []string
			switch cat {
			case "token-expired":
				must = []string{"EXPIRED-AT-1", "BEFORE-1", "LIFETIME-1"}
			case "request-syntax":
				must = []string{"FIELD-1: PROBLEM-1"}
			case "off-hours-routine":
				must = []string{"WHEN-1", "DAYS-1", "OPEN-1", "CLOSE-1"}
			case "product-not-on-api":
				must = []string{"PRODUCT-1"}
			case "product-version":
				must = []string{"PRODUCT-1", "V1", "V2"}
			case "api-key-missing":
				must = []string{"ENV-1"}
			}
			for _, m := range must {
				if !strings.Contains(s, m) {
					t.Errorf("%s %s reply does not say %q:\n%s", cat, lang, m, s)
				}
			}
		}
	}
	// The escalation promise follows .Escalate.
	d := data("en")
	no, _ := r.Reply("no-apparent-cause", "en", d)
	d.Escalate = true
	yes, _ := r.Reply("no-apparent-cause", "en", d)
	if no == yes || !strings.Contains(yes, "engineering team") || strings.Contains(no, "engineering team") {
		t.Errorf("no-apparent-cause reply ignores Escalate:\n%s\n%s", no, yes)
	}
	// An unknown language falls back to pt-BR; an unknown category is an error.
	if s, err := r.Reply("token-expired", "es", data("es")); err != nil || !strings.HasPrefix(s, "Olá") {
		t.Errorf("Reply in es = %q %v, want the pt-BR text", s, err)
	}
	if _, err := r.Reply("cosmic-rays", "en", d); err == nil {
		t.Error("Reply for an unknown category did not fail")
	}
}

func TestReplyTemplateErrorsRefusedAtLoad(t *testing.T) {
	tests := []struct{ name, old, new, want string }{
		{"a field that does not exist", "{{with .Token.LoginRoute}} ({{.}}){{end}} para obter um token novo", "{{.Token.Route}} para obter um token novo", "replies.token-expired"},
		{"a part that does not exist", `{{template "context" .}}

      A sua empresa ainda não tem uma chave`, `{{template "contexto" .}}

      A sua empresa ainda não tem uma chave`, "replies.api-key-missing"},
		{"a part that does not parse", `{{define "greeting"}}{{if not .Partner}}Olá!{{end}}{{end}}`, `{{define "greeting"}}{{if not .Partner}}Olá!{{end}}{{end`, "reply.parts"},
		{"no signature in English", "    en: CrefazOn Partner API Support Team\n", "", "reply.signature"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := edit(t, tc.old, tc.new)
			_, err := rules.Load("team.yaml", data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v, want a problem at %s", err, tc.want)
			}
		})
	}
}

func TestTidyText(t *testing.T) {
	for in, want := range map[string]string{
		"Olá!  \n\n\n\nTexto. \n": "Olá!\n\nTexto.",
		"\n\na\n- b\n\n\n\nc\t\n": "a\n- b\n\nc",
		"a\r\nb":                  "a\nb",
	} {
		if got := rules.TidyText(in); got != want {
			t.Errorf("TidyText(%q) = %q, want %q", in, got, want)
		}
	}
}
