package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/internal/atomicfile"
	"github.com/crefazon/triagem/rules"
)

// exitBug is the contract's exit code for an internal error (a bug in triagem).
const exitBug = 5

// registerPasteFlags adds --from-curl, --from-har, --entry and --from-http, as diagnose has them.
func (a *app) registerPasteFlags(f *pflag.FlagSet, p *pasteOptions) {
	f.StringVar(&p.curl, "from-curl", "", a.T("a requisição como linha de comando curl: o texto, @ARQUIVO, ou - para a entrada padrão",
		"the request as a curl command line: the text, @FILE, or - for standard input"))
	f.StringVar(&p.powershell, "from-powershell", "", a.T("a requisição como comando PowerShell Invoke-WebRequest ou Invoke-RestMethod (o \"Copiar como PowerShell\" do Chrome): o texto, @ARQUIVO, ou - para a entrada padrão",
		"the request as a PowerShell Invoke-WebRequest or Invoke-RestMethod command (Chrome's \"Copy as PowerShell\"): the text, @FILE, or - for standard input"))
	f.StringVar(&p.har, "from-har", "", a.T("a requisição a partir do `ARQUIVO` HAR exportado pelo navegador (- para a entrada padrão)",
		"the request from a browser's HAR export `FILE` (- for standard input)"))
	f.IntVar(&p.entry, "entry", 0, a.T("com --from-har: a entrada `N` a usar (1 é a primeira); por padrão, a única requisição com falha à API de parceiros",
		"with --from-har: the entry `N` to take (1 is the first); by default the one failing request to the partner API"))
	f.StringVar(&p.http, "from-http", "", a.T("a requisição a partir de um `ARQUIVO` com a requisição HTTP/1.1 crua (- para a entrada padrão)",
		"the request from a raw HTTP/1.1 request dump `FILE` (- for standard input)"))
}

type caseNewOptions struct {
	out       string
	force     bool
	redact    bool
	paste     pasteOptions
	overrides diagnose.Overrides
}

func (a *app) newCaseCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: a.T("Grava arquivos de caso a partir do que os parceiros colam", "Write case files from what partners paste"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(a.newCaseNewCommand())
	return cmd
}

