package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/internal/atomicfile"
	"github.com/crefazon/triagem/live"
	"github.com/crefazon/triagem/rules"
)

type replayOptions struct {
	out             string
	allowProduction bool
	login           bool
	timeout         time.Duration
	maxBody         int64
}

func (a *app) newReplayCommand() *cobra.Command {
	opts := &replayOptions{}
	cf := &caseFlags{}
	cmd := &cobra.Command{
		Use: a.T("replay CASO", "replay CASE"),
		Short: a.T("Reenvia a requisição do caso ao ambiente a que ela se destina e registra a resposta",
			"Re-send the case's request to the environment it targets and record the answer"),
		Long: a.T(`Reenvia a requisição do caso (método, URL, cabeçalhos, corpo) ao ambiente da API de
parceiros a que ela se destina e registra a resposta como evidência: status, cabeçalhos com
segredos mascarados, corpo (limitado) e tempo, no próprio arquivo do caso ou em --out (- para
a saída padrão).

Nunca envia a um host de produção sem --allow-production (confirmado num terminal), nunca
segue um redirecionamento para outro host, e desiste após 30 s. Com --login, primeiro obtém um
token novo pela rota de login (a senha de TRIAGEM_PASSWORD, o usuário e a API Key do caso),
reenvia a requisição como foi e com o token novo, e diz se o problema é o token ou a
requisição. Cada replay entra no diário de chamados (o status e o tempo da resposta e de onde
veio o token, nunca o token), como diagnose, a menos que --no-journal.`,
			`Re-send the case's request (method, URL, headers, body) to the partner API environment
it targets and record the answer as evidence: status, headers with secrets masked, body
(capped) and timing, in the case file itself or in --out (- for standard output).

It never sends to a production host without --allow-production (confirmed on a terminal),
never follows a redirect to another host, and times out at 30 s. With --login it first gets
a fresh token through the login route (the password from TRIAGEM_PASSWORD, the user and API
key from the case), replays the request as sent and with the fresh token, and says whether
the token or the request is the problem. Each replay goes into the ticket journal (the
answer's status and time and where the token came from, never the token), as diagnose does,
unless --no-journal.`),
		Args: a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := cf.overrides(cmd.Flags())
			if err != nil {
				return err
			}
			return a.runReplay(cmd.Context(), opts, args[0], o)
		},
	}
	cf.register(cmd.Flags(), a.language())
	f := cmd.Flags()
	f.StringVar(&opts.out, "out", "", a.T("onde registrar o caso com a resposta (padrão: o próprio arquivo do caso; - para a saída padrão)",
		"where to record the case with the answer (default: the case file itself; - for standard output)"))
	f.BoolVar(&opts.allowProduction, "allow-production", false, a.T("permite enviar a um host de produção", "allow sending to a production host"))
	f.BoolVar(&opts.login, "login", false, a.T("faz login antes para ter um token novo, e separa a culpa do token da culpa da requisição",
		"log in first for a fresh token, and tell the token's fault from the request's"))
	f.DurationVar(&opts.timeout, "timeout", live.DefaultTimeout, a.T("quanto esperar pela resposta", "how long to wait for the answer"))
	f.Int64Var(&opts.maxBody, "max-body", live.DefaultMaxBody, a.T("quanto do corpo da resposta guardar, em bytes", "how much of the answer's body to keep, in bytes"))
	return cmd
}

