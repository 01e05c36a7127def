package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/internal/casebuild"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/render"
)

type diagnoseOptions struct {
	args      []string
	overrides diagnose.Overrides
	tokenKey  string
	jsonl     string
	paste     pasteOptions
}

const diagnoseExamplePT = `  # um arquivo de caso (YAML ou JSON), o exemplo que acompanha o triagem:
  triagem diagnose testdata/cases/token-expirado.yaml --directory testdata/directory.yaml

  # a mesma requisição contada com flags, a partir de um chamado:
  triagem diagnose --url https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise \
    --at "20/11/2026 23:30" --user alfa.maria --error "Token expirado"

  # todos os casos de uma pasta, em JSON Lines para um script:
  triagem diagnose testdata/cases -o json`

const diagnoseExampleEN = `  # a case file (YAML or JSON), the bundled example:
  triagem diagnose testdata/cases/token-expirado.yaml --directory testdata/directory.yaml

  # the same request told with flags, from a ticket:
  triagem diagnose --url https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise \
    --at "20/11/2026 23:30" --user alfa.maria --error "Token expirado"

  # every case of a folder, as JSON Lines for a script:
  triagem diagnose testdata/cases -o json`

// caseFlags are the flags that give or override a case's fields; diagnose and escalate share them.
type caseFlags struct {
	url, method, at, apiKey, user, token, payload, errText, env, product, ticket string
	status                                                                       int
	lang                                                                         diagnose.Lang // of the flags' messages
}

func (cf *caseFlags) register(f *pflag.FlagSet, l diagnose.Lang) {
	cf.lang = l
	f.StringVar(&cf.url, "url", "", l.T("a URL da requisição", "the request's URL"))
	f.StringVar(&cf.method, "method", "", l.T("o método HTTP da requisição", "the request's HTTP method"))
	f.StringVar(&cf.at, "at", "", l.T("quando a requisição foi enviada (RFC 3339, AAAA-MM-DD HH:MM[:SS] ou DD/MM/AAAA HH:MM[:SS])",
		"when the request was sent (RFC 3339, YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS])"))
	f.StringVar(&cf.apiKey, "api-key", "", l.T("a API Key usada", "the API key used"))
	f.StringVar(&cf.user, "user", "", l.T("o login que gerou o token", "the login that generated the token"))
	f.StringVar(&cf.token, "token", "", l.T("o token enviado (JWT); substitui o do cabeçalho Authorization", "the token sent (JWT); replaces the Authorization header's"))
	f.StringVar(&cf.payload, "payload", "", l.T("o corpo da requisição: o próprio texto, ou @ARQUIVO", "the request body: the text itself, or @FILE"))
	f.StringVar(&cf.errText, "error", "", l.T("a mensagem de erro que o parceiro viu", "the error message the partner saw"))
	f.IntVar(&cf.status, "status", 0, l.T("o status HTTP da resposta", "the HTTP status of the response"))
	f.StringVar(&cf.env, "env", "", l.T("o ambiente: homologacao ou producao (o host da URL prevalece)", "the environment: homologacao or producao (the URL's host wins)"))
	f.StringVar(&cf.product, "product", "", l.T("o produto, pelo id ou por um apelido (\"Luz em Dia\", consignado)", "the product, by id or alias (\"Luz em Dia\", consignado)"))
	f.StringVar(&cf.ticket, "ticket", "", l.T("o número do chamado de suporte", "the support ticket's id"))
}

// overrides returns the fields given on the command line; a flag not given leaves the case's.
func (cf *caseFlags) overrides(f *pflag.FlagSet) (diagnose.Overrides, error) {
	str := func(name string, v *string) *string {
		if f.Changed(name) {
			return v
		}
		return nil
	}
	o := diagnose.Overrides{
		URL: str("url", &cf.url), Method: str("method", &cf.method), At: str("at", &cf.at),
		APIKey: str("api-key", &cf.apiKey), User: str("user", &cf.user), Token: str("token", &cf.token),
		Error: str("error", &cf.errText), Env: str("env", &cf.env), Product: str("product", &cf.product),
		Ticket: str("ticket", &cf.ticket),
	}
	if f.Changed("status") {
		o.Status = &cf.status
	}
	if f.Changed("payload") {
		p, err := readPayloadFlag(cf.payload, cf.lang)
		if err != nil {
			return o, err
		}
		o.Payload = &p
	}
	return o, nil
}

