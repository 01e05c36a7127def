package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/render"
	"github.com/crefazon/triagem/rules"
)

// ticketEnv is what every ticket command works with: the rules (the calendar and the
// targets), the journal, and the time it acts at.
type ticketEnv struct {
	rl   *rules.Rules
	j    *journal.Journal
	now  time.Time
	red  *evidence.Redactor // the output's
	text *evidence.Redactor // the bundle's, for notes
}

// now is the time a command acts at: TRIAGEM_NOW (RFC 3339) when set, to replay a history
// or to test one, otherwise the clock's.
func (a *app) now() (time.Time, error) {
	if v := a.getenv("TRIAGEM_NOW"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return time.Time{}, inputError("%s", a.T("TRIAGEM_NOW: %q não é uma data e hora RFC 3339 (2026-11-23T10:00:00-03:00)", "TRIAGEM_NOW: %q is not an RFC 3339 date and time (2026-11-23T10:00:00-03:00)", v))
		}
		return t, nil
	}
	return time.Now(), nil
}

// withTickets opens what a ticket command needs, closes the resolved tickets whose days have
// run out, runs fn and closes the journal.
func (a *app) withTickets(ctx context.Context, fn func(*ticketEnv) error) error {
	rl, err := a.loadRules()
	if err != nil {
		return err
	}
	now, err := a.now()
	if err != nil {
		return err
	}
	j, err := a.openJournalForTickets(ctx)
	if err != nil {
		return err
	}
	defer a.closeJournal(j)
	red, err := evidence.NewOutputRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	text, err := evidence.NewRedactor(rl.Redaction)
	if err != nil {
		return &exitError{exitInput, err}
	}
	if _, err := j.Sweep(ctx, rl, now, journalMeta(rl)); err != nil {
		return a.journalFailed(j, err)
	}
	return fn(&ticketEnv{rl: rl, j: j, now: now, red: red, text: text})
}

// journalFailed maps an error of the journal: a ticket it does not hold or a command its
// status refuses is the user's (exit 2); anything else is the database's (exit 3).
func (a *app) journalFailed(j *journal.Journal, err error) error {
	var nf *journal.NotFoundError
	var se *journal.StateError
	switch {
	case errors.As(err, &nf):
		return inputError("%s", a.T("o chamado %s não está no diário de chamados (%s)", "ticket %s is not in the journal (%s)", nf.Ticket, j.Where()))
	case errors.As(err, &se):
		return inputError("%s", a.T("o chamado %s está %s: '%s' não se aplica%s", "ticket %s is %s: '%s' does not apply%s",
			se.Ticket, se.Status, commandOf(se.Kind), a.stateHint(se)))
	}
	return &exitError{exitDependency, fmt.Errorf("%s", a.T("diário de chamados (%s): %v", "ticket journal (%s): %v", j.Where(), err))}
}

func commandOf(kind string) string {
	if kind == journal.KindPartnerReply {
		return "reply --from-partner"
	}
	return kind
}

func (a *app) stateHint(se *journal.StateError) string {
	switch {
	case se.Status == journal.StatusClosed:
		return a.T(" (reabra-o com 'triagem ticket reopen %s')", " (reopen it with 'triagem ticket reopen %s')", se.Ticket)
	case se.Kind == journal.KindReopen:
		return a.T(" (só se reabre um chamado resolvido ou fechado)", " (only a resolved or closed ticket reopens)")
	}
	return ""
}

