package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/intake"
	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/internal/casebuild"
	"github.com/crefazon/triagem/rules"
)

// pasteOptions are the flags that read the request from what a partner pasted.
type pasteOptions struct {
	curl, har, http string
	powershell      string
	entry           int // 1-based HAR entry; 0: the failing one
}

func (p *pasteOptions) given() int {
	n := 0
	for _, s := range []string{p.curl, p.har, p.http, p.powershell} {
		if s != "" {
			n++
		}
	}
	return n
}

// readPaste reads the pasted request, or returns nil when none was given.
func (a *app) readPaste(p *pasteOptions, rl *rules.Rules) (*intake.Request, error) {
	switch {
	case p.given() > 1:
		return nil, inputError("%s", a.T("informe só uma entre --from-curl, --from-powershell, --from-har e --from-http", "give one of --from-curl, --from-powershell, --from-har and --from-http"))
	case p.entry != 0 && p.har == "":
		return nil, inputError("%s", a.T("--entry só vale com --from-har", "--entry is for --from-har"))
	case p.curl != "":
		text, name, err := a.readArgOrFile(p.curl, "--from-curl")
		if err != nil {
			return nil, err
		}
		r, err := casebuild.Curl(text, a.readDataFile)
		if err != nil {
			return nil, a.pasteError(name, err)
		}
		return r, nil
	case p.powershell != "":
		text, name, err := a.readArgOrFile(p.powershell, "--from-powershell")
		if err != nil {
			return nil, err
		}
		r, err := casebuild.PowerShell(text, a.readDataFile)
		if err != nil {
			return nil, a.pasteError(name, err)
		}
		return r, nil
	case p.http != "":
		data, err := a.readPathOrStdin(p.http, "--from-http")
		if err != nil {
			return nil, err
		}
		r, err := intake.ParseHTTP(displayName(p.http), data)
		if err != nil {
			return nil, a.pasteError("", err)
		}
		return r, nil
	case p.har != "":
		return a.readHAR(p, rl)
	}
	return nil, nil
}

func (a *app) readHAR(p *pasteOptions, rl *rules.Rules) (*intake.Request, error) {
	data, err := a.readPathOrStdin(p.har, "--from-har")
	if err != nil {
		return nil, err
	}
	l := diagnose.Lang(a.lang)
	name := displayName(p.har)
	h, err := casebuild.HAR(name, data, rl)
	if err != nil {
		return nil, a.pasteError("", err)
	}
	if p.entry != 0 {
		if p.entry < 1 || p.entry > len(h.Entries) {
			return nil, inputError("%s", l.T("--entry %d: %s tem as entradas 1 a %d", "--entry %d: %s has entries 1 to %d", p.entry, name, len(h.Entries)))
		}
		if pr := h.Entries[p.entry-1].Problem; pr != nil {
			return nil, inputError("%s", l.T("--entry %d: %s: a entrada não pode ser lida: %s", "--entry %d: %s: the entry cannot be read: %s", p.entry, name, pr.Text(a.lang)))
		}
		r, err := h.Request(p.entry - 1)
		if err != nil {
			return nil, a.pasteError("", err)
		}
		return r, nil
	}
	r, failing, err := casebuild.FailingRequest(h)
	if err != nil {
		return nil, a.pasteError("", err)
	}
	if r != nil {
		return r, nil
	}
	// None or several: list them so support can choose, failing ones first.
	what := l.T("%d requisições à API de parceiros falharam", "%d failing requests to the partner API", len(failing))
	if len(failing) == 0 {
		what = l.T("nenhuma requisição à API de parceiros falhou (status 0 ou >= 400)", "no failing request to the partner API (status 0 or >= 400)")
	}
	return nil, inputError("%s: %s; %s:%s", name, what, l.T("escolha uma com --entry N", "choose one with --entry N"), harList(h, failing, l, 20))
}

// harList lists entries for choosing one: the failing ones first, then the others, at most
// max lines. A line shows the method, host, path and status, never the query (it may hold a
// token), credentials in the URL or a header.
func harList(h *intake.HAR, failing []intake.HAREntry, l diagnose.Lang, max int) string {
	list := append([]intake.HAREntry(nil), failing...)
	listed := map[int]bool{}
	for _, e := range failing {
		listed[e.Index] = true
	}
	for _, e := range h.Entries {
		if !listed[e.Index] {
			list = append(list, e)
		}
	}
	var b strings.Builder
	for i, e := range list {
		if i == max {
			fmt.Fprintf(&b, "\n  %s", l.T("e mais %d", "and %d more", len(list)-max))
			break
		}
		status := fmt.Sprintf("%3d", e.Status)
		if e.Problem != nil {
			status = l.T("ilegível", "unreadable")
		}
		fmt.Fprintf(&b, "\n  --entry %-3d %-7s %s  %s", e.Index+1, harListMethod(e.Method), status, harListTarget(e.URL))
	}
	return b.String()
}

func harListMethod(m string) string {
	if len(m) > 7 || strings.ContainsAny(m, " \t\r\n") {
		return "?"
	}
	return m
}

// harListTarget is host and path of a URL, without user, password, query or fragment.
func harListTarget(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "?"
	}
	p := u.EscapedPath()
	// A document in the path (/clientes/52998224725) is personal data: masked.
	for _, m := range slices.Backward(brdoc.FindAll(p)) {
		p = p[:m.Start] + strings.Repeat("*", m.End-m.Start) + p[m.End:]
	}
	if len(p) > 60 {
		p = p[:57] + "..."
	}
	return u.Host + p
}

// pasteError keeps a parser's positioned error as input (exit 2), naming the source, in the
// chosen language.
func (a *app) pasteError(name string, err error) error {
	msg := intake.Localize(err, a.lang)
	if name != "" && !strings.HasPrefix(msg, name) {
		return inputError("%s: %s", name, msg)
	}
	return &exitError{exitInput, errors.New(msg)}
}

// readArgOrFile reads a flag that is the text itself, @FILE, or - for standard input.
func (a *app) readArgOrFile(v, flag string) (text, name string, err error) {
	switch {
	case v == "-":
		b, err := a.readStdin(a.stdin,
			"à espera do texto colado na entrada padrão.",
			"waiting for the pasted text on standard input.")
		if err != nil {
			return "", "", inputError("%s -: %v", flag, err)
		}
		return string(b), "stdin", nil
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return "", "", inputError("%s %s: %s", flag, v, a.pathErr(err))
		}
		return string(b), v[1:], nil
	}
	return v, flag, nil
}

// readPathOrStdin reads a file flag, or standard input for -.
func (a *app) readPathOrStdin(path, flag string) ([]byte, error) {
	if path == "-" {
		b, err := a.readStdin(a.stdin,
			"à espera do arquivo na entrada padrão.",
			"waiting for the file on standard input.")
		if err != nil {
			return nil, inputError("%s -: %v", flag, err)
		}
		return b, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, inputError("%s %s: %s", flag, path, a.pathErr(err))
	}
	return b, nil
}

// readDataFile reads curl's @file arguments, relative to the current folder.
func (a *app) readDataFile(name string) ([]byte, error) {
	if name == "-" {
		return a.readStdin(a.stdin,
			"à espera do corpo da requisição (o @- do curl) na entrada padrão.",
			"waiting for the request body (curl's @-) on standard input.")
	}
	return os.ReadFile(name)
}

func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}
