// Command triagem runs the CrefazOn partner API support procedure on a failing request.
package main

import "os"

func main() { os.Exit(run()) }