func (a *app) newCaseNewCommand() *cobra.Command {
	opts := &caseNewOptions{}
	cf := &caseFlags{}
	cmd := &cobra.Command{
		Use:   a.T("new [CASO] --from-{curl,powershell,har,http} X --out ARQUIVO", "new [CASE] --from-{curl,powershell,har,http} X --out FILE"),
		Short: a.T("Grava o caso lido de uma requisição colada (--redact: o rascunho do chamado)", "Write the case read from a paste (--redact: the ticket draft)"),
		Long: a.T(`Lê uma requisição colada (--from-curl, --from-powershell, --from-har, --from-http),
opcionalmente um arquivo de caso, e as flags do caso (que prevalecem sobre os dois); grava o caso
como o triagem o entendeu, em YAML, na ordem do arquivo de caso.

Sem --redact: a cópia de trabalho do analista. As credenciais ficam nela (API Key, token, senhas
no corpo), o arquivo é gravado com modo 0600 e as primeiras linhas dizem que ele não pode ser
anexado a um chamado. Os corpos ficam como foram enviados.

Com --redact: o rascunho que pode ser anexado a um chamado. A API Key vai como
credentials.api_key_sha256 (o SHA-256, como o diretório identifica as chaves), o token como
"header.claims." (sem a assinatura; os horários continuam sendo julgados), o cabeçalho
Authorization fica de fora, e senhas, cabeçalhos de credencial e dados pessoais são mascarados.
Com o diretório, o rascunho chega ao mesmo veredito que a cópia de trabalho.

--out - é recusado: a saída padrão passa pelo mascaramento do triagem, e não imprimiria o
arquivo pedido. Um arquivo que já existe só é substituído com --force.`,
			`Read a pasted request (--from-curl, --from-powershell, --from-har, --from-http), optionally a
case file, and the case flags (which override both); write the case as
triagem understood it, as YAML in the case file's order.

Without --redact: the analyst's working copy. The credentials stay in it
(API key, token, passwords in the body), the file is written with mode 0600,
and its first lines say it must not be attached to a ticket. Bodies are kept
as they were sent.

With --redact: the draft that may be attached to a ticket. The API key
travels as credentials.api_key_sha256 (its SHA-256, as the directory knows
keys), the token as "header.claims." (signature removed; its times are still
judged), the Authorization header is left out, and passwords, credential
headers and personal data are masked. With the directory, the draft reaches
the same verdict as the working copy.

--out - is refused: standard output goes through triagem's redaction, so it
would not print the file asked for. An existing file is replaced only with
--force.`),
		Example: `  triagem case new --from-curl @pedido.sh --ticket SUP-4821 --out caso.yaml
  triagem case new --from-curl @pedido.sh --redact --out rascunho.yaml
  triagem case new --from-har sessao.har --entry 3 --out caso.yaml`,
		Args: a.maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.overrides, err = cf.overrides(cmd.Flags()); err != nil {
				return err
			}
			return a.runCaseNew(cmd.Context(), opts, args)
		},
	}
	cf.register(cmd.Flags(), a.language())
	f := cmd.Flags()
	a.registerPasteFlags(f, &opts.paste)
	f.StringVar(&opts.out, "out", "", a.T("onde gravar o `ARQUIVO` do caso (obrigatório; - é recusado)", "where to write the case `FILE` (required; - is refused)"))
	f.BoolVar(&opts.force, "force", false, a.T("substitui --out quando ele já existe", "replace --out when it exists"))
	f.BoolVar(&opts.redact, "redact", false, a.T("grava o rascunho que pode ser anexado a um chamado, sem segredos", "write the draft that may be attached to a ticket, without secrets"))
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) runCaseNew(ctx context.Context, opts *caseNewOptions, args []string) error {
	if opts.out == "-" {
		return inputError("%s", a.T("--out -: case new não imprime o caso na saída padrão, que o triagem mascara (a cópia de trabalho perderia as credenciais, e o rascunho o token); use --out ARQUIVO", "--out -: case new does not print the case on standard output, which triagem redacts (the working copy would lose its credentials, and the draft its token); use --out FILE"))
	}
	if opts.out == "" {
		return inputError("%s", a.T("--out: informe o nome do arquivo do caso", "--out: give the case's file name"))
	}
	if st, err := os.Lstat(opts.out); err == nil {
		switch {
		case st.IsDir():
			return inputError("%s", a.T("--out %s: é uma pasta; informe o nome do arquivo do caso", "--out %s: is a folder; give the case's file name", opts.out))
		case !st.Mode().IsRegular():
			return inputError("%s", a.T("--out %s: não é um arquivo comum; informe o nome do arquivo do caso", "--out %s: is not a regular file; give the case's file name", opts.out))
		case !opts.force:
			return inputError("%s", a.T("--out %s: o arquivo já existe; use --force para substituí-lo", "--out %s: the file exists; give --force to replace it", opts.out))
		}
	}
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	c, err := a.caseFromInputs(rl, args, &opts.paste, opts.overrides, "case new")
	if err != nil {
		return err
	}
	a.learn(c)
	chain := &diagnose.Chain{Rules: rl, Lang: diagnose.Lang(a.lang)}
	if dir, err := a.openDirectory(); err != nil {
		return err
	} else if dir != nil {
		chain.Dir = dir
	}
	// Diagnosing resolves what the paste implies (the key and user of a login call's body, the
	// environment), and refuses what the chain cannot read (a time that is no time).
	v, err := a.runChain(ctx, chain, c)
	if err != nil {
		return err
	}
	var data []byte
	if opts.redact {
		rd, err := evidence.NewRedactor(rl.Redaction)
		if err != nil {
			return &exitError{exitInput, err}
		}
		doc, err := rd.Draft(c, diagnose.PayloadViolationPaths(c, rl), a.msg(draftHeadPT, draftHeadEN))
		if err != nil {
			return &exitError{exitBug, fmt.Errorf("%s", a.T("montando o rascunho: %v", "building the draft: %v", err))}
		}
		if data, err = evidence.EncodeYAML(doc); err != nil {
			return &exitError{exitBug, fmt.Errorf("%s", a.T("gravando o rascunho: %v", "writing the draft: %v", err))}
		}
	} else {
		if data, err = evidence.EncodeYAML(evidence.WorkingCopy(c, a.msg(workingHeadPT, workingHeadEN))); err != nil {
			return &exitError{exitBug, fmt.Errorf("%s", a.T("gravando o caso: %v", "writing the case: %v", err))}
		}
	}
	if err := atomicfile.Write(opts.out, data, 0o600); err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", opts.out, a.pathErr(err)))}
	}
	if opts.redact {
		fmt.Fprintf(a.stdout, a.msg("Rascunho do chamado escrito em %s (sem segredos; pode ser anexado). Categoria: %s.\n",
			"Ticket draft written to %s (no secrets; it may be attached). Category: %s.\n"), opts.out, v.Category)
	} else {
		fmt.Fprintf(a.stdout, a.msg("Cópia de trabalho escrita em %s (modo 0600, com as credenciais: não anexar ao chamado). Categoria: %s.\n",
			"Working copy written to %s (mode 0600, with the credentials: do not attach it to a ticket). Category: %s.\n"), opts.out, v.Category)
	}
	return nil
}