func (a *app) newTicketCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ticket",
		Short: a.T("Acompanha os chamados no diário: status, respostas, solução, prazos", "Follow tickets in the journal: status, replies, solution, response times"),
		Long: a.T(`Acompanha a vida de cada chamado no diário de chamados (--journal, TRIAGEM_JOURNAL, ou
triagem/journal.db na pasta de dados do usuário).

Cada diagnose de um caso com chamado, cada escalate, escalate send e replay e cada comando
de chamado registra um evento. Os status andam sozinhos: um veredito que pede evidências ou uma correção deixa o
chamado aguardando-parceiro; um sem causa aparente o deixa em-analise; escalate o escala.
Um chamado resolvido fecha sozinho depois dos dias úteis das regras; um diagnóstico novo
reabre um chamado resolvido e abre um chamado de continuação (ID+1) para um fechado.

Status: novo, em-analise, aguardando-parceiro, escalado, resolvido, fechado.
Os prazos de resposta contam horas úteis (o calendário das regras) e param enquanto o chamado
aguarda o parceiro.`,
			`Follow each ticket's life in the ticket journal (--journal, TRIAGEM_JOURNAL, or
triagem/journal.db in the user's data folder).

Every diagnose of a case with a ticket, every escalate, escalate send and replay, and every
ticket command records an event. Statuses move on their own: a verdict asking for evidence or a fix leaves the ticket
aguardando-parceiro (waiting for the partner); one with no apparent cause leaves it
em-analise (under analysis); escalate escalates it. A resolved ticket closes on its own after
the rules' business days; a new diagnosis reopens a resolved ticket and opens a follow-up
(ID+1) for a closed one.

Statuses: novo, em-analise, aguardando-parceiro, escalado, resolvido, fechado.
Response times count business hours (the rules' calendar) and stop while the ticket waits
for the partner.`),
	}
	cmd.AddCommand(a.newTicketListCommand(), a.newTicketShowCommand(), a.newTicketReplyCommand(),
		a.newTicketResolveCommand(), a.newTicketMoveCommand(journal.KindClose), a.newTicketMoveCommand(journal.KindReopen))
	return cmd
}

// ticketView is a ticket with its clock, as list and show print it.
type ticketView struct {
	*journal.Ticket
	FirstReply *timeView        `json:"first_reply"`
	Resolution *timeView        `json:"resolution"`
	Breaching  bool             `json:"breaching"`
	Events     []*journal.Event `json:"events,omitempty"`
	clock      journal.Clock
}

// timeView is one response-time target: business minutes, the target, and whether met.
type timeView struct {
	TargetMinutes  int64 `json:"target_minutes"`
	ElapsedMinutes int64 `json:"elapsed_minutes"`
	LeftMinutes    int64 `json:"left_minutes"` // negative: late
	Done           bool  `json:"done"`
	Paused         bool  `json:"paused"`
}

