package evidence

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/crefazon/triagem/internal/brdoc"
)

// streamKeys are the names a generated body uses: names that hint at a CPF, a CNPJ or a phone,
// secret fields and words, identity names under a secret, personal paths (cliente.nome,
// endereco.*, nascimento) and readable ones, and plain ones.
var streamKeys = []string{"cpf", "cpfCliente", "cnpj", "telefone", "celular", "ddd", "numero", "email", "senha", "password",
	"token", "apiKey", "credentials", "login", "user", "Authorization", "cliente", "nome", "nascimento", "endereco",
	"cidadeId", "uf", "logradouro", "contato", "historico", "obs", "valor", "id", "dados", "payload", "segredo_x",
	"chave\"aspas", "linha\nnova", "chave " + cpfABare, "a@b.com.br", "é"}

// streamLeaf is a value as partners send them: documents in every shape, contacts, tokens,
// masks, JSON kept in a string, numbers that are or are not documents, text.
func streamLeaf(t *rapid.T) string {
	texts := []string{cpfA, cpfABare, cpfB, cpfBDots, "5299822472", cnpj, cnpjBare, cnpjAlnu, emailA, emailAUp, emailB,
		phoneFmt, phoneInt, phoneRaw, "1234", "parcela 3 de 24", "", "  ", plantedSenha, plantedKey,
		"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.",
		"[cpf#1 …25]", "[email#2 …@example.com.br]", "Rua das Flores, 10", "1985-03-12", "Maria da Silva",
		`{"cpf": "` + cpfABare + `", "n": ` + cpfB + `}`, "[1, 2, \"" + emailB + "\"]", `{"x": `, "senha=" + plantedSenha,
		"https://u:" + plantedSenha + "@h.example/x?cpf=" + cpfABare, "tab\there \"quoted\" \\ back", "\u2028 sep"}
	switch rapid.IntRange(0, 10).Draw(t, "leaf") {
	case 10:
		return "\"a\xffb " + cpfA + "\"" // invalid UTF-8, as partners send it
	case 0:
		return "null"
	case 1:
		return rapid.SampledFrom([]string{"true", "false"}).Draw(t, "bool")
	case 2:
		return rapid.SampledFrom([]string{cpfABare, cpfB, "5299822472", cnpjBare, phoneRaw, "1500.50", "-3", "1e3", "5270", "0"}).Draw(t, "num")
	case 3:
		cpf := brdoc.MakeCPF(fmt.Sprintf("%09d", rapid.IntRange(0, 999999999).Draw(t, "cpf")))
		return fmt.Sprintf("%q", cpf)
	}
	b, _ := json.Marshal(rapid.SampledFrom(texts).Draw(t, "text"))
	return string(b)
}

func streamValue(t *rapid.T, depth int) string {
	if depth > 3 || rapid.IntRange(0, 2).Draw(t, "container") == 0 {
		return streamLeaf(t)
	}
	n := rapid.IntRange(0, 4).Draw(t, "n")
	obj := rapid.Bool().Draw(t, "obj")
	var b strings.Builder
	sep := rapid.SampledFrom([]string{"", " ", "\n  ", "\r\n\t"}).Draw(t, "space")
	b.WriteByte(map[bool]byte{true: '{', false: '['}[obj])
	for i := range n {
		if i > 0 {
			b.WriteString("," + sep)
		}
		if obj {
			k, _ := json.Marshal(rapid.SampledFrom(streamKeys).Draw(t, "key"))
			if rapid.IntRange(0, 20).Draw(t, "raw key") == 0 {
				k = []byte("\"cpf\xff\"")
			}
			b.Write(k)
			b.WriteString(":" + sep)
		}
		b.WriteString(streamValue(t, depth+1))
	}
	b.WriteString(sep)
	b.WriteByte(map[bool]byte{true: '}', false: ']'}[obj])
	return b.String()
}