func (a *app) newDiagnoseCommand() *cobra.Command {
	opts := &diagnoseOptions{}
	cf := &caseFlags{}
	cmd := &cobra.Command{
		Use: a.T("diagnose [CASO|PASTA|-]...", "diagnose [CASE|DIR|-]..."),
		Short: a.T("Aplica a cadeia de verificações do procedimento a requisições com falha e mostra o veredito",
			"Run the procedure's validation chain on failing requests and print the verdict"),
		Long: a.T(`Aplica a cadeia de verificações do procedimento a um ou mais casos e mostra um veredito
para cada um.

Um caso é um arquivo YAML ou JSON (o conteúdo diz qual), "-" para a entrada padrão, ou uma
pasta de arquivos de caso (*.yaml, *.yml, *.json). As flags dão ou substituem qualquer campo
do caso; só com flags, elas são o caso. Horários sem fuso são a hora local do fuso das regras
(America/Sao_Paulo).`,
			`Run the procedure's validation chain on one or more cases and print a verdict for each.

A case is a YAML or JSON file (told apart by content), "-" for standard input, or a folder
of case files (*.yaml, *.yml, *.json). Flags give or override any field of the case; with
flags alone, they are the case. Times without an offset are local time in the rules' time
zone (America/Sao_Paulo).`),
		Example: a.T(diagnoseExamplePT, diagnoseExampleEN),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.args = args
			var err error
			if opts.overrides, err = cf.overrides(cmd.Flags()); err != nil {
				return err
			}
			return a.runDiagnose(cmd.Context(), opts)
		},
	}
	cf.register(cmd.Flags(), a.language())
	a.registerPasteFlags(cmd.Flags(), &opts.paste)
	cmd.Flags().StringVar(&opts.jsonl, "jsonl", "", a.T("um `ARQUIVO` JSON Lines de casos, um por linha (- para a entrada padrão), lido aos poucos",
		"a JSON Lines `FILE` of cases, one per line (- for standard input), streamed"))
	cmd.Flags().BoolVar(&a.allChecks, "all", false, a.T("lista todas as verificações, também as que passaram (por padrão, elas viram uma linha de resumo)",
		"list every check, the passing ones too (by default they are one summary line)"))
	cmd.Flags().StringVar(&opts.tokenKey, "token-key", "", a.T("verifica a assinatura dos tokens: um `ARQUIVO` com uma chave pública PEM ou um segredo HMAC, ou env:VAR para um segredo numa variável",
		"verify token signatures: a `FILE` holding a PEM public key or an HMAC secret, or env:VAR for a secret in a variable"))
	return cmd
}

func readPayloadFlag(v string, l diagnose.Lang) (string, error) {
	name, ok := strings.CutPrefix(v, "@")
	if !ok {
		return v, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", inputError("--payload %s: %s", v, pathErrText(l, err))
	}
	return string(b), nil
}

// caseInput is one case to diagnose, read or failed to read.
type caseInput struct {
	name string
	data []byte
	err  error

	jsonl bool   // one line of a JSON Lines input
	file  string // its file, and
	line  int    // its line there
}

