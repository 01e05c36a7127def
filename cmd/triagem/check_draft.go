package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/internal/atomicfile"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// The partner's ticket draft (triagem check --ticket-draft DIR): caso.yaml is the case as
// `case new --redact` writes it (the same Redactor.Draft: no second redaction), and
// chamado.txt the text to paste into the ticket. Every value chamado.txt shows is read back
// from that redacted draft, never from the original case, so that it cannot hold what the
// draft masked.

const (
	draftTicketFile = "chamado.txt"
	draftCaseFile   = "caso.yaml"
)

const (
	partnerDraftHeadPT = `Caso para anexar ao chamado, gerado por triagem check --ticket-draft.
Sem segredos: a API Key vai como SHA-256 (credentials.api_key_sha256), o token sem a
assinatura (cabeçalho.claims.), senhas, cabeçalhos de credencial e dados pessoais mascarados.`
	partnerDraftHeadEN = `Case to attach to the ticket, written by triagem check --ticket-draft.
No secrets: the API key as its SHA-256 (credentials.api_key_sha256), the token without its
signature (header.claims.), passwords, credential headers and personal data masked.`
)

// writeTicketDraft writes chamado.txt and caso.yaml into opts.draftDir; it refuses to replace
// either without --force, and writes neither when it refuses.
func (a *app) writeTicketDraft(opts *checkOptions, rl *rules.Rules, c *diagnose.Case, v *diagnose.Verdict) error {
	dir := opts.draftDir
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return inputError("%s", a.T("--ticket-draft %s: não é uma pasta", "--ticket-draft %s: is not a folder", dir))
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return inputError("--ticket-draft %s: %s", dir, a.pathErr(err))
	}
	ticketPath, casePath := filepath.Join(dir, draftTicketFile), filepath.Join(dir, draftCaseFile)
	if !opts.force {
		for _, p := range []string{ticketPath, casePath} {
			if _, err := os.Lstat(p); err == nil {
				return inputError("%s", a.T("--ticket-draft: %s já existe; use --force para substituir", "--ticket-draft: %s exists; give --force to replace it", p))
			}
		}
	}
	rd, err := evidence.NewRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	doc, err := rd.Draft(c, diagnose.PayloadViolationPaths(c, rl), a.msg(partnerDraftHeadPT, partnerDraftHeadEN))
	if err != nil {
		return &exitError{exitBug, fmt.Errorf("%s", a.T("montando o rascunho: %v", "building the draft: %v", err))}
	}
	caseYAML, err := evidence.EncodeYAML(doc)
	if err != nil {
		return &exitError{exitBug, fmt.Errorf("%s", a.T("gravando o rascunho: %v", "writing the draft: %v", err))}
	}
	var masked draftView
	if err := yaml.Unmarshal(caseYAML, &masked); err != nil {
		return &exitError{exitBug, fmt.Errorf("%s", a.T("relendo o rascunho: %v", "reading the draft back: %v", err))}
	}
	ticket := a.ticketText(rl, v, &masked)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &exitError{exitDependency, fmt.Errorf("--ticket-draft %s: %s", dir, a.pathErr(err))}
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{casePath, caseYAML}, {ticketPath, []byte(ticket)}} {
		if err := atomicfile.Write(f.path, f.data, 0o644); err != nil {
			return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", f.path, a.pathErr(err)))}
		}
	}
	a.say(a.T("Rascunho do chamado gravado em %s: %s (o texto para colar) e %s (o caso, para anexar), sem segredos.",
		"Ticket draft written to %s: %s (the text to paste) and %s (the case, to attach), without secrets.",
		dir, draftTicketFile, draftCaseFile))
	return nil
}

// draftView is what chamado.txt reads of the redacted draft.
type draftView struct {
	Environment string `yaml:"environment"`
	Error       string `yaml:"error"`
	Request     struct {
		Method string `yaml:"method"`
		URL    string `yaml:"url"`
		Body   any    `yaml:"body"`
	} `yaml:"request"`
	Response struct {
		Status int `yaml:"status"`
	} `yaml:"response"`
	Credentials struct {
		User         string `yaml:"user"`
		APIKeySHA256 string `yaml:"api_key_sha256"`
	} `yaml:"credentials"`
}

