package render

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
)

func widest(text string) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n = max(n, textWidth(line))
	}
	return n
}

func TestTextWidth(t *testing.T) {
	for text, want := range map[string]int{
		"abc": 3, "ação": 4, "\x1b[31;1mtoken.expiry\x1b[0m": 12, "✓ │ x": 5, "": 0,
	} {
		if got := textWidth(text); got != want {
			t.Errorf("textWidth(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestAHeaderWiderThanItsShareStillFits(t *testing.T) {
	cols := []Column{{Header: "Id"}, {Header: "Categoria se falhar", Wraps: true}, {Header: "Falha quando", Wraps: true}}
	rows := [][]string{{"request.notification-url-with-a-long-id", "request-syntax", "a URL não é pública, nem absoluta, nem alcançável"}}
	var b bytes.Buffer
	if err := Grid(&b, Screen{Width: 80}, cols, rows); err != nil {
		t.Fatal(err)
	}
	if w := widest(b.String()); w > 80 {
		t.Errorf("a line of %d columns:\n%s", w, b.String())
	}
}

func TestWrapCellKeepsWordsAndURLsWhole(t *testing.T) {
	tests := []struct {
		name, text string
		width      int
		want       string
		notes      []string
	}{
		{"fits", "o token expirou", 20, "o token expirou", nil},
		{"at spaces", "o token expirou antes da requisição", 16, "o token expirou\nantes da\nrequisição", nil},
		{"accents count once", "requisição ação", 15, "requisição ação", nil},
		{"long URL becomes a reference", "veja https://api-externo-stag.crefazon.com.br/docs#autenticacao agora", 20,
			"veja [1] agora", []string{"https://api-externo-stag.crefazon.com.br/docs#autenticacao"}},
		{"a URL that fits stays", "veja https://x.br/a", 20, "veja https://x.br/a", nil},
		{"a long id is cut", "abcdefghijklmnop", 6, "abcdef\nghijkl\nmnop", nil},
		{"lines kept", "um\ndois", 10, "um\ndois", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notes := &footnotes{}
			got := wrapCell(tt.text, tt.width, notes)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if strings.Join(notes.urls, " ") != strings.Join(tt.notes, " ") {
				t.Errorf("notes %v, want %v", notes.urls, tt.notes)
			}
			if w := widest(got); w > tt.width {
				t.Errorf("a line of %d columns, wider than %d", w, tt.width)
			}
		})
	}
}

func TestWrapTextHangsListItemsAndKeepsURLs(t *testing.T) {
	text := "Olá! Seu token expirou.\n- o token expirou uma hora antes da requisição: gere um novo token antes de cada chamada\nVeja https://api-externo-stag.crefazon.com.br/docs#autenticacao"
	got := WrapText(text, 40)
	want := "Olá! Seu token expirou.\n" +
		"- o token expirou uma hora antes da\n" +
		"  requisição: gere um novo token antes\n" +
		"  de cada chamada\n" +
		"Veja\n" +
		"https://api-externo-stag.crefazon.com.br/docs#autenticacao"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	got = WrapText("✗ data e hora da requisição: falta (informe com --at)", 30)
	want = "✗ data e hora da requisição:\n  falta (informe com --at)"
	if got != want {
		t.Errorf("a checklist item:\ngot:\n%s\nwant:\n%s", got, want)
	}
}

func TestGridFitsTheScreen(t *testing.T) {
	long := strings.Repeat("uma explicação longa que precisa quebrar ", 4)
	cols := []Column{{Header: "Verificação"}, {Header: "Seção"}, {Header: "Resultado", Wraps: true}}
	rows := [][]string{{"token.expiry", "3.3", long}, {"hours.routine", "3.4", "curto"}}
	for _, width := range []int{40, 60, 80, 100, 120} {
		var b bytes.Buffer
		if err := Grid(&b, Screen{Width: width}, cols, rows); err != nil {
			t.Fatal(err)
		}
		if w := widest(b.String()); w > width {
			t.Errorf("width %d: a line of %d columns:\n%s", width, w, b.String())
		}
		if !strings.Contains(b.String(), "token.expiry") {
			t.Errorf("width %d: an id was cut:\n%s", width, b.String())
		}
	}
}

func TestGridTooNarrowBecomesRecords(t *testing.T) {
	cols := []Column{{Header: "Id"}, {Header: "Categoria"}, {Header: "Precisa", Wraps: true}, {Header: "Falha", Wraps: true}}
	rows := [][]string{{"request.notification-url", "request-syntax", "o payload da rota", "a URL não é pública, nem absoluta"}}
	var b bytes.Buffer
	if err := Grid(&b, Screen{Width: 50}, cols, rows); err != nil {
		t.Fatal(err)
	}
	want := "request.notification-url\n  Categoria: request-syntax\n  Precisa: o payload da rota\n  Falha: a URL não é pública, nem absoluta\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestGridMovesURLsBelowTheTable(t *testing.T) {
	url := "https://api-externo-stag.crefazon.com.br/docs#autenticacao"
	var b bytes.Buffer
	if err := Grid(&b, Screen{Width: 80}, []Column{{Header: "Tópico", Wraps: true}, {Header: "Link"}}, [][]string{{"Autenticação", url}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if last := lines[len(lines)-1]; last != "[1] "+url {
		t.Errorf("the URL is not on a line of its own below the table:\n%s", b.String())
	}
	if strings.Count(b.String(), "crefazon") != 1 {
		t.Errorf("the URL is in the table too:\n%s", b.String())
	}
}

func TestChecksFailuresFirstAndPassesCollapsed(t *testing.T) {
	checks := []diagnose.Result{
		{ID: "request.endpoint", Section: "3.2", Status: diagnose.Pass, Message: "ok"},
		{ID: "key.partner", Section: "3.8", Status: diagnose.Skip, Message: "sem diretório"},
		{ID: "token.lifetime", Section: "3.3", Status: diagnose.Warn, Message: "validade longa"},
		{ID: "token.expiry", Section: "3.3", Status: diagnose.Fail, Message: "expirado"},
		{ID: "hours.business", Section: "3.4", Status: diagnose.Pass, Message: "ok"},
	}
	var b bytes.Buffer
	if err := checksTable(&b, checks, Screen{Width: 80}, "pt-BR", true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	fail, warn, skip := strings.Index(out, "token.expiry"), strings.Index(out, "token.lifetime"), strings.Index(out, "key.partner")
	if !(fail < warn && warn < skip) {
		t.Errorf("not failing, warning, skipped in that order:\n%s", out)
	}
	if strings.Contains(out, "request.endpoint") || !strings.Contains(out, "✓ 2 verificações passaram") {
		t.Errorf("passing checks not collapsed into one line:\n%s", out)
	}

	b.Reset()
	if err := checksTable(&b, checks, Screen{Width: 80, All: true, Color: true}, "en", true); err != nil {
		t.Fatal(err)
	}
	out = b.String()
	if !strings.Contains(out, "request.endpoint") || strings.Contains(out, "checks passed") {
		t.Errorf("--all does not list every check:\n%s", out)
	}
	if !strings.Contains(out, "\x1b[31;1mtoken.expiry\x1b[0m") {
		t.Errorf("the failing check does not stand out in colour:\n%q", out)
	}
	if w := widest(out); w > 80 {
		t.Errorf("colour codes were counted as width: %d", w)
	}
}

// benchVerdict is a verdict of the usual size: 18 checks, one failing, a reply, two links.
func benchVerdict() *diagnose.Verdict {
	v := &diagnose.Verdict{Schema: "triagem.verdict/v1", Case: "casos/SUP-4821.yaml", Ticket: "SUP-4821",
		Category: "token-expired", Section: "3.3", Action: "reply", Lang: "pt-BR",
		Reply: "Olá! O token enviado já estava expirado no momento da requisição.\n- o token expirou uma hora antes da requisição: gere um novo token antes de cada chamada\nO token vale por 12 horas a partir do login.",
		Docs:  []string{"https://api-externo-stag.crefazon.com.br/docs#autenticacao", "https://api-externo-stag.crefazon.com.br/docs#pre-analise"},
		Request: diagnose.Summary{Environment: "homologacao", APIVersion: "v2", Method: "POST",
			Route: "/api/v2/propostas/pre-analise", At: "2026-11-18T10:15:00-03:00", User: "alfa.maria"}}
	for i := range 18 {
		c := diagnose.Result{ID: fmt.Sprintf("check.number-%d", i), Section: "3.3", Status: diagnose.Pass,
			Message: "uma mensagem de tamanho comum sobre o que a verificação encontrou na requisição"}
		if i == 9 {
			c.Status = diagnose.Fail
		}
		v.Checks = append(v.Checks, c)
	}
	return v
}

// BenchmarkTable and BenchmarkJSON compare what a batch pays per verdict for each output.
func BenchmarkTable(b *testing.B) {
	v := benchVerdict()
	for b.Loop() {
		if err := Table(io.Discard, v, Screen{Width: 100}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSON(b *testing.B) {
	v := benchVerdict()
	for b.Loop() {
		if err := JSON(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGridNeverWiderThanTheScreen lays out many generated tables (long words, URLs, accents,
// colour, narrow and wide screens): no line is wider than the screen, but a URL's own line.
func TestGridNeverWiderThanTheScreen(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vocabulary := []string{"o", "token", "expirou", "requisição", "antes", "da", "validade", "ação",
		"request.notification-url", "https://api-externo-stag.crefazon.com.br/docs#autenticacao",
		"\x1b[31;1mtoken.expiry\x1b[0m", strings.Repeat("x", 70), "3.6,", "—"}
	text := func(words int) string {
		var b []string
		for range words {
			b = append(b, vocabulary[r.IntN(len(vocabulary))])
		}
		return strings.Join(b, " ")
	}
	for range 500 {
		cols := make([]Column, 1+r.IntN(5))
		for i := range cols {
			cols[i] = Column{Header: text(1 + r.IntN(2)), Wraps: r.IntN(3) > 0}
			if len(cols[i].Header) > 20 {
				cols[i].Header = cols[i].Header[:20]
			}
		}
		rows := make([][]string, 1+r.IntN(4))
		for i := range rows {
			rows[i] = make([]string, len(cols))
			for j := range cols {
				n := 1 + r.IntN(3)
				if cols[j].Wraps {
					n = r.IntN(25)
				}
				rows[i][j] = text(n)
			}
		}
		width := 40 + r.IntN(100)
		var b bytes.Buffer
		if err := Grid(&b, Screen{Width: width}, cols, rows); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if textWidth(line) > width && !strings.HasPrefix(line, "[") {
				t.Fatalf("width %d: a line of %d columns:\n%s\n\nin:\n%s", width, textWidth(line), line, b.String())
			}
		}
	}
}