// TestStreamIsTree: a JSON text redacted as it is read (streamJSONTo) comes out as the tree of
// it did (parseJSON, walk, appendJSON): the same bytes, the same report and the same masks
// learnt (the same text masked afterwards, as the rest of a case is); and scanned as it is
// read, the same findings on the same lines as the tree.
func TestStreamIsTree(t *testing.T) {
	red := defaultRedaction(t)
	rapid.Check(t, func(t *rapid.T) {
		d := streamValue(t, 0)
		if d[0] != '{' && d[0] != '[' {
			d = "[" + d + "]"
		}
		indent := rapid.SampledFrom([]string{"  ", "", "\t"}).Draw(t, "indent")
		after := "depois: " + emailB + " " + cpfA + " " + plantedSenha + " Maria da Silva"

		tree, err := NewRedactor(red)
		if err != nil {
			t.Fatal(err)
		}
		w := &walker{file: caseWhere, segs: []seg{{key: "request", idx: -1}, {key: "body", idx: -1}}}
		v, err := parseJSON(d, 1)
		if err != nil {
			t.Fatalf("generated text is no JSON: %v\n%s", err, d)
		}
		tree.walk(w, &v, 0)
		want := string(appendJSON(nil, &v, indent, 0))
		wantAfter := tree.Text("after", after)

		stream, err := NewRedactor(red)
		if err != nil {
			t.Fatal(err)
		}
		w = &walker{file: caseWhere, segs: []seg{{key: "request", idx: -1}, {key: "body", idx: -1}}}
		if !oneJSONValue([]byte(d)) {
			t.Fatalf("oneJSONValue refuses what parseJSON reads:\n%s", d)
		}
		alias := rapid.Bool().Draw(t, "alias") // strings read in place, or copied
		out, err := stream.streamJSONTo(w, []byte(d), 1, true, indent, nil, alias, nil)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != want {
			t.Fatalf("input:\n%s\nstreamed:\n%s\ntree:\n%s", d, out, want)
		}
		if got := stream.Text("after", after); got != wantAfter {
			t.Fatalf("text after the body: streamed %q, tree %q", got, wantAfter)
		}
		if gr, wr := stream.Report(), tree.Report(); !reflect.DeepEqual(gr, wr) {
			t.Fatalf("report: streamed %+v, tree %+v\ninput:\n%s", gr, wr, d)
		}

		// Scan, the tree against the stream, over the input (which holds what is in clear).
		scanOf := func(streamed bool) []Finding {
			rd, err := NewRedactor(red)
			if err != nil {
				t.Fatal(err)
			}
			rd.scan = &scanState{file: "x.json", findings: []Finding{}}
			w := &walker{file: "x.json"}
			if streamed {
				if _, err := rd.streamJSONTo(w, []byte(d), 3, false, "", nil, true, nil); err != nil {
					t.Fatal(err)
				}
			} else {
				v, _ := parseJSON(d, 3)
				rd.walk(w, &v, 0)
			}
			return rd.scan.findings
		}
		if gs, ws := scanOf(true), scanOf(false); !reflect.DeepEqual(gs, ws) {
			t.Fatalf("findings: streamed %v, tree %v\ninput:\n%s", gs, ws, d)
		}
	})
}

// TestOneJSONValueIsParseJSON: the check made before streaming accepts exactly what parseJSON
// reads, so that a text that is not JSON is masked as text, as it was.
func TestOneJSONValueIsParseJSON(t *testing.T) {
	for _, d := range []string{`{}`, `[]`, `{"a": 1}`, `{"a": 1, "a": 2}`, "{\"a\": \"\xff\"}", `{"a": 1} x`, `{"a": 1}{}`,
		`{"a": }`, `[1, 2`, `{"a": 01}`, `[1,]`, `{'a': 1}`, "[\"\t\"]", `[1] `, ` [1]`, `[NaN]`, `{"a":"\ud800"}`} {
		_, err := parseJSON(d, 1)
		if got := oneJSONValue([]byte(d)); got != (err == nil) {
			t.Errorf("%q: oneJSONValue %v, parseJSON error %v", d, got, err)
		}
	}
}

// TestScanFindsEveryKeyLeak: a key that holds personal data is found wherever it recurs, each
// time on its own line, however often the clean keys beside it are passed over.
func TestScanFindsEveryKeyLeak(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range 5 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{\"id\": 1, \"cliente " + cpfA + "\": 2, \"obs\": \"ok\"}")
	}
	b.WriteString("\n]")
	fs, err := Scan(defaultRedaction(t), "x.json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{{"x.json", 2, "cpf"}, {"x.json", 3, "cpf"}, {"x.json", 4, "cpf"}, {"x.json", 5, "cpf"}, {"x.json", 6, "cpf"}}
	if !reflect.DeepEqual(fs, want) {
		t.Fatalf("findings %v, want %v", fs, want)
	}
}
