package brdoc

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestValidCPF(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"punctuated", "529.982.247-25", true},
		{"bare", "52998224725", true},
		{"punctuated 2", "111.444.777-35", true},
		{"bare 2", "11144477735", true},
		{"made", "123.456.789-09", true},
		{"first DV wrong", "529.982.247-35", false},
		{"second DV wrong", "529.982.247-26", false},
		{"bare DV wrong", "52998224724", false},
		{"digits swapped", "259.982.247-25", false},
		{"all zero", "000.000.000-00", false},
		{"all one", "111.111.111-11", false},
		{"all nine bare", "99999999999", false},
		{"partial punctuation", "529982247-25", false},
		{"partial punctuation 2", "529.982.24725", false},
		{"wrong separators", "529-982-247.25", false},
		{"slash", "529.982.247/25", false},
		{"spaces", "529 982 247 25", false},
		{"leading space", " 52998224725", false},
		{"trailing newline", "52998224725\n", false},
		{"10 digits", "5299822472", false},
		{"12 digits", "529982247250", false},
		{"letters", "52998224A25", false},
		{"fullwidth digit", "５2998224725", false},
		{"CNPJ", "11222333000181", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidCPF(tt.in); got != tt.want {
				t.Errorf("ValidCPF(%q) = %v, want %v", tt.in, got, tt.want)
			}
			d, ok := NormalizeCPF(tt.in)
			if ok != tt.want {
				t.Errorf("NormalizeCPF(%q) ok = %v, want %v", tt.in, ok, tt.want)
			}
			if want := stripPunct(tt.in); ok && d != want {
				t.Errorf("NormalizeCPF(%q) = %q, want %q", tt.in, d, want)
			}
			if !ok && d != "" {
				t.Errorf("NormalizeCPF(%q) = %q on failure", tt.in, d)
			}
		})
	}
}

func TestValidCNPJ(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
		norm string
	}{
		{"punctuated", "11.222.333/0001-81", true, "11222333000181"},
		{"bare", "11222333000181", true, "11222333000181"},
		{"punctuated 2", "11.444.777/0001-61", true, "11444777000161"},
		{"punctuated 3", "12.345.678/0001-95", true, "12345678000195"},
		{"alphanumeric official", "12.ABC.345/01DE-35", true, "12ABC34501DE35"},
		{"alphanumeric bare", "12ABC34501DE35", true, "12ABC34501DE35"},
		{"alphanumeric lower", "12.abc.345/01de-35", true, "12ABC34501DE35"},
		{"alphanumeric mixed case", "12aBc34501dE35", true, "12ABC34501DE35"},
		{"alphanumeric first DV changed", "12.ABC.345/01DE-45", false, ""},
		{"alphanumeric second DV changed", "12.ABC.345/01DE-36", false, ""},
		{"alphanumeric letter changed", "12.ABD.345/01DE-35", false, ""},
		{"letter as DV", "12.ABC.345/01DE-3A", false, ""},
		{"DV wrong", "11.222.333/0001-82", false, ""},
		{"bare DV wrong", "11222333000180", false, ""},
		{"all zero", "00.000.000/0000-00", false, ""},
		{"all zero bare", "00000000000000", false, ""},
		{"all one", "11111111111111", false, ""},
		{"partial punctuation", "11222333/0001-81", false, ""},
		{"wrong separators", "11.222.333-0001/81", false, ""},
		{"spaces", "11 222 333 0001 81", false, ""},
		{"13 chars", "1122233300018", false, ""},
		{"15 chars", "112223330001810", false, ""},
		{"symbol", "11222333000#81", false, ""},
		{"non-ASCII letter", "12.ÁBC.345/01DE-35", false, ""},
		{"CPF", "52998224725", false, ""},
		{"empty", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidCNPJ(tt.in); got != tt.want {
				t.Errorf("ValidCNPJ(%q) = %v, want %v", tt.in, got, tt.want)
			}
			got, ok := NormalizeCNPJ(tt.in)
			if ok != tt.want || got != tt.norm {
				t.Errorf("NormalizeCNPJ(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.norm, tt.want)
			}
		})
	}
}

