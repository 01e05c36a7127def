package diagnose_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
)

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d      time.Duration
		pt, en string
	}{
		{10 * time.Second, "menos de um minuto", "less than a minute"},
		{70 * time.Second, "cerca de um minuto", "about a minute"},
		{5 * time.Minute, "cinco minutos", "five minutes"},
		{20*time.Minute + 40*time.Second, "cerca de 21 minutos", "about 21 minutes"},
		{57 * time.Minute, "quase uma hora", "almost an hour"},
		{time.Hour, "uma hora", "an hour"},
		{time.Hour + 30*time.Second, "cerca de uma hora", "about an hour"},
		{time.Hour + 2*time.Minute, "pouco mais de uma hora", "a little over an hour"},
		{time.Hour + 30*time.Minute, "cerca de uma hora e meia", "about an hour and a half"},
		{2*time.Hour + 25*time.Minute, "cerca de duas horas e meia", "about two and a half hours"},
		{time.Hour + 50*time.Minute, "quase duas horas", "almost two hours"},
		{3*time.Hour + 59*time.Minute, "cerca de quatro horas", "about four hours"},
		{12 * time.Hour, "12 horas", "12 hours"},
		{10*time.Hour + 10*time.Minute, "pouco mais de dez horas", "a little over ten hours"},
		{23*time.Hour + 40*time.Minute, "quase 24 horas", "almost 24 hours"},
		{24 * time.Hour, "24 horas", "24 hours"},
		{26 * time.Hour, "pouco mais de um dia", "a little over a day"},
		{48 * time.Hour, "dois dias", "two days"},
		{26*time.Hour + 5*time.Minute, "pouco mais de um dia", "a little over a day"},
		{36*time.Hour + time.Minute, "cerca de um dia e meio", "about a day and a half"},
		{3 * 24 * time.Hour, "três dias", "three days"},
		{-(time.Hour + 2*time.Minute), "pouco mais de uma hora", "a little over an hour"},
	}
	for _, tc := range tests {
		if got := diagnose.HumanDuration(tc.d, "pt-BR"); got != tc.pt {
			t.Errorf("HumanDuration(%v, pt-BR) = %q, want %q", tc.d, got, tc.pt)
		}
		if got := diagnose.HumanDuration(tc.d, "en"); got != tc.en {
			t.Errorf("HumanDuration(%v, en) = %q, want %q", tc.d, got, tc.en)
		}
	}
}

func TestPartnerTime(t *testing.T) {
	r := defaultRules(t)
	tests := []struct {
		at     string
		zone   bool
		pt, en string
	}{
		{"2026-11-18T13:15:00Z", true, "18/11/2026 às 10:15 (horário de Brasília)", "18 November 2026 at 10:15 (Brasília time)"},
		{"2026-11-18 01:05", true, "18/11/2026 à 01:05 (horário de Brasília)", "18 November 2026 at 01:05 (Brasília time)"},
		{"2026-11-18 00:30", false, "18/11/2026 à 00:30", "18 November 2026 at 00:30"},
		{"2026-03-02 09:00", false, "02/03/2026 às 09:00", "2 March 2026 at 09:00"},
	}
	for _, tc := range tests {
		at := mustTime(t, tc.at)
		if got := diagnose.PartnerTime(at, r.Location(), "pt-BR", tc.zone); got != tc.pt {
			t.Errorf("PartnerTime(%s, pt-BR) = %q, want %q", tc.at, got, tc.pt)
		}
		if got := diagnose.PartnerTime(at, r.Location(), "en", tc.zone); got != tc.en {
			t.Errorf("PartnerTime(%s, en) = %q, want %q", tc.at, got, tc.en)
		}
	}
	manaus, err := time.LoadLocation("America/Manaus")
	if err != nil {
		t.Skip("no zoneinfo for America/Manaus")
	}
	if got := diagnose.PartnerTime(mustTime(t, "2026-11-18 10:15"), manaus, "pt-BR", true); got != "18/11/2026 às 09:15 (horário de Manaus)" {
		t.Errorf("Manaus = %q", got)
	}
}

// TestHumanDurationIsAlwaysWords walks durations from seconds to weeks: every one is worded
// in its language, never as 1h02m, and a longer duration never reads as a shorter unit.
func TestHumanDurationIsAlwaysWords(t *testing.T) {
	compact := regexp.MustCompile(`\d+\s*(h|m|s|d)\b|\d+[hmsd]\d`)
	unitRank := func(s string) int {
		switch {
		case strings.Contains(s, "dia") || strings.Contains(s, "day"):
			return 3
		case strings.Contains(s, "hora") || strings.Contains(s, "hour"):
			return 2
		case strings.Contains(s, "minut"):
			return 1
		}
		return 0
	}
	for _, lang := range []diagnose.Lang{"pt-BR", "en"} {
		prev := 0
		for d := time.Duration(0); d < 14*24*time.Hour; d += step(d) {
			s := diagnose.HumanDuration(d, lang)
			if s == "" || compact.MatchString(s) {
				t.Fatalf("HumanDuration(%v, %s) = %q", d, lang, s)
			}
			if r := unitRank(s); r < prev {
				t.Fatalf("HumanDuration(%v, %s) = %q reads shorter than a shorter duration", d, lang, s)
			} else {
				prev = r
			}
			for _, w := range strings.Fields(s) {
				if lang == "pt-BR" && slices.Contains(englishWords, w) || lang == "en" && slices.Contains(portugueseWords, w) {
					t.Fatalf("HumanDuration(%v, %s) = %q mixes languages", d, lang, s)
				}
			}
		}
	}
}

func step(d time.Duration) time.Duration {
	switch {
	case d < 2*time.Hour:
		return 5 * time.Second // steps that land on every whole minute and hour
	case d < 72*time.Hour:
		return time.Minute
	}
	return 17 * time.Minute
}
