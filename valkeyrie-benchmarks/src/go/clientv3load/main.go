// clientv3load drives one etcd member with etcd's own Go client (clientv3, etcd 3.4) the way
// valkeyrie-benchmarks drives the Java clients: N goroutines sharing one client, each sending its
// next request as soon as the previous one is answered (a closed loop), a warm-up that is
// discarded, then a measured window. Requests that start and end inside the window are counted.
// It prints "window-start" and "window-end" when the measured window begins and ends (so that the
// caller can read etcd's CPU time over it), then one JSON line: ops/s, latency percentiles (µs),
// counts, and this process's CPU time per request over the window.
//
// Built in GOPATH mode against Debian's golang-etcd-server-dev (no module download):
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o clientv3load main.go
//
// Only the given endpoint is contacted; the benchmark passes a loopback one.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.etcd.io/etcd/clientv3"
)

// result is the JSON line printed at the end.
type result struct {
	Workload     string  `json:"workload"`
	Concurrency  int     `json:"concurrency"`
	OpsPerSecond float64 `json:"ops_per_second"`
	P50Micros    float64 `json:"p50_us"`
	P99Micros    float64 `json:"p99_us"`
	Operations   int64   `json:"operations"`
	Errors       int64   `json:"errors"`
	CPUMicrosOp  float64 `json:"cpu_us_per_op"`
	FirstError   string  `json:"first_error,omitempty"`
}

// maxRequestsPerWorker bounds every loop whatever the durations, as the Java driver does.
const maxRequestsPerWorker = 50_000_000

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:2379", "the etcd member (loopback)")
	workload := flag.String("workload", "get-serializable",
		"get-serializable, get-linearizable, put or range")
	key := flag.String("key", "bench/one", "the key read or written")
	prefix := flag.String("prefix", "bench/list/", "the prefix the range workload reads")
	expect := flag.Int("expect", 1, "keys every read must return")
	valueSize := flag.Int("value-size", 100, "bytes the put workload writes")
	concurrency := flag.Int("concurrency", 1, "goroutines, each one request in flight")
	warmup := flag.Duration("warmup", 2*time.Second, "discarded warm-up")
	measure := flag.Duration("duration", 5*time.Second, "measured window")
	timeout := flag.Duration("timeout", 10*time.Second, "deadline of each request")
	flag.Parse()

	if !strings.Contains(*endpoint, "127.0.0.1") && !strings.Contains(*endpoint, "localhost") &&
		!strings.Contains(*endpoint, "[::1]") {
		fail("refusing to send load anywhere but loopback: %s", *endpoint)
	}
	// The same settings as the Java clients in the table: keep-alive pings only with calls, every
	// 30 s (etcd answers more frequent or idle pings with GOAWAY), 64 MiB inbound.
	client, err := clientv3.New(clientv3.Config{
		Endpoints:            []string{*endpoint},
		DialTimeout:          10 * time.Second,
		DialKeepAliveTime:    30 * time.Second,
		DialKeepAliveTimeout: 10 * time.Second,
		MaxCallRecvMsgSize:   64 << 20,
	})
	if err != nil {
		fail("cannot open the client: %v", err)
	}
	defer client.Close()

	call, err := request(client, *workload, *key, *prefix, *expect, *valueSize, *timeout)
	if err != nil {
		fail("%v", err)
	}
	if err := call(); err != nil { // fail fast on a wrong setup rather than count errors
		fail("first %s request failed: %v", *workload, err)
	}

	r := drive(call, *concurrency, *warmup, *measure)
	r.Workload = *workload
	r.Concurrency = *concurrency
	line, _ := json.Marshal(r)
	fmt.Println(string(line))
}

// request returns the blocking call of one request of workload.
func request(client *clientv3.Client, workload, key, prefix string, expect, valueSize int,
	timeout time.Duration) (func() error, error) {
	check := func(resp *clientv3.GetResponse, err error) error {
		if err != nil {
			return err
		}
		if len(resp.Kvs) != expect {
			return fmt.Errorf("expected %d keys, got %d", expect, len(resp.Kvs))
		}
		return nil
	}
	switch workload {
	case "get-serializable":
		return func() error {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			return check(client.Get(ctx, key, clientv3.WithSerializable()))
		}, nil
	case "get-linearizable":
		return func() error {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			return check(client.Get(ctx, key))
		}, nil
	case "put":
		value := strings.Repeat("v", valueSize)
		return func() error {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			_, err := client.Put(ctx, key, value)
			return err
		}, nil
	case "range":
		return func() error {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			return check(client.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithSerializable()))
		}, nil
	}
	return nil, fmt.Errorf("unknown workload %q", workload)
}

// drive runs call from concurrency goroutines in a closed loop and measures the window.
func drive(call func() error, concurrency int, warmup, measure time.Duration) result {
	start := time.Now()
	windowStart := start.Add(warmup)
	windowEnd := windowStart.Add(measure)
	latencies := make([][]int64, concurrency)
	errs := make([]int64, concurrency)
	var firstError error
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			own := make([]int64, 0, 1<<14)
			for n := 0; n < maxRequestsPerWorker; n++ {
				begin := time.Now()
				if !begin.Before(windowEnd) {
					break
				}
				if err := call(); err != nil {
					errs[w]++
					once.Do(func() { firstError = err })
					continue
				}
				end := time.Now()
				if !begin.Before(windowStart) && !end.After(windowEnd) {
					own = append(own, end.Sub(begin).Microseconds())
				}
			}
			latencies[w] = own
		}(w)
	}
	time.Sleep(time.Until(windowStart))
	cpuStart := cpuNanos()
	fmt.Println("window-start")
	time.Sleep(time.Until(windowEnd))
	cpuEnd := cpuNanos()
	fmt.Println("window-end")
	wg.Wait()

	var all []int64
	var errors int64
	for w := range latencies {
		all = append(all, latencies[w]...)
		errors += errs[w]
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := result{Operations: int64(len(all)), Errors: errors, CPUMicrosOp: -1}
	if firstError != nil {
		r.FirstError = firstError.Error()
	}
	if len(all) > 0 {
		r.OpsPerSecond = float64(len(all)) / measure.Seconds()
		r.P50Micros = float64(max1(percentile(all, 50)))
		r.P99Micros = float64(max1(percentile(all, 99)))
		if cpuStart >= 0 && cpuEnd >= cpuStart {
			r.CPUMicrosOp = float64(cpuEnd-cpuStart) / 1000 / float64(len(all))
		}
	}
	return r
}

// percentile of sorted values, by the nearest-rank method (as HdrHistogram reports).
func percentile(sorted []int64, p float64) int64 {
	rank := int(p/100*float64(len(sorted))+0.5) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}

func max1(v int64) int64 {
	if v < 1 {
		return 1
	}
	return v
}

// cpuNanos is this process's user and system CPU time, or -1 when unknown.
func cpuNanos() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return -1
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "clientv3load: "+format+"\n", args...)
	os.Exit(1)
}