func (a *app) runReplay(ctx context.Context, opts *replayOptions, path string, o diagnose.Overrides) error {
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	refs, err := a.collectCases([]string{path})
	if err != nil {
		return err
	}
	if len(refs) != 1 {
		return inputError("%s", a.T("%s: replay recebe um caso", "%s: replay takes one case", path))
	}
	in := refs[0].read()
	if in.err != nil {
		return in.err
	}
	c, err := diagnose.ParseCase(in.name, in.data)
	if err != nil {
		return err
	}
	c.Apply(o)
	if opts.allowProduction && a.stdinTTY {
		if env, ok := hostEnv(rl, c.Request.URL); ok && env == live.ProductionEnv && !a.confirm("replay to PRODUÇÃO "+c.Request.URL) {
			return inputError("%s", a.T("replay para produção não confirmado", "replay to production not confirmed"))
		}
	}
	ro := live.ReplayOptions{AllowProduction: opts.allowProduction, Timeout: opts.timeout, MaxBody: opts.maxBody}
	if opts.login {
		pw := a.getenv("TRIAGEM_PASSWORD")
		if pw == "" {
			return inputError("%s", a.T("--login precisa da senha em TRIAGEM_PASSWORD", "--login needs the password in TRIAGEM_PASSWORD"))
		}
		if c.Credentials.User == "" || c.Credentials.APIKey == "" {
			return inputError("%s", a.T("--login precisa de credentials.user e credentials.api_key no caso", "--login needs credentials.user and credentials.api_key in the case"))
		}
		ro.Login = &live.LoginOptions{User: c.Credentials.User, Password: pw, APIKey: c.Credentials.APIKey}
	}
	tokenFrom := tokenSource(c)
	res, err := live.Replay(ctx, ro, c, rl)
	var refused *live.RefusedError
	var loginErr *live.LoginError
	switch {
	case errors.As(err, &refused) && refused.Env == live.ProductionEnv && !opts.allowProduction:
		// The one refusal a flag lifts: name the flag.
		return inputError("%s", a.T(
			"replay recusado: %s é um host de produção; para enviar mesmo assim, use --allow-production (confirmado num terminal)",
			"replay refused: %s is a production host; to send anyway, use --allow-production (confirmed on a terminal)",
			refused.Host))
	case errors.As(err, &refused):
		return &exitError{exitInput, a.liveError(err)}
	case errors.As(err, &loginErr):
		return &exitError{exitFound, a.liveError(err)}
	case err != nil && res == nil:
		return &exitError{exitInput, a.liveError(err)}
	case err != nil:
		// Sent, and no answer came: a replay all the same, for the ticket's history.
		if jerr := a.recordReplayEvent(ctx, rl, c, res, tokenFrom); jerr != nil {
			a.say("triagem: " + jerr.Error())
		}
		return &exitError{exitDependency, a.liveError(err)}
	}
	// The case keeps what the analyst's copy carried; what the answer adds is masked (the API
	// may echo a credential, a client's CPF or phone).
	rd, err := evidence.NewRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	rd.Learn(c)
	body, headers := rd.Answer(res.Body, res.Headers)
	a.learn(c)
	c.Response = &diagnose.Response{Status: res.Status, Body: diagnose.Body{Raw: body, Present: len(body) > 0},
		Headers: headers, Took: res.Took.Round(time.Millisecond).String()}
	if err := a.recordReplay(c, path, opts.out); err != nil {
		return err
	}
	l := diagnose.Lang(a.lang)
	fmt.Fprintf(a.stderr, l.T("triagem: %s %s: HTTP %d em %s (%d bytes)\n", "triagem: %s %s: HTTP %d in %s (%d bytes)\n"),
		res.Method, res.URL, res.Status, res.Took.Round(time.Millisecond), res.BodyBytes)
	for _, n := range res.NotesIn(string(a.language())) {
		a.say("triagem: " + n)
	}
	if v := res.VerdictIn(string(a.language())); v != "" {
		a.say("triagem: " + v)
	}
	return a.recordReplayEvent(ctx, rl, c, res, tokenFrom)
}

// recordReplay writes the case with the answer into the case file or --out; on standard
// output (--out -) only the answer, since the case carries the partner's credentials.
func (a *app) recordReplay(c *diagnose.Case, path, out string) error {
	if out == "" {
		out = path
	}
	var doc any = c
	toStdout := out == "-" || out == "stdin"
	if toStdout {
		doc = struct {
			Response *diagnose.Response `yaml:"response"`
		}{c.Response}
	}
	var buf strings.Builder
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return &exitError{exitDependency, err}
	}
	enc.Close()
	if toStdout {
		_, err := io.WriteString(a.stdout, buf.String())
		return err
	}
	if err := atomicfile.Write(out, []byte(buf.String()), 0o600); err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", out, a.pathErr(err)))}
	}
	return nil
}

// hostEnv is the environment whose host a URL names, if any.
func hostEnv(rl *rules.Rules, rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", false
	}
	e, ok := rl.EnvironmentOfHost(u.Hostname())
	return e.ID, ok
}

// outcomeText says what a login's outcome means, for a person (the id stays beside it).
func (a *app) outcomeText(outcome string) string {
	switch outcome {
	case live.OutcomeOK:
		return a.T("login aceito: as credenciais valem neste ambiente", "login accepted: the credentials are good in this environment")
	case live.OutcomeUserNotFound:
		return a.T("usuário não cadastrado neste ambiente", "user not registered in this environment")
	case live.OutcomeWrongPassword:
		return a.T("usuário ou senha incorretos", "wrong user or password")
	case live.OutcomeAPIKeyRejected:
		return a.T("API Key recusada (muitas vezes, a chave do outro ambiente)", "API key rejected (often the other environment's key)")
	case live.OutcomeUnavailable:
		return a.T("a rota de login não respondeu", "the login route did not answer")
	}
	return a.T("resposta inesperada da rota de login", "unexpected answer from the login route")
}

// confirm asks on the terminal; only "sim" or "yes" goes on.
func (a *app) confirm(what string) bool {
	fmt.Fprintf(a.stderr, "%s? [sim/não] ", what)
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "sim", "s", "yes", "y":
		return true
	}
	return false
}

