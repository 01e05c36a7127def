// Command buildpage writes the self-check page into a folder for any static web server:
// go run ./web/buildpage DIR (scripts/build-page.sh runs it).
package main

import (
	"fmt"
	"os"

	"github.com/crefazon/triagem/web"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: buildpage DIR")
		os.Exit(2)
	}
	if err := web.Build(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "buildpage:", err)
		os.Exit(1)
	}
}
