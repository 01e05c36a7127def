// Package selfcheck is what the partners' self-check page runs in the browser (compiled to
// WebAssembly by cmd/triagem-wasm): a pasted request or case file in, the verdict, the reply
// and a ticket text out, every string masked. It has no directory, so the checks of the API
// key's status and of the user's binding to it are left to CrefazOn's support.
package selfcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/internal/casebuild"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// Input is what the page sends.
type Input struct {
	Text string `json:"text"`
	// Kind is how to read Text: curl, powershell, har, http, case, or "" to tell from the text.
	Kind string `json:"kind,omitempty"`
	Lang string `json:"lang,omitempty"` // "en" or pt-BR (anything else)
	// At is when the request was sent, when the paste does not say (as diagnose's --at).
	At    string `json:"at,omitempty"`
	Entry int    `json:"entry,omitempty"` // a HAR's 1-based entry; 0: its one failing request
}

// Output is what the page shows. Every string in it went through the case's redactor.
type Output struct {
	Kind     string            `json:"kind,omitempty"` // how the text was read
	Verdict  *diagnose.Verdict `json:"verdict,omitempty"`
	Category string            `json:"category_label,omitempty"`
	Action   string            `json:"action_label,omitempty"`
	Reply    string            `json:"reply,omitempty"`
	Ticket   string            `json:"ticket,omitempty"` // Markdown to paste into a ticket
	// Draft is the case file to attach to the ticket, without secrets: the API key as its
	// SHA-256, the token without its signature, passwords and personal data masked (the same
	// draft as triagem case new --redact and check --ticket-draft).
	Draft string `json:"draft,omitempty"`
	// CrefazOnOnly says, in the page's language, what only CrefazOn's support can verify.
	CrefazOnOnly string `json:"crefazon_only,omitempty"`
	Error        string `json:"error,omitempty"`
}

// Run diagnoses one input. It never fails: a bad input comes back as Output.Error, masked.
func Run(in Input) Output {
	l := diagnose.Lang("pt-BR")
	if in.Lang == "en" {
		l = "en"
	}
	rl, err := rules.Default()
	if err != nil {
		return Output{Error: l.T("regras embutidas: %v", "embedded rules: %v", err)}
	}
	kind := in.Kind
	if kind == "" {
		kind = Detect(in.Text)
	}
	out := Output{Kind: kind}
	c, notes, pasted, err := build(in, kind, rl, l)
	if err != nil {
		rd := casebuild.Redactor(rl, c)
		if c == nil {
			rd.LearnText(in.Text)
		}
		out.Error = rd.Output(err.Error())
		return out
	}
	chain := &diagnose.Chain{Rules: rl, Lang: l}
	v, err := chain.Diagnose(context.Background(), c)
	rd := casebuild.Redactor(rl, c)
	if err != nil {
		out.Error = rd.Output(err.Error())
		return out
	}
	v.Intake = casebuild.Intake(notes, pasted, c, l)
	rd.Verdict(v)
	var reply, ticket bytes.Buffer
	if err := render.Reply(&reply, v); err != nil {
		out.Error = err.Error()
		return out
	}
	if err := render.Markdown(&ticket, v); err != nil {
		out.Error = err.Error()
		return out
	}
	out.Verdict = v
	out.Category = render.CategoryLabel(v.Category, l)
	out.Action = render.ActionLabel(v.Action, l)
	// Already masked by rd.Verdict; masked again as a whole, since the layout joins strings.
	out.Reply = rd.Output(strings.TrimRight(reply.String(), "\n"))
	out.Ticket = rd.Output(ticket.String())
	if drd, err := evidence.NewRedactor(rl.Redaction); err == nil {
		head := l.T("Caso para anexar ao chamado, gerado pela página de autoverificação do triagem. Sem segredos: a API Key vai como SHA-256, o token sem a assinatura, senhas e dados pessoais mascarados.",
			"Case to attach to the ticket, written by triagem's self-check page. No secrets: the API key travels as its SHA-256, the token without its signature, passwords and personal data masked.")
		if doc, err := drd.Draft(c, diagnose.PayloadViolationPaths(c, rl), head); err == nil {
			if b, err := evidence.EncodeYAML(doc); err == nil {
				out.Draft = string(b)
			}
		}
	}
	out.CrefazOnOnly = l.T(
		"Esta página não consulta o cadastro da CrefazOn: se a API Key está ativa e se o usuário do token pertence a ela só o suporte da CrefazOn verifica. Se o problema continuar, abra um chamado com o texto abaixo.",
		"This page does not look up CrefazOn's records: whether the API key is active and whether the token's user belongs to it only CrefazOn's support can verify. If the problem persists, open a ticket with the text below.")
	return out
}

