package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/crefazon/triagem/intake"
)

// equivalentCase writes the case file a support analyst would have written by hand for a
// pasted request: the same method, URL, token and body, with the rest given alike.
func equivalentCase(t *testing.T, r *intake.Request) string {
	t.Helper()
	doc := map[string]any{
		"error": "Nao foi possivel realizar operacao.",
		"request": map[string]any{
			"method":  r.Method,
			"url":     r.URL,
			"at":      "2026-11-18 14:00",
			"headers": map[string]string{"Authorization": r.Headers["Authorization"]},
			"body":    string(r.Body),
		},
		"credentials": map[string]any{"api_key": "hml-alfa-4b9e2c7a1d83f605", "user": "alfa.maria"},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "by-hand.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// verdictWithoutCase runs a diagnosis as JSON and drops the field that names the input.
func verdictWithoutCase(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, stdout, stderr := runApp(t, nil, append(args, "-o", "json", "--directory", "../../testdata/directory.yaml")...)
	if code > 1 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stdout)
	}
	delete(v, "case")
	delete(v, "intake") // how a paste was read, not what the chain concluded
	return v
}

func TestPastedRequestsEqualTheirCaseFile(t *testing.T) {
	rest := filepath.Join(t.TempDir(), "rest.yaml")
	os.WriteFile(rest, []byte("error: \"Nao foi possivel realizar operacao.\"\ncredentials: {api_key: hml-alfa-4b9e2c7a1d83f605, user: alfa.maria}\n"), 0o600)

	// The case file written by hand from what the ticket says, not from any parser's output.
	body, err := os.ReadFile("../../testdata/curl/pre-analise.json")
	if err != nil {
		t.Fatal(err)
	}
	byHandPath := equivalentCase(t, &intake.Request{
		Method:  "POST",
		URL:     "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise",
		Headers: map[string]string{"Authorization": "Bearer " + plantedToken},
		Body:    body,
	})
	for _, fixture := range []string{"pre-analise.sh", "pre-analise-chrome.sh", "pre-analise-postman.sh", "pre-analise-windows.cmd", "pre-analise-curlexe.cmd"} {
		t.Run(fixture, func(t *testing.T) {
			path := filepath.Join("../../testdata/curl", fixture)
			pasted := verdictWithoutCase(t, "diagnose", rest, "--from-curl", "@"+path, "--at", "2026-11-18 14:00")
			byHand := verdictWithoutCase(t, "diagnose", byHandPath)
			if !reflect.DeepEqual(pasted, byHand) {
				t.Errorf("the pasted curl and its case file differ:\npasted:  %v\nby hand: %v", pasted, byHand)
			}
		})
	}
	for _, fixture := range []string{"pre-analise-chrome.ps1", "pre-analise-restmethod.ps1", "pre-analise-postman.ps1"} {
		for _, flag := range []string{"--from-powershell", "--from-curl"} {
			t.Run(fixture+" "+flag, func(t *testing.T) {
				path := filepath.Join("../../testdata/powershell", fixture)
				pasted := verdictWithoutCase(t, "diagnose", rest, flag, "@"+path, "--at", "2026-11-18 14:00")
				byHand := verdictWithoutCase(t, "diagnose", byHandPath)
				if !reflect.DeepEqual(pasted, byHand) {
					t.Errorf("the pasted PowerShell and its case file differ:\npasted:  %v\nby hand: %v", pasted, byHand)
				}
			})
		}
	}
	t.Run("raw HTTP", func(t *testing.T) {
		data, _ := os.ReadFile("../../testdata/http/pre-analise.http")
		r, err := intake.ParseHTTP("pre-analise.http", data)
		if err != nil {
			t.Fatal(err)
		}
		pasted := verdictWithoutCase(t, "diagnose", rest, "--from-http", "../../testdata/http/pre-analise.http", "--at", "2026-11-18 14:00")
		byHand := verdictWithoutCase(t, "diagnose", equivalentCase(t, r))
		if !reflect.DeepEqual(pasted, byHand) {
			t.Errorf("the raw HTTP and its case file differ:\npasted:  %v\nby hand: %v", pasted, byHand)
		}
	})
}
