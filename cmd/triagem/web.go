package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// pageCSP repeats the page's own policy as a header: the browser then refuses every
// connection the page could try, whatever the HTML says.
const pageCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"

func (a *app) newWebCommand() *cobra.Command {
	var addr, dir string
	cmd := &cobra.Command{
		Use: "web",
		Short: a.T("Serve a página de autoverificação para o suporte, nesta máquina",
			"Serve the self-check page locally, for support"),
		Long: a.T(`Serve a página de autoverificação (construída por scripts/build-page.sh DIR) em --addr,
por padrão só nesta máquina (127.0.0.1:8080). A página roda a cadeia no navegador: nada do que
se cola nela sai do navegador, nem para este servidor. Ctrl+C para parar.`,
			`Serve the self-check page (built by scripts/build-page.sh DIR) on --addr, by default on
this machine only (127.0.0.1:8080). The page runs the chain in the browser: nothing pasted into
it leaves the browser, not even to this server. Ctrl+C stops it.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runWeb(cmd.Context(), addr, dir)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", a.T("endereço onde servir (`host:porta`)", "address to serve on (`host:port`)"))
	cmd.Flags().StringVar(&dir, "dir", "dist/page", a.T("a `pasta` da página construída por scripts/build-page.sh", "the page's `folder`, as scripts/build-page.sh builds it"))
	return cmd
}

func (a *app) runWeb(ctx context.Context, addr, dir string) error {
	if st, err := os.Stat(filepath.Join(dir, "index.html")); err != nil || !st.Mode().IsRegular() {
		return inputError("%s", a.T("--dir %s: não há página construída ali; construa-a com scripts/build-page.sh %s",
			"--dir %s: no built page there; build it with scripts/build-page.sh %s", dir, dir))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &exitError{exitDependency, errors.New(a.T("--addr %s: não foi possível escutar (%v)", "--addr %s: cannot listen (%v)", addr, err))}
	}
	srv := &http.Server{Handler: pageHandler(dir), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a.say(a.T("triagem: página de autoverificação em http://%s/ (Ctrl+C para parar)", "triagem: self-check page at http://%s/ (Ctrl+C to stop)", ln.Addr()))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	case err := <-done:
		return &exitError{exitDependency, err}
	}
}

// pageHandler serves the page's folder with the page's policy as a header, nothing cached
// (a rebuilt page is seen at once) and no content sniffing.
func pageHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer")
		files.ServeHTTP(w, r)
	})
}