// Warm runs the chain once on a request without secrets, so that the page's first verdict
// does not pay for reading the rules and for the browser's first compilation of the code.
func Warm() {
	Run(Input{Text: "curl -X POST https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise -d '{}'", At: "2026-11-20 10:00"})
}

// build reads the input as kind and builds the case through casebuild, as the CLI does.
func build(in Input, kind string, rl *rules.Rules, l diagnose.Lang) (*diagnose.Case, []string, bool, error) {
	var o diagnose.Overrides
	if at := strings.TrimSpace(in.At); at != "" {
		o.At = &at
	}
	if kind == "case" {
		c, err := casebuild.Build("caso", []byte(in.Text), o, nil)
		return c, nil, false, err
	}
	r, err := readPaste(in, kind, rl, l)
	if err != nil {
		return nil, nil, false, err
	}
	c, err := casebuild.Build(r.Source, nil, o, r)
	if err != nil {
		return nil, nil, false, err
	}
	return c, r.NoteTexts(string(l)), true, nil
}

// noFiles refuses curl's @file and @- arguments: in a browser there is no file to read.
func noFiles(name string) ([]byte, error) {
	return nil, errors.New("files cannot be read in the browser: paste the body with -d instead of @" + name)
}

func readPaste(in Input, kind string, rl *rules.Rules, l diagnose.Lang) (*intake.Request, error) {
	var (
		r   *intake.Request
		err error
	)
	switch kind {
	case "curl":
		r, err = casebuild.Curl(in.Text, noFiles)
	case "powershell":
		r, err = casebuild.PowerShell(in.Text, noFiles)
	case "http":
		r, err = intake.ParseHTTP("http", []byte(in.Text))
	case "har":
		return readHAR(in, rl, l)
	default:
		return nil, errors.New(l.T("tipo de entrada desconhecido: %s (curl, powershell, har, http ou case)",
			"unknown input kind: %s (curl, powershell, har, http or case)", kind))
	}
	if err != nil {
		return nil, errors.New(intake.Localize(err, string(l)))
	}
	return r, nil
}

func readHAR(in Input, rl *rules.Rules, l diagnose.Lang) (*intake.Request, error) {
	h, err := casebuild.HAR("har", []byte(in.Text), rl)
	if err != nil {
		return nil, errors.New(intake.Localize(err, string(l)))
	}
	if in.Entry != 0 {
		if in.Entry < 1 || in.Entry > len(h.Entries) {
			return nil, errors.New(l.T("entrada %d: o HAR tem as entradas 1 a %d", "entry %d: the HAR has entries 1 to %d", in.Entry, len(h.Entries)))
		}
		r, err := h.Request(in.Entry - 1)
		if err != nil {
			return nil, errors.New(intake.Localize(err, string(l)))
		}
		return r, nil
	}
	r, failing, err := casebuild.FailingRequest(h)
	if err != nil {
		return nil, errors.New(intake.Localize(err, string(l)))
	}
	if r != nil {
		return r, nil
	}
	if len(failing) == 0 {
		return nil, errors.New(l.T("nenhuma requisição à API de parceiros falhou neste HAR (status 0 ou >= 400)",
			"no request to the partner API failed in this HAR (status 0 or >= 400)"))
	}
	var nums []string
	for _, e := range failing {
		nums = append(nums, fmt.Sprint(e.Index+1))
	}
	return nil, errors.New(l.T("%d requisições à API de parceiros falharam neste HAR (entradas %s): escolha uma no campo Entrada do HAR",
		"%d requests to the partner API failed in this HAR (entries %s): choose one in the HAR entry field",
		len(failing), strings.Join(nums, ", ")))
}

// curlLine is a curl command's first line, maybe after a shell's prompt (C:\Users\maria>, $),
// compiled when a paste is first detected rather than when the page's program starts.
var curlLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(?:[^\s>]*>\s*|[$#]\s*)?curl(?:\.exe)?(?:\s|$)`)
})

// Detect tells what was pasted: a HAR (JSON with a "log"), a case file in JSON, a curl or
// PowerShell command, a raw HTTP request, or else a case file in YAML.
func Detect(text string) string {
	t := strings.TrimSpace(strings.TrimPrefix(text, "\ufeff"))
	if strings.HasPrefix(t, "{") {
		if strings.Contains(t[:min(len(t), 200)], `"log"`) {
			return "har"
		}
		return "case"
	}
	if intake.LooksLikePowerShell(t) {
		return "powershell"
	}
	first, _, _ := strings.Cut(t, "\n")
	first = strings.TrimSpace(first)
	if curlLine().MatchString(first) {
		return "curl"
	}
	if f := strings.Fields(first); len(f) == 3 && strings.HasPrefix(f[2], "HTTP/") {
		return "http"
	}
	return "case"
}
