package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"aead.dev/minisign"
	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/internal/atomicfile"
	"github.com/crefazon/triagem/internal/cleartext"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

type escalateOptions struct {
	out       string
	force     bool
	reason    string
	tokenKey  string
	sign      string
	overrides diagnose.Overrides
	paste     pasteOptions
}

func (a *app) newEscalateCommand() *cobra.Command {
	opts := &escalateOptions{}
	cf := &caseFlags{}
	cmd := &cobra.Command{
		Use: a.T("escalate [CASO] [--from-curl|--from-har|--from-http X] --out PACOTE.zip", "escalate [CASE] [--from-curl|--from-har|--from-http X] --out BUNDLE.zip"),
		Short: a.T("Monta o pacote de evidências para o time de Code, ou recusa quando o procedimento não permite",
			"Build the evidence bundle for the Code team, or refuse when the procedure says no"),
		Long: a.T(`Diagnostica o caso e, quando o procedimento permite, grava um pacote de escalonamento para
o time de Code: um zip com o manifesto (checksums, lista de evidências, veredito), o veredito,
o caso com segredos e dados pessoais mascarados, um relatório em português e o relatório de
mascaramento.

Recusa (saída 4, nada gravado, cada motivo em stderr) quando falta evidência obrigatória,
quando a análise prévia está incompleta (sem --directory: as verificações de chave e usuário
não rodaram), ou quando o veredito aponta uma causa. --force --reason TEXTO escalona um
veredito classificado cujas evidências estão completas, registrando o motivo; nada passa por
cima de evidência faltando.

O caso é lido como diagnose o lê: um arquivo de caso, uma requisição colada (--from-curl,
--from-har, --from-http) e as flags do caso, que prevalecem sobre os dois.

Um chamado de um incidente aberto (ou um caso com a falha de um) não abre outro
escalonamento: entra no pacote do incidente, em --out, numa pasta com o nome do chamado; se
--out já existe, precisa ser o pacote desse incidente, e o chamado é acrescentado a ele.`,
			`Diagnose the case and, when the procedure allows it, write an escalation bundle for the
Code team: a zip with the manifest (checksums, evidence checklist, verdict), the verdict,
the case with secrets and personal data masked, a report in Portuguese and the redaction report.

It refuses (exit 4, nothing written, every reason on stderr) when mandatory evidence is
missing, when the prior analysis is incomplete (no --directory: the key and user checks did
not run), or when the verdict names a cause. --force --reason TEXT escalates a classified
verdict whose evidence is complete, recording the reason; nothing overrides missing evidence.

The case is read as diagnose reads it: a case file, a pasted request
(--from-curl, --from-har, --from-http) and the case flags, which override both.

A ticket of an open incident (or a case with an open incident's failure) opens no other
escalation: it goes into the incident's bundle, at --out, in a folder named after the ticket;
when --out exists it must be that incident's bundle, and the ticket is added to it.`),
		Example: `  triagem escalate testdata/cases/sem-causa-aparente.yaml --directory testdata/directory.yaml --out SUP-4830.zip
  triagem escalate --from-curl @pedido.sh --directory DIR --out SUP-4830.zip
  triagem escalate verify SUP-4830.zip
  TRIAGEM_SIGN_PASSWORD=... triagem escalate CASE --directory DIR --out SUP-4830.zip --sign equipe.key
  triagem escalate verify SUP-4830.zip --pub equipe.pub
  TRIAGEM_ESCALATION_TOKEN=... triagem escalate send SUP-4830.zip --to https://intake.example/tickets`,
		Args: a.maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.overrides, err = cf.overrides(cmd.Flags()); err != nil {
				return err
			}
			return a.runEscalate(cmd.Context(), opts, args)
		},
	}
	cf.register(cmd.Flags(), a.language())
	f := cmd.Flags()
	a.registerPasteFlags(f, &opts.paste)
	f.StringVar(&opts.out, "out", "", a.T("onde gravar o pacote (um .zip)", "where to write the bundle (a .zip)"))
	f.BoolVar(&opts.force, "force", false, a.T("escalona um veredito que aponta uma causa (exige --reason)", "escalate a verdict that names a cause (needs --reason)"))
	f.StringVar(&opts.reason, "reason", "", a.T("por que um escalonamento forçado vai ao time de Code (registrado no pacote)", "why a forced escalation goes to the Code team (recorded in the bundle)"))
	f.StringVar(&opts.tokenKey, "token-key", "", a.T("verifica a assinatura dos tokens, como em diagnose", "verify token signatures, as in diagnose"))
	f.StringVar(&opts.sign, "sign", "", a.T("assina o pacote com esta chave secreta minisign (`arquivo`; a senha em $"+signPasswordEnv+" quando cifrada)",
		"sign the bundle with this minisign secret key `file` (password in $"+signPasswordEnv+" when encrypted)"))
	_ = cmd.MarkFlagRequired("out")
	cmd.AddCommand(a.newEscalateVerifyCommand(), a.newEscalateSendCommand(), a.newEscalateKeygenCommand())
	return cmd
}

