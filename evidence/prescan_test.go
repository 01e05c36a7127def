package evidence

import (
	"reflect"
	"strings"
	"testing"
)

// TestPrescanIsScan: case.yaml scanned with its bodies' scans made as they were written finds
// what Scan finds in the whole file, line for line. Those scans are taken for the same text
// at the same place (a scan learns no secret, so what came before a body changes nothing in
// it), and not for a scan made elsewhere or cut short.
func TestPrescanIsScan(t *testing.T) {
	setSpliceMin(t, 64)
	red := defaultRedaction(t)
	jwt := signedToken(t)
	body := func(n int, planted string) string {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  {\n    \"id\": " + itoa(i) + ",\n    \"cpf\": \"[cpf#" + itoa(i+1) + " …25]\"")
			if i == n/2 && planted != "" {
				b.WriteString(",\n    \"obs\": \"" + planted + "\"")
			}
			b.WriteString("\n  }")
		}
		b.WriteString("\n]")
		return b.String()
	}
	tests := []struct {
		name      string
		head      string // the error message, before the bodies
		bodies    []string
		after     string
		elsewhere bool // the scan was made at another place
		cut       bool // the scan was handed part of the text
		taken     bool
	}{
		{"clean", "nada", []string{body(300, "")}, "fim", false, false, true},
		{"a CPF in clear in the body", "nada", []string{body(300, cpfA)}, "fim " + emailA, false, false, true},
		{"two bodies, findings in both", "nada", []string{body(200, cpfA), body(100, emailB)}, "fim", false, false, true},
		{"a token in clear in the body, again after it", "nada", []string{body(300, jwt)}, "de novo " + jwt, false, false, true},
		{"a password in clear before the body, again in it", "senha=" + plantedSenha, []string{body(300, plantedSenha)}, "fim", false, false, true},
		{"scanned at another place", "nada", []string{body(300, cpfA)}, "fim", true, false, false},
		{"scanned in part", "nada", []string{body(300, cpfA)}, "fim", false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := jval{kind: jObj}
			root.kids = append(root.kids, jval{kind: jStr, key: "error", s: tt.head})
			where := []string{"request", "response"}
			for i, b := range tt.bodies {
				part := jval{kind: jObj, key: where[i]}
				part.kids = append(part.kids, jval{kind: jStr, key: "body", s: b})
				root.kids = append(root.kids, part)
			}
			root.kids = append(root.kids, jval{kind: jStr, key: "fim", s: tt.after})
			doc := yamlNode(&root)
			c, err := encodeCase(doc)
			if err != nil || c.sp == nil {
				t.Fatalf("not spliced (%v)", err)
			}
			ps := &prescanner{red: red}
			for i, b := range c.sp.bodies {
				at := []seg{{key: where[i], idx: -1}, {key: "body", idx: -1}}
				if tt.elsewhere {
					at[1].key = "dados"
				}
				p, pipe := ps.start(&walker{file: caseWhere, segs: at})
				end := len(b)
				if tt.cut {
					end = len(b) / 2
				}
				for at := 0; at < end; at += 1000 { // handed on in pieces, as the stream does
					pipe <- []byte(b[:min(at+1000, end)])
				}
				close(pipe)
				p.text = b
			}
			c.scanned = ps.scans
			want, err := Scan(red, "case.yaml", c.bytes())
			if err != nil {
				t.Fatal(err)
			}
			got, err := scanSpliced(red, "case.yaml", c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("with the bodies' scans: %v\nthe whole file's: %v", got, want)
			}
			// Were they taken? A finding planted in them shows.
			for _, p := range ps.scans {
				<-p.done // a scan that was not taken may not have ended yet
				p.findings = append(p.findings, Finding{File: "case.yaml", Line: 1, Kind: "planted"})
			}
			tampered, _ := scanSpliced(red, "case.yaml", c)
			if taken := len(tampered) != len(want); taken != tt.taken {
				t.Errorf("the bodies' scans taken: %v, want %v (findings %v)", taken, tt.taken, want)
			}
		})
	}
}
