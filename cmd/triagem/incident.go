package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/journal"
	"github.com/crefazon/triagem/render"
)

func (a *app) newIncidentCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incident",
		Short: a.T("Acompanha os incidentes: a mesma falha em vários parceiros", "Follow incidents: the same failure across several partners"),
		Long: a.T(`Um incidente abre sozinho quando a mesma falha (ambiente, rota e classe do erro) chega a
pelo menos o número de parceiros distintos das regras dentro da janela das regras (incidents:
partners e window). Os casos seguintes da mesma falha entram nele: o veredito ganha o objeto
incident e a resposta ao parceiro passa a ser o aviso de incidente das regras.
A classe do erro é a categoria do veredito mais a classe do status HTTP da resposta, quando
o caso a traz (no-apparent-cause/5xx); um veredito que pede evidências não conta.`,
			`An incident opens on its own when the same failure (environment, route and error class)
reaches at least the rules' number of distinct partners within the rules' window (incidents:
partners and window). Later cases of the same failure join it: the verdict gains the incident
object and the reply to the partner becomes the rules' incident notice.
The error class is the verdict's category plus the HTTP status class of the response, when
the case gives one (no-apparent-cause/5xx); a verdict asking for evidence does not count.`),
	}
	cmd.AddCommand(a.newIncidentListCommand(), a.newIncidentShowCommand(), a.newIncidentCloseCommand())
	return cmd
}

// incidentFailed maps an error of the journal about an incident: one it does not hold or one
// closed already is the user's (exit 2); anything else is the database's.
func (a *app) incidentFailed(j *journal.Journal, id string, err error) error {
	var nf *journal.IncidentNotFoundError
	var se *journal.StateError
	switch {
	case errors.As(err, &nf):
		return inputError("%s", a.T("o incidente %s não está no diário de chamados (%s)", "incident %s is not in the journal (%s)", nf.Incident, j.Where()))
	case errors.As(err, &se):
		return inputError("%s", a.T("o incidente %s já está fechado", "incident %s is closed already", id))
	}
	return a.journalFailed(j, err)
}

func (a *app) newIncidentListCommand() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: a.T("Lista os incidentes abertos, os mais recentes primeiro", "List open incidents, the most recent first"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				incs, err := e.j.Incidents(cmd.Context(), all)
				if err != nil {
					return a.journalFailed(e.j, err)
				}
				return a.printIncidentList(e, incs)
			})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, a.T("também os fechados", "the closed ones too"))
	return cmd
}

func (a *app) printIncidentList(e *ticketEnv, incs []*journal.Incident) error {
	if incs == nil {
		incs = []*journal.Incident{}
	}
	switch a.output {
	case "json":
		return writeJSON(a.stdout, incs)
	case "markdown":
		var b strings.Builder
		fmt.Fprintf(&b, "| %s | Status | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", a.T("Incidente", "Incident"), a.T("Falha", "Failure"), a.T("Parceiros", "Partners"), a.T("Chamados", "Tickets"), a.T("Aberto em", "Opened"))
		for _, i := range incs {
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %s |\n", i.ID, i.Status, failure(i), i.Partners, len(i.Tickets), e.local(i.OpenedAt))
		}
		_, err := io.WriteString(a.stdout, b.String())
		return err
	}
	if len(incs) == 0 {
		_, err := fmt.Fprintln(a.stdout, a.T("Nenhum incidente.", "No incidents."))
		return err
	}
	cols := []render.Column{{Header: a.T("Incidente", "Incident")}, {Header: "Status"},
		{Header: a.T("Falha", "Failure"), Wraps: true}, {Header: a.T("Parceiros", "Partners")}, {Header: a.T("Aberto em", "Opened"), Wraps: true}}
	rows := make([][]string, len(incs))
	for i, inc := range incs {
		rows[i] = []string{inc.ID, inc.Status, failure(inc), strconv.Itoa(inc.Partners), e.local(inc.OpenedAt)}
	}
	return render.Grid(a.stdout, a.screen(), cols, rows)
}