func (e *ticketEnv) view(ctx context.Context, t *journal.Ticket, withEvents bool) (*ticketView, error) {
	evs, err := e.j.Events(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	c := journal.ClockOf(e.rl, t, evs, e.now)
	v := &ticketView{Ticket: t, clock: c, Breaching: c.Breaching() && t.Status != journal.StatusClosed && t.Status != journal.StatusResolved}
	v.FirstReply = &timeView{int64(c.FirstReplyTarget / time.Minute), int64(c.FirstReply / time.Minute), int64(c.FirstReplyLeft() / time.Minute), c.Replied, c.Paused}
	v.Resolution = &timeView{int64(c.ResolutionTarget / time.Minute), int64(c.Resolution / time.Minute), int64(c.ResolutionLeft() / time.Minute), c.Resolved, c.Paused}
	if withEvents {
		for _, ev := range evs {
			ev.CaseYAML, ev.VerdictJSON = "", "" // show the history, not the stored documents
		}
		v.Events = evs
	}
	return v, nil
}

// hm writes business time as 3h05.
func hm(d time.Duration) string {
	m := int64(d / time.Minute)
	if m < 0 {
		m = -m
	}
	return fmt.Sprintf("%dh%02d", m/60, m%60)
}

// left says where a target stands, in a sentence of the user's language.
func (a *app) left(tv *timeView) string {
	d := time.Duration(tv.LeftMinutes) * time.Minute
	switch {
	case tv.Done && tv.LeftMinutes >= 0:
		return a.T("cumprido (%s de %s)", "met (%s of %s)", hm(time.Duration(tv.ElapsedMinutes)*time.Minute), hm(time.Duration(tv.TargetMinutes)*time.Minute))
	case tv.Done:
		return a.T("cumprido com atraso de %s", "met %s late", hm(d))
	case d < 0:
		return a.T("atrasado %s", "%s late", hm(d))
	case tv.Paused:
		return a.T("faltam %s (parado)", "%s left (paused)", hm(d))
	}
	return a.T("faltam %s", "%s left", hm(d))
}

// deadline is the one target a list shows: the first reply until there is one, then resolution.
func (a *app) deadline(v *ticketView) string {
	switch v.Status {
	case journal.StatusResolved, journal.StatusClosed:
		return "–"
	}
	if !v.FirstReply.Done {
		return a.T("1ª resposta: %s", "first reply: %s", a.left(v.FirstReply))
	}
	return a.T("solução: %s", "resolution: %s", a.left(v.Resolution))
}

func (e *ticketEnv) local(t time.Time) string {
	return t.In(e.rl.Location()).Format("2006-01-02 15:04")
}

func (a *app) newTicketListCommand() *cobra.Command {
	var status []string
	var breaching, all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: a.T("Lista os chamados do diário, os movidos por último primeiro", "List the journal's tickets, the last moved first"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, s := range status {
				if !isStatus(s) {
					return inputError("%s", a.T("--status %q não é um status (%s)", "--status %q is not a status (%s)", s, strings.Join(journal.Statuses, ", ")))
				}
			}
			if len(status) == 0 && !all {
				status = []string{journal.StatusNew, journal.StatusAnalysis, journal.StatusWaiting, journal.StatusEscalated, journal.StatusResolved}
			}
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				ts, err := e.j.Tickets(cmd.Context(), status...)
				if err != nil {
					return a.journalFailed(e.j, err)
				}
				views := []*ticketView{}
				for _, t := range ts {
					v, err := e.view(cmd.Context(), t, false)
					if err != nil {
						return a.journalFailed(e.j, err)
					}
					if breaching && !v.Breaching {
						continue
					}
					views = append(views, v)
				}
				return a.printTicketList(e, views)
			})
		},
	}
	cmd.Flags().StringSliceVar(&status, "status", nil, a.T("só os chamados nestes status (vários separados por vírgula)", "only tickets in these statuses (several, comma-separated)"))
	cmd.Flags().BoolVar(&all, "all", false, a.T("também os fechados", "the closed ones too"))
	cmd.Flags().BoolVar(&breaching, "breaching", false, a.T("só os chamados abertos que passaram de um prazo de resposta", "only open tickets past a response-time target"))
	return cmd
}

func isStatus(s string) bool {
	for _, x := range journal.Statuses {
		if s == x {
			return true
		}
	}
	return false
}

func (a *app) printTicketList(e *ticketEnv, views []*ticketView) error {
	switch a.output {
	case "json":
		return writeJSON(a.stdout, views)
	case "markdown":
		var b strings.Builder
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", a.T("Chamado", "Ticket"), "Status", a.T("Parceiro", "Partner"), a.T("Categoria", "Category"), a.T("Atualizado", "Updated"), a.T("Prazo", "Target"))
		for _, v := range views {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", v.ID, v.Status, v.Partner, ticketCategory(v.Ticket), e.local(v.UpdatedAt), a.deadline(v))
		}
		_, err := io.WriteString(a.stdout, b.String())
		return err
	}
	if len(views) == 0 {
		_, err := fmt.Fprintln(a.stdout, a.T("Nenhum chamado.", "No tickets."))
		return err
	}
	// Four columns fit 80 (a status and a category are long single words, not to be cut):
	// the partner and the time last moved are in show and in -o json.
	cols := []render.Column{{Header: a.T("Chamado", "Ticket")}, {Header: "Status"},
		{Header: a.T("Categoria", "Category")}, {Header: a.T("Prazo", "Target"), Wraps: true}}
	rows := make([][]string, len(views))
	for i, v := range views {
		rows[i] = []string{v.ID, v.Status, ticketCategory(v.Ticket), a.deadline(v)}
	}
	return render.Grid(a.stdout, a.screen(), cols, rows)
}

