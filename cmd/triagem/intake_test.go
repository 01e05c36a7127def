package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/intake"
)

// The HAR entry list shows method, host, path and status only: failing entries first,
// at most 20 lines, never a query value or credentials in the URL.
func TestHARListHidesQueriesAndCaps(t *testing.T) {
	const secret = "hml-alfa-4b9e2c7a1d83f605"
	var entries []string
	for i := range 30 {
		status := 200
		if i == 25 || i == 27 {
			status = 401
		}
		entries = append(entries, fmt.Sprintf(`{"startedDateTime":"2026-11-21T23:30:%02dZ","request":{"method":"GET","url":"https://alfa:%s@api-externo-stag.crefazon.com.br/api/v2/propostas/%d?apiKey=%s"},"response":{"status":%d,"content":{}}}`, i, secret, i, secret, status))
		if i == 27 {
			entries[i] = `{"request":{"method":"GET","url":"https://api-externo-stag.crefazon.com.br/api/v2/clientes/52998224725/propostas"},"response":{"status":404,"content":{}}}`
		}
	}
	doc := `{"log":{"entries":[` + strings.Join(entries, ",") + `]}}`
	h, err := intake.ParseHAR("x.har", []byte(doc), func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	out := harList(h, h.Failing(), diagnose.Lang("pt-BR"), 20)
	lines := strings.Split(strings.TrimPrefix(out, "\n"), "\n")
	if len(lines) != 21 || strings.TrimSpace(lines[20]) != "e mais 10" {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	if !strings.Contains(lines[0], "--entry 26") || !strings.Contains(lines[1], "--entry 28") || !strings.Contains(lines[0], "401") || !strings.Contains(lines[1], "/api/v2/clientes/***********/propostas") {
		t.Errorf("failing entries are not first:\n%s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, "alfa") || strings.Contains(out, "?") || strings.Contains(out, "52998224725") {
		t.Errorf("the list shows a query or credentials:\n%s", out)
	}
	if !strings.Contains(lines[0], "api-externo-stag.crefazon.com.br/api/v2/propostas/25") {
		t.Errorf("line = %q", lines[0])
	}
}
