package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/directory"
)

func (a *app) newDirectoryCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "directory",
		Short: a.T("Confere um snapshot do diretório, ou o serve como o serviço de diretório",
			"Check a directory snapshot, or serve one as the directory service"),
	}
	var snapshot, addr string
	serve := &cobra.Command{
		Use: a.T("serve --snapshot ARQUIVO", "serve --snapshot FILE"),
		Short: a.T("Serve um snapshot pelo contrato REST do serviço de diretório (um servidor de referência)",
			"Serve a snapshot over the directory service's REST contract (a reference server)"),
		Long: a.T(`Serve um snapshot do diretório pelo contrato REST que --directory https://... consulta:
GET /keys/{sha256}, GET /users/{login}, GET /partners/{partner}/keys (JSON nos formatos do
snapshot, 404 quando desconhecido) e POST /lookup, que responde muitas chaves e usuários de
uma vez (o que um lote pede). Com TRIAGEM_DIRECTORY_TOKEN definido, as requisições
precisam desse token de acesso. Uma equipe pode subi-lo a partir da sua exportação; ele escuta
só na interface local, a menos que se diga outra coisa.`,
			`Serve a directory snapshot over the REST contract that --directory https://... asks:
GET /keys/{sha256}, GET /users/{login}, GET /partners/{partner}/keys (JSON in the snapshot's
shapes, 404 when unknown), and POST /lookup, which answers many keys and users at once (what a
batch asks). With TRIAGEM_DIRECTORY_TOKEN set, requests need that bearer token.
A team can stand it up from its export; it listens on loopback unless told otherwise.`),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runDirectoryServe(cmd.Context(), snapshot, addr)
		},
	}
	serve.Flags().StringVar(&snapshot, "snapshot", "", a.T("o `ARQUIVO` de snapshot a servir (YAML ou JSON)", "the snapshot `FILE` to serve (YAML or JSON)"))
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8089", a.T("o endereço em que escutar", "the address to listen on"))
	_ = serve.MarkFlagRequired("snapshot")
	validate := &cobra.Command{
		Use: a.T("validate ARQUIVO", "validate FILE"),
		Short: a.T("Confere um snapshot inteiro: sintaxe, campos, duplicados, usuários que as chaves citam",
			"Check a snapshot whole: syntax, fields, duplicates, users its keys name"),
		Args: a.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runDirectoryValidate(cmd.Context(), args[0])
		},
	}
	cmd.AddCommand(serve, validate)
	return cmd
}

func (a *app) runDirectoryServe(ctx context.Context, path, addr string) error {
	s, err := directory.Open(path)
	if err != nil {
		return &exitError{exitInput, a.fileError(path, snapshotFile, err)}
	}
	idx, err := s.Index()
	if err != nil {
		return &exitError{exitInput, a.directoryError(err)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("escutando em %s: %v", "listening on %s: %v", addr, err))}
	}
	keys, users := idx.Len()
	a.say(a.T("triagem: servindo %s (%d chaves, %d usuários) em http://%s", "triagem: serving %s (%d keys, %d users) on http://%s", path, keys, users, ln.Addr()))
	srv := &http.Server{
		Handler:           directory.NewServer(idx, a.getenv("TRIAGEM_DIRECTORY_TOKEN")),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return &exitError{exitDependency, err}
	}
	return nil
}

func (a *app) runDirectoryValidate(ctx context.Context, path string) error {
	s, err := directory.Open(path)
	if err != nil {
		return &exitError{exitInput, a.fileError(path, snapshotFile, err)}
	}
	problems, err := s.Validate(ctx)
	if err != nil {
		return &exitError{exitInput, a.directoryError(err)}
	}
	if len(problems) > 0 {
		for _, p := range problems {
			a.say(p.Text(string(a.language())))
		}
		return &exitError{exitInput, fmt.Errorf("%s", a.T("%s: %d problema(s)", "%s: %d problem(s)", path, len(problems)))}
	}
	fmt.Fprintf(a.stdout, "%s: ok\n", path)
	return nil
}
