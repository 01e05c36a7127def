package sensitive

import (
	"reflect"
	"testing"
)

func testPolicy() *Policy {
	return New(Config{
		SecretWords:    []string{"senha", "password", "pwd", "pass", "secret", "token", "key", "pin", "otp", "auth*", "credential*", "credencia*", "cookie", "session", "apikey"},
		SafeHeaders:    []string{"Content-Type", "Accept", "User-Agent", "Sec-Fetch-Mode"},
		PersonalFields: []string{"cliente.nome", "cliente.nascimento", "endereco.*"},
		ReadableFields: []string{"endereco.cidadeId"},
	})
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"X-Client-Secret", []string{"x", "client", "secret"}},
		{"senhaAtual", []string{"senha", "atual"}},
		{"confirmaçãoSenha", []string{"confirmacao", "senha"}},
		{"HTTPAuthToken", []string{"http", "auth", "token"}},
		{"refresh_token", []string{"refresh", "token"}},
		{"pwd2", []string{"pwd"}},
		{"Ocp-Apim-Subscription-Key", []string{"ocp", "apim", "subscription", "key"}},
	} {
		if got := Words(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSecretName(t *testing.T) {
	p := testPolicy()
	for _, name := range []string{"senha", "senhaAtual", "novaSenha", "confirmacaoSenha", "pwd", "pass", "pin", "otp",
		"clientSecret", "refreshToken", "idToken", "apiKey", "api_key", "APIKEY", "Authorisation", "x-auth-token", "SENHA_ATUAL", "CredenciaisAcesso"} {
		if !p.SecretName(name) {
			t.Errorf("%q is not taken for a secret", name)
		}
	}
	for _, name := range []string{"cpf", "valorSolicitado", "produtoId", "passo", "keyboardLayout", "pinguim", "url", "tabelaJuros"} {
		if p.SecretName(name) {
			t.Errorf("%q is taken for a secret", name)
		}
	}
	// auth* is a prefix on purpose: every spelling of Authorization is a secret, and so is
	// "author", a price paid for never missing a misspelt credential header.
	if !p.SecretName("author") {
		t.Error("auth* should match author (documented price)")
	}
}

func TestSecretHeader(t *testing.T) {
	p := testPolicy()
	for _, h := range []string{"Authorization", "X-Access-Token", "X-Session-Token", "Ocp-Apim-Subscription-Key", "X-Custom-Thing", "Authorisation"} {
		if !p.SecretHeader(h) {
			t.Errorf("header %q is not masked", h)
		}
	}
	for _, h := range []string{"content-type", "Accept", "User-Agent"} {
		if p.SecretHeader(h) {
			t.Errorf("header %q is masked", h)
		}
	}
	if p.KnownSecretHeader("Erro") || !p.KnownSecretHeader("X-Access-Token") {
		t.Error("KnownSecretHeader decides by the vocabulary only")
	}
}

func TestPersonalPath(t *testing.T) {
	p := testPolicy()
	for _, tc := range []struct {
		keys []string
		want bool
	}{
		{[]string{"cliente", "nome"}, true},
		{[]string{"request", "body", "cliente", "nome"}, true},
		{[]string{"Cliente", "Nome"}, true},
		{[]string{"produto", "nome"}, false},
		{[]string{"endereco", "logradouro"}, true},
		{[]string{"endereço", "cep"}, true},
		{[]string{"endereco", "cidadeId"}, false},
		{[]string{"endereco"}, false},
		{[]string{"cliente", "nascimento"}, true},
	} {
		if got := p.PersonalPath(tc.keys); got != tc.want {
			t.Errorf("PersonalPath(%q) = %v, want %v", tc.keys, got, tc.want)
		}
	}
}

func TestPersonalPathSpellings(t *testing.T) {
	p := New(Config{PersonalFields: []string{"dataNascimento", "endereco*.*", "cliente.nome*"}, ReadableFields: []string{"endereco*.cidadeId"}})
	for _, tc := range []struct {
		keys []string
		want bool
	}{
		{[]string{"cliente", "data_nascimento"}, true},
		{[]string{"data-nascimento"}, true},
		{[]string{"enderecoResidencial", "logradouro"}, true},
		{[]string{"enderecoResidencial", "cidade_id"}, false},
		{[]string{"cliente", "nome_completo"}, true},
		{[]string{"produto", "nome"}, false},
	} {
		if got := p.PersonalPath(tc.keys); got != tc.want {
			t.Errorf("PersonalPath(%q) = %v, want %v", tc.keys, got, tc.want)
		}
	}
}

// PersonalPath remembers its answers for a batch; a key that holds the join separator must
// not make a personal path answer "not personal" from the memory of another path.
func TestPersonalPathMemoryCannotBeForged(t *testing.T) {
	p := New(Config{PersonalFields: []string{"cliente.nome", "endereco*.*"}})
	for range 3 { // the second and third rounds answer from memory
		for _, tc := range []struct {
			keys []string
			want bool
		}{
			{[]string{"cliente\x00nome"}, false},
			{[]string{"cliente", "nome"}, true},
			{[]string{"x", "enderecoEntrega\x00rua"}, false},
			{[]string{"x", "enderecoEntrega", "rua"}, true},
			{[]string{"produto", "nome"}, false},
		} {
			if got := p.PersonalPath(tc.keys); got != tc.want {
				t.Errorf("PersonalPath(%q) = %v, want %v", tc.keys, got, tc.want)
			}
		}
	}
}