// ticketCategory is the ticket's final classification when it has one, else triagem's verdict.
func ticketCategory(t *journal.Ticket) string {
	if t.FinalCategory != "" {
		return t.FinalCategory
	}
	return t.Category
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func (a *app) newTicketShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   a.T("show CHAMADO", "show TICKET"),
		Short: a.T("Mostra um chamado: status, classificação, prazos e o histórico", "Show a ticket: status, classification, response times and history"),
		Args:  a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				t, err := e.j.Ticket(cmd.Context(), args[0])
				if err != nil {
					return a.journalFailed(e.j, err)
				}
				v, err := e.view(cmd.Context(), t, true)
				if err != nil {
					return a.journalFailed(e.j, err)
				}
				return a.printTicket(e, v)
			})
		},
	}
}

func (a *app) printTicket(e *ticketEnv, v *ticketView) error {
	if a.output == "json" {
		return writeJSON(a.stdout, v)
	}
	var b strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-22s %s\n", label+":", value)
		}
	}
	md := a.output == "markdown"
	if md {
		fmt.Fprintf(&b, "## %s %s\n\n", a.T("Chamado", "Ticket"), v.ID)
	} else {
		fmt.Fprintf(&b, "%s %s\n\n", a.T("Chamado", "Ticket"), v.ID)
	}
	line("Status", v.Status)
	line(a.T("Parceiro", "Partner"), v.Partner)
	line(a.T("Veredito do triagem", "triagem's verdict"), v.Category)
	line(a.T("Classificação final", "Final classification"), v.FinalCategory)
	line(a.T("Solução", "Solution"), v.Solution)
	line(a.T("Continua o chamado", "Follows up on"), v.FollowUpOf)
	line(a.T("Continuado em", "Followed up by"), v.FollowedBy)
	line(a.T("Aberto em", "Opened"), e.local(v.OpenedAt))
	line(a.T("1ª resposta", "First reply"), a.left(v.FirstReply))
	line(a.T("Solução (prazo)", "Resolution (target)"), a.left(v.Resolution))
	if v.Breaching {
		line(a.T("Atenção", "Warning"), a.T("prazo de resposta estourado", "past a response-time target"))
	}
	b.WriteString("\n")
	if md {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", a.T("Quando", "When"), a.T("Evento", "Event"), "Status", a.T("Quem", "Who"), a.T("Nota", "Note"))
		for _, ev := range v.Events {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", e.local(ev.At), eventText(ev), ev.Status, ev.User, strings.ReplaceAll(ev.Note, "\n", " "))
		}
		_, err := io.WriteString(a.stdout, b.String())
		return err
	}
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return err
	}
	cols := []render.Column{{Header: a.T("Quando", "When")}, {Header: a.T("Evento → status", "Event → status"), Wraps: true},
		{Header: a.T("Quem", "Who"), Wraps: true}, {Header: a.T("Nota", "Note"), Wraps: true}}
	rows := make([][]string, len(v.Events))
	for i, ev := range v.Events {
		rows[i] = []string{e.local(ev.At), eventText(ev) + " → " + ev.Status, ev.User, ev.Note}
	}
	return render.Grid(a.stdout, a.screen(), cols, rows)
}

// eventText is an event's kind, with the category it carried.
func eventText(ev *journal.Event) string {
	if ev.Category != "" {
		return ev.Kind + " " + ev.Category
	}
	return ev.Kind
}

// moveTicket records a team's event on a ticket and says where it left it.
func (a *app) moveTicket(ctx context.Context, e *ticketEnv, ev journal.Event) error {
	meta := journalMeta(e.rl)
	meta.Ticket, meta.Kind, meta.Category, meta.At = ev.Ticket, ev.Kind, ev.Category, e.now
	// A note is free text: the bundle's text masking ("senha: ...", documents, e-mails,
	// phones), then the output's.
	meta.Note = e.red.Output(e.text.Text("note", strings.TrimSpace(ev.Note)))
	t, err := e.j.Record(ctx, &meta)
	if err != nil {
		return a.journalFailed(e.j, err)
	}
	if a.output == "json" {
		v, err := e.view(ctx, t, false)
		if err != nil {
			return a.journalFailed(e.j, err)
		}
		return writeJSON(a.stdout, v)
	}
	_, err = fmt.Fprintln(a.stdout, a.T("Chamado %s: %s.", "Ticket %s: %s.", t.ID, t.Status))
	return err
}

