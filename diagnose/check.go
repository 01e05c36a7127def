package diagnose

import (
	"fmt"
	"time"

	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/rules"
)

// Status is the outcome of one check.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn"
	Skip Status = "skip" // the check could not run; it never means "passed"
)

// Result is one check's finding, as the verdict lists it.
type Result struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Section string `json:"section"`
	Message string `json:"message"`
}

// Check is one step of the procedure's validation chain.
type Check struct {
	ID      string
	Section string
	// Category is the verdict a failure of this check leads to, precedence permitting; ""
	// for checks that only inform (warn).
	Category string
	// Needs says what the check reads, and Fails what makes it fail: `triagem checks` lists them.
	Needs, Fails string
	Run          func(*Context) (Status, string)
}

// Context is what a check reads: the case's facts, the rules, what the directory said,
// the parsed token and the language of the messages.
type Context struct {
	Facts *Facts
	Rules *rules.Rules
	Dir   DirInfo
	Token *TokenInfo
	Key   *TokenKey // nil without --token-key
	L     Lang
	// Missing is the mandatory evidence the case lacks, worked out once per case: the
	// evidence check and the verdict both read it.
	Missing []string
	// AtIsNow: the moment judged is the clock's, not a request's (token inspect without --at).
	AtIsNow bool
}

// DirInfo is what the directory answered for a case.
type DirInfo struct {
	Given       bool   // a directory was configured
	Source      string // its name, for messages
	Key         *directory.Key
	User        *directory.User
	Partner     string // the partner whose keys were asked for ("" when not asked)
	PartnerKeys []directory.Key
}

// Lang words messages in the verdict's language. Each message is written in both languages
// side by side, so that no message exists in one only.
type Lang string

// T picks the text of the language and formats it.
func (l Lang) T(pt, en string, args ...any) string {
	f := pt
	if l == "en" {
		f = en
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// when writes an instant in the rules' time zone, as support reads it: 2026-11-18 09:15 -03.
func (c *Context) when(t time.Time) string {
	return t.In(c.Rules.Location()).Format("2006-01-02 15:04 -07")
}

// spanExact is span that keeps the seconds of a duration above an hour (12h00m01s): where a
// second decides, as against the token lifetime.
func spanExact(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d >= time.Hour && d < 72*time.Hour && d%time.Minute != 0 {
		return fmt.Sprintf("%dh%02dm%02ds", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return span(d)
}

// span writes a duration as 1h02m or 45s.
func span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 72*time.Hour && int(d.Minutes())%60 == 0:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 72*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}
