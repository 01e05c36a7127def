package main

import (
	"fmt"
	"os"
	"strings"

	"triagem/diagnose"
	"triagem/intake"
	"triagem/rules"
)

// pasteOptions are the flags that read the request from what a partner pasted.
type pasteOptions struct {
	curl, har, http string
	entry           int // 1-based HAR entry; 0: the failing one
}

func (p *pasteOptions) given() int {
	n := 0
	for _, s := range []string{p.curl, p.har, p.http} {
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
		return nil, inputError("%s", a.T("informe só uma entre --from-curl, --from-har e --from-http", "give one of --from-curl, --from-har and --from-http"))
	case p.entry != 0 && p.har == "":
		return nil, inputError("%s", a.T("--entry só vale com --from-har", "--entry is for --from-har"))
	case p.curl != "":
		text, name, err := a.readArgOrFile(p.curl, "--from-curl")
		if err != nil {
			return nil, err
		}
		r, err := intake.ParseCurl(text, a.readDataFile)
		if err != nil {
			return nil, pasteError(name, err)
		}
		return r, nil
	case p.http != "":
		data, err := a.readPathOrStdin(p.http, "--from-http")
		if err != nil {
			return nil, err
		}
		r, err := intake.ParseHTTP(displayName(p.http), data)
		if err != nil {
			return nil, pasteError("", err)
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
	isPartner := func(host string) bool { _, ok := rl.EnvironmentOfHost(host); return ok }
	h, err := intake.ParseHAR(displayName(p.har), data, isPartner)
	if err != nil {
		return nil, pasteError("", err)
	}
	if p.entry != 0 {
		if p.entry < 1 || p.entry > len(h.Entries) {
			return nil, inputError("%s", a.T("--entry %d: %s tem as entradas 1 a %d", "--entry %d: %s has entries 1 to %d", p.entry, displayName(p.har), len(h.Entries)))
		}
		r, err := h.Request(p.entry - 1)
		if err != nil {
			return nil, pasteError("", err)
		}
		return r, nil
	}
	failing := h.Failing()
	if len(failing) == 1 {
		r, err := h.Request(failing[0].Index)
		if err != nil {
			return nil, pasteError("", err)
		}
		return r, nil
	}
	// None or several: list them so support can choose.
	list := failing
	if len(failing) == 0 {
		list = h.Entries
	}
	var b strings.Builder
	for _, e := range list {
		fmt.Fprintf(&b, "\n  --entry %-3d %-6s %3d  %s", e.Index+1, e.Method, e.Status, e.URL)
	}
	if len(failing) == 0 {
		return nil, inputError("%s", a.T("%s: nenhuma requisição com falha à API de parceiros (status 0 ou >= 400); escolha uma com --entry N:%s",
			"%s: no failing request to the partner API (status 0 or >= 400); choose one with --entry N:%s", displayName(p.har), b.String()))
	}
	return nil, inputError("%s", a.T("%s: %d requisições com falha à API de parceiros; escolha uma com --entry N:%s",
		"%s: %d failing requests to the partner API; choose one with --entry N:%s", displayName(p.har), len(failing), b.String()))
}

// pasteError keeps a parser's positioned error as input (exit 2), naming the source.
func pasteError(name string, err error) error {
	if name != "" && !strings.HasPrefix(err.Error(), name) {
		return inputError("%s: %v", name, err)
	}
	return &exitError{exitInput, err}
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

// applyPaste makes the pasted request the case's.
func applyPaste(r *intake.Request) func(*diagnose.Case) {
	if r == nil {
		return nil
	}
	return func(c *diagnose.Case) { r.Apply(c) }
}
