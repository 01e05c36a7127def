//go:build js && wasm

// Command triagem-wasm is triagem's validation chain for the partners' self-check page
// (web/): built with GOOS=js GOARCH=wasm, it registers triagemCheck(text, options) for the
// page's script. Everything runs in the browser: nothing is sent anywhere.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/crefazon/triagem/internal/selfcheck"
)

func main() {
	selfcheck.Warm()
	js.Global().Set("triagemCheck", js.FuncOf(check))
	js.Global().Call("dispatchEvent", js.Global().Get("Event").New("triagem-ready"))
	select {} // keep the functions alive for the page's lifetime
}

// check is triagemCheck(text, optionsJSON): options hold kind, lang, at and entry; it returns
// the selfcheck.Output as JSON.
func check(this js.Value, args []js.Value) any {
	var in selfcheck.Input
	if len(args) > 1 && args[1].Type() == js.TypeString {
		if err := json.Unmarshal([]byte(args[1].String()), &in); err != nil {
			return encode(selfcheck.Output{Error: "options: " + err.Error()})
		}
	}
	if len(args) > 0 && args[0].Type() == js.TypeString {
		in.Text = args[0].String()
	}
	return encode(selfcheck.Run(in))
}

func encode(o selfcheck.Output) string {
	b, err := json.Marshal(o)
	if err != nil {
		return `{"error":"encoding the result failed"}`
	}
	return string(b)
}
