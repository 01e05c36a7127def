package diagnose

import (
	"context"
	"strings"
	"time"

	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/rules"
)

// VerdictSchema versions the verdict JSON; keys never change within a version.
const VerdictSchema = "triagem.verdict/v1"

// Verdict is the chain's conclusion about one case, in the contract's shape plus context.
type Verdict struct {
	Schema          string   `json:"schema"`
	Case            string   `json:"case,omitempty"`
	Ticket          string   `json:"ticket"`
	Category        string   `json:"category"`
	Section         string   `json:"section"`
	Action          string   `json:"action"`
	Escalate        bool     `json:"escalate"`
	PriorAnalysis   string   `json:"prior_analysis"` // complete, or incomplete when key and user checks did not run
	Checks          []Result `json:"checks"`
	MissingEvidence []string `json:"missing_evidence"`
	Reply           string   `json:"reply"`
	Docs            []string `json:"docs"`
	Request         Summary  `json:"request"`
	Rules           RulesRef `json:"rules"`
	Lang            string   `json:"lang"`
	// Intake is how a pasted request (curl, PowerShell, HAR, raw HTTP) was read; nil when
	// the case came from a case file or flags alone. An additive field of v1.
	Intake *Intake `json:"intake,omitempty"`
	// Audience is "parceiro" when the partner's developer reads the verdict (triagem check):
	// the reply is then written for them (what to fix, what only CrefazOn can verify, what a
	// ticket needs). Absent for support's verdicts. An additive field of v1.
	Audience string `json:"audience,omitempty"`
	// Incident is the incident the case's failure belongs to, when the journal linked it to
	// one; the reply is then the rules' incident notice. An additive field of v1.
	Incident *IncidentRef `json:"incident,omitempty"`
}

// IncidentRef names an incident in a verdict.
type IncidentRef struct {
	ID       string `json:"id"`
	OpenedAt string `json:"opened_at"` // RFC 3339
	Partners int    `json:"partners"`  // distinct partners whose cases it holds
}

// Intake says what the reader of a pasted request assumed, skipped or ignored.
type Intake struct {
	Notes []string `json:"notes"` // in the verdict's language; never a secret or personal data
}

// Summary is how the chain read the request.
type Summary struct {
	Environment string `json:"environment,omitempty"`
	APIVersion  string `json:"api_version,omitempty"`
	Method      string `json:"method,omitempty"`
	Route       string `json:"route,omitempty"`
	Product     string `json:"product,omitempty"`
	At          string `json:"at,omitempty"` // RFC 3339 in the rules' time zone
	Partner     string `json:"partner,omitempty"`
	User        string `json:"user,omitempty"`
	KeySHA256   string `json:"key_sha256,omitempty"` // the directory's identifier, never the key
}

// RulesRef names the rules that judged the case.
type RulesRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// Category facts fixed by the contract: the procedure section and the action of each.
var categoryInfo = map[string]struct{ Section, Action string }{
	"api-key-missing":     {"3.8", "redirect-commercial"},
	"api-key-invalid":     {"3.2", "reply"},
	"user-blocked":        {"3.6, 3.9", "reply"},
	"user-key-mismatch":   {"3.7", "reply"},
	"token-expired":       {"3.3", "reply"},
	"token-invalid":       {"3.3", "reply"},
	"product-not-on-api":  {"3.5", "redirect-crefazon-ui"},
	"product-version":     {"3.5", "reply"},
	"request-syntax":      {"3.9", "reply"},
	"off-hours-routine":   {"3.4", "reprocess"},
	"evidence-incomplete": {"5, 6", "request-evidence"},
	"no-apparent-cause":   {"3.6, 3.9", "escalate"},
}

// CategorySection and CategoryAction give the contract's section and action of a category.
func CategorySection(cat string) string { return categoryInfo[cat].Section }
func CategoryAction(cat string) string  { return categoryInfo[cat].Action }

// ExitCode is the contract's: 0 when nothing wrong was found, 1 when a cause or need is named.
func (v *Verdict) ExitCode() int {
	if v.Category == "no-apparent-cause" {
		return 0
	}
	return 1
}

// Decide picks the verdict's category: the first category, in the contract's order of
// precedence, that a failing check leads to; no-apparent-cause when none does. This is the
// only place where precedence lives.
func Decide(results []Result) string {
	failed := map[string]bool{}
	for i, r := range results {
		if r.Status == Fail && Checks[i].Category != "" {
			failed[Checks[i].Category] = true
		}
	}
	for _, cat := range rules.Categories {
		if failed[cat] {
			return cat
		}
	}
	return "no-apparent-cause"
}

// Chain runs the procedure on cases. It is safe for concurrent use once built.
type Chain struct {
	Rules    *rules.Rules
	Dir      directory.Directory // nil: no directory given
	TokenKey *TokenKey           // nil: signatures not verified
	Lang     Lang
	// Signature signs the replies to partners; "" takes the rules' (reply.signature).
	Signature string
	// Audience: "" for support; AudiencePartner for the partner's own check.
	Audience string
}

