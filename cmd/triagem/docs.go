package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/render"
)

func (a *app) newDocsCommand() *cobra.Command {
	return &cobra.Command{
		Use: a.T("docs [PALAVRAS]...", "docs [WORDS]..."),
		Short: a.T("Encontra os links da documentação que respondem a uma dúvida (procedimento 3.1)",
			"Find the documentation links that fit a question (procedure 3.1)"),
		Long: a.T(`Procura no índice de documentação das regras (tópicos, rotas, seções do procedimento,
categorias, palavras-chave) e mostra os links que servem, para que a resposta leve o parceiro
à seção exata. Todas as palavras precisam casar; maiúsculas e acentos não importam.`,
			`Search the documentation index of the rules (topics, routes, procedure sections,
categories, keywords) and print the links that fit, so that an answer points the partner to
the exact section. Every word must match; case and accents do not matter.`),
		Example: `  triagem docs token expirado
  triagem docs pre-analise urlNotificacao
  triagem docs 3.5`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runDocs(args)
		},
	}
}

func (a *app) runDocs(words []string) error {
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	hits := rl.SearchDocs(words)
	l := diagnose.Lang(a.lang)
	if len(hits) == 0 {
		a.say(l.T("triagem: nada na documentação para %q", "triagem: nothing in the documentation for %q", strings.Join(words, " ")))
		return exitCodeOnly(exitFound)
	}
	switch a.output {
	case "json":
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		for _, d := range hits {
			if err := enc.Encode(d); err != nil {
				return err
			}
		}
		return nil
	case "markdown":
		for _, d := range hits {
			fmt.Fprintf(a.stdout, "- [%s](%s) (%s)\n", d.Title, d.URL, strings.Join(d.Sections, ", "))
		}
		return nil
	}
	// The links are what people copy: the table names them [1], [2]... and lists them below
	// it, each on a line of its own.
	cols := []render.Column{{Header: l.T("Tópico", "Topic"), Wraps: true}, {Header: l.T("Seções", "Sections"), Wraps: true}, {Header: "Link"}}
	rows := make([][]string, len(hits))
	for i, d := range hits {
		rows[i] = []string{d.Title, strings.Join(d.Sections, ", "), d.URL}
	}
	return render.Grid(a.stdout, a.screen(), cols, rows)
}
