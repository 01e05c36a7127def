//go:build !unix

package main

import "os"

// maxRSS is not reported there (Windows): 0.
func maxRSS(*os.ProcessState) int64 { return 0 }
