package rules

import (
	"sort"
	"text/template"
	"time"
)

// Tickets is how the journal runs a ticket's life: the response-time targets, counted in
// business hours, and how long a resolved ticket waits for the partner before it closes.
type Tickets struct {
	// AutoCloseBusinessDays: a resolved ticket closes on its own after this many business
	// days without news (0: the default, 3).
	AutoCloseBusinessDays int `yaml:"auto_close_business_days" json:"auto_close_business_days"`
	// Targets per category (or "default"), in business hours.
	Targets map[string]Target `yaml:"targets" json:"targets"`
}

// Target is a response-time target in business hours: to the first reply and to resolution.
type Target struct {
	FirstReply float64 `yaml:"first_reply" json:"first_reply"`
	Resolution float64 `yaml:"resolution" json:"resolution"`
}

// Incidents says when the same failure across partners becomes one incident.
type Incidents struct {
	Partners int           `yaml:"partners" json:"partners"`
	Window   time.Duration `yaml:"window" json:"window"`
	Notice   Texts         `yaml:"notice" json:"notice"`
}

// Built-in values of the incidents section: three partners within two hours.
const (
	defaultIncidentPartners = 3
	defaultIncidentWindow   = 2 * time.Hour
)

// IncidentPartners is how many distinct partners reporting the same failure open an incident.
func (r *Rules) IncidentPartners() int {
	if r.Incidents.Partners > 0 {
		return r.Incidents.Partners
	}
	return defaultIncidentPartners
}

// IncidentWindow is how far back the partners of a failure are counted.
func (r *Rules) IncidentWindow() time.Duration {
	if r.Incidents.Window > 0 {
		return r.Incidents.Window
	}
	return defaultIncidentWindow
}

// Built-in values for a rules file that says nothing about tickets.
const (
	defaultAutoCloseDays = 3
	defaultFirstReply    = 4
	defaultResolution    = 16
)

// AutoCloseDays is the number of business days after which a resolved ticket closes.
func (r *Rules) AutoCloseDays() int {
	if r.Tickets.AutoCloseBusinessDays > 0 {
		return r.Tickets.AutoCloseBusinessDays
	}
	return defaultAutoCloseDays
}

// TargetFor is the response-time target of a category: its own, the rules' default, or the
// built-in one. A zero field of a category's target takes the default's.
func (r *Rules) TargetFor(category string) Target {
	t := Target{FirstReply: defaultFirstReply, Resolution: defaultResolution}
	if d, ok := r.Tickets.Targets["default"]; ok {
		t = merge(t, d)
	}
	if c, ok := r.Tickets.Targets[category]; ok {
		t = merge(t, c)
	}
	return t
}

func merge(base, over Target) Target {
	if over.FirstReply > 0 {
		base.FirstReply = over.FirstReply
	}
	if over.Resolution > 0 {
		base.Resolution = over.Resolution
	}
	return base
}

// checkTickets names what is wrong in the tickets section.
func (r *Rules) checkTickets(add func(path, pt, en string, args ...any)) {
	if r.Tickets.AutoCloseBusinessDays < 0 {
		add("tickets.auto_close_business_days", "deve ser 0 (o padrão, %d) ou mais, veio %d", "must be 0 (the default, %d) or more, got %d", defaultAutoCloseDays, r.Tickets.AutoCloseBusinessDays)
	}
	names := make([]string, 0, len(r.Tickets.Targets))
	for name := range r.Tickets.Targets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t := r.Tickets.Targets[name]
		if name != "default" {
			if !knownCategory(name) {
				add("tickets.targets."+name, "não é uma categoria do contrato (nem \"default\")", "is not a category of the contract (or \"default\")")
			}
		}
		if t.FirstReply < 0 || t.Resolution < 0 {
			add("tickets.targets."+name, "as horas úteis não podem ser negativas", "business hours must not be negative")
		}
	}
	if r.Incidents.Partners < 0 {
		add("incidents.partners", "deve ser 0 (o padrão) ou mais", "must be 0 (the default) or more")
	}
	if r.Incidents.Window < 0 {
		add("incidents.window", "não pode ser negativa", "must not be negative")
	}
	for _, lang := range []string{"pt-BR", "en"} {
		if src, ok := r.Incidents.Notice[lang]; ok {
			if _, err := template.New("notice").Parse(src); err != nil {
				add("incidents.notice."+lang, "não é um modelo válido: %v", "is not a valid template: %v", err)
			}
		}
	}
}

// IsCategory tells whether name is a category of the contract.
func IsCategory(name string) bool { return knownCategory(name) }
