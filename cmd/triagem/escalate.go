package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/spf13/cobra"

	"triagem/diagnose"
	"triagem/evidence"
	"triagem/internal/atomicfile"
	"triagem/internal/cleartext"
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
		Use:   "escalate [CASE] [--from-curl|--from-har|--from-http X] --out ZIP",
		Short: "Build the evidence bundle for the Code team, or refuse when the procedure says no",
		Long: `Diagnose the case and, when the procedure allows it, write an escalation bundle for the
Code team: a zip with the manifest (checksums, evidence checklist, verdict), the verdict,
the case with secrets and personal data masked, a report in Portuguese and the redaction report.

It refuses (exit 4, nothing written, every reason on stderr) when mandatory evidence is
missing, when the prior analysis is incomplete (no --directory: the key and user checks did
not run), or when the verdict names a cause. --force --reason TEXT escalates a classified
verdict whose evidence is complete, recording the reason; nothing overrides missing evidence.

The case is read as diagnose reads it: a case file, a pasted request
(--from-curl, --from-har, --from-http) and the case flags, which override both.`,
		Example: `  triagem escalate testdata/cases/sem-causa-aparente.yaml --directory testdata/directory.yaml --out SUP-4830.zip
  triagem escalate --from-curl @pedido.sh --directory DIR --out SUP-4830.zip
  triagem escalate verify SUP-4830.zip
  TRIAGEM_SIGN_PASSWORD=... triagem escalate CASE --directory DIR --out SUP-4830.zip --sign equipe.key
  triagem escalate verify SUP-4830.zip --pub equipe.pub
  TRIAGEM_ESCALATION_TOKEN=... triagem escalate send SUP-4830.zip --to https://intake.example/tickets`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.overrides, err = cf.overrides(cmd.Flags()); err != nil {
				return err
			}
			return a.runEscalate(cmd.Context(), opts, args)
		},
	}
	cf.register(cmd.Flags())
	f := cmd.Flags()
	registerPasteFlags(f, &opts.paste)
	f.StringVar(&opts.out, "out", "", "where to write the bundle (a .zip)")
	f.BoolVar(&opts.force, "force", false, "escalate a verdict that names a cause (needs --reason)")
	f.StringVar(&opts.reason, "reason", "", "why a forced escalation goes to the Code team (recorded in the bundle)")
	f.StringVar(&opts.tokenKey, "token-key", "", "verify token signatures, as in diagnose")
	f.StringVar(&opts.sign, "sign", "", "sign the bundle with this minisign secret key `file` (password in $"+signPasswordEnv+" when encrypted)")
	_ = cmd.MarkFlagRequired("out")
	cmd.AddCommand(a.newEscalateVerifyCommand(), a.newEscalateSendCommand(), a.newEscalateKeygenCommand())
	return cmd
}