func (a *app) runDiagnose(ctx context.Context, opts *diagnoseOptions) error {
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	refs, err := a.collectCases(opts.args)
	if err != nil {
		return err
	}
	many := len(refs) > 1 || opts.jsonl != ""
	// The journal opens while the cases are read and judged (pendingJournal); for one case
	// that names no ticket, only if its verdict turns out to be recorded after all.
	rule := journal.IncidentRule{Partners: rl.IncidentPartners(), Window: rl.IncidentWindow()}
	var pj *pendingJournal
	if many || mayRecord(a, opts, refs) {
		pj = a.startJournal(ctx, many, rule)
	} else {
		pj = a.lazyJournal(ctx, rule)
	}
	defer a.endJournal(pj)
	pasted, err := a.readPaste(&opts.paste, rl)
	if err != nil {
		return err
	}
	if pasted != nil && (len(refs) > 1 || opts.jsonl != "") {
		return inputError("%s", a.T("uma requisição colada (--from-curl, --from-powershell, --from-har, --from-http) vai com no máximo um arquivo de caso",
			"a pasted request (--from-curl, --from-powershell, --from-har, --from-http) goes with at most one case file"))
	}
	var jsonl io.Reader
	jsonlName := ""
	if opts.jsonl != "" {
		r, name, closeFn, err := a.openJSONL(opts.jsonl)
		if err != nil {
			return err
		}
		defer closeFn()
		jsonl, jsonlName = r, name
	}
	if len(refs) == 0 && jsonl == nil {
		if opts.overrides == (diagnose.Overrides{}) && pasted == nil {
			return inputError("%s", a.T("nenhum caso: informe um arquivo de caso, uma pasta de casos, - para a entrada padrão, --jsonl, ou os campos da requisição como flags (veja 'triagem diagnose --help')",
				"no case: give a case file, a folder of cases, - for standard input, --jsonl, or the request's fields as flags (see 'triagem diagnose --help')"))
		}
		name := "flags"
		if pasted != nil && pasted.Source != "" {
			name = pasted.Source
		}
		refs = []caseRef{{name: name, fromFlags: true}}
	}
	chain := &diagnose.Chain{Rules: rl, Lang: diagnose.Lang(a.lang), Signature: a.signature}
	if chain.TokenKey, err = a.loadTokenKey(opts.tokenKey); err != nil {
		return err
	}
	dir, err := a.openDirectory()
	if err != nil {
		return err
	}
	if dir != nil && many {
		// Many cases against one snapshot: index it once rather than scan it per case (at
		// the default GC target, so that reading it leaves no more garbage than it keeps).
		if dir, err = a.indexDirectory(dir); err != nil {
			return err
		}
	}
	if many && a.getenv("GOGC") == "" {
		// A batch keeps little alive besides the directory's entries (a bounded window of
		// cases, bounded caches), so collecting less often buys throughput...
		debug.SetGCPercent(400)
	}
	if many && a.getenv("GOMEMLIMIT") == "" {
		// ... within a soft limit of what the heap holds once the directory is in memory
		// plus room for the cases in flight and the caches (batchRoom): the 400 % above
		// alone would let the heap grow to five times what is live (README, Speed).
		debug.SetMemoryLimit(batchMemoryLimit())
	}
	if dir != nil {
		chain.Dir = dir
	}

	total := int64(len(refs))
	if jsonl != nil {
		total = -1 // unknown until read
	}
	b := a.newBatch(chain, opts.overrides, total)
	b.journal, b.alone = pj, !many
	b.pasted = pasted
	if pasted != nil {
		b.pastedNotes = pasted.NoteTexts(a.lang)
	}
	produce := produceRefs(refs)
	if jsonl != nil {
		files := produce
		lines := produceJSONL(jsonlName, jsonl, a.language())
		produce = func(ctx context.Context, emit func(caseInput) error) error {
			if err := files(ctx, emit); err != nil {
				return err
			}
			return lines(ctx, emit)
		}
	}
	tally, worst, err := b.run(ctx, produce)
	if err != nil {
		return err
	}
	if err := b.journalErr(); err != nil {
		worst = max(worst, exitDependency)
		defer a.say("triagem: " + err.Error())
	}
	if many {
		var err error
		switch a.output {
		case "json":
			// Scripts read stdout as JSON Lines of verdicts: the summary is JSON too, on stderr.
			err = render.SummaryJSON(a.stderr, tally)
		case "reply":
			// stdout holds only the replies, ready to paste: the summary goes to stderr.
			err = render.Summary(a.stderr, tally, diagnose.Lang(a.lang), a.screen())
		default:
			io.WriteString(a.stdout, "\n")
			err = render.Summary(a.stdout, tally, diagnose.Lang(a.lang), a.screen())
		}
		if err != nil {
			return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando o resumo: %v", "writing the summary: %v", err))}
		}
	}
	if worst != exitOK {
		return exitCodeOnly(worst)
	}
	return nil
}