func (a *app) runEscalate(ctx context.Context, opts *escalateOptions, args []string) error {
	if opts.force && opts.reason == "" {
		return inputError("%s", a.T("--force exige --reason: diga por que o time de Code precisa ver um caso cujo veredito aponta uma causa",
			"--force needs --reason: say why the Code team must see a case whose verdict names a cause"))
	}
	if !opts.force && opts.reason != "" {
		return inputError("%s", a.T("--reason só vale com --force", "--reason is only for --force"))
	}
	if st, err := os.Stat(opts.out); err == nil && st.IsDir() {
		return inputError("%s", a.T("--out %s: é uma pasta; informe o nome do arquivo do pacote", "--out %s: is a folder; give the bundle's file name", opts.out))
	} else if err == nil && !st.Mode().IsRegular() {
		return inputError("%s", a.T("--out %s: não é um arquivo comum (um dispositivo ou um pipe); informe o nome do arquivo do pacote", "--out %s: is not a regular file (a device or a pipe); give the bundle's file name", opts.out))
	}
	var signKey *minisign.PrivateKey
	if opts.sign != "" {
		k, err := a.loadSecretKey(opts.sign)
		if err != nil {
			return err
		}
		signKey = &k
	}
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	// The one place a case is built, as for diagnose: a case file, a paste, the flags.
	c, err := a.caseFromInputs(rl, args, &opts.paste, opts.overrides, "escalate")
	if err != nil {
		return err
	}
	// The output redactor learns the case's secrets from the bundle's redaction, which walks
	// the body anyway, unless something is printed before the bundle is built (learnLater).
	teach := a.learnLater(c)
	casePath := c.Source
	// The journal, read for the ticket's incident and written with the escalation, opens
	// once, while the case is judged and the bundle built (pendingJournal).
	pj := a.startJournal(ctx, false, journal.IncidentRule{Partners: rl.IncidentPartners(), Window: rl.IncidentWindow()})
	defer a.endJournal(pj)
	// The bundle is for the Code team: judged in Portuguese, whatever --lang says.
	chain := &diagnose.Chain{Rules: rl, Lang: diagnose.Lang("pt-BR"), Signature: a.signature}
	if chain.TokenKey, err = a.loadTokenKey(opts.tokenKey); err != nil {
		return err
	}
	if dir, err := a.openDirectory(); err != nil {
		return err
	} else if dir != nil {
		chain.Dir = dir
	}
	v, err := a.runChain(ctx, chain, c)
	if err != nil {
		return err
	}
	if refusal := evidence.CheckEscalation(v, opts.force, diagnose.Lang(a.lang)); refusal != nil {
		a.say(fmt.Sprintf("triagem: %s: %s", casePath, refusal.Error()))
		return exitCodeOnly(exitRefused)
	}
	// A ticket of an open incident goes into the incident's bundle, not a bundle of its own.
	inc, err := a.escalationIncident(ctx, pj, c, v)
	if err != nil {
		return err
	}
	// The bundle is made at the time the command acts at (TRIAGEM_NOW replays one), as its
	// journal event is: a bad TRIAGEM_NOW is refused before the bundle is written, not after.
	now, err := a.now()
	if err != nil {
		return err
	}
	in := evidence.BundleInput{
		Case: c, Verdict: v, Rules: rl, ToolVersion: version(), CreatedAt: now,
		Forced: opts.force && v.Category != "no-apparent-cause", Reason: opts.reason, SignKey: signKey,
	}
	var b *evidence.Bundle
	if inc != nil {
		// The verdict in the bundle names its incident, as a linked diagnosis's does.
		v.Incident = &diagnose.IncidentRef{ID: inc.ID, OpenedAt: inc.OpenedAt.In(rl.Location()).Format(time.RFC3339), Partners: inc.Partners}
		b, err = a.buildIncidentBundle(rl, inc, in, opts.out)
	} else {
		b, err = evidence.Build(in)
	}
	var re *evidence.RulesError
	var ee *exitError
	var code exitCodeOnly
	switch {
	case errors.As(err, &ee) || errors.As(err, &code):
		return err
	case errors.As(err, &re):
		return &exitError{exitInput, err}
	case err != nil:
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("montando o pacote: %v", "building the bundle: %v", err))}
	}
	teach(b)
	// A bundle must pass its own verification before it is written: Build ran it on the
	// bytes it wrote (b.Problems), so the zip is not read back.
	if problems := b.Problems; len(problems) > 0 {
		return &exitError{exitRefused, fmt.Errorf("%s", a.T("o pacote montado para %s não passa na verificação:\n  - %s", "the bundle built for %s fails verification:\n  - %s", casePath, strings.ReplaceAll(problems.Text(string(a.language())), "\n", "\n  - ")))}
	}
	if err := atomicfile.Write(opts.out, b.Zip, 0o600); err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", opts.out, a.pathErr(err)))}
	}
	var signedBy string
	if signKey != nil {
		signedBy = fmt.Sprintf("%X", signKey.ID())
	}
	if err := a.printBundle(opts.out, b.SHA256, len(b.Zip), b.Manifest, signedBy); err != nil {
		return err
	}
	incID := ""
	if inc != nil {
		incID = inc.ID
		a.say(a.T("triagem: o chamado %s foi adicionado ao pacote do incidente %s (%s), em vez de abrir outro escalonamento; o pacote tem agora %d chamado(s): %s.",
			"triagem: ticket %s was added to incident %s's bundle (%s) instead of opening another escalation; the bundle now holds %d ticket(s): %s.",
			v.Ticket, inc.ID, opts.out, len(b.Manifest.Incident.Tickets), incidentTickets(b.Manifest)))
	}
	return a.recordEscalation(ctx, pj, rl, c, v, incID, b, now)
}

