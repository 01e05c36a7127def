package evidence

import (
	"fmt"
	"hash/maphash"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/crefazon/triagem/internal/memo"

	"github.com/crefazon/triagem/internal/sensitive"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// Every output of triagem (verdicts in every format, errors, token views, recorded answers)
// goes through an output redactor: the same masks as a bundle, with the secrets of the case at
// hand learnt first, so that a key, a token or a password that a message repeats is masked
// there too. Printed text is not a request: "Token: expirado" is a sentence there, so the
// output mode looks for secret names only in "name=value" parameters; known secrets, JWTs,
// bearer values, URL user information, CPF/CNPJ, phones and e-mails are masked as in a bundle.

// NewOutputRedactor returns a redactor for printed text.
func NewOutputRedactor(r rules.Redaction) (*Redactor, error) {
	rd, err := NewRedactor(r)
	if err != nil {
		return nil, err
	}
	rd.output, rd.quiet, rd.printing = true, true, true
	return rd, nil
}

// Fresh returns a redactor with rd's rules and mode and none of what it learnt or masked: a
// batch makes one per case from a redactor it built once, instead of compiling the rules'
// redaction section again for every case. The rules' part (policy, header and field names,
// compiled patterns) is shared: nothing writes to it once NewRedactor has built it.
func (rd *Redactor) Fresh() *Redactor {
	return &Redactor{
		pol: rd.pol, headers: rd.headers, fields: rd.fields,
		patterns: rd.patterns, docs: rd.docs, cpf: rd.cpf, cnpj: rd.cnpj, phone: rd.phone,
		output: rd.output, quiet: rd.quiet, printing: rd.printing, clean: rd.clean,
		masks:   map[string]*kindMasks{},
		secrets: map[string]secret{},
		tokens:  map[string]*tokenEntry{},
		keys:    map[string]*keyFacts{},
		memo:    map[string]*memoEntry{},
		counts:  map[string]int{},
	}
}

// Learn registers the secrets of a case (its API key, tokens, credential headers, secret
// fields, personal fields), so that Output masks them wherever they recur.
func (rd *Redactor) Learn(c *diagnose.Case) {
	if c == nil {
		return
	}
	output, quiet := rd.output, rd.quiet
	rd.output, rd.quiet, rd.learning = false, true, true
	_, _, _ = rd.Case(c)
	rd.output, rd.quiet, rd.learning = output, quiet, false
}

// Output masks a printed text. s must not change once given (no string made over a buffer
// that is written again): a text found clean is known again by where its bytes lie.
func (rd *Redactor) Output(s string) string {
	if s == "" {
		return s
	}
	w := &walker{file: "output"}
	clean := rd.cleanOf()
	if len(s) <= maxCleanLen && clean.has(s) {
		// Nothing of a pattern's in it (a batch prints the same check messages for every
		// case): only the secrets this redactor learnt can be.
		return rd.stageSecrets(w, s, 1)
	}
	before := rd.changes
	out := rd.text(w, s, 1)
	if rd.changes == before && len(s) <= maxCleanLen && clean.seenBefore(s) {
		// A copy: s may be a piece of a larger text, which the set would keep alive.
		clean.texts.Put(strings.Clone(s), struct{}{})
	}
	return out
}

// cleanOf is the set of texts known clean under rd's policy.
func (rd *Redactor) cleanOf() *cleanSet {
	if rd.clean == nil {
		rd.clean = cleanSetOf(rd.pol)
	}
	return rd.clean
}

// has tells whether s is known clean.
func (c *cleanSet) has(s string) bool {
	if c.sameText(s) {
		return true
	}
	if _, ok := c.texts.Get(s); !ok {
		return false
	}
	c.keepSame(s)
	return true
}

// The printed texts that nothing but a case's own secrets could touch, per policy (the
// rules' redaction section): a batch asks for every string of every verdict from every worker.
//
// Most of what a verdict prints is the very same string every time (a check's id, a status,
// a section, a sentence without arguments): same holds such strings by where their bytes lie,
// and answers for them without hashing them into texts' large map (whose look-ups, cache
// misses mostly, were a twentieth of a batch). A slot holds a pointer to its string's bytes,
// which keeps them alive, so no other string can come to lie at the same place while it is
// there; Go strings never change, so a string at the same place with the same length is the
// same text. A slot is taken once, by a text found in texts (so clean, whatever case it came
// from), and never given back: strings made anew for each case cannot push out those that
// recur.
//
// A clean text joins texts only the second time it is found clean: most texts of a verdict
// that are not the same string every time hold the case's own values (a ticket, a time, a
// user) and never come again, and remembering them made texts' map large (slow to look up,
// costly to grow) for no answer. seen remembers a fingerprint of each text found clean once;
// a fingerprint two texts share only lets the second in early.
type cleanSet struct {
	texts memo.Map[struct{}]
	same  [cleanSlots]sameSlot
	seen  [seenSlots]atomic.Uint32
}

const seenSlots = 1 << 16

var seenSeed = maphash.MakeSeed()

// seenBefore tells whether s was found clean before (or shares its fingerprint), and
// remembers that it now was.
func (c *cleanSet) seenBefore(s string) bool {
	h := maphash.String(seenSeed, s)
	fp := uint32(h>>32) | 1 // never 0, an empty slot
	sl := &c.seen[h&(seenSlots-1)]
	if sl.Load() == fp {
		return true
	}
	sl.Store(fp)
	return false
}

// sameSlot is taken by setting n (from 0, so one writer wins) and then at; a reader that
// sees at sees the n written before it.
type sameSlot struct {
	at atomic.Pointer[byte]
	n  atomic.Int64
}

const cleanSlotBits = 12
const cleanSlots = 1 << cleanSlotBits

func (c *cleanSet) slot(s string) *sameSlot {
	h := uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) ^ uint64(len(s))<<48
	return &c.same[(h*0x9E3779B97F4A7C15)>>(64-cleanSlotBits)]
}