// failure names an incident's failure: environment, route and error class.
func failure(i *journal.Incident) string {
	return i.Environment + " " + i.Route + " " + i.ErrorClass
}

// incidentView is an incident with its cases, as show prints it.
type incidentView struct {
	*journal.Incident
	Events []*journal.Event `json:"events"`
}

func (a *app) newIncidentShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   a.T("show INCIDENTE", "show INCIDENT"),
		Short: a.T("Mostra um incidente: a falha, os parceiros, os chamados e os casos", "Show an incident: the failure, partners, tickets and cases"),
		Args:  a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				return a.showIncident(cmd.Context(), e, args[0])
			})
		},
	}
}

func (a *app) showIncident(ctx context.Context, e *ticketEnv, id string) error {
	inc, err := e.j.Incident(ctx, id)
	if err != nil {
		return a.incidentFailed(e.j, id, err)
	}
	evs, err := e.j.IncidentEvents(ctx, id)
	if err != nil {
		return a.journalFailed(e.j, err)
	}
	if a.output == "json" {
		// The cases themselves stay in the journal: show lists when, who and which ticket.
		for _, ev := range evs {
			ev.CaseYAML, ev.VerdictJSON = "", ""
		}
		return writeJSON(a.stdout, incidentView{inc, evs})
	}
	var b strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-22s %s\n", label+":", value)
		}
	}
	fmt.Fprintf(&b, "%s %s\n\n", a.T("Incidente", "Incident"), inc.ID)
	line("Status", inc.Status)
	line(a.T("Ambiente", "Environment"), inc.Environment)
	line(a.T("Rota", "Route"), inc.Route)
	line(a.T("Classe do erro", "Error class"), inc.ErrorClass)
	line(a.T("Parceiros", "Partners"), strconv.Itoa(inc.Partners))
	line(a.T("Chamados", "Tickets"), strings.Join(inc.Tickets, ", "))
	line(a.T("Aberto em", "Opened"), e.local(inc.OpenedAt))
	if !inc.ClosedAt.IsZero() {
		line(a.T("Fechado em", "Closed"), e.local(inc.ClosedAt))
	}
	line(a.T("Motivo", "Reason"), inc.Note)
	b.WriteString("\n")
	if _, err := io.WriteString(a.stdout, b.String()); err != nil {
		return err
	}
	cols := []render.Column{{Header: a.T("Quando", "When")}, {Header: a.T("Chamado", "Ticket")},
		{Header: a.T("Parceiro", "Partner"), Wraps: true}, {Header: a.T("Categoria", "Category"), Wraps: true}}
	rows := make([][]string, len(evs))
	for i, ev := range evs {
		rows[i] = []string{e.local(ev.At), ev.Ticket, ev.Partner, ev.Category}
	}
	return render.Grid(a.stdout, a.screen(), cols, rows)
}

func (a *app) newIncidentCloseCommand() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   a.T("close INCIDENTE", "close INCIDENT"),
		Short: a.T("Fecha um incidente: os casos seguintes da falha contam de novo", "Close an incident: later cases of the failure count afresh"),
		Args:  a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withTickets(cmd.Context(), func(e *ticketEnv) error {
				note := e.red.Output(e.text.Text("note", strings.TrimSpace(reason)))
				inc, err := e.j.CloseIncident(cmd.Context(), args[0], e.now, note)
				if err != nil {
					return a.incidentFailed(e.j, args[0], err)
				}
				if a.output == "json" {
					return writeJSON(a.stdout, inc)
				}
				_, err = fmt.Fprintln(a.stdout, a.T("Incidente %s: fechado.", "Incident %s: closed.", inc.ID))
				return err
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", a.T("por que fecha (registrado no diário)", "why it closes (recorded in the journal)"))
	return cmd
}