// learnLater has the output redactor learn c's secrets at the latest moment: before the
// first thing printed, or from a built bundle (the returned teach), whichever comes first.
// Learning a case walks its body as the bundle's redaction does, a fifth of escalating a
// large payload, and nothing is printed before the bundle on the way to writing it.
func (a *app) learnLater(c *diagnose.Case) (teach func(*evidence.Bundle)) {
	out, okOut := a.stdout.(*scrubWriter)
	errw, okErr := a.stderr.(*scrubWriter)
	if c == nil || !okOut || !okErr {
		a.learn(c)
		return func(*evidence.Bundle) {}
	}
	var once sync.Once
	learn := func(b *evidence.Bundle) {
		once.Do(func() {
			rd := a.outputRedactor()
			if b == nil || !b.Teach(rd) {
				rd.Learn(c)
			}
		})
	}
	for _, w := range []*scrubWriter{out, errw} {
		w.mu.Lock()
		red := w.red
		w.red = func() *evidence.Redactor {
			learn(nil)
			return red()
		}
		w.mu.Unlock()
	}
	return learn
}

// builtTexts are the texts of a bundle's files: as Build made them, or, for an incident's
// bundle, read from its zip (bundleTexts).
func builtTexts(b *evidence.Bundle, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, name := range names {
		t, ok := b.Text(name)
		if !ok {
			return bundleTexts(b.Zip, names...)
		}
		out[name] = t
	}
	return out
}

// incidentTickets lists the tickets an incident's bundle holds, in the order they were added.
func incidentTickets(m *evidence.Manifest) string {
	ids := make([]string, len(m.Incident.Tickets))
	for i, t := range m.Incident.Tickets {
		ids[i] = t.Ticket
	}
	return strings.Join(ids, ", ")
}

