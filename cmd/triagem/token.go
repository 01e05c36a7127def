package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/render"
)

type tokenOptions struct {
	at       string
	tokenKey string
}

func (a *app) newTokenCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: a.T("Lê tokens de acesso como o procedimento os julga (3.3)", "Read access tokens as the procedure judges them (3.3)")}
	opts := &tokenOptions{}
	inspect := &cobra.Command{
		Use: "inspect [TOKEN|-]",
		Short: a.T("Mostra o cabeçalho e as claims de um token, os seus horários e as verificações de token da cadeia",
			"Show a token's header and claims, its times, and the chain's token checks"),
		Long: a.T(`Mostra o cabeçalho e as claims de um JWT, os seus horários no fuso das regras e em relação
à requisição (--at) ou a agora, a sua validade diante da regra de 12 h, e as mesmas
verificações de token que o diagnóstico faz. Por padrão o token é lido da entrada padrão, para
ficar fora do histórico do shell; um "Bearer " na frente é ignorado. A assinatura é verificada
com --token-key.`,
			`Show a JWT's header and claims, its times in the rules' time zone and relative to the
request (--at) or to now, its lifetime against the 12 h rule, and the same token checks the
diagnosis runs. The token is read from standard input by default, so that it stays out of
the shell's history; "Bearer " in front is ignored. The signature is verified with --token-key.`),
		Example: `  pbpaste | triagem token inspect --at "18/11/2026 10:15"
  triagem token inspect - -o json < token.txt`,
		Args: a.maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runTokenInspect(opts, args)
		},
	}
	inspect.Flags().StringVar(&opts.at, "at", "", a.T("julga o token neste horário (o da requisição), em vez de agora", "judge the token at this time (the request's), instead of now"))
	inspect.Flags().StringVar(&opts.tokenKey, "token-key", "", a.T("verifica a assinatura: um `ARQUIVO` com uma chave pública PEM ou um segredo HMAC, ou env:VAR",
		"verify the signature: a `FILE` with a PEM public key or an HMAC secret, or env:VAR"))
	cmd.AddCommand(inspect)
	return cmd
}

func (a *app) runTokenInspect(opts *tokenOptions, args []string) error {
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	raw := ""
	if len(args) == 1 && args[0] != "-" {
		raw = args[0]
	} else {
		b, err := a.readStdin(io.LimitReader(a.stdin, 1<<20),
			"à espera do token na entrada padrão (cole-o; \"Bearer \" na frente é ignorado).",
			"waiting for the token on standard input (paste it; \"Bearer \" in front is ignored).")
		if err != nil {
			return &exitError{exitInput, fmt.Errorf("%s", a.T("lendo o token da entrada padrão: %v", "reading the token from standard input: %v", err))}
		}
		raw = string(b)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return inputError("%s", a.T("nenhum token: informe-o como argumento ou na entrada padrão", "no token: give it as an argument or on standard input"))
	}
	at, atIsRequest := time.Now(), false
	if opts.at != "" {
		t, err := diagnose.ParseTime(opts.at, rl.Location())
		if err != nil {
			return inputError("--at: %s", diagnose.TimeErrorText(err, a.language()))
		}
		at, atIsRequest = t, true
	}
	key, err := a.loadTokenKey(opts.tokenKey)
	if err != nil {
		return err
	}
	l := diagnose.Lang(a.lang)
	tr := diagnose.InspectToken(raw, at, atIsRequest, rl, key, l)
	// The claims say who the user is: a name, an e-mail, a CPF are personal data, masked as in
	// every output; the login (unique_name) stays, support needs it.
	if rd, err := evidence.NewOutputRedactor(rl.Redaction); err == nil {
		rd.Claims(tr.Claims)
		rd.Strings(tr)
	}
	if a.output == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(tr); err != nil {
			return err
		}
	} else if err := render.Token(a.stdout, tr, l, a.output == "markdown", a.screen()); err != nil {
		return err
	}
	if tr.Failed() {
		return exitCodeOnly(exitFound)
	}
	return nil
}
