package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"triagem/diagnose"
)

func (a *app) newDocsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "docs [WORDS]...",
		Short: "Find the documentation links that fit a question (procedure 3.1)",
		Long: `Search the documentation index of the rules (topics, routes, procedure sections,
categories, keywords) and print the links that fit, so that an answer points the partner to
the exact section. Every word must match; case and accents do not matter.`,
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
		fmt.Fprintf(a.stderr, l.T("triagem: nada na documentação para %q\n", "triagem: nothing in the documentation for %q\n"), strings.Join(words, " "))
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
	tb := tablewriter.NewTable(a.stdout, tablewriter.WithHeaderAutoFormat(tw.Off), tablewriter.WithHeaderAlignment(tw.AlignLeft))
	tb.Header(l.T("Tópico", "Topic"), l.T("Seções", "Sections"), "Link")
	for _, d := range hits {
		if err := tb.Append([]string{d.Title, strings.Join(d.Sections, ", "), d.URL}); err != nil {
			return err
		}
	}
	return tb.Render()
}
