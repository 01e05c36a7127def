package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"triagem/rules"
)

func (a *app) newRulesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Show the effective rules, or check a team's rules file",
		Long: `The rules hold everything a support team may adapt without changing triagem: hosts,
API versions, products, routes and their payload schemas, business hours, holidays, routine
windows, token lifetime, known error messages, replies and documentation links.

Start a team file from the default (triagem rules show > rules.yaml), edit it, check it
(triagem rules validate rules.yaml) and use it with --rules or TRIAGEM_RULES.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the effective rules (the embedded default, or --rules)",
		Long:  "Print the effective rules: as their YAML file, or with -o json as the loaded structure.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runRulesShow()
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "validate FILE",
		Short: "Check a rules file and name the place of every problem",
		Args:  cobra.ExactArgs(1),
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
	fmt.Fprintf(a.stdout, "# effective rules: %s (%s %s, sha256 %s)\n", r.Source(), r.Name, r.Version, r.Hash())
	data := rules.DefaultYAML()
	if a.rulesPath != "" {
		if data, err = readFileInput(a.rulesPath, "rules"); err != nil {
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
				a.say(p.Error())
			}
			return &exitError{exitInput, fmt.Errorf("%s: %d problem(s)", path, len(ps))}
		}
		return &exitError{exitInput, fileError(path, "rules", err)}
	}
	fmt.Fprintf(a.stdout, "%s: ok: %s %s, %d environments, %d products, %d routes\n", path, r.Name, r.Version, len(r.Environments), len(r.Products), len(r.Routes))
	return nil
}