func (c *cleanSet) sameText(s string) bool {
	sl := c.slot(s)
	return sl.at.Load() == unsafe.StringData(s) && sl.n.Load() == int64(len(s))
}

func (c *cleanSet) keepSame(s string) {
	if sl := c.slot(s); sl.n.Load() == 0 && sl.n.CompareAndSwap(0, int64(len(s))) {
		sl.at.Store(unsafe.StringData(s))
	}
}

var cleanSets sync.Map // *sensitive.Policy -> *cleanSet

func cleanSetOf(pol *sensitive.Policy) *cleanSet {
	if c, ok := cleanSets.Load(pol); ok {
		return c.(*cleanSet)
	}
	c, _ := cleanSets.LoadOrStore(pol, &cleanSet{texts: memo.Map[struct{}]{Max: maxClean}})
	return c.(*cleanSet)
}

const (
	maxCleanLen = 1024
	maxClean    = 1 << 16
)

// Verdict masks every string of a verdict in place (checks, reply, request summary, notes...),
// before it is rendered: a table wraps long values over lines, where a secret cut in two
// would no longer be recognised.
func (rd *Redactor) Verdict(v *diagnose.Verdict) {
	if v != nil {
		rd.strings(reflect.ValueOf(v).Elem())
	}
}

// strings walks a value and masks every string field, whatever fields the verdict gains.
func (rd *Redactor) strings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); s != "" {
				if o := rd.Output(s); o != s {
					v.SetString(o)
				}
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			rd.strings(v.Elem())
		}
	case reflect.Struct:
		for _, i := range exportedFields(v.Type()) {
			rd.strings(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			rd.strings(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.String && v.Type().Key().Kind() == reflect.String {
			for _, k := range v.MapKeys() {
				if s := v.MapIndex(k).String(); s != "" {
					v.SetMapIndex(k, reflect.ValueOf(rd.Output(s)).Convert(v.Type().Elem()))
				}
			}
			return
		}
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Interface && !e.IsNil() && e.Elem().Kind() == reflect.String {
				v.SetMapIndex(k, reflect.ValueOf(rd.Output(e.Elem().String())))
			}
		}
	}
}

// exportedFields lists a struct type's exported fields, once per type: asking reflect for
// each field of each verdict again was a twentieth of a batch.
func exportedFields(t reflect.Type) []int {
	if f, ok := fieldsOf.Load(t); ok {
		return f.([]int)
	}
	var f []int
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			f = append(f, i)
		}
	}
	fieldsOf.Store(t, f)
	return f
}

var fieldsOf sync.Map // reflect.Type -> []int

// LearnText registers the secrets that a raw text holds under secret names (a case file that
// did not parse: "senha: ...", "X-Access-Token: ...", "api_key=..."), so that an error about
// it does not repeat them.
func (rd *Redactor) LearnText(s string) {
	if s == "" {
		return
	}
	output, quiet := rd.output, rd.quiet
	rd.output, rd.quiet, rd.learning = false, true, true
	rd.text(&walker{file: "input"}, s, 1)
	rd.output, rd.quiet, rd.learning = output, quiet, false
}

// Answer masks what a live answer adds to a case (replay): its body (JSON as it is read, with
// key order and numbers kept; anything else as text) and its headers' values. Learn the case
// first, so that an answer that echoes a credential is masked too.
func (rd *Redactor) Answer(body []byte, headers map[string]string) ([]byte, map[string]string) {
	if len(body) > 0 {
		if v, ok := rd.body(&walker{file: "response.body"}, diagnose.Body{Raw: body, Present: true}); ok {
			body = []byte(v.s)
		}
	}
	out := make(map[string]string, len(headers))
	for k, v := range headers {
		if rd.pol.SecretHeader(k) && v != "***" && !rd.isMask(v) {
			v, _ = rd.headerMask(rd.displayName(k), v)
		} else {
			v = rd.Text("response.headers."+k, v)
		}
		out[k] = v
	}
	return body, out
}

// Claims masks a token's claims for printing: the personal ones by name (claims.name,
// claims.birthdate... in the rules' personal_fields), the secret ones by the vocabulary, the
// rest as printed text. Masked values replace the originals in the map.
func (rd *Redactor) Claims(claims map[string]any) {
	for k, v := range claims {
		s, isString := v.(string)
		if !isString {
			s = fmt.Sprint(v)
		}
		switch {
		case rd.pol.PersonalPath([]string{"claims", k}):
			claims[k] = "[" + rd.displayName(k) + ", " + strconv.Itoa(len([]rune(s))) + " chars]"
		case !identityName(k) && rd.pol.SecretName(k):
			claims[k], _ = rd.fieldMask(rd.displayName(k), s)
		case isString:
			claims[k] = rd.Output(s)
		}
	}
}

// Strings masks every string of a value in place, as Verdict does for a verdict.
func (rd *Redactor) Strings(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		rd.strings(v.Elem())
	}
}