// ticketText is chamado.txt: what fails, the questions a ticket should answer, and each of the
// procedure's mandatory details, present (with its value from the draft) or missing.
func (a *app) ticketText(rl *rules.Rules, v *diagnose.Verdict, d *draftView) string {
	l := a.language()
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	line(l.T("Chamado ao suporte da API de parceiros da CrefazOn", "Ticket to CrefazOn's partner API support"))
	line(l.T("(texto gerado por triagem check; sem segredos: a chave de API vai só como SHA-256 e o token sem a assinatura)",
		"(text written by triagem check; no secrets: the API key only as its SHA-256, the token without its signature)"))
	line("")
	line(l.T("O QUE FALHA", "WHAT FAILS"))
	if d.Request.URL != "" {
		line(l.T("Requisição: %s %s", "Request: %s %s", d.Request.Method, d.Request.URL))
	}
	if at, ok := verdictTime(v); ok {
		line(l.T("Enviada em: %s", "Sent on: %s", diagnose.PartnerTime(at, rl.Location(), l, true)))
	}
	if d.Response.Status != 0 {
		line(l.T("Status HTTP da resposta: %d", "Response HTTP status: %d", d.Response.Status))
	}
	if d.Error != "" {
		line(l.T("Mensagem de erro: %s", "Error message: %s", d.Error))
	}
	line(l.T("Resultado do triagem check: %s", "triagem check's result: %s", render.CategoryLabel(v.Category, l)))
	line("")
	line(l.T("PERGUNTAS (responda antes de enviar)", "QUESTIONS (answer them before sending)"))
	line(l.T("1. Desde quando a requisição falha? (data e hora da primeira falha)", "1. Since when has the request been failing? (date and time of the first failure)"))
	line(l.T("   Resposta:", "   Answer:"))
	switch v.Request.Environment {
	case "producao":
		line(l.T("2. A mesma requisição também falha em homologação?", "2. Does the same request fail in homologação (staging) too?"))
	case "homologacao":
		line(l.T("2. A mesma requisição também falha em produção, ou só em homologação?", "2. Does the same request fail in produção (production) too, or only in homologação?"))
	default:
		line(l.T("2. Em qual ambiente ela falha: homologação, produção ou os dois?", "2. In which environment does it fail: homologação (staging), produção (production) or both?"))
	}
	line(l.T("   Resposta:", "   Answer:"))
	line(l.T("3. Algo mudou do seu lado antes da falha? (versão da aplicação, chave de API, usuário, servidor, rede)",
		"3. Did anything change on your side before the failure? (application version, API key, user, server, network)"))
	line(l.T("   Resposta:", "   Answer:"))
	line("")
	line(l.T("INFORMAÇÕES OBRIGATÓRIAS DO CHAMADO", "MANDATORY DETAILS OF THE TICKET"))
	missing := map[string]bool{}
	for _, m := range v.MissingEvidence {
		missing[m] = true
	}
	for _, item := range diagnose.EvidenceItems {
		name := diagnose.EvidenceName(item, l)
		if missing[item] {
			line("✗ " + l.T("%s: FALTA, informe no chamado", "%s: MISSING, give it in the ticket", name))
			continue
		}
		value := draftValue(item, v, d, rl, l)
		if value == "" {
			line("✓ " + name)
		} else {
			// " — ", not ": ": a line "API Key usada: ..." reads as a credential header.
			line("✓ " + name + " — " + value)
		}
	}
	line("")
	line(l.T("ANEXO: %s, o caso sem segredos; com ele, o suporte confere a chave de API e o usuário nos cadastros da CrefazOn.",
		"ATTACHMENT: %s, the case without secrets; with it, support verifies the API key and the user in CrefazOn's records.", draftCaseFile))
	return b.String()
}

// draftValue is what chamado.txt shows of a present item, from the redacted draft.
func draftValue(item string, v *diagnose.Verdict, d *draftView, rl *rules.Rules, l diagnose.Lang) string {
	switch item {
	case "api_key":
		if d.Credentials.APIKeySHA256 != "" {
			return l.T("identificada pelo SHA-256 %s (a chave não vai no chamado)", "known by its SHA-256 %s (the key itself is not in the ticket)", d.Credentials.APIKeySHA256)
		}
	case "user":
		return d.Credentials.User
	case "environment":
		if e, ok := rl.Environment(v.Request.Environment); ok {
			return e.Name
		}
		return v.Request.Environment
	case "endpoint":
		return strings.TrimSpace(d.Request.Method + " " + d.Request.URL)
	case "payload":
		if d.Request.Body != nil {
			return l.T("em %s (request.body)", "in %s (request.body)", draftCaseFile)
		}
	case "timestamp":
		if at, ok := verdictTime(v); ok {
			return diagnose.PartnerTime(at, rl.Location(), l, true)
		}
	case "error_message":
		return d.Error
	}
	return ""
}

func verdictTime(v *diagnose.Verdict) (time.Time, bool) {
	if v.Request.At == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v.Request.At)
	return t, err == nil
}