func (a *app) newTicketReplyCommand() *cobra.Command {
	var message string
	var fromPartner bool
	cmd := &cobra.Command{
		Use: a.T("reply CHAMADO --message TEXTO", "reply TICKET --message TEXT"),
		Short: a.T("Registra uma resposta ao parceiro (o chamado passa a aguardar o parceiro), ou a resposta do parceiro",
			"Record a reply to the partner (the ticket then waits for the partner), or the partner's reply"),
		Args: a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(message) == "" {
				return inputError("%s", a.T("--message: diga o que foi respondido", "--message: say what was replied"))
			}
			kind := journal.KindReply
			if fromPartner {
				kind = journal.KindPartnerReply
			}
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				return a.moveTicket(cmd.Context(), e, journal.Event{Ticket: args[0], Kind: kind, Note: message})
			})
		},
	}
	cmd.Flags().StringVar(&message, "message", "", a.T("o que foi respondido (dados pessoais e segredos são mascarados)", "what was replied (personal data and secrets are masked)"))
	cmd.Flags().BoolVar(&fromPartner, "from-partner", false, a.T("a resposta é do parceiro: o chamado volta para em-analise (e reabre, se resolvido)", "the reply is the partner's: the ticket goes back to em-analise (reopening it when resolved)"))
	return cmd
}

func (a *app) newTicketResolveCommand() *cobra.Command {
	var solution, final string
	cmd := &cobra.Command{
		Use:   a.T("resolve CHAMADO --category CATEGORIA --solution TEXTO", "resolve TICKET --category CATEGORY --solution TEXT"),
		Short: a.T("Registra a solução e a classificação final de um chamado", "Record a ticket's solution and final classification"),
		Long: a.T(`Registra a solução e a classificação final (uma categoria do contrato, que pode diferir do
veredito do triagem). O chamado fecha sozinho depois dos dias úteis das regras, se o parceiro
não voltar a ele.`, `Record the solution and the final classification (a category of the contract, which may
differ from triagem's verdict). The ticket closes on its own after the rules' business days
unless the partner comes back to it.`),
		Args: a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !rules.IsCategory(final) {
				return inputError("%s", a.T("--category %q não é uma categoria (%s)", "--category %q is not a category (%s)", final, strings.Join(rules.Categories, ", ")))
			}
			if strings.TrimSpace(solution) == "" {
				return inputError("%s", a.T("--solution: descreva a solução", "--solution: describe the solution"))
			}
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				return a.moveTicket(cmd.Context(), e, journal.Event{Ticket: args[0], Kind: journal.KindResolve, Category: final, Note: solution})
			})
		},
	}
	cmd.Flags().StringVar(&solution, "solution", "", a.T("a solução (dados pessoais e segredos são mascarados)", "the solution (personal data and secrets are masked)"))
	cmd.Flags().StringVar(&final, "category", "", a.T("a classificação final: uma categoria do contrato", "the final classification: a category of the contract"))
	_ = cmd.RegisterFlagCompletionFunc("category", cobra.FixedCompletions(rules.Categories, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// newTicketMoveCommand is close or reopen: a status change with an optional reason.
func (a *app) newTicketMoveCommand(kind string) *cobra.Command {
	var reason string
	short := a.T("Fecha um chamado", "Close a ticket")
	if kind == journal.KindReopen {
		short = a.T("Reabre um chamado resolvido ou fechado (volta para em-analise)", "Reopen a resolved or closed ticket (back to em-analise)")
	}
	cmd := &cobra.Command{
		Use:   a.T(kind+" CHAMADO", kind+" TICKET"),
		Short: short,
		Args:  a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				return a.moveTicket(cmd.Context(), e, journal.Event{Ticket: args[0], Kind: kind, Note: reason})
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", a.T("por quê (opcional)", "why (optional)"))
	return cmd
}
