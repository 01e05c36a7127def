package journal

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// killChildEnv names the journal file a re-executed test binary appends to until killed.
const killChildEnv = "TRIAGEM_JOURNAL_KILL_CHILD"

// TestKillChild is not a test on its own: run by TestKilledMidAppend in a child process (the
// test binary re-executed with killChildEnv set), it appends events to the journal until it
// is killed, printing each committed diagnosis's sequence number. Each
// diagnosis event carries its own check: the SHA-256 of its case in its note, its number in
// its verdict.
func TestKillChild(t *testing.T) {
	path := os.Getenv(killChildEnv)
	if path == "" {
		t.Skip("only as the child of TestKilledMidAppend")
	}
	ctx := context.Background()
	j, err := Open(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	var start int64
	if err := j.db.QueryRow(`SELECT COUNT(*) FROM events WHERE kind = ?`, KindDiagnose).Scan(&start); err != nil {
		fmt.Println("count:", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	r := rand.New(rand.NewPCG(uint64(start), uint64(time.Now().UnixNano())))
	for n := start; ; n++ {
		caseYAML := strings.Repeat(fmt.Sprintf("linha %d do caso %d\n", r.IntN(1000), n), 50+r.IntN(400))
		sum := sha256.Sum256([]byte(caseYAML))
		verdict, _ := json.Marshal(map[string]any{"seq": n, "category": "no-apparent-cause"})
		ev := &Event{Ticket: fmt.Sprintf("SUP-%d", n%13), Kind: KindDiagnose, Category: "no-apparent-cause", Partner: fmt.Sprint("P", n%5),
			CaseYAML: caseYAML, VerdictJSON: string(verdict), Note: hex.EncodeToString(sum[:])}
		_, err := j.Record(ctx, ev)
		if err == nil && n%4 == 0 {
			_, err = j.Record(ctx, &Event{Ticket: ev.Ticket, Kind: KindReply, Note: fmt.Sprint("resposta ", n)})
		}
		if err != nil {
			fmt.Fprintln(out, "record:", err)
			out.Flush()
			os.Exit(3)
		}
		// Said only once committed: the parent holds the journal to it after the kill.
		fmt.Fprintln(out, n)
		out.Flush()
	}
}

// TestKilledMidAppend kills a process appending to a SQLite journal at random moments (8
// rounds; 60 with TRIAGEM_LONG_TESTS=1), one round in four while it opens the journal (the
// first one while it creates it). After each kill the journal opens, passes SQLite's
// integrity check, holds every event the child reported committed, and every event is whole:
// each diagnosis's case matches the checksum in its note and its verdict parses, the numbers
// run without a gap or a repeat, no event names a ticket the journal lacks, and each ticket's
// status is its last event's.
func TestKilledMidAppend(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	rounds := 8
	if os.Getenv("TRIAGEM_LONG_TESTS") != "" {
		rounds = 60
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	var total int64
	for round := 1; round <= rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), killChildEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1<<16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		if round%4 == 1 {
			// While it opens the journal, creating it or migrating it, as often as not.
			time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond)
		} else {
			if l := <-lines; l != "ready" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the child did not start: %q", round, l)
			}
			time.Sleep(time.Duration(5+rand.IntN(60)) * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
		committed := int64(-1)
		for l := range lines {
			if l == "ready" {
				continue
			}
			n, err := strconv.ParseInt(l, 10, 64)
			if err != nil {
				t.Fatalf("round %d: the child said %q", round, l)
			}
			committed = n
		}
		n := checkJournal(t, path, round)
		if committed >= n {
			t.Fatalf("round %d: the child committed event %d, the journal holds %d", round, committed, n)
		}
		if n <= total {
			t.Logf("round %d: killed before any new event", round)
		}
		total = n
	}
	t.Logf("%d kills, %d diagnosis events whole", rounds, total)
}

// checkJournal opens the journal after a kill and checks it whole; it returns how many
// diagnosis events it holds.
func checkJournal(t *testing.T, path string, round int) int64 {
	t.Helper()
	ctx := context.Background()
	j, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("round %d: the journal does not open after a kill: %v", round, err)
	}
	defer j.Close()
	var mode string
	var timeout int
	if err := j.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("round %d: journal_mode %q, %v; want wal", round, mode, err)
	}
	if err := j.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil || timeout < 1000 {
		t.Fatalf("round %d: busy_timeout %d, %v; want a writer to wait seconds", round, timeout, err)
	}
	var check string
	if err := j.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("round %d: integrity_check: %q %v", round, check, err)
	}
	var orphans int
	if err := j.db.QueryRow(`SELECT COUNT(*) FROM events WHERE ticket <> '' AND ticket NOT IN (SELECT id FROM tickets)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("round %d: %d events without their ticket (%v)", round, orphans, err)
	}
	tickets, err := j.Tickets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, tk := range tickets {
		evs, err := j.Events(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 || evs[0].Kind != KindOpen {
			t.Fatalf("round %d: ticket %s does not begin with its opening event", round, tk.ID)
		}
		last := evs[len(evs)-1]
		if last.Status != tk.Status || !last.At.Equal(tk.UpdatedAt) {
			t.Fatalf("round %d: ticket %s is %s (moved %v), its last event says %s (%v)", round, tk.ID, tk.Status, tk.UpdatedAt, last.Status, last.At)
		}
		for _, e := range evs {
			if e.Kind != KindDiagnose {
				continue
			}
			sum := sha256.Sum256([]byte(e.CaseYAML))
			var v struct {
				Seq      *int64 `json:"seq"`
				Category string `json:"category"`
			}
			if hex.EncodeToString(sum[:]) != e.Note || json.Unmarshal([]byte(e.VerdictJSON), &v) != nil || v.Seq == nil || v.Category != e.Category {
				t.Fatalf("round %d: event %d of %s is not whole", round, e.ID, tk.ID)
			}
			if seen[*v.Seq] || fmt.Sprintf("SUP-%d", *v.Seq%13) != tk.ID {
				t.Fatalf("round %d: event number %d repeated or on the wrong ticket", round, *v.Seq)
			}
			seen[*v.Seq] = true
		}
	}
	n := int64(len(seen))
	for i := range n {
		if !seen[i] {
			t.Fatalf("round %d: event number %d is missing of %d", round, i, n)
		}
	}
	var count int64
	if err := j.db.QueryRow(`SELECT COUNT(*) FROM events WHERE kind = ?`, KindDiagnose).Scan(&count); err != nil || count != n {
		t.Fatalf("round %d: %d diagnosis events in all, %d on tickets (%v)", round, count, n, err)
	}
	return n
}