// diagnoseCase reads one case, applies the flags and runs the chain.
// pasted, when given, changes the case before the flags do.
func (a *app) diagnoseCase(ctx context.Context, chain *diagnose.Chain, in caseInput, o diagnose.Overrides, pasted *intake.Request) (*diagnose.Case, *diagnose.Verdict, error) {
	c, err := buildCase(in, o, pasted)
	if err != nil {
		return nil, nil, err
	}
	v, err := a.runChain(ctx, chain, c)
	if err != nil {
		var ie *diagnose.InputError
		if errors.As(err, &ie) {
			return c, nil, relocate(err, in) // the case, so that the error is masked with its secrets
		}
		return nil, nil, err
	}
	return c, v, nil
}

// runChain diagnoses a built case; an error that is not the input's comes from the directory.
func (a *app) runChain(ctx context.Context, chain *diagnose.Chain, c *diagnose.Case) (*diagnose.Verdict, error) {
	v, err := chain.Diagnose(ctx, c)
	if err != nil {
		var ie *diagnose.InputError
		if errors.As(err, &ie) {
			return nil, err
		}
		var ue *directory.UnreachableError
		if errors.As(err, &ue) {
			// In Portuguese without the network library's English, which --lang en shows.
			return nil, &exitError{exitDependency, errors.New(ue.Text(string(a.language())))}
		}
		return nil, &exitError{directoryExitCode(chain.Dir), fmt.Errorf("%s", a.T("diretório %s: %v", "directory %s: %v", chain.Dir.Source(), a.directoryError(err)))}
	}
	return v, nil
}

// buildCase builds a case from a case file (or none), a pasted request and the flags, through
// casebuild.Build, the one place the CLI and the browser page build cases.
func buildCase(in caseInput, o diagnose.Overrides, pasted *intake.Request) (*diagnose.Case, error) {
	if in.err != nil {
		return nil, in.err
	}
	c, err := casebuild.Build(in.name, in.data, o, pasted)
	if err != nil {
		return nil, relocate(err, in)
	}
	return c, nil
}

// directoryExitCode: a snapshot file was read whole when opened, so its lookups fail only on
// malformed content, which is bad input (2); any other directory failing is a dependency (3).
func directoryExitCode(d directory.Directory) int {
	switch d.(type) {
	case *directory.Snapshot, *directory.Index, *directory.Indexed, *directory.Packed:
		return exitInput
	}
	return exitDependency
}

// indexDirectory reads a snapshot's entries into memory once, for a batch of cases: packed
// (directory.Packed, a third of the Index's memory), read from the file in one streaming
// pass when the snapshot is a regular file, or else (a pipe) from the bytes already read. A snapshot that
// does not pack (one the Index refuses, a YAML file only the yaml library reads, a file
// that changed while it was read) takes the Index road, which answers or fails as before.
func (a *app) indexDirectory(d directory.Directory) (directory.Directory, error) {
	switch s := d.(type) {
	case *directory.Indexed:
		if p, ok := s.Pack(); ok {
			return p, nil
		}
	case *directory.Snapshot:
		if st, err := os.Stat(a.directoryPath); err == nil && st.Mode().IsRegular() {
			// --no-cache: the file was read whole. Its bytes are let go and collected
			// before it is packed from the file, so that they and the packed entries are
			// never in memory together (123 MB at the peak for 100,000 cases against a
			// 100k+100k snapshot when packed from the bytes).
			d, s = nil, nil
			runtime.GC()
			if p, ok := directory.PackFile(a.directoryPath); ok {
				return p, nil
			}
			var err error
			if d, err = directory.Open(a.directoryPath); err != nil {
				return nil, &exitError{exitInput, a.fileError(a.directoryPath, directoryFile, err)}
			}
		} else if p, ok := s.Pack(); ok {
			return p, nil
		}
	}
	if ix, ok := d.(*directory.Indexed); ok {
		s, err := ix.Snapshot()
		if err != nil {
			return nil, &exitError{exitInput, a.fileError(a.directoryPath, directoryFile, err)}
		}
		d = s
	}
	s, ok := d.(*directory.Snapshot)
	if !ok {
		return d, nil
	}
	x, err := s.Index()
	if err != nil {
		return nil, &exitError{exitInput, fmt.Errorf("%s", a.T("diretório %s", "directory %s", a.directoryError(err)))}
	}
	return x, nil
}

