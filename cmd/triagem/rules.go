package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

func (a *app) newRulesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "rules",
		Short: a.T("Mostra as regras em vigor, ou confere o arquivo de regras de uma equipe",
			"Show the effective rules, or check a team's rules file"),
		Long: a.T(`As regras guardam tudo o que uma equipe de suporte pode adaptar sem mudar o triagem:
hosts, versões da API, produtos, rotas e os esquemas dos seus payloads, horário comercial,
feriados, janelas de rotinas, validade do token, mensagens de erro conhecidas, respostas e
links da documentação.

Comece o arquivo da equipe a partir do padrão (triagem rules show > rules.yaml), edite-o,
confira-o (triagem rules validate rules.yaml) e use-o com --rules ou TRIAGEM_RULES.`,
			`The rules hold everything a support team may adapt without changing triagem: hosts,
API versions, products, routes and their payload schemas, business hours, holidays, routine
windows, token lifetime, known error messages, replies and documentation links.

Start a team file from the default (triagem rules show > rules.yaml), edit it, check it
(triagem rules validate rules.yaml) and use it with --rules or TRIAGEM_RULES.`),
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: a.T("Mostra as regras em vigor (o padrão embutido, ou --rules)", "Print the effective rules (the embedded default, or --rules)"),
		Long: a.T("Mostra as regras em vigor: como o seu arquivo YAML, ou com -o json como a estrutura carregada.",
			"Print the effective rules: as their YAML file, or with -o json as the loaded structure."),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runRulesShow()
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   a.T("validate ARQUIVO", "validate FILE"),
		Short: a.T("Confere um arquivo de regras e diz onde está cada problema", "Check a rules file and name the place of every problem"),
		Args:  a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runRulesValidate(args[0])
		},
	})
	return cmd
}

func (a *app) runRulesShow() error {
	r, err := a.loadRules()
	if err != nil {
		return err
	}
	if a.output == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	}
	fmt.Fprintf(a.stdout, "# %s\n# sha256 %s\n", a.T("regras em vigor: %s (%s %s)", "effective rules: %s (%s %s)", r.Source(), r.Name, r.Version), r.Hash())
	data := rules.DefaultYAML()
	if a.rulesPath != "" {
		if data, err = a.readFileInput(a.rulesPath, rulesFile); err != nil {
			return err
		}
	}
	_, err = a.stdout.Write(data)
	return err
}

func (a *app) runRulesValidate(path string) error {
	r, err := rules.LoadFile(path)
	if err != nil {
		if ps, ok := err.(rules.Problems); ok {
			for _, p := range ps {
				a.say(p.Text(string(a.language())))
			}
			return &exitError{exitInput, fmt.Errorf("%s", a.T("%s: %d problema(s)", "%s: %d problem(s)", path, len(ps)))}
		}
		return &exitError{exitInput, a.fileError(path, rulesFile, err)}
	}
	fmt.Fprintln(a.stdout, render.WrapText(a.T("%s: ok: %s %s, %d ambientes, %d produtos, %d rotas", "%s: ok: %s %s, %d environments, %d products, %d routes",
		path, r.Name, r.Version, len(r.Environments), len(r.Products), len(r.Routes)), a.screenWidth()))
	return nil
}