// buildIncidentBundle adds the escalated case to its incident's bundle at out, or starts the
// bundle there. What out holds already must be that incident's bundle, and pass verification
// (its signature aside: the whole is signed afresh, or not at all): anything else is refused
// rather than replaced, since it would take the other tickets' evidence with it.
func (a *app) buildIncidentBundle(rl *rules.Rules, inc *journal.Incident, in evidence.BundleInput, out string) (*evidence.Bundle, error) {
	var prev []byte
	if _, err := os.Stat(out); err == nil {
		data, err := evidence.ReadBundle(out)
		var refused *evidence.RefusedError
		switch {
		case errors.As(err, &refused):
			a.say(a.T("triagem: %s: o pacote foi recusado: %s", "triagem: %s: the bundle is refused: %s", out, a.T(refused.Motivo, refused.Reason)))
			return nil, exitCodeOnly(exitRefused)
		case err != nil:
			return nil, &exitError{exitInput, a.fileError(out, bundleFile, err)}
		}
		m, problems := evidence.VerifyWith(rl.Redaction, data, evidence.VerifyOptions{})
		if len(problems) > 0 {
			a.say(a.T("triagem: %s: o pacote do incidente %s que está lá não passa na verificação; nada foi gravado:", "triagem: %s: incident %s's bundle there fails verification; nothing was written:", out, inc.ID))
			for _, p := range problems {
				a.say("  - " + p.Text(string(a.language())))
			}
			return nil, exitCodeOnly(exitRefused)
		}
		if m.Incident == nil || m.Incident.ID != inc.ID {
			return nil, inputError("%s", a.T("--out %s: é o pacote de %s, não o do incidente %s, a que o chamado %s pertence: informe o pacote do incidente ou um arquivo novo",
				"--out %s: holds the bundle of %s, not that of incident %s, which ticket %s belongs to: give the incident's bundle or a new file", out, m.Holds(), inc.ID, in.Verdict.Ticket))
		}
		prev = data
	}
	linked := append([]string{}, inc.Tickets...)
	if !slices.Contains(linked, in.Verdict.Ticket) {
		linked = append(linked, in.Verdict.Ticket)
	}
	b, err := evidence.BuildIncident(evidence.IncidentInput{
		Incident: evidence.IncidentManifest{ID: inc.ID, Environment: inc.Environment, Route: inc.Route, ErrorClass: inc.ErrorClass,
			OpenedAt: inc.OpenedAt.In(rl.Location()).Format(time.RFC3339), Linked: linked},
		Previous: prev, Add: in,
	})
	var full *evidence.IncidentFullError
	if errors.As(err, &full) {
		a.say(a.T("triagem: o pacote do incidente %s (%s) já tem %d chamados, o bastante para o time de Code: %s não foi adicionado e nada foi gravado (veja triagem incident show %s)",
			"triagem: incident %s's bundle (%s) holds %d tickets already, enough for the Code team: %s was not added and nothing was written (see triagem incident show %s)",
			inc.ID, out, evidence.MaxIncidentTickets, in.Verdict.Ticket, inc.ID))
		return nil, exitCodeOnly(exitRefused)
	}
	return b, err
}

// printBundle says what was written; signedBy is the signing key's id, "" when unsigned.
func (a *app) printBundle(path, sum string, size int, m *evidence.Manifest, signedBy string) error {
	if a.output == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Bundle   string             `json:"bundle"`
			SHA256   string             `json:"sha256"`
			Size     int                `json:"size"`
			Manifest *evidence.Manifest `json:"manifest"`
			SignedBy string             `json:"signed_by,omitempty"` // minisign key id of manifest.json.minisig
		}{path, sum, size, m, signedBy})
	}
	// The bundle's checksum whole, on a line of its own; the files' abbreviated, as the
	// manifest inside holds them whole (escalate verify checks them).
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nsha256 %s\n", a.T("pacote %s (%d bytes)", "bundle %s (%d bytes)", path, size), sum)
	verdict := a.T("veredito: %s (seção %s)", "verdict: %s (section %s)", m.Verdict.Category, m.Verdict.Section)
	if m.Verdict.Forced {
		verdict = a.T("veredito: %s (seção %s), forçado: %s", "verdict: %s (section %s), forced: %s", m.Verdict.Category, m.Verdict.Section, m.Verdict.Reason)
	}
	b.WriteString(render.WrapText(verdict, a.screenWidth()) + "\n")
	width := 15
	for _, f := range m.Files {
		width = max(width, len(f.Name)) // an incident's bundle names its files by folder
	}
	for _, f := range m.Files {
		fmt.Fprintf(&b, "  %-*s %7d  %s\n", width, f.Name, f.Size, shortRev(f.SHA256))
	}
	if signedBy != "" {
		b.WriteString(a.T("  %s: manifesto assinado pela chave %s\n", "  %s: manifest signed by key %s\n", evidence.SignatureFile, signedBy))
	}
	_, err := io.WriteString(a.stdout, b.String())
	return err
}