// batchRoom is what a batch's heap may hold past the directory's entries: the window of
// cases in flight and the redactors' bounded caches keep 15-25 MB alive (GODEBUG=gctrace=1
// on 100,000 varied cases), and the rest is room for garbage, so that the collector runs
// once per 300-400 cases. Beside 48 MiB, on 20,000 cases against a 100k+100k snapshot: a
// peak of 87 MB against 95, for about 15 % more collection work (README, Speed).
const batchRoom = 44 << 20

// batchFloor is the least a batch's soft memory limit is, a little above what a 100k+100k
// snapshot's entries plus batchRoom come to: a batch against a snapshot up to that size
// peaks at about 94 MB (the binary's own pages included), and a smaller snapshot leaves its
// share to the garbage, so that the collector runs less often (20,000 cases, 20k+20k
// snapshot: 1.02x the CPU of the 256 MiB limit this replaced, against 1.19x without a floor).
const batchFloor = 84 << 20

// batchMemoryLimit is a batch's soft memory limit: what the runtime needs once the
// directory's entries are in memory (a collection first, so that the garbage left by
// reading them is not counted), plus batchRoom; at least batchFloor.
func batchMemoryLimit() int64 {
	runtime.GC()
	sample := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(sample)
	var held int64
	for i, s := range sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return math.MaxInt64 // no figure: no limit
		}
		if i == 0 {
			held += int64(s.Value.Uint64())
		} else {
			held -= int64(s.Value.Uint64())
		}
	}
	return max(held+batchRoom, batchFloor)
}

// caseRef names a case to read: a file, standard input, or the flags alone.
type caseRef struct {
	name      string
	path      string
	stdin     []byte // standard input, read once
	ahead     []byte // the file, read ahead (mayRecord)
	fromFlags bool
	err       error
	lang      diagnose.Lang // of a read error's message
}

// read reads the case's text when a worker is about to need it, so that a folder of ten
// thousand cases is never all in memory.
func (r caseRef) read() caseInput {
	switch {
	case r.err != nil:
		return caseInput{name: r.name, err: r.err}
	case r.fromFlags:
		return caseInput{name: r.name}
	case r.stdin != nil:
		return caseInput{name: r.name, data: r.stdin}
	case r.ahead != nil:
		return caseInput{name: r.name, data: r.ahead}
	}
	data, err := os.ReadFile(r.path)
	if err != nil {
		return caseInput{name: r.name, err: inputError("%s: %s", r.path, pathErrText(r.lang, err))}
	}
	return caseInput{name: r.name, data: data}
}

// mayRecord tells whether a single diagnosis may be recorded in the journal, before its
// case is parsed: with --journal, with --ticket, with a pasted request, or when the case's
// text holds the word "ticket" in any case (the key a case file names its ticket by; a
// value, a comment or an escaped key only makes the guess wrong the safe way). A case file
// is read here for that, once: the worker gets what was read. When the guess is no and the
// verdict names a ticket after all, the journal opens when it is recorded (lazyJournal).
func mayRecord(a *app, opts *diagnoseOptions, refs []caseRef) bool {
	if a.journal.explicit || opts.overrides.Ticket != nil || opts.paste.given() > 0 {
		return true
	}
	if len(refs) != 1 {
		return len(refs) > 1
	}
	r := &refs[0]
	data := r.stdin
	if data == nil && r.err == nil && !r.fromFlags {
		ahead, err := os.ReadFile(r.path)
		if err != nil {
			return false // the case fails to read (again, in the worker): no verdict
		}
		r.ahead, data = ahead, ahead
	}
	return containsTicket(data)
}