const (
	workingHeadPT = `Cópia de trabalho do analista, gerada por triagem case new.
CONTÉM CREDENCIAIS (API Key, token, senhas) e dados pessoais como o parceiro enviou.
Não anexe este arquivo a um chamado: para isso, gere o rascunho com --redact.`
	workingHeadEN = `The analyst's working copy, written by triagem case new.
IT HOLDS CREDENTIALS (API key, token, passwords) and personal data as the partner sent them.
Do not attach this file to a ticket: write the draft with --redact for that.`
	draftHeadPT = `Rascunho para anexar ao chamado, gerado por triagem case new --redact.
Sem segredos: a API Key vai como SHA-256 (credentials.api_key_sha256), o token sem a
assinatura (cabeçalho.claims.), senhas, cabeçalhos de credencial e dados pessoais mascarados.`
	draftHeadEN = `Draft to attach to a ticket, written by triagem case new --redact.
No secrets: the API key as its SHA-256 (credentials.api_key_sha256), the token without its
signature (header.claims.), passwords, credential headers and personal data masked.`
)

// msg picks the sentence of the current language.
func (a *app) msg(pt, en string) string {
	if a.lang == "en" {
		return en
	}
	return pt
}

// caseFromInputs builds one case from a case file argument (at most one), a pasted request and
// the case flags, through buildCase, as diagnose does. what names the command in errors.
func (a *app) caseFromInputs(rl *rules.Rules, args []string, paste *pasteOptions, o diagnose.Overrides, what string) (*diagnose.Case, error) {
	c, _, err := a.caseAndPaste(rl, args, paste, o, what)
	return c, err
}

// caseAndPaste is caseFromInputs that also returns the pasted request (nil without one), whose
// reader's notes a command may show.
func (a *app) caseAndPaste(rl *rules.Rules, args []string, paste *pasteOptions, o diagnose.Overrides, what string) (*diagnose.Case, *intake.Request, error) {
	pasted, err := a.readPaste(paste, rl)
	if err != nil {
		return nil, nil, err
	}
	var in caseInput
	switch {
	case len(args) > 1:
		return nil, nil, inputError("%s", a.T("%s lê um arquivo de caso, não %d", "%s takes one case file, not %d", what, len(args)))
	case len(args) == 1:
		refs, err := a.collectCases(args)
		if err != nil {
			return nil, nil, err
		}
		if len(refs) != 1 {
			return nil, nil, inputError("%s", a.T("%s: %s lê um caso, não uma pasta de %d", "%s: %s takes one case, not a folder of %d", args[0], what, len(refs)))
		}
		in = refs[0].read()
	case pasted == nil && o == (diagnose.Overrides{}):
		return nil, nil, inputError("%s", a.T("%s: nenhuma requisição: informe --from-curl, --from-powershell, --from-har ou --from-http, um arquivo de caso, ou os campos da requisição como flags",
			"%s: no request: give --from-curl, --from-powershell, --from-har or --from-http, a case file, or the request's fields as flags", what))
	default:
		name := "flags"
		if pasted != nil && pasted.Source != "" {
			name = pasted.Source
		}
		in = caseInput{name: name}
	}
	c, err := buildCase(in, o, pasted)
	return c, pasted, err
}
