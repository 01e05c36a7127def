// Command runcmp runs commands in turn, several rounds, and prints for each its median wall
// time, median CPU time (user and system), peak memory and the ratio of its wall and CPU
// medians to the first command's: figures measured side by side in one run, so that a shared
// or loaded machine slows the baseline as much as the command compared with it. hyperfine
// does the same with more statistics; this one needs nothing but Go.
//
//	go run ./scripts/runcmp -n 30 -- 'hello' 'triagem --version'
//
// Each command is split on spaces (no quoting); its output goes to /dev/null. A command that
// exits with a status other than 0 or 1 (1: a verdict naming a cause) stops the run.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 20, "rounds")
	stdin := flag.String("stdin", "", "a file every command reads on standard input")
	flag.Parse()
	cmds := flag.Args()
	if len(cmds) == 0 {
		fmt.Fprintln(os.Stderr, "runcmp: no command")
		os.Exit(2)
	}
	wall := make([][]time.Duration, len(cmds))
	cpu := make([][]time.Duration, len(cmds))
	peak := make([]int64, len(cmds))
	for range *n {
		for i, c := range cmds {
			w, u, rss, err := runOnce(c, *stdin)
			if err != nil {
				fmt.Fprintf(os.Stderr, "runcmp: %s: %v\n", c, err)
				os.Exit(1)
			}
			wall[i] = append(wall[i], w)
			cpu[i] = append(cpu[i], u)
			peak[i] = max(peak[i], rss)
		}
	}
	w0, c0 := median(wall[0]), median(cpu[0])
	fmt.Printf("%-60s %10s %10s %9s %8s %8s\n", "command", "wall", "cpu", "peak MB", "wall x", "cpu x")
	for i, c := range cmds {
		w, u := median(wall[i]), median(cpu[i])
		fmt.Printf("%-60s %10s %10s %9.1f %8.2f %8.2f\n", short(c), round(w), round(u), float64(peak[i])/(1<<20),
			float64(w)/float64(w0), float64(u)/float64(max(c0, 1)))
	}
}

func runOnce(c, stdin string) (wall, cpu time.Duration, rss int64, err error) {
	f := strings.Fields(c)
	cmd := exec.Command(f[0], f[1:]...)
	if stdin != "" {
		in, err := os.Open(stdin)
		if err != nil {
			return 0, 0, 0, err
		}
		defer in.Close()
		cmd.Stdin = in
	}
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		err = nil
	}
	if err != nil {
		return 0, 0, 0, err
	}
	ps := cmd.ProcessState
	return wall, ps.UserTime() + ps.SystemTime(), maxRSS(ps), nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func short(c string) string {
	if len(c) > 60 {
		return c[:57] + "..."
	}
	return c
}