// containsTicket tells whether b holds "ticket" in any mix of cases, without a lowered copy
// of a case that may hold megabytes of payload.
func containsTicket(b []byte) bool {
	for i := 0; i+len("ticket") <= len(b); i++ {
		j := bytes.IndexAny(b[i:], "tT")
		if j < 0 {
			return false
		}
		i += j
		if i+len("ticket") <= len(b) && bytes.EqualFold(b[i:i+len("ticket")], []byte("ticket")) {
			return true
		}
	}
	return false
}

// collectCases lists the case arguments: files, folders (their *.yaml, *.yml and *.json, in
// name order) and "-" for standard input. A file that cannot be read becomes an error of its
// own, so the other cases still run.
func (a *app) collectCases(args []string) ([]caseRef, error) {
	var out []caseRef
	stdinUsed := false
	for _, arg := range args {
		if arg == "-" {
			if stdinUsed {
				return nil, inputError("%s", a.T("- (a entrada padrão) informado duas vezes", "- (standard input) given twice"))
			}
			stdinUsed = true
			data, err := a.readStdin(a.stdin,
				"à espera do caso (YAML ou JSON) na entrada padrão.",
				"waiting for the case (YAML or JSON) on standard input.")
			if err != nil {
				return nil, &exitError{exitInput, fmt.Errorf("%s", a.T("lendo a entrada padrão: %v", "reading standard input: %v", err))}
			}
			if data == nil {
				data = []byte{}
			}
			out = append(out, caseRef{name: "stdin", stdin: data})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			out = append(out, caseRef{name: arg, err: inputError("%s: %s", arg, a.pathErr(err))})
			continue
		}
		if !st.IsDir() {
			out = append(out, caseRef{name: arg, path: arg, lang: a.language()})
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != arg && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".yaml", ".yml", ".json":
				if !d.IsDir() {
					files = append(files, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, inputError("%s: %s", arg, a.pathErr(err))
		}
		if len(files) == 0 {
			return nil, inputError("%s", a.T("%s: nenhum arquivo de caso (*.yaml, *.yml, *.json) nesta pasta", "%s: no case files (*.yaml, *.yml, *.json) in this folder", arg))
		}
		sort.Strings(files)
		for _, f := range files {
			out = append(out, caseRef{name: f, path: f, lang: a.language()})
		}
	}
	return out, nil
}

// loadTokenKey reads --token-key: env:VAR, or a file with a PEM public key or HMAC secret.
// The key's text never reaches a message.
func (a *app) loadTokenKey(spec string) (*diagnose.TokenKey, error) {
	if spec == "" {
		return nil, nil
	}
	var material []byte
	source := spec
	if name, ok := strings.CutPrefix(spec, "env:"); ok {
		v := a.getenv(name)
		if v == "" {
			return nil, inputError("%s", a.T("--token-key %s: a variável %s está vazia ou não existe", "--token-key %s: the variable %s is empty or unset", spec, name))
		}
		material = []byte(v)
		source = "$" + name
	} else {
		b, err := os.ReadFile(spec)
		if err != nil {
			return nil, inputError("--token-key %s: %s", spec, a.pathErr(err))
		}
		material = b
	}
	k, err := diagnose.NewTokenKey(material, source)
	if err != nil {
		return nil, inputError("%s", a.T("--token-key: o arquivo não traz uma chave pública PEM nem um segredo HMAC utilizável", fmt.Sprintf("--token-key: %v", err)))
	}
	return k, nil
}