func (a *app) newEscalateVerifyCommand() *cobra.Command {
	var pub string
	cmd := &cobra.Command{
		Use: a.T("verify PACOTE", "verify BUNDLE"),
		Short: a.T("Confere um pacote: checksums, lista de evidências, e nenhum segredo em claro",
			"Check a bundle: checksums, evidence checklist, and no secret in clear"),
		Long: a.T(`Confere um pacote sem confiar em nada dele: só um arquivo comum de até 32 MiB é lido;
uma entrada do zip com caminho absoluto ou com "..", barra invertida ou letra de unidade, link
simbólico ou qualquer coisa que não seja um arquivo comum, nome repetido, arquivo fora do
manifesto ou listado e ausente, ou tamanhos acima dos limites (uma bomba de zip) são recusados
antes de descomprimir qualquer coisa. Depois, os checksums, a lista de evidências, os motivos
do escalonamento e que nenhum segredo ou dado pessoal está em claro. Com --pub, o pacote precisa
estar assinado por essa chave. Qualquer problema: saída 4, cada motivo na saída de erro.`,
			`Check a bundle, trusting nothing in it: only a regular file of at most 32 MiB is read;
a zip entry with an absolute or parent path, a backslash or drive letter, a symbolic link or
anything but a regular file, a duplicate name, a file the manifest does not list or a listed
file that is absent, or sizes beyond the caps (a zip bomb) are refused before anything is
decompressed. Then the checksums, the evidence checklist, the grounds for escalating, and that
no secret or personal data is in clear. With --pub, the bundle must be signed by that key.
Any problem: exit 4, every reason on stderr.`),
		Args: a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, err := a.verifyBundle(args[0], pub, true)
			return err
		},
	}
	cmd.Flags().StringVar(&pub, "pub", "", a.T("exige a assinatura desta chave pública minisign (`arquivo`)", "require a signature by this minisign public key `file`"))
	return cmd
}

// verifyBundle reads and verifies a bundle; problems are an exit-4 refusal.
func (a *app) verifyBundle(path, pubPath string, report bool) ([]byte, *evidence.Manifest, error) {
	rl, err := a.loadRules()
	if err != nil {
		return nil, nil, err
	}
	var opts evidence.VerifyOptions
	if pubPath != "" {
		pub, err := a.loadPublicKey(pubPath)
		if err != nil {
			return nil, nil, err
		}
		opts.PublicKey = &pub
	}
	data, err := evidence.ReadBundle(path)
	var refused *evidence.RefusedError
	switch {
	case errors.As(err, &refused):
		a.say(a.T("triagem: %s: o pacote foi recusado: %s", "triagem: %s: the bundle is refused: %s", path, a.T(refused.Motivo, refused.Reason)))
		return nil, nil, exitCodeOnly(exitRefused)
	case err != nil:
		return nil, nil, &exitError{exitInput, a.fileError(path, bundleFile, err)}
	}
	m, problems := evidence.VerifyWith(rl.Redaction, data, opts)
	if len(problems) > 0 {
		a.say(a.T("triagem: %s: o pacote não passa na verificação:", "triagem: %s: the bundle fails verification:", path))
		for _, p := range problems {
			a.say("  - " + p.Text(string(a.language())))
		}
		return nil, nil, exitCodeOnly(exitRefused)
	}
	if report {
		fmt.Fprintln(a.stdout, render.WrapText(a.T("%s: ok: %d arquivos conferem com o manifesto, evidências completas, nada em claro (%s, %s)",
			"%s: ok: %d files match the manifest, evidence complete, nothing in clear (%s, %s)",
			path, len(m.Files), m.Verdict.Category, m.Ticket), a.screenWidth()))
		if opts.PublicKey != nil {
			fmt.Fprintln(a.stdout, render.WrapText(a.T("%s: assinatura conferida: chave %X", "%s: signature checked: key %X", path, opts.PublicKey.ID()), a.screenWidth()))
		}
	}
	return data, m, nil
}

