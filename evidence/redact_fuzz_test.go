package evidence

import (
	"testing"

	"github.com/crefazon/triagem/internal/brdoc"
)

// FuzzText: Text never panics, what it returns holds no valid CPF or CNPJ (as brdoc finds
// them), Scan finds nothing in it, and masking it again changes nothing.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"CPF " + cpfA + " inválido", cpfABare, cpfBDots, cnpj, cnpjBare, cnpjAlnu, "12abc34501de35",
		emailA + " " + phoneFmt + " " + phoneInt + " " + phoneRaw,
		"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
		"x@mail.com" + cpfABare, "a@" + cpfABare + ".com", "[cpf#1 …@" + cpfA + "]", "[email#1 …@11987654321.com]",
		`{\"cpf\":\"` + cpfABare + `\"}`, "\\n" + cpfABare, "%20" + cpfABare, "\\u0031" + cpfABare,
		"plantedSenha=abc&token=eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.", "Cookie: a=b; c=d", "Bearer abcdefghijkl",
		"valor 1500.00 proposta 981 cidade 5270 exp 1795045200", "e-e-e-eyJ.eyJ.", "", "senhA=!token=00000000000000000000000000",
	} {
		f.Add(s)
	}
	red := defaultRedaction(f)
	f.Fuzz(func(t *testing.T, s string) {
		rd, err := NewRedactor(red)
		if err != nil {
			t.Fatal(err)
		}
		out := rd.Text("fuzz", s)
		if ms := brdoc.FindAll(out); ms != nil {
			t.Fatalf("Text(%q) = %q holds a valid %v", s, out, ms[0].Kind)
		}
		fs, err := Scan(red, "fuzz.txt", []byte(out))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) > 0 {
			t.Fatalf("Text(%q) = %q: Scan finds %v", s, out, fs)
		}
		again, err := NewRedactor(red)
		if err != nil {
			t.Fatal(err)
		}
		if o2 := again.Text("fuzz", out); o2 != out {
			t.Fatalf("Text(%q) = %q, and again %q", s, out, o2)
		}
	})
}
