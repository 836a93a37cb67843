// Package procfs reads what the load tests under bench/ report about the
// processes they run: memory and CPU time from /proc, PostgreSQL's
// processes, the machine's load.
package procfs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat;
// it is 100 on every Linux this runs on.
const clockTicks = 100

// Tail returns the last n lines of a file, for error messages.
func Tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// RSSKB returns the process's resident set (VmRSS) and its peak (VmHWM)
// in kB.
func RSSKB(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		switch k {
		case "VmRSS":
			rss, _ = strconv.ParseInt(f[0], 10, 64)
		case "VmHWM":
			hwm, _ = strconv.ParseInt(f[0], 10, 64)
		}
	}
	return rss, hwm, nil
}

// Stat is what /proc/<pid>/stat says about a process's CPU.
type Stat struct {
	PPID                         int
	UTime, STime, CUTime, CSTime int64 // clock ticks
}

func ReadStat(pid int) (Stat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Stat{}, err
	}
	// The command name is in parentheses and may hold spaces: the fields
	// start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return Stat{}, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return Stat{}, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	n := func(k int) int64 { v, _ := strconv.ParseInt(f[k], 10, 64); return v }
	// f[0] is field 3 (state): PPID is field 4, utime..CSTime 14..17.
	return Stat{PPID: int(n(1)), UTime: n(11), STime: n(12), CUTime: n(13), CSTime: n(14)}, nil
}

// CPUSeconds is the CPU time pid has used.
func CPUSeconds(pid int) float64 {
	st, err := ReadStat(pid)
	if err != nil {
		return 0
	}
	return float64(st.UTime+st.STime) / clockTicks
}

// PostmasterPID finds the PostgreSQL server listening on port among the
// processes: its command line is `postgres -D … -p <port> …`.
func PostmasterPID(port string) int {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		args := strings.Split(string(b), "\x00")
		if len(args) == 0 || filepath.Base(args[0]) != "postgres" {
			continue
		}
		for i := 0; i+1 < len(args); i++ {
			if args[i] == "-p" && args[i+1] == port {
				return pid
			}
		}
	}
	return 0
}

// PostgresCPU is the CPU time of the PostgreSQL server: the postmaster,
// the backends that exited (its children's times) and those still running.
func PostgresCPU(postmaster int) float64 {
	if postmaster == 0 {
		return 0
	}
	root, err := ReadStat(postmaster)
	if err != nil {
		return 0
	}
	ticks := root.UTime + root.STime + root.CUTime + root.CSTime
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == postmaster {
			continue
		}
		if st, err := ReadStat(pid); err == nil && st.PPID == postmaster {
			ticks += st.UTime + st.STime
		}
	}
	return float64(ticks) / clockTicks
}

// PostgresRSSKB adds up the resident sets of the PostgreSQL processes.
// Shared buffers are counted once per process that touched them, so this
// overstates what PostgreSQL uses; it is reported for scale only.
func PostgresRSSKB(postmaster int) int64 {
	if postmaster == 0 {
		return 0
	}
	total, _, _ := RSSKB(postmaster)
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == postmaster {
			continue
		}
		if st, err := ReadStat(pid); err == nil && st.PPID == postmaster {
			r, _, _ := RSSKB(pid)
			total += r
		}
	}
	return total
}

// SelfCPU is the CPU time this program has used.
func SelfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// MachineCPU returns the machine's busy and total CPU time from /proc/stat
// in seconds, summed over all cores.
func MachineCPU() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, 0
	}
	var v [10]int64
	for i := 1; i < len(f) && i <= 10; i++ {
		v[i-1], _ = strconv.ParseInt(f[i], 10, 64)
	}
	// user nice system idle iowait irq softirq steal (guest is in user).
	idle := v[3] + v[4]
	all := v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]
	return float64(all-idle) / clockTicks, float64(all) / clockTicks
}

// LoadAvg returns /proc/loadavg's first three numbers.
func LoadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
