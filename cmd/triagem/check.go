package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/render"
)

// triagem check is the partner's own check: the partner's developer runs it on the request that
// failed, before opening a ticket. It reads the same inputs as diagnose, through the same case
// builder, runs the same chain (no directory needed: the partner has none), and words the
// verdict for the developer (diagnose.AudiencePartner).

type checkOptions struct {
	paste     pasteOptions
	overrides diagnose.Overrides
	draftDir  string
	force     bool
}

const checkExamplePT = `  # o "Copiar como cURL" do navegador, salvo num arquivo:
  triagem check --from-curl @pedido.sh --at "18/11/2026 10:15" --error "Token expirado"

  # no Windows, o "Copiar como PowerShell" do Chrome:
  triagem check --from-powershell '@pedido.ps1'

  # o rascunho do chamado, sem segredos, para anexar:
  triagem check --from-curl @pedido.sh --api-key "$API_KEY" --ticket-draft chamado/`

const checkExampleEN = `  # the browser's "Copy as cURL", saved to a file:
  triagem check --from-curl @request.sh --at "2026-11-18 10:15" --error "Token expirado" --lang en

  # on Windows, Chrome's "Copy as PowerShell":
  triagem check --from-powershell '@request.ps1' --lang en

  # the ticket draft, without secrets, to attach:
  triagem check --from-curl @request.sh --api-key "$API_KEY" --ticket-draft ticket/ --lang en`

func (a *app) newCheckCommand() *cobra.Command {
	opts := &checkOptions{}
	cf := &caseFlags{}
	cmd := &cobra.Command{
		Use: a.T("check [CASO] [--from-{curl,powershell,har,http} X]", "check [CASE] [--from-{curl,powershell,har,http} X]"),
		Short: a.T("Para o desenvolvedor do parceiro: o que está errado na sua requisição e como corrigir",
			"For the partner's developer: what is wrong in your request and how to fix it"),
		Long: a.T(`Confere a sua requisição à API de parceiros da CrefazOn antes de você abrir um chamado, e
diz o que está errado nela e como corrigir. Lê o mesmo que 'triagem diagnose': um arquivo de
caso, as flags da requisição, ou a requisição colada (--from-curl, --from-powershell,
--from-har, --from-http). Nada sai da sua máquina.

A chave de API e o usuário estão nos cadastros da CrefazOn: o que só a CrefazOn confere é dito
como tal, e ela confere quando você abrir o chamado.

--ticket-draft PASTA grava na pasta o texto do chamado (chamado.txt), com as perguntas que a
CrefazOn faria e as informações obrigatórias presentes ou faltando, e o caso (caso.yaml), sem
segredos: a chave de API vai como SHA-256, o token sem a assinatura, senhas nunca. Arquivos
que já existem só são substituídos com --force.

Sai com 0 quando nada de errado foi encontrado, 1 quando há algo a corrigir ou a completar,
2 quando a entrada está errada.`,
			`Checks your request to the CrefazOn partner API before you open a ticket, and says what is
wrong in it and how to fix it. It reads what 'triagem diagnose' reads: a case file, the
request's flags, or the pasted request (--from-curl, --from-powershell, --from-har,
--from-http). Nothing leaves your machine.

The API key and the user live in CrefazOn's records: what only CrefazOn can verify is said to
be so, and CrefazOn verifies it when you open a ticket.

--ticket-draft FOLDER writes into the folder the ticket's text (chamado.txt), with the
questions CrefazOn would ask and the mandatory details present or missing, and the case
(caso.yaml), without secrets: the API key as its SHA-256, the token without its signature,
passwords never. Existing files are replaced only with --force.

Exits 0 when nothing wrong was found, 1 when something is to be fixed or completed, 2 when
the input is wrong.`),
		Example: a.T(checkExamplePT, checkExampleEN),
		Args:    a.maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.overrides, err = cf.overrides(cmd.Flags()); err != nil {
				return err
			}
			return a.runCheck(cmd.Context(), opts, args)
		},
	}
	cf.register(cmd.Flags(), a.language())
	f := cmd.Flags()
	a.registerPasteFlags(f, &opts.paste)
	f.StringVar(&opts.draftDir, "ticket-draft", "", a.T("grava o rascunho do chamado, sem segredos, nesta `PASTA` (chamado.txt e caso.yaml)",
		"write the ticket draft, without secrets, into this `FOLDER` (chamado.txt and caso.yaml)"))
	f.BoolVar(&opts.force, "force", false, a.T("com --ticket-draft: substitui os arquivos que já existem", "with --ticket-draft: replace files that exist"))
	return cmd
}

