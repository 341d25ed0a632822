package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// TestConcurrentReadThenWrite: 32 goroutines each read the evaluation and
// write it back with the version they read, many times. Every write either
// commits or is refused with ErrConflict (never SQLITE_BUSY, never any
// other error), and the final demand equals the start plus the committed
// writes: no update is lost.
func TestConcurrentReadThenWrite(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	id, _ := importFile(t, s, "testdata/e2.json")
	start, _ := s.GetEvaluation(ctx, id)
	const workers, rounds = 32, 15
	var mu sync.Mutex
	var ok, conflicts int
	var other []error
	var wg sync.WaitGroup
	// Readers load the whole document while the writers fight: WAL lets
	// them run beside the writer, and they never see SQLITE_BUSY either.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var reads int
	for r := 0; r < 4; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, err := s.Document(ctx, id, nil)
				mu.Lock()
				reads++
				if err != nil {
					other = append(other, err)
				}
				mu.Unlock()
			}
		}()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				e, err := s.GetEvaluation(ctx, id)
				if err != nil {
					mu.Lock()
					other = append(other, err)
					mu.Unlock()
					continue
				}
				st := e.Settings
				st.Volume.Monthly = st.Volume.Monthly.Add(dec("1"))
				_, err = s.UpdateEvaluation(ctx, fmt.Sprintf("worker-%d", w), id, e.Version, st)
				mu.Lock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, store.ErrConflict):
					conflicts++
				default:
					other = append(other, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	for _, err := range other {
		t.Errorf("unexpected error: %v", err)
	}
	end, _ := s.GetEvaluation(ctx, id)
	t.Logf("%d read-then-write transactions: %d committed, %d stale (ErrConflict), %d other errors; %d document loads beside them",
		workers*rounds, ok, conflicts, len(other), reads)
	if ok == 0 || ok+conflicts != workers*rounds {
		t.Fatalf("committed %d + conflicts %d != %d", ok, conflicts, workers*rounds)
	}
	if want := start.Volume.Monthly.Add(dec(fmt.Sprint(ok))); !end.Volume.Monthly.Equal(want) {
		t.Fatalf("final demand %s, want %s: lost updates", end.Volume.Monthly, want)
	}
	if end.Version != start.Version+int64(ok) {
		t.Fatalf("final version %d, want %d", end.Version, start.Version+int64(ok))
	}
	audit, _ := s.Audit(ctx, store.AuditFilter{EvaluationID: id, Entity: "evaluation"})
	if audit.Total != ok+1 { // the import and one row per committed update
		t.Fatalf("%d audit rows, want %d", audit.Total, ok+1)
	}
}

const crashEnv = "VENDORCOMPARE_STORE_CRASH_DIR"

// TestCrashChild is the child of TestCrashKill: it writes until killed and
// prints each write's id once its commit has returned.
func TestCrashChild(t *testing.T) {
	t.Parallel()
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("child process of TestCrashKill only")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	doc := readDoc(t, "testdata/e2.json")
	for i := 0; ; i++ {
		if i%2 == 0 {
			v, err := s.CreateVendor(ctx, "child", store.VendorInput{Name: fmt.Sprintf("vendor %d", i)})
			if err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Printf("vendor %d\n", v.ID)
		} else {
			id, err := s.ImportDocument(ctx, "child", doc)
			if err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Printf("evaluation %d\n", id)
		}
	}
}

// TestCrashKill runs TestCrashChild in a child process, kills it with
// SIGKILL in the middle of its writes, and checks that every write the
// child saw committed is in the database and that SQLite's integrity check
// passes.
func TestCrashKill(t *testing.T) {
	t.Parallel()
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string][]int64{}
	n := 0
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	for sc.Scan() {
		var kind string
		var id int64
		if _, err := fmt.Sscanf(sc.Text(), "%s %d", &kind, &id); err != nil || kind == "error" {
			if strings.HasPrefix(sc.Text(), "error") {
				cmd.Process.Kill()
				t.Fatalf("child: %s", sc.Text())
			}
			continue
		}
		acked[kind] = append(acked[kind], id)
		n++
		if n == 300 || time.Now().After(deadline) {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Lines printed after the kill decision were acknowledged too.
	for sc.Scan() {
		var kind string
		var id int64
		if _, err := fmt.Sscanf(sc.Text(), "%s %d", &kind, &id); err == nil && kind != "error" {
			acked[kind] = append(acked[kind], id)
			n++
		}
	}
	cmd.Wait()
	if n < 50 {
		t.Fatalf("only %d writes acknowledged before the kill", n)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer s.Close()
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range acked["vendor"] {
		if _, err := s.GetVendor(ctx, id); err != nil {
			t.Fatalf("acknowledged vendor %d: %v", id, err)
		}
	}
	for _, id := range acked["evaluation"] {
		if _, err := s.Comparison(ctx, id, store.CompareOptions{}); err != nil {
			t.Fatalf("acknowledged evaluation %d: %v", id, err)
		}
	}
	t.Logf("killed after %d acknowledged writes (%d vendors, %d imports): all present, integrity ok",
		n, len(acked["vendor"]), len(acked["evaluation"]))
}

// TestBackup: VACUUM INTO while the store is open gives a database that
// opens and costs the same; an existing file is never overwritten.
func TestBackup(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	if _, err := s.LoadDemo(ctx, "../../data"); err != nil {
		t.Fatal(err)
	}
	p, _ := s.ListEvaluations(ctx, store.ListParams{})
	id := p.Items[0].ID
	want, err := s.Comparison(ctx, id, store.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	restoreDir := t.TempDir()
	file := filepath.Join(restoreDir, store.FileName)
	if err := s.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Backup(ctx, file), store.ErrConflict)
	// The store keeps working after the backup.
	if _, err := s.CreateVendor(ctx, "ann", store.VendorInput{Name: "After backup"}); err != nil {
		t.Fatal(err)
	}
	r, err := store.Open(ctx, restoreDir)
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer r.Close()
	if err := r.Check(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := r.Comparison(ctx, id, store.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, want) != mustJSON(t, got) {
		t.Fatal("the backup costs differently")
	}
	if v, _ := r.ListVendors(ctx, store.ListParams{}); v.Total != 3 {
		t.Fatalf("backup has %d vendors, want the 3 before it", v.Total)
	}
}

// TestConcurrentDocuments: more simultaneous document loads than the
// reader pool has connections all finish (the prepared statements never
// need a second connection inside a transaction).
func TestConcurrentDocuments(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	id, doc := importFile(t, s, "testdata/e2.json")
	want := mustJSON(t, doc)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				d, err := s.Document(ctx, id, nil)
				if err != nil {
					errs <- err
					return
				}
				if mustJSON(t, d) != want {
					errs <- errors.New("a concurrent load differs")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
