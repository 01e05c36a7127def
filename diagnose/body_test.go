package diagnose

import (
	"strings"
	"testing"
)

// A body written as a YAML mapping keeps its keys' order and its numbers' text: the Code team
// replays the payload as the partner sent it.
func TestBodyKeepsOrderAndNumbers(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"order", "request:\n  body:\n    z: 1\n    a: 2\n", `{"z":1,"a":2}`},
		{"number text", "request:\n  body: {valor: 1500.00, taxa: 1.10e2, n: -0}\n", `{"valor":1500.00,"taxa":1.10e2,"n":-0}`},
		{"nested and lists", "request:\n  body:\n    cliente: {nome: Ana, cpf: \"529\"}\n    itens: [3, {b: true, a: null}]\n", `{"cliente":{"nome":"Ana","cpf":"529"},"itens":[3,{"b":true,"a":null}]}`},
		{"YAML-only number decoded", "request:\n  body: {hex: 0x1F, b: 2}\n", `{"hex":31,"b":2}`},
		{"alias decoded", "request:\n  body:\n    a: &x {k: 1}\n    b: *x\n", `{"a":{"k":1},"b":{"k":1}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCase("c.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(c.Request.Body.Raw); got != tc.want {
				t.Errorf("body %s, want %s", got, tc.want)
			}
		})
	}
}

// A YAML value that JSON cannot hold (infinity) is refused, naming the line.
func TestBodyNotJSONRefused(t *testing.T) {
	_, err := ParseCase("c.yaml", []byte("request:\n  body: {x: .inf}\n"))
	if err == nil || !strings.Contains(err.Error(), "c.yaml:2") {
		t.Fatalf("want an error at c.yaml:2, got %v", err)
	}
}
