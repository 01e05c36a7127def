package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigPrecedence(t *testing.T) {
	path := writeConfig(t, "lang: en\noutput: json\ndirectory: snapshot.yaml\nsignature: Equipe Parceiros\njournal: diario.db\n")
	dir := filepath.Dir(path)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want map[string]string // name -> value@source
	}{
		{"the file over the defaults", nil, nil, map[string]string{
			"lang": "en@file", "output": "json@file", "directory": filepath.Join(dir, "snapshot.yaml") + "@file",
			"rules": "@default", "signature": "Equipe Parceiros@file", "journal": filepath.Join(dir, "diario.db") + "@file"}},
		{"the environment over the file", nil, map[string]string{"TRIAGEM_LANG": "pt-BR", "TRIAGEM_DIRECTORY": "https://d.example"},
			map[string]string{"lang": "pt-BR@env", "directory": "https://d.example@env", "output": "json@file"}},
		{"a flag over the environment", []string{"--lang", "en", "--rules", "r.yaml"}, map[string]string{"TRIAGEM_LANG": "pt-BR", "TRIAGEM_RULES": "x.yaml"},
			map[string]string{"lang": "en@flag", "rules": "r.yaml@flag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"TRIAGEM_CONFIG": path}
			for k, v := range tt.env {
				env[k] = v
			}
			// The file says output: json, so config answers in JSON.
			code, stdout, stderr := runApp(t, env, append([]string{"config"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			var got struct {
				Exists   bool `json:"file_exists"`
				Settings []setting
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			if !got.Exists {
				t.Error("the file is not seen")
			}
			for _, s := range got.Settings {
				if want, ok := tt.want[s.Name]; ok && s.Value+"@"+s.Source != want {
					t.Errorf("%s: %s@%s, want %s", s.Name, s.Value, s.Source, want)
				}
			}
		})
	}
}

func TestConfigFileApplies(t *testing.T) {
	path := writeConfig(t, "lang: en\noutput: json\n")
	code, stdout, _ := runApp(t, map[string]string{"TRIAGEM_CONFIG": path}, "diagnose", "../../testdata/cases/token-expirado.yaml")
	if code != exitFound || !strings.HasPrefix(stdout, `{"schema":"triagem.verdict/v1"`) || !strings.Contains(stdout, `"lang":"en"`) {
		t.Errorf("the config file's language and output were not used: exit %d\n%s", code, stdout)
	}
	// Its language words the help too.
	_, stdout, _ = runApp(t, map[string]string{"TRIAGEM_CONFIG": path}, "--help")
	if !strings.Contains(stdout, "Usage:") {
		t.Errorf("help not in the config file's language:\n%s", stdout)
	}
}

func TestConfigFileProblemsNameTheirPlace(t *testing.T) {
	tests := []struct{ text, want string }{
		{"lang: en\nouptut: json\n", `config.yaml:2: chave desconhecida "ouptut"`},
		{"output: xml\n", `config.yaml: output: "xml" não é um formato`},
		{"lang: fr\n", `config.yaml: lang: "fr" não é um idioma`},
		{"lang: [en]\n", `config.yaml:1: lang precisa de um valor simples`},
		{"- lang\n", `config.yaml:1: esperava chaves`},
	}
	for _, tt := range tests {
		path := writeConfig(t, tt.text)
		code, _, stderr := runApp(t, map[string]string{"TRIAGEM_CONFIG": path}, "checks")
		if code != exitInput || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d\n%s", tt.text, code, stderr)
		}
	}
	// No file is no problem.
	code, stdout, _ := runApp(t, map[string]string{"TRIAGEM_CONFIG": filepath.Join(t.TempDir(), "none.yaml")}, "config")
	if code != 0 || !strings.Contains(strings.Join(strings.Fields(stdout), " "), "não existe; os padrões valem") {
		t.Errorf("a missing config file: exit %d\n%s", code, stdout)
	}
}