// Diagnose reads a case against the rules, asks the directory, runs every check and returns
// the verdict. Errors are input errors (*InputError) or the directory's.
func (ch *Chain) Diagnose(ctx context.Context, c *Case) (*Verdict, error) {
	f, err := ResolveLang(c, ch.Rules, ch.Lang)
	if err != nil {
		return nil, err
	}
	dir, err := ch.lookup(ctx, f)
	if err != nil {
		return nil, err
	}
	return ch.Judge(f, dir), nil
}

func (ch *Chain) lookup(ctx context.Context, f *Facts) (DirInfo, error) {
	info := DirInfo{Given: ch.Dir != nil}
	if ch.Dir == nil {
		return info, nil
	}
	info.Source = ch.Dir.Source()
	q := directory.Query{KeySHA256: f.KeySHA256, Login: strings.TrimSpace(f.Case.Credentials.User)}
	if f.KeySHA256 == "" {
		q.Partner = strings.TrimSpace(f.Case.Partner)
	}
	if q == (directory.Query{}) {
		return info, nil
	}
	res, err := ch.Dir.Lookup(ctx, q)
	if err != nil {
		return info, err
	}
	info.Key, info.User, info.PartnerKeys, info.Partner = res.Key, res.User, res.PartnerKeys, q.Partner
	// Without a key, the user's partner (the directory's word) is whose keys count.
	if f.KeySHA256 == "" && res.User != nil && res.User.Partner != "" && res.User.Partner != q.Partner {
		res, err := ch.Dir.Lookup(ctx, directory.Query{Partner: res.User.Partner})
		if err != nil {
			return info, err
		}
		info.PartnerKeys, info.Partner = res.PartnerKeys, info.User.Partner
	}
	return info, nil
}

// Judge runs every check on resolved facts and builds the verdict.
func (ch *Chain) Judge(f *Facts, dir DirInfo) *Verdict {
	cx := &Context{Facts: f, Rules: ch.Rules, Dir: dir, Key: ch.TokenKey, L: ch.lang(), Missing: missingEvidence(f)}
	if f.Token != "" {
		cx.Token = ParseToken(f.Token)
	}
	results := make([]Result, len(Checks))
	for i, chk := range Checks {
		st, msg := chk.Run(cx)
		results[i] = Result{ID: chk.ID, Status: st, Section: chk.Section, Message: msg}
	}
	cat := Decide(results)
	v := &Verdict{
		Schema:          VerdictSchema,
		Case:            f.Case.Source,
		Ticket:          f.Case.Ticket,
		Category:        cat,
		Section:         categoryInfo[cat].Section,
		Action:          categoryInfo[cat].Action,
		Checks:          results,
		MissingEvidence: cx.Missing,
		Lang:            string(cx.L),
		Rules:           RulesRef{Name: ch.Rules.Name, Version: ch.Rules.Version, SHA256: ch.Rules.Hash()},
		Request:         summarize(cx),
	}
	v.PriorAnalysis = "incomplete"
	if dir.Given && ran(results, "key.exists") && ran(results, "user.active") {
		v.PriorAnalysis = "complete"
	}
	v.Escalate = cat == "no-apparent-cause" && v.PriorAnalysis == "complete"
	route := ""
	if f.Route >= 0 {
		route = ch.Rules.Route(f.Route).String()
	}
	v.Docs = ch.Rules.DocsFor(cat, route)
	if v.Docs == nil {
		v.Docs = []string{}
	}
	v.Reply = ch.reply(cx, v, results)
	if ch.Audience == AudiencePartner {
		v.Audience = AudiencePartner
		v.Reply = ch.partnerText(cx, v, results)
	}
	return v
}

func (ch *Chain) lang() Lang {
	if ch.Lang == "" {
		return Lang(rules.DefaultLang)
	}
	return ch.Lang
}

func ran(results []Result, id string) bool {
	for _, r := range results {
		if r.ID == id {
			return r.Status != Skip
		}
	}
	return false
}

func summarize(c *Context) Summary {
	f := c.Facts
	s := Summary{Method: f.Method, Partner: f.Case.Partner, User: strings.TrimSpace(f.Case.Credentials.User)}
	if c.Dir.User != nil && c.Dir.User.Partner != "" {
		s.Partner = c.Dir.User.Partner
	}
	if f.HasEnv {
		s.Environment = f.Env.ID
	}
	if f.HasVersion {
		s.APIVersion = f.Version.ID
	}
	if f.URL != nil {
		s.Route = strings.TrimSpace(f.Method + " " + f.URL.Path)
	}
	if f.HasProduct {
		s.Product = f.Product.ID
	}
	if f.HasAt {
		s.At = f.At.In(c.Rules.Location()).Format(time.RFC3339)
	}
	s.KeySHA256 = f.KeySHA256
	return s
}