type sendOptions struct {
	to       string
	tokenEnv string
	timeout  time.Duration
	attempts int
	backoff  time.Duration
	dryRun   bool
	pub      string
}

func (a *app) newEscalateSendCommand() *cobra.Command {
	opts := &sendOptions{}
	cmd := &cobra.Command{
		Use:   a.T("send PACOTE --to URL", "send BUNDLE --to URL"),
		Short: a.T("Confere um pacote e o envia para a entrada do time de Code", "Verify a bundle and post it to the Code team's intake"),
		Long: a.T(`Confere o pacote (recusando o que verify recusa) e o envia ao webhook de entrada da equipe:
metadados em JSON e o zip, em multipart, com um token de acesso lido de uma variável de
ambiente (nunca de uma flag) e um Idempotency-Key igual ao SHA-256 do pacote, para que um
reenvio nunca abra dois chamados (o pacote de um incidente vai sempre com a chave do
incidente: a entrada abre um só chamado para ele). Erros de transporte, 429 e 5xx são
tentados de novo com espera exponencial; saída 3 quando o destino continua inacessível. Cada
envio, entregue ou não, entra no diário de chamados, a menos que --no-journal.`,
			`Verify the bundle (refusing what verify refuses) and post it to the team's intake webhook:
JSON metadata plus the zip, as multipart, with a bearer token read from an environment
variable (never from a flag) and an Idempotency-Key equal to the bundle's SHA-256, so that a
retried send never opens two tickets (an incident's bundle always goes under the incident's
key: the intake opens one ticket for it). Transport errors, 429 and 5xx are retried with
exponential backoff; exit 3 when the target stays unreachable. Each send, delivered or not,
goes into the ticket journal unless --no-journal.`),
		Args: a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runSend(cmd.Context(), opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.to, "to", "", a.T("a URL do webhook de entrada (http ou https)", "the intake webhook's URL (http or https)"))
	f.StringVar(&opts.tokenEnv, "token-env", "TRIAGEM_ESCALATION_TOKEN", a.T("a variável de ambiente com o token de acesso da entrada", "the environment variable holding the intake's bearer token"))
	f.DurationVar(&opts.timeout, "timeout", 30*time.Second, a.T("tempo limite de cada tentativa", "timeout of each attempt"))
	f.IntVar(&opts.attempts, "attempts", 4, a.T("tentativas no total antes de desistir", "attempts in all before giving up"))
	f.DurationVar(&opts.backoff, "backoff", time.Second, a.T("espera antes da primeira nova tentativa, dobrada a cada uma (o Retry-After de um 429 prevalece)",
		"wait before the first retry, doubled on each one (a 429's Retry-After wins)"))
	f.BoolVar(&opts.dryRun, "dry-run", false, a.T("mostra o que seria enviado, e não envia nada", "show what would be sent, and send nothing"))
	f.StringVar(&opts.pub, "pub", "", a.T("envia só um pacote assinado por esta chave pública minisign (`arquivo`)", "send only a bundle signed by this minisign public key `file`"))
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func (a *app) runSend(ctx context.Context, opts *sendOptions, path string) error {
	u, err := url.Parse(opts.to)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return inputError("%s", a.T("--to: informe a URL http(s) da entrada", "--to: give the intake's http(s) URL"))
	}
	if opts.attempts < 1 {
		return inputError("%s", a.T("--attempts precisa ser pelo menos 1", "--attempts must be at least 1"))
	}
	if a.getenv(opts.tokenEnv) != "" && !cleartext.TokenAllowed(u) {
		return inputError("%s", a.T("--to: o token de $%s não é enviado por http simples a outra máquina: use a URL https:// da entrada (http simples só para localhost, 127.0.0.0/8 e ::1)", "--to: refusing to send $%s over plain http to a host other than this machine: use the intake's https:// URL (plain http is only for localhost, 127.0.0.0/8 and ::1)", opts.tokenEnv))
	}
	data, m, err := a.verifyBundle(path, opts.pub, false)
	if err != nil {
		return err
	}
	meta := evidence.Metadata{
		"ticket": m.Ticket, "category": m.Verdict.Category, "section": m.Verdict.Section,
		"forced": m.Verdict.Forced, "reason": m.Verdict.Reason, "created_at": m.CreatedAt,
		"tool": m.Tool, "bundle": filepath.Base(path), "size": len(data),
	}
	so := evidence.SendOptions{URL: opts.to, Token: a.getenv(opts.tokenEnv), Timeout: opts.timeout, Attempts: opts.attempts, BaseBackoff: opts.backoff, UserAgent: "github.com/crefazon/triagem/" + version()}
	if m.Incident != nil {
		// Every send of an incident's bundle goes under the incident's key: the intake opens
		// one ticket for the incident, not one per update of its bundle.
		so.IdempotencyKey = evidence.IncidentKey(m.Incident)
		meta["incident"] = m.Incident.ID
		tickets := make([]string, len(m.Incident.Tickets))
		for i, t := range m.Incident.Tickets {
			tickets[i] = t.Ticket
		}
		meta["tickets"] = tickets
	}
	if opts.dryRun {
		fmt.Fprint(a.stdout, evidence.DryRun(so, filepath.Base(path), data, meta))
		return nil
	}
	res, err := evidence.Send(ctx, so, filepath.Base(path), data, meta)
	var rejected *evidence.RejectedError
	var failed error
	var unreachable *evidence.UnreachableError
	lang := string(a.language())
	switch {
	case errors.As(err, &rejected) && (rejected.Status == 401 || rejected.Status == 403):
		failed = &exitError{exitInput, fmt.Errorf("%s", a.T("%s (confira o token em $%s)", "%s (check the token in $%s)", rejected.Text(lang), opts.tokenEnv))}
	case errors.As(err, &rejected):
		failed = &exitError{exitDependency, errors.New(rejected.Text(lang))}
	case errors.As(err, &unreachable):
		failed = &exitError{exitDependency, errors.New(unreachable.Text(lang))}
	case err != nil:
		// Interrupted, or a failure before any attempt.
		failed = &exitError{exitDependency, err}
	}
	rl, rerr := a.loadRules()
	if rerr != nil {
		return rerr
	}
	if failed != nil {
		// The send's failure is what the user must see; the journal's, if any, beside it.
		if jerr := a.recordSend(ctx, rl, data, m, res, err); jerr != nil {
			a.say("triagem: " + jerr.Error())
		}
		return failed
	}
	l := diagnose.Lang(a.lang)
	fmt.Fprintf(a.stdout, l.T("enviado: %s -> %s: HTTP %d após %d tentativa(s) (Idempotency-Key %s)\n", "sent: %s -> %s: HTTP %d after %d attempt(s) (Idempotency-Key %s)\n"),
		path, u.Scheme+"://"+u.Host+u.Path, res.Status, len(res.Attempts), res.IdempotencyKey)
	if m.Incident != nil {
		if id := intakeTicket(res.Body); id != "" {
			a.say(a.T("triagem: %s é o pacote do incidente %s (chamados %s): foi enviado com a chave do incidente, a mesma de todo envio dele, e a entrada não abre outro chamado: o do incidente é %s.",
				"triagem: %s is incident %s's bundle (tickets %s): it was sent under the incident's key, the same for every send of it, and the intake opens no other ticket: the incident's is %s.",
				path, m.Incident.ID, incidentTickets(m), id))
		} else {
			a.say(a.T("triagem: %s é o pacote do incidente %s (chamados %s): foi enviado com a chave do incidente, a mesma de todo envio dele, e a entrada não abre outro chamado.",
				"triagem: %s is incident %s's bundle (tickets %s): it was sent under the incident's key, the same for every send of it, and the intake opens no other ticket.",
				path, m.Incident.ID, incidentTickets(m)))
		}
	}
	return a.recordSend(ctx, rl, data, m, res, nil)
}