func (a *app) runEscalate(ctx context.Context, opts *escalateOptions, args []string) error {
	if opts.force && opts.reason == "" {
		return inputError("--force needs --reason: say why the Code team must see a case whose verdict names a cause")
	}
	if !opts.force && opts.reason != "" {
		return inputError("--reason is only for --force")
	}
	if st, err := os.Stat(opts.out); err == nil && st.IsDir() {
		return inputError("--out %s: is a folder; give the bundle's file name", opts.out)
	} else if err == nil && !st.Mode().IsRegular() {
		return inputError("--out %s: is not a regular file (a device or a pipe); give the bundle's file name", opts.out)
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
	a.learn(c)
	casePath := c.Source
	// The bundle is for the Code team: judged in Portuguese, whatever --lang says.
	chain := &diagnose.Chain{Rules: rl, Lang: diagnose.Lang("pt-BR")}
	if chain.TokenKey, err = a.loadTokenKey(opts.tokenKey); err != nil {
		return err
	}
	if dir, err := a.openDirectory(); err != nil {
		return err
	} else if dir != nil {
		chain.Dir = dir
	}
	v, err := runChain(ctx, chain, c)
	if err != nil {
		return err
	}
	if refusal := evidence.CheckEscalation(v, opts.force, diagnose.Lang(a.lang)); refusal != nil {
		fmt.Fprintf(a.stderr, "triagem: %s: %s\n", casePath, refusal.Error())
		return exitCodeOnly(exitRefused)
	}
	b, err := evidence.Build(evidence.BundleInput{
		Case: c, Verdict: v, Rules: rl, ToolVersion: version(), CreatedAt: time.Now(),
		Forced: opts.force && v.Category != "no-apparent-cause", Reason: opts.reason, SignKey: signKey,
	})
	var re *evidence.RulesError
	switch {
	case errors.As(err, &re):
		return &exitError{exitInput, err}
	case err != nil:
		return &exitError{exitDependency, fmt.Errorf("building the bundle: %v", err)}
	}
	// A bundle must pass its own verification before it is written.
	var self evidence.VerifyOptions
	if signKey != nil {
		pub := evidence.PublicOf(*signKey)
		self.PublicKey = &pub
	}
	if _, problems := evidence.VerifyWith(rl.Redaction, b.Zip, self); len(problems) > 0 {
		return &exitError{exitRefused, fmt.Errorf("the bundle built for %s fails verification:\n  - %s", casePath, strings.Join(problems, "\n  - "))}
	}
	if err := atomicfile.Write(opts.out, b.Zip, 0o600); err != nil {
		return &exitError{exitDependency, fmt.Errorf("writing %s: %v", opts.out, pathErr(err))}
	}
	var signedBy string
	if signKey != nil {
		signedBy = fmt.Sprintf("%X", signKey.ID())
	}
	return a.printBundle(opts.out, b.SHA256, len(b.Zip), b.Manifest, signedBy)
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
	l := diagnose.Lang(a.lang)
	fmt.Fprintf(a.stdout, l.T("pacote %s (%d bytes, sha256 %s)\n", "bundle %s (%d bytes, sha256 %s)\n"), path, size, sum)
	fmt.Fprintf(a.stdout, l.T("veredito: %s (seção %s)", "verdict: %s (section %s)"), m.Verdict.Category, m.Verdict.Section)
	if m.Verdict.Forced {
		fmt.Fprintf(a.stdout, l.T(", forçado: %s", ", forced: %s"), m.Verdict.Reason)
	}
	fmt.Fprintln(a.stdout)
	for _, f := range m.Files {
		fmt.Fprintf(a.stdout, "  %-15s %7d  %s\n", f.Name, f.Size, f.SHA256)
	}
	if signedBy != "" {
		fmt.Fprintf(a.stdout, l.T("  %s: manifesto assinado pela chave %s\n", "  %s: manifest signed by key %s\n"), evidence.SignatureFile, signedBy)
	}
	return nil
}

func (a *app) newEscalateVerifyCommand() *cobra.Command {
	var pub string
	cmd := &cobra.Command{
		Use:   "verify BUNDLE",
		Short: "Check a bundle: checksums, evidence checklist, and no secret in clear",
		Long: `Check a bundle, trusting nothing in it: only a regular file of at most 32 MiB is read;
a zip entry with an absolute or parent path, a backslash or drive letter, a symbolic link or
anything but a regular file, a duplicate name, a file the manifest does not list or a listed
file that is absent, or sizes beyond the caps (a zip bomb) are refused before anything is
decompressed. Then the checksums, the evidence checklist, the grounds for escalating, and that
no secret or personal data is in clear. With --pub, the bundle must be signed by that key.
Any problem: exit 4, every reason on stderr.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, err := a.verifyBundle(args[0], pub, true)
			return err
		},
	}
	cmd.Flags().StringVar(&pub, "pub", "", "require a signature by this minisign public key `file`")
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
		fmt.Fprintf(a.stderr, "triagem: %s: the bundle is refused: %s\n", path, refused.Reason)
		return nil, nil, exitCodeOnly(exitRefused)
	case err != nil:
		return nil, nil, &exitError{exitInput, fileError(path, "bundle", err)}
	}
	m, problems := evidence.VerifyWith(rl.Redaction, data, opts)
	if len(problems) > 0 {
		fmt.Fprintf(a.stderr, "triagem: %s: the bundle fails verification:\n", path)
		for _, p := range problems {
			fmt.Fprintf(a.stderr, "  - %s\n", p)
		}
		return nil, nil, exitCodeOnly(exitRefused)
	}
	if report {
		l := diagnose.Lang(a.lang)
		fmt.Fprintf(a.stdout, l.T("%s: ok: %d arquivos conferem com o manifesto, evidências completas, nada em claro (%s, %s)\n",
			"%s: ok: %d files match the manifest, evidence complete, nothing in clear (%s, %s)\n"),
			path, len(m.Files), m.Verdict.Category, m.Ticket)
		if opts.PublicKey != nil {
			fmt.Fprintf(a.stdout, l.T("%s: assinatura conferida: chave %X\n", "%s: signature checked: key %X\n"), path, opts.PublicKey.ID())
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
		Use:   "send BUNDLE --to URL",
		Short: "Verify a bundle and post it to the Code team's intake",
		Long: `Verify the bundle (refusing what verify refuses) and post it to the team's intake webhook:
JSON metadata plus the zip, as multipart, with a bearer token read from an environment
variable (never from a flag) and an Idempotency-Key equal to the bundle's SHA-256, so that a
retried send never opens two tickets. Transport errors, 429 and 5xx are retried with
exponential backoff; exit 3 when the target stays unreachable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runSend(cmd.Context(), opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.to, "to", "", "the intake webhook's URL (http or https)")
	f.StringVar(&opts.tokenEnv, "token-env", "TRIAGEM_ESCALATION_TOKEN", "the environment variable holding the intake's bearer token")
	f.DurationVar(&opts.timeout, "timeout", 30*time.Second, "timeout of each attempt")
	f.IntVar(&opts.attempts, "attempts", 4, "attempts in all before giving up")
	f.DurationVar(&opts.backoff, "backoff", time.Second, "wait before the first retry, doubled on each one (a 429's Retry-After wins)")
	f.BoolVar(&opts.dryRun, "dry-run", false, "show what would be sent, and send nothing")
	f.StringVar(&opts.pub, "pub", "", "send only a bundle signed by this minisign public key `file`")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func (a *app) runSend(ctx context.Context, opts *sendOptions, path string) error {
	u, err := url.Parse(opts.to)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return inputError("--to: give the intake's http(s) URL")
	}
	if opts.attempts < 1 {
		return inputError("--attempts must be at least 1")
	}
	if a.getenv(opts.tokenEnv) != "" && !cleartext.TokenAllowed(u) {
		return inputError("--to: refusing to send $%s over plain http to a host other than this machine: use the intake's https:// URL (plain http is only for localhost, 127.0.0.0/8 and ::1)", opts.tokenEnv)
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
	so := evidence.SendOptions{URL: opts.to, Token: a.getenv(opts.tokenEnv), Timeout: opts.timeout, Attempts: opts.attempts, BaseBackoff: opts.backoff, UserAgent: "triagem/" + version()}
	if opts.dryRun {
		fmt.Fprint(a.stdout, evidence.DryRun(so, filepath.Base(path), data, meta))
		return nil
	}
	res, err := evidence.Send(ctx, so, filepath.Base(path), data, meta)
	var rejected *evidence.RejectedError
	switch {
	case errors.As(err, &rejected) && (rejected.Status == 401 || rejected.Status == 403):
		return &exitError{exitInput, fmt.Errorf("%v (check the token in $%s)", err, opts.tokenEnv)}
	case err != nil:
		// Unreachable after every attempt, rejected by the intake, or interrupted.
		return &exitError{exitDependency, err}
	}
	l := diagnose.Lang(a.lang)
	fmt.Fprintf(a.stdout, l.T("enviado: %s -> %s: HTTP %d após %d tentativa(s) (Idempotency-Key %s)\n", "sent: %s -> %s: HTTP %d after %d attempt(s) (Idempotency-Key %s)\n"),
		path, u.Scheme+"://"+u.Host+u.Path, res.Status, len(res.Attempts), res.IdempotencyKey)
	return nil
}