func (a *app) newAuthCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "auth", Short: a.T("Confere credenciais na rota de login", "Check credentials against the login route")}
	var env, user, version string
	var timeout time.Duration
	check := &cobra.Command{
		Use: a.T("check --env AMBIENTE --user LOGIN", "check --env ENV --user LOGIN"),
		Short: a.T("Faz login e diz o que a resposta significa (usuário desconhecido, senha errada, chave recusada, ok)",
			"Log in and say what the answer means (user unknown, wrong password, key rejected, ok)"),
		Long: a.T(`Chama a rota de login de um ambiente e classifica a resposta: "Usuario nao cadastrado" (o
usuário não existe nesse ambiente), "Usuario ou senha incorretos" (senha errada),
"Identificador unico invalido!" (a API Key recusada: muitas vezes a chave do outro ambiente),
ou um token, decodificado com a sua expiração. A senha e a API Key vêm de TRIAGEM_PASSWORD e
TRIAGEM_API_KEY, ou da entrada padrão (a senha na primeira linha, a chave na segunda).`,
			`Call the login route of an environment and classify the answer: "Usuario nao cadastrado"
(the user does not exist there), "Usuario ou senha incorretos" (wrong password),
"Identificador unico invalido!" (the API key rejected: often the other environment's key), or a
token, decoded with its expiry. The password and the API key come from TRIAGEM_PASSWORD and
TRIAGEM_API_KEY, or from standard input (password on the first line, key on the second).`),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runAuthCheck(cmd.Context(), env, version, user, timeout)
		},
	}
	check.Flags().StringVar(&env, "env", "", a.T("o ambiente: homologacao ou producao", "the environment: homologacao or producao"))
	check.Flags().StringVar(&user, "user", "", a.T("o login", "the login"))
	check.Flags().StringVar(&version, "version", "v2", a.T("a versão da API da rota de login: v2 ou v1", "the API version of the login route: v2 or v1"))
	check.Flags().DurationVar(&timeout, "timeout", live.DefaultTimeout, a.T("quanto esperar pela resposta", "how long to wait for the answer"))
	_ = check.MarkFlagRequired("env")
	_ = check.MarkFlagRequired("user")
	cmd.AddCommand(check)
	return cmd
}

func (a *app) runAuthCheck(ctx context.Context, env, version, user string, timeout time.Duration) error {
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	if _, ok := rl.Environment(env); !ok {
		return inputError("%s", a.T("--env: %q não é um ambiente das regras", "--env: %q is not an environment of the rules", env))
	}
	pw, key := a.getenv("TRIAGEM_PASSWORD"), a.getenv("TRIAGEM_API_KEY")
	if pw == "" || key == "" {
		if a.stdinTTY {
			fmt.Fprintf(a.stderr, "triagem: %s\n", a.T(
				"à espera da senha (primeira linha) e da API key (segunda linha) na entrada padrão.",
				"waiting for the password (first line) and the API key (second line) on standard input."))
		}
		sc := bufio.NewScanner(a.stdin)
		if pw == "" && sc.Scan() {
			pw = strings.TrimSpace(sc.Text())
		}
		if key == "" && sc.Scan() {
			key = strings.TrimSpace(sc.Text())
		}
	}
	if pw == "" || key == "" {
		return inputError("%s", a.T("auth check precisa da senha e da API Key (TRIAGEM_PASSWORD, TRIAGEM_API_KEY, ou a entrada padrão)",
			"auth check needs the password and the API key (TRIAGEM_PASSWORD, TRIAGEM_API_KEY, or standard input)"))
	}
	res, err := live.CheckLogin(ctx, live.AuthOptions{Env: env, Version: version, User: user, Password: pw, APIKey: key, Timeout: timeout}, rl)
	if err != nil {
		return &exitError{exitInput, a.liveError(err)}
	}
	if a.output == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "%s\n%s (%s, HTTP %d, %s)\n", res.URL, a.outcomeText(res.Outcome), res.Outcome, res.Status, res.Took.Round(time.Millisecond))
		if m := res.MessageIn(string(a.language())); m != "" {
			fmt.Fprintf(a.stdout, "  %s\n", m)
		}
		if !res.Expires.IsZero() {
			fmt.Fprintf(a.stdout, "  %s\n", a.T("o token expira em %s", "token expires %s", res.Expires.In(rl.Location()).Format("2006-01-02 15:04 -07")))
		}
	}
	switch res.Outcome {
	case "ok":
		return nil
	case "unavailable":
		return exitCodeOnly(exitDependency)
	}
	return exitCodeOnly(exitFound)
}

// liveError words a replay's or a login check's error in the user's language.
func (a *app) liveError(err error) error {
	return errors.New(live.ErrorText(err, string(a.language())))
}
