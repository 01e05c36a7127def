package main

import (
	"encoding/json"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/render"
)

func (a *app) newChecksCommand() *cobra.Command {
	return &cobra.Command{
		Use: "checks",
		Short: a.T("Lista as verificações da cadeia: id, seção, do que precisam, quando falham",
			"List every check of the chain: id, section, what it needs, what makes it fail"),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runChecks()
		},
	}
}

type checkInfo struct {
	ID       string `json:"id"`
	Section  string `json:"section"`
	Category string `json:"category,omitempty"`
	Needs    string `json:"needs"`
	Fails    string `json:"fails"`
}

func (a *app) runChecks() error {
	infos := make([]checkInfo, len(diagnose.Checks))
	for i, c := range diagnose.Checks {
		infos[i] = checkInfo{c.ID, c.Section, c.Category, c.Needs, c.Fails}
	}
	switch a.output {
	case "json":
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		for _, in := range infos {
			if err := enc.Encode(in); err != nil {
				return err
			}
		}
		return nil
	case "markdown":
		var b strings.Builder
		b.WriteString("| id | section | category on failure | needs | fails when |\n|---|---|---|---|---|\n")
		for _, in := range infos {
			b.WriteString("| `" + in.ID + "` | " + in.Section + " | " + in.Category + " | " + in.Needs + " | " + in.Fails + " |\n")
		}
		_, err := a.stdout.Write([]byte(b.String()))
		return err
	}
	l := diagnose.Lang(a.lang)
	cols := []render.Column{{Header: l.T("Verificação", "Check")}, {Header: l.T("Seção", "Section")},
		{Header: l.T("Categoria se falhar", "Category on failure")},
		{Header: l.T("Precisa de", "Needs"), Wraps: true}, {Header: l.T("Falha quando", "Fails when"), Wraps: true}}
	rows := make([][]string, len(infos))
	for i, in := range infos {
		rows[i] = []string{in.ID, in.Section, in.Category, in.Needs, in.Fails}
	}
	return render.Grid(a.stdout, a.screen(), cols, rows)
}