func TestMake(t *testing.T) {
	cpf := []struct{ in, want string }{
		{"529982247", "52998224725"},
		{"111444777", "11144477735"},
		{"123456789", "12345678909"},
		{"000000000", ""}, // 00000000000 is rejected by ValidCPF
		{"777777777", ""},
		{"12345678", ""},
		{"1234567890", ""},
		{"12345678a", ""},
		{"123.456.7", ""},
		{"", ""},
	}
	for _, tt := range cpf {
		if got := MakeCPF(tt.in); got != tt.want {
			t.Errorf("MakeCPF(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	cnpj := []struct{ in, want string }{
		{"112223330001", "11222333000181"},
		{"114447770001", "11444777000161"},
		{"12ABC34501DE", "12ABC34501DE35"},
		{"12abc34501de", "12ABC34501DE35"},
		{"000000000000", ""},
		{"12ABC34501D", ""},
		{"12ABC34501DE3", ""},
		{"12ABC-4501DE", ""},
		{"", ""},
	}
	for _, tt := range cnpj {
		if got := MakeCNPJ(tt.in); got != tt.want {
			t.Errorf("MakeCNPJ(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Every generated number validates, in both shapes.
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		c := MakeCPF(randString(r, "0123456789", 9))
		if c != "" && (!ValidCPF(c) || !ValidCPF(punctCPF(c))) {
			t.Fatalf("MakeCPF gave %q, which does not validate", c)
		}
		j := MakeCNPJ(randString(r, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 12))
		if j == "" || !ValidCNPJ(j) || !ValidCNPJ(punctCNPJ(j)) {
			t.Fatalf("MakeCNPJ gave %q, which does not validate", j)
		}
		if j != refMakeCNPJ(j[:12]) {
			t.Fatalf("MakeCNPJ gave %q, reference gives %q", j, refMakeCNPJ(j[:12]))
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{CPF: "CPF", CNPJ: "CNPJ", 0: "Kind(0)", 9: "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestFindAllJSON(t *testing.T) {
	const text = `{"cliente":{"nome":"Fulana de Tal","cpf":"529.982.247-25",` +
		`"telefone":"+55 11 98765-4321","celular":"11987654320"},` +
		`"empresa":{"cnpj":"11222333000181","pedido":"11222333000182"},` +
		`"valor":"R$ 1.234.567,89","total":123456.78,"protocolo":12345678901,` +
		`"fornecedor":"12.ABC.345/01DE-35","ref":"X52998224725","lote":"5299822472511"}`
	at := func(doc string, k Kind) Match {
		i := strings.Index(text, doc)
		if i < 0 || strings.Count(text, doc) != 1 {
			t.Fatalf("fixture %q not found exactly once", doc)
		}
		return Match{Start: i, End: i + len(doc), Kind: k}
	}
	want := []Match{
		at("529.982.247-25", CPF),
		at("11222333000181", CNPJ),
		at("12.ABC.345/01DE-35", CNPJ),
	}
	if want[0].Start != 42 || want[1].Start != 133 || want[2].Start != 258 { // the fixture's offsets, spelled out
		t.Fatalf("fixture offsets moved: %v", want)
	}
	// The fixture's decoys really are wrong, so that the test shows the check digits at work.
	for _, decoy := range []string{"11987654320", "11222333000182", "12345678901"} {
		if ValidCPF(decoy) || ValidCNPJ(decoy) {
			t.Fatalf("decoy %q is a valid document", decoy)
		}
	}
	if got := FindAll(text); !slices.Equal(got, want) {
		t.Errorf("FindAll = %v, want %v", got, want)
	}
}

func TestFindAll(t *testing.T) {
	const cpf, cpfP = "52998224725", "529.982.247-25"
	const cnpj, cnpjP = "11222333000181", "11.222.333/0001-81"
	type m = Match
	tests := []struct {
		name string
		in   string
		want []Match
	}{
		{"empty", "", nil},
		{"nothing", "no documents here, 123 456", nil},
		{"bare CPF alone", cpf, []m{{0, 11, CPF}}},
		{"punctuated CPF alone", cpfP, []m{{0, 14, CPF}}},
		{"bare CNPJ alone", cnpj, []m{{0, 14, CNPJ}}},
		{"punctuated CNPJ alone", cnpjP, []m{{0, 18, CNPJ}}},
		{"lower-case alphanumeric CNPJ", "x 12abc34501de35 y", []m{{2, 16, CNPJ}}},
		{"in a sentence", "CPF: " + cpf + ". CNPJ " + cnpjP + "!", []m{{5, 16, CPF}, {23, 41, CNPJ}}},
		{"adjacent, space separated", cpf + " " + cpf, []m{{0, 11, CPF}, {12, 23, CPF}}},
		{"comma separated", cpfP + "," + cnpj, []m{{0, 14, CPF}, {15, 29, CNPJ}}},
		{"invalid DV", "52998224726 and 11.222.333/0001-80", nil},
		{"same digits", "11111111111 00.000.000/0000-00", nil},
		{"inside longer digit run", "1" + cpf, nil},
		{"followed by digit", cpf + "0", nil},
		{"glued letter before", "a" + cpf, nil},
		{"glued letter after", cpf + "x", nil},
		{"glued to punctuated", "X" + cpfP, nil},
		{"punctuated glued after", cnpjP + "9", nil},
		{"13 digits", "5299822472511", nil},
		{"15 chars", "A" + cnpj, nil},
		{"partial punctuation", "529982247-25 11222333/0001-81", nil},
		{"dot before is a separator", "1." + cpfP, []m{{2, 16, CPF}}},
		{"URL query", "/v1/clientes?cpf=" + cpf + "&x=1", []m{{17, 28, CPF}}},
		{"non-ASCII before", "nº" + cpf, []m{{3, 14, CPF}}},
		{"invalid UTF-8 around", "\xff" + cpf + "\xfe\x80", []m{{1, 12, CPF}}},
		{"JSON \\n before", `"obs":"linha\n` + cpf + `"`, []m{{14, 25, CPF}}},
		{"JSON \\t before punctuated", `\t` + cnpjP, []m{{2, 20, CNPJ}}},
		{"JSON \\u00a0 before", `\u00a0` + cpf, []m{{6, 17, CPF}}},
		{"JSON \\u escaped digit before", `\u0031` + cpf, nil},
		{"JSON \\u escaped letter after", cpf + `\u0041`, nil},
		{"JSON \\u escaped space after", cpf + `\u0020`, []m{{0, 11, CPF}}},
		{"URL %20 before", "nome%3DX%20" + cpf, []m{{11, 22, CPF}}},
		{"URL %3D before", "cpf%3D" + cpf, []m{{6, 17, CPF}}},
		{"URL escaped digit before", "%31" + cpf, nil},
		{"URL escaped letter after", cpf + "%41", nil},
		{"URL escape after", cpf + "%26", []m{{0, 11, CPF}}},
		{"dangling escapes", cpf + `\u00` + " %4 \\", []m{{0, 11, CPF}}},
		{"escaped slash in CNPJ is not found", `11.222.333\/0001-81`, nil},
		{"phone numbers", "+55 (11) 98765-4321, 0800 123 4567, 5511987654321", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindAll(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindAll(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if ref := refFindAll(tt.in); !slices.Equal(got, ref) {
				t.Errorf("FindAll(%q) = %v, reference = %v", tt.in, got, ref)
			}
		})
	}
}

// TestFindAllRandom compares FindAll with the naive reference on text dense in documents,
// digits and escapes.
func TestFindAllRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		s := randText(r, 1+r.IntN(80))
		got, ref := FindAll(s), refFindAll(s)
		if !slices.Equal(got, ref) {
			t.Fatalf("FindAll(%q) = %v, reference = %v", s, got, ref)
		}
	}
}

func FuzzFindAll(f *testing.F) {
	for _, s := range []string{
		"", "52998224725", "529.982.247-25", "11.222.333/0001-81", "12.abc.345/01de-35",
		`{"cpf":"529.982.247-25","cnpj":"11222333000181","tel":"+55 11 98765-4321"}`,
		"1.529.982.247-25.", `\n52998224725\u0041`, "%2011222333000181%20", "\xff52998224725\xfe",
		"111.111.111-11 12345678901 5299822472511",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := FindAll(s)
		end := 0
		for _, m := range got {
			if m.Start < end || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("FindAll(%q): bad or overlapping match %v", s, m)
			}
			end = m.End
			doc := s[m.Start:m.End]
			switch m.Kind {
			case CPF:
				if !ValidCPF(doc) {
					t.Fatalf("FindAll(%q): CPF match %q does not validate", s, doc)
				}
			case CNPJ:
				if !ValidCNPJ(doc) {
					t.Fatalf("FindAll(%q): CNPJ match %q does not validate", s, doc)
				}
			default:
				t.Fatalf("FindAll(%q): match %v has kind %v", s, m, m.Kind)
			}
		}
		if ref := refFindAll(s); !slices.Equal(got, ref) {
			t.Fatalf("FindAll(%q) = %v, reference = %v", s, got, ref)
		}
	})
}

func FuzzValidCNPJ(f *testing.F) {
	for _, s := range []string{
		"11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35", "12abc34501de35",
		"00.000.000/0000-00", "12.ABC.345/01DE-3A", "11.222.333-0001/81", "12.ÁBC.345/01DE-35",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := ValidCNPJ(s)
		norm, ok := NormalizeCNPJ(s)
		if ok != valid {
			t.Fatalf("ValidCNPJ(%q) = %v but NormalizeCNPJ ok = %v", s, valid, ok)
		}
		if want := refValidCNPJ(s); valid != want {
			t.Fatalf("ValidCNPJ(%q) = %v, reference = %v", s, valid, want)
		}
		if !valid {
			if norm != "" {
				t.Fatalf("NormalizeCNPJ(%q) = %q on failure", s, norm)
			}
			return
		}
		if norm != strings.ToUpper(stripPunct(s)) || !ValidCNPJ(norm) || MakeCNPJ(norm[:12]) != norm {
			t.Fatalf("NormalizeCNPJ(%q) = %q, inconsistent", s, norm)
		}
		if got, want := FindAll(s), []Match{{0, len(s), CNPJ}}; !slices.Equal(got, want) {
			t.Fatalf("FindAll(%q) = %v, want %v", s, got, want)
		}
	})
}

func BenchmarkFindAll1MB(b *testing.B) {
	text, docs := benchText(1 << 20)
	if got := len(FindAll(text)); got != docs {
		b.Fatalf("FindAll found %d documents, want %d", got, docs)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		FindAll(text)
	}
}

// benchText builds about size bytes of JSON-ish records: names, phones, amounts, ids, free
// text, and a valid CPF or CNPJ in roughly one record in four. It returns the text and the
// number of documents in it.
func benchText(size int) (string, int) {
	r := rand.New(rand.NewPCG(5, 6))
	var sb strings.Builder
	docs := 0
	for sb.Len() < size {
		sb.WriteString(`{"id":"`)
		sb.WriteString(randString(r, "0123456789abcdef", 32))
		sb.WriteString(`","nome":"Cliente `)
		sb.WriteString(strconv.Itoa(r.IntN(100000)))
		sb.WriteString(`","telefone":"+55 11 9`)
		sb.WriteString(randString(r, "0123456789", 4) + "-" + randString(r, "0123456789", 4))
		sb.WriteString(`","valor":`)
		sb.WriteString(strconv.FormatFloat(r.Float64()*1e6, 'f', 2, 64))
		sb.WriteString(`,"pedido":`)
		c := randCPF(r) // an 11-digit number with a wrong second check digit
		sb.WriteString(c[:10] + string('0'+(c[10]-'0'+1)%10))
		sb.WriteString(`,"obs":"entrega agendada para 2026-07-01, protocolo 2026/000123\n`)
		switch r.IntN(8) {
		case 0:
			sb.WriteString("cpf " + punctCPF(randCPF(r)))
			docs++
		case 1:
			sb.WriteString("cpf " + randCPF(r))
			docs++
		case 2:
			sb.WriteString("cnpj " + punctCNPJ(MakeCNPJ(randString(r, "0123456789ABCDEFGHIJ", 12))))
			docs++
		}
		sb.WriteString("\"},\n")
	}
	return sb.String(), docs
}

// refFindAll is a naive reference for FindAll: at every position not glued to what precedes
// it, try each shape with the validators, leftmost first.
func refFindAll(s string) []Match {
	var out []Match
	shapes := []struct {
		n    int
		kind Kind
	}{{11, CPF}, {14, CPF}, {14, CNPJ}, {18, CNPJ}}
	for i := 0; i < len(s); i++ {
		if !refLeftSep(s, i) {
			continue
		}
		for _, sh := range shapes {
			j := i + sh.n
			if j > len(s) || !refRightSep(s, j) {
				continue
			}
			ok := ValidCPF(s[i:j])
			if sh.kind == CNPJ {
				ok = ValidCNPJ(s[i:j])
			}
			if ok {
				out = append(out, Match{i, j, sh.kind})
				i = j - 1
				break
			}
		}
	}
	return out
}

func refAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// refUnescaped reports whether hex decodes to a code point that is not an ASCII letter/digit.
func refUnescaped(hex string) bool {
	v, err := strconv.ParseUint(hex, 16, 32)
	return err == nil && !(v < 0x80 && refAlnum(byte(v)))
}

func refLeftSep(s string, i int) bool {
	switch {
	case i == 0 || !refAlnum(s[i-1]):
		return true
	case i >= 2 && s[i-2] == '\\' && strings.IndexByte("nrtbf", s[i-1]) >= 0:
		return true
	case i >= 3 && s[i-3] == '%' && refUnescaped(s[i-2:i]):
		return true
	case i >= 6 && s[i-6:i-4] == `\u` && refUnescaped(s[i-4:i]):
		return true
	}
	return false
}

func refRightSep(s string, j int) bool {
	switch {
	case j == len(s):
		return true
	case refAlnum(s[j]):
		return false
	case s[j] == '%' && j+3 <= len(s) && isHexString(s[j+1:j+3]):
		return refUnescaped(s[j+1 : j+3])
	case strings.HasPrefix(s[j:], `\u`) && j+6 <= len(s) && isHexString(s[j+2:j+6]):
		return refUnescaped(s[j+2 : j+6])
	}
	return true
}

func isHexString(s string) bool {
	for _, c := range []byte(s) {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
			return false
		}
	}
	return true
}

// refValidCNPJ is a plain transcription of the CNPJ rule, for the fuzz target.
func refValidCNPJ(s string) bool {
	switch {
	case len(s) == 18 && s[2] == '.' && s[6] == '.' && s[10] == '/' && s[15] == '-':
		s = s[:2] + s[3:6] + s[7:10] + s[11:15] + s[16:]
	case len(s) != 14:
		return false
	}
	u := strings.ToUpper(s)
	if strings.Count(u, u[:1]) == 14 {
		return false
	}
	for i := range 14 {
		c := u[i]
		if !('0' <= c && c <= '9' || i < 12 && 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return refMakeCNPJ(u[:12]) == u
}

func refMakeCNPJ(base string) string {
	w1 := []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	w2 := []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	digit := func(s string, w []int) string {
		sum := 0
		for i := range len(s) {
			sum += (int(s[i]) - 48) * w[i]
		}
		if sum%11 < 2 {
			return "0"
		}
		return strconv.Itoa(11 - sum%11)
	}
	base += digit(base, w1)
	return base + digit(base, w2)
}

func stripPunct(s string) string {
	return strings.NewReplacer(".", "", "-", "", "/", "").Replace(s)
}

func punctCPF(d string) string { return d[:3] + "." + d[3:6] + "." + d[6:9] + "-" + d[9:] }

func punctCNPJ(d string) string {
	return d[:2] + "." + d[2:5] + "." + d[5:8] + "/" + d[8:12] + "-" + d[12:]
}

func randString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func randCPF(r *rand.Rand) string {
	for {
		if c := MakeCPF(randString(r, "0123456789", 9)); c != "" {
			return c
		}
	}
}

// randText is short text built from pieces likely to exercise FindAll's edges.
func randText(r *rand.Rand, n int) string {
	pieces := []string{
		"0", "1", "9", "a", "Z", "x", ".", "-", "/", " ", "\\", "n", "u", "%", "2", "0", "4",
		`\n`, `\u0020`, `\u0041`, "%20", "%41", "\xff", "é", `"`,
		"52998224725", "529.982.247-25", "11222333000181", "11.222.333/0001-81",
		"12abc34501de35", "12.ABC.345/01DE-35", "5299822472", "1122233300018",
	}
	var sb strings.Builder
	for sb.Len() < n {
		sb.WriteString(pieces[r.IntN(len(pieces))])
	}
	return sb.String()
}

// TestCheck: the shape and the digits are told apart, in every shape a partner writes.
func TestCheck(t *testing.T) {
	cpf := MakeCPF("529982247")
	bad := cpf[:10] + string('0'+(cpf[10]-'0'+1)%10)
	for _, tc := range []struct {
		s    string
		want Problem
	}{
		{cpf, OK},
		{punctCPF(cpf), OK},
		{cpf[:9] + "-" + cpf[9:], Shape},
		{cpf[:3] + " " + cpf[3:6] + " " + cpf[6:9] + " " + cpf[9:], Shape},
		{" " + cpf, Shape},
		{cpf[:3] + "." + cpf[3:6] + "." + cpf[6:9] + "." + cpf[9:], Shape},
		{cpf[:3] + "/" + cpf[3:], Shape},
		{bad, CheckDigits},
		{bad[:9] + "-" + bad[9:], CheckDigits},
		{"111.111.111-11", CheckDigits},
		{cpf[:10], Length},
		{cpf + "0", Length},
		{"", Length},
		{cpf[:5] + "x" + cpf[5:], Characters},
		{"５２９９８２２４７２５", Characters}, // full-width digits are not digits the API reads
	} {
		if got := CheckCPF(tc.s); got != tc.want {
			t.Errorf("CheckCPF(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
	cnpj := MakeCNPJ("112223330001")
	alnum := MakeCNPJ("12ABC34501DE")
	for _, tc := range []struct {
		s    string
		want Problem
	}{
		{cnpj, OK},
		{punctCNPJ(cnpj), OK},
		{punctCNPJ(alnum), OK},
		{cnpj[:8] + "/" + cnpj[8:12] + "-" + cnpj[12:], Shape},
		{cnpj[:2] + " " + cnpj[2:5] + " " + cnpj[5:8] + " " + cnpj[8:12] + " " + cnpj[12:], Shape},
		{cnpj[:12] + "00", CheckDigits},
		{"00.000.000/0000-00", CheckDigits},
		{cnpj[:13], Length},
		{cnpj[:12] + "A1", Characters},
		{cnpj[:4] + "*" + cnpj[4:], Characters},
	} {
		if got := CheckCNPJ(tc.s); got != tc.want {
			t.Errorf("CheckCNPJ(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

// FuzzCheckCPF: Check agrees with Valid on what is OK, and a Shape problem always hides a
// valid document once the separators are gone (CPF and CNPJ alike).
func FuzzCheckCPF(f *testing.F) {
	for _, s := range []string{"529982247-25", "529 982 247 25", "529.982.247-25", "52998224725", "x", "", "11222333/0001-81", "12.abc.345/01de-35"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := CheckCPF(s)
		if (p == OK) != ValidCPF(s) {
			t.Fatalf("CheckCPF(%q) = %d but ValidCPF = %v", s, p, ValidCPF(s))
		}
		if p == Shape && !ValidCPF(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)) {
			t.Fatalf("CheckCPF(%q) = Shape, but its digits are not a valid CPF", s)
		}
		q := CheckCNPJ(s)
		if (q == OK) != ValidCNPJ(s) {
			t.Fatalf("CheckCNPJ(%q) = %d but ValidCNPJ = %v", s, q, ValidCNPJ(s))
		}
		if q == Shape && !ValidCNPJ(strings.Map(func(r rune) rune {
			if r < 0x80 && isAlnum(byte(r)) {
				return r
			}
			return -1
		}, s)) {
			t.Fatalf("CheckCNPJ(%q) = Shape, but its characters are not a valid CNPJ", s)
		}
	})
}
