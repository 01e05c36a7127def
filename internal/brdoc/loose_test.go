package brdoc

import "testing"

func TestFindLoose(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // the text of the match, "" for none
		kind Kind
	}{
		{"cpf 529 982 247 25 ok", "529 982 247 25", CPF},
		{"529982247-25", "529982247-25", CPF},
		{"cpf52998224725", "52998224725", CPF},
		{"a\u00a0529\u00a0982\u00a0247\u00a025", "529\u00a0982\u00a0247\u00a025", CPF},
		{"11 222 333 0001 81", "11 222 333 0001 81", CNPJ},
		{"11.222.333 0001-81", "11.222.333 0001-81", CNPJ},
		{"id 1234567890 valor 1500", "", 0},
		{"529982247250", "", 0},        // glued to another digit
		{"529 982 247 26", "", 0},      // check digits do not add up
		{"2026-11-18 10:15:00", "", 0}, // a time
	} {
		ms := FindLoose(tc.in)
		got := ""
		var kind Kind
		if len(ms) > 0 {
			got, kind = tc.in[ms[0].Start:ms[0].End], ms[0].Kind
		}
		if got != tc.want || kind != tc.kind {
			t.Errorf("FindLoose(%q) = %q %v, want %q %v", tc.in, got, kind, tc.want, tc.kind)
		}
	}
}

func TestFindPhones(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"ligue +5511987654321 hoje", "+5511987654321"},
		{"(11) 9 8765-4321", "(11) 9 8765-4321"},
		{"tel: (11) 98765-4321.", "(11) 98765-4321"},
		{"011 98765-4321", "011 98765-4321"},
		{"cel 98765-4321", "98765-4321"},
		{"11\u00a098765\u00a04321", "11\u00a098765\u00a04321"},
		{"+55 11 98765 4321", "+55 11 98765 4321"},
		{"11987654321", "11987654321"},
		{"fixo 11 3456-7890", "11 3456-7890"},
		{"proposta 1234567890", ""},
		{"/api/v2/propostas/11987654321/documento", ""},
		{"valor 1500.00 prazo 24", ""},
		{"2026-11-18 10:15:00", ""},
		{"18/11/2026", ""},
		{"cep 01310-100", ""},
		{"ip 192.168.0.10", ""},
		{"protocolo 20261120001234", ""},
		{"abc11987654321", ""},
	} {
		ms := FindPhones(tc.in)
		got := ""
		if len(ms) > 0 {
			got = tc.in[ms[0].Start:ms[0].End]
		}
		if got != tc.want {
			t.Errorf("FindPhones(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzFindPhones(f *testing.F) {
	for _, s := range []string{"(11) 9 8765-4321", "+55 11", "((((1", "1-2-3-4-5", "98765-4321 9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range FindPhones(s) {
			if m.Start < last || m.End <= m.Start || m.End > len(s) {
				t.Fatalf("bad span %+v in %q", m, s)
			}
			last = m.End
		}
		for _, m := range FindLoose(s) {
			if m.End > len(s) || m.Start >= m.End {
				t.Fatalf("bad match %+v in %q", m, s)
			}
		}
	})
}
