package main

import (
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/rules"
)

func TestErrorClass(t *testing.T) {
	for _, tc := range []struct {
		name     string
		category string
		status   int // 0: no response in the case
		want     string
	}{
		{"a server error", "no-apparent-cause", 500, "no-apparent-cause/5xx"},
		{"a gateway timeout is the same class", "no-apparent-cause", 504, "no-apparent-cause/5xx"},
		{"a client error", "token-expired", 401, "token-expired/4xx"},
		{"no response: the category alone", "api-key-invalid", 0, "api-key-invalid"},
		{"missing evidence names no failure", "evidence-incomplete", 500, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &diagnose.Case{}
			if tc.status != 0 {
				c.Response = &diagnose.Response{Status: tc.status}
			}
			if got := errorClass(c, &diagnose.Verdict{Category: tc.category}); got != tc.want {
				t.Errorf("errorClass = %q, want %q", got, tc.want)
			}
		})
	}
}

// A linked verdict carries the incident and the rules' notice in its language as its reply.
func TestLinkIncidentRendersTheNotice(t *testing.T) {
	rl, err := rules.Load("default.yaml", rules.DefaultYAML())
	if err != nil {
		t.Fatal(err)
	}
	inc := &journal.Incident{ID: "INC-7", Partners: 3, OpenedAt: time.Date(2026, 12, 1, 14, 30, 0, 0, time.UTC)}
	for _, tc := range []struct{ lang, want string }{
		{"pt-BR", "Identificamos uma instabilidade que afeta vários parceiros na rota POST /api/v2/simulacao do ambiente de produção (INC-7)."},
		{"en", "We have found a failure affecting several partners on the route POST /api/v2/simulacao of the production environment (INC-7)."},
	} {
		v := &diagnose.Verdict{Lang: tc.lang, Reply: "the verdict's reply", Request: diagnose.Summary{Route: "POST /api/v2/simulacao", Environment: "producao"}}
		if err := linkIncident(rl, v, inc); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(v.Reply, tc.want) {
			t.Errorf("%s: reply %q, want it to start with %q", tc.lang, v.Reply, tc.want)
		}
		if v.Incident == nil || v.Incident.ID != "INC-7" || v.Incident.Partners != 3 || v.Incident.OpenedAt != "2026-12-01T11:30:00-03:00" {
			t.Errorf("%s: incident %+v", tc.lang, v.Incident)
		}
	}
}