func (a *app) runCheck(ctx context.Context, opts *checkOptions, args []string) error {
	if len(args) == 0 && opts.paste.given() == 0 && opts.overrides == (diagnose.Overrides{}) {
		return inputError("%s", a.T("nenhuma requisição: informe um arquivo de caso, a requisição colada (--from-curl, --from-powershell, --from-har, --from-http) ou os campos da requisição como flags (veja 'triagem check --help')",
			"no request: give a case file, the pasted request (--from-curl, --from-powershell, --from-har, --from-http) or the request's fields as flags (see 'triagem check --help')"))
	}
	if opts.force && opts.draftDir == "" {
		return inputError("%s", a.T("--force só vale com --ticket-draft", "--force is for --ticket-draft"))
	}
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	c, pasted, err := a.caseAndPaste(rl, args, &opts.paste, opts.overrides, "check")
	if err != nil {
		return err
	}
	a.learn(c)
	chain := &diagnose.Chain{Rules: rl, Lang: diagnose.Lang(a.lang), Audience: diagnose.AudiencePartner}
	// The partner has no directory; support's, when given, only turns "CrefazOn verifies" into
	// what it found.
	if dir, err := a.openDirectory(); err != nil {
		return err
	} else if dir != nil {
		chain.Dir = dir
	}
	v, err := a.runChain(ctx, chain, c)
	if err != nil {
		return err
	}
	if pasted != nil {
		v.Intake = &diagnose.Intake{Notes: pasted.NoteTexts(a.lang)}
		if v.Intake.Notes == nil {
			v.Intake.Notes = []string{}
		}
	}
	if opts.draftDir != "" {
		if err := a.writeTicketDraft(opts, rl, c, v); err != nil {
			return err
		}
	}
	if err := a.printCheck(a.stdout, v, opts.draftDir == ""); err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando a saída: %v", "writing the output: %v", err))}
	}
	if code := v.ExitCode(); code != exitOK {
		return exitCodeOnly(code)
	}
	return nil
}

// printCheck writes the partner's verdict: JSON (the verdict's schema, with audience
// "parceiro"), or the text for the developer, laid out for the screen.
// hint: say how to write the ticket draft (it was not asked for).
func (a *app) printCheck(w io.Writer, v *diagnose.Verdict, hint bool) error {
	switch a.output {
	case "json":
		return render.JSON(w, v)
	case "reply":
		return render.Reply(w, v)
	}
	var b strings.Builder
	b.WriteString(v.Reply)
	if hint {
		b.WriteString("\n\n" + a.T("Com --ticket-draft PASTA, o triagem escreve o texto do chamado e o caso, sem segredos, para você anexar.",
			"With --ticket-draft FOLDER, triagem writes the ticket's text and the case, without secrets, for you to attach."))
	}
	if v.Intake != nil && len(v.Intake.Notes) > 0 {
		b.WriteString("\n\n" + a.T("Observações da leitura da requisição colada:", "Notes from reading the pasted request:"))
		for _, n := range v.Intake.Notes {
			b.WriteString("\n- " + n)
		}
	}
	_, err := fmt.Fprintln(w, render.WrapText(b.String(), a.screen().Width))
	return err
}
