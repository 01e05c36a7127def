package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/render"
)

// The settings a user may keep in a config file, in the order `triagem config` lists them.
var configKeys = []string{"lang", "directory", "rules", "output", "signature", "journal"}

// fileConfig is the user's config file: <config folder>/triagem/config.yaml (on Linux
// ~/.config/triagem/config.yaml, on Windows %AppData%\triagem\config.yaml), or
// TRIAGEM_CONFIG. A missing file is no error: every setting has its default.
type fileConfig struct {
	path   string
	exists bool
	values map[string]string
}

// configPath is where the config file is looked for.
func (a *app) configPath() string {
	if p := a.getenv("TRIAGEM_CONFIG"); p != "" {
		return p
	}
	if a.configDir == nil {
		return ""
	}
	dir, err := a.configDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "triagem", "config.yaml")
}

// loadConfig reads the config file. Its keys are checked one by one, so that a typo names
// its line; relative paths in it are relative to the file's folder.
func (a *app) loadConfig() (*fileConfig, error) {
	c := &fileConfig{path: a.configPath(), values: map[string]string{}}
	if c.path == "" {
		return c, nil
	}
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, inputError("%s", a.T("arquivo de configuração %s: %s", "config file %s: %s", c.path, a.pathErr(err)))
	}
	c.exists = true
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return c, inputError("%s", a.T("%s: não é YAML válido (%v)", "%s: not valid YAML (%v)", c.path, err))
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return c, inputError("%s", a.T("%s:%d: esperava chaves como lang: en", "%s:%d: expected keys such as lang: en", c.path, root.Line))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(configKeys, k.Value) {
			return c, inputError("%s", a.T("%s:%d: chave desconhecida %q (%s)", "%s:%d: unknown key %q (%s)",
				c.path, k.Line, k.Value, strings.Join(configKeys, ", ")))
		}
		if v.Kind != yaml.ScalarNode {
			return c, inputError("%s", a.T("%s:%d: %s precisa de um valor simples", "%s:%d: %s needs a plain value", c.path, v.Line, k.Value))
		}
		value := v.Value
		if (k.Value == "rules" || k.Value == "directory" || k.Value == "journal") && value != "" && !isURLValue(value) && !filepath.IsAbs(value) {
			value = filepath.Join(filepath.Dir(c.path), value)
		}
		c.values[k.Value] = value
	}
	return c, nil
}

func isURLValue(s string) bool {
	return strings.Contains(s, "://") // https://, http://, postgres://
}

// setting is one effective value and where it came from.
type setting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`         // flag, env, file or default
	From   string `json:"from,omitempty"` // the flag, the variable or the file
}

// settings resolves every setting, in the one order of precedence: flag, environment,
// config file, default.
func (a *app) settings(flags *pflag.FlagSet) []setting {
	type origin struct{ flag, env, def string }
	origins := map[string]origin{
		"lang":      {"lang", "TRIAGEM_LANG", "pt-BR"},
		"directory": {"directory", "TRIAGEM_DIRECTORY", ""},
		"rules":     {"rules", "TRIAGEM_RULES", ""},
		"output":    {"output", "", "table"},
		"signature": {"", "TRIAGEM_SIGNATURE", ""},
		"journal":   {"journal", "TRIAGEM_JOURNAL", ""},
	}
	var out []setting
	for _, name := range configKeys {
		o := origins[name]
		s := setting{Name: name, Value: o.def, Source: "default"}
		switch {
		case o.flag != "" && flags != nil && flags.Changed(o.flag):
			s.Value, s.Source, s.From = flags.Lookup(o.flag).Value.String(), "flag", "--"+o.flag
		case o.env != "" && a.getenv(o.env) != "":
			s.Value, s.Source, s.From = a.getenv(o.env), "env", o.env
		case a.cfg != nil && a.cfg.values[name] != "":
			s.Value, s.Source, s.From = a.cfg.values[name], "file", a.cfg.path
		}
		out = append(out, s)
	}
	return out
}

func (a *app) newConfigCommand() *cobra.Command {
	return &cobra.Command{
		Use: "config",
		Short: a.T("Mostra cada configuração em vigor e de onde ela vem (flag, ambiente, arquivo, padrão)",
			"Show each effective setting and where it comes from (flag, environment, file, default)"),
		Long: a.T(`Mostra cada configuração em vigor (idioma, diretório, regras, formato da saída, assinatura
da equipe) e de onde ela vem. Uma flag vale mais que uma variável de ambiente, que vale mais
que o arquivo de configuração, que vale mais que o padrão.

O arquivo de configuração fica na pasta de configuração do usuário: triagem/config.yaml
(no Linux ~/.config/triagem/config.yaml, no Windows %AppData%\triagem\config.yaml), ou onde
TRIAGEM_CONFIG disser. Exemplo:

  lang: pt-BR
  directory: https://diretorio.exemplo/api
  output: table
  signature: Equipe de Suporte a Parceiros`,
			`Show each effective setting (language, directory, rules, output format, team signature)
and where it comes from. A flag wins over an environment variable, which wins over the config
file, which wins over the default.

The config file is in the user's config folder: triagem/config.yaml (on Linux
~/.config/triagem/config.yaml, on Windows %AppData%\triagem\config.yaml), or where
TRIAGEM_CONFIG says. For example:

  lang: en
  directory: https://directory.example/api
  output: table
  signature: Partner Support Team`),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runConfig(cmd.Root().PersistentFlags())
		},
	}
}

func (a *app) runConfig(flags *pflag.FlagSet) error {
	all := a.settings(flags)
	if a.output == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			File     string    `json:"file"`
			Exists   bool      `json:"file_exists"`
			Settings []setting `json:"settings"`
		}{a.cfg.path, a.cfg.exists, all})
	}
	rows := make([][]string, len(all))
	for i, s := range all {
		value := s.Value
		if value == "" {
			value = "—"
		}
		var source string
		switch s.Source {
		case "flag":
			source = a.T("flag %s", "flag %s", s.From)
		case "env":
			source = a.T("variável %s", "variable %s", s.From)
		case "file":
			source = a.T("arquivo de configuração", "config file") // its path is the last line
		default:
			source = a.T("padrão", "default")
		}
		rows[i] = []string{s.Name, value, source}
	}
	cols := []render.Column{{Header: a.T("Configuração", "Setting")}, {Header: a.T("Valor", "Value"), Wraps: true}, {Header: a.T("Origem", "Source"), Wraps: true}}
	if err := render.Grid(a.stdout, a.screen(), cols, rows); err != nil {
		return err
	}
	var where string
	switch {
	case a.cfg.path == "":
		where = a.T("Arquivo de configuração: nenhum (a pasta de configuração do usuário não é conhecida).",
			"Config file: none (the user's config folder is not known).")
	case a.cfg.exists:
		where = a.T("Arquivo de configuração: %s", "Config file: %s", a.cfg.path)
	default:
		where = a.T("Arquivo de configuração: %s (não existe; os padrões valem)", "Config file: %s (does not exist; the defaults hold)", a.cfg.path)
	}
	_, err := fmt.Fprintln(a.stdout, render.WrapText(where, a.screenWidth()))
	return err
}
