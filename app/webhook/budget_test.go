package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/webhook"
)

func acquire(t *testing.T, b *webhook.Budget, n int64, wait time.Duration) (*webhook.Grant, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	return b.Acquire(ctx, n)
}

// The budget never grants more than its total; bodies up to the small limit
// keep the reserve for themselves (and borrow the rest when it is free);
// larger bodies wait their turn and give up with ErrBusy.
func TestBudgetLanes(t *testing.T) {
	const wait = 50 * time.Millisecond
	b := webhook.NewBudget(10, 4, 2) // 6 for any body, 4 for bodies up to 2
	large, err := acquire(t, b, 6, wait)
	if err != nil {
		t.Fatalf("large body, empty budget: %v", err)
	}
	if _, err := acquire(t, b, 3, wait); !errors.Is(err, webhook.ErrBusy) {
		t.Errorf("second large body while the first is held: %v, want ErrBusy", err)
	}
	var small []*webhook.Grant
	for i := range 2 {
		g, err := acquire(t, b, 2, wait)
		if err != nil {
			t.Fatalf("small body %d while the large lane is held: %v", i, err)
		}
		small = append(small, g)
	}
	if _, err := acquire(t, b, 1, wait); !errors.Is(err, webhook.ErrBusy) {
		t.Errorf("past the total: %v, want ErrBusy", err)
	}
	if got := b.InUse(); got != 10 {
		t.Errorf("in use %d, want 10", got)
	}
	large.Release()
	large.Release() // a second release gives nothing back twice
	// The reserve is full: small bodies borrow what larger ones left.
	borrowed, err := acquire(t, b, 2, wait)
	if err != nil {
		t.Errorf("small body borrowing the free large lane: %v", err)
	}
	if _, err := acquire(t, b, 100, wait); !errors.Is(err, webhook.ErrTooBig) {
		t.Errorf("more than the large lane holds: %v, want ErrTooBig", err)
	}
	borrowed.Release()
	for _, g := range small {
		g.Release()
	}
	if got := b.InUse(); got != 0 {
		t.Errorf("in use after every release: %d", got)
	}
}

// A waiting body gets its share as soon as one is released, in order.
func TestBudgetWaitersServedInOrder(t *testing.T) {
	b := webhook.NewBudget(6, 0, 0)
	first, err := acquire(t, b, 6, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan int, 2)
	for i := 1; i <= 2; i++ {
		go func() {
			g, err := acquire(t, b, 4, 5*time.Second)
			if err == nil {
				got <- i
				time.Sleep(20 * time.Millisecond)
				g.Release()
			}
		}()
		time.Sleep(20 * time.Millisecond) // queue them in order
	}
	first.Release()
	for want := 1; want <= 2; want++ {
		select {
		case i := <-got:
			if i != want {
				t.Errorf("waiter %d served, want %d", i, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("waiter not served after a release")
		}
	}
}

// A body without Content-Length is read in growing steps under the budget,
// and every share is given back.
func TestChunkedDeliveryIsQueued(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	q, err := queue.NewMemory(queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	e, _, h := hostile(q)
	chunked := io.MultiReader(bytes.NewReader(opened[:100]), bytes.NewReader(opened[100:]))
	rec := post(e, "pull_request", "chunked-1", sign(opened, secret), chunked)
	if rec.Code != http.StatusAccepted {
		t.Errorf("status %d, want 202 (%s)", rec.Code, rec.Body)
	}
	if got := h.Bodies.InUse(); got != 0 {
		t.Errorf("budget in use after the request: %d", got)
	}
}

// A body that ends before its Content-Length is a 400, and its share of the
// budget is given back.
func TestShortBodyReleasesItsShare(t *testing.T) {
	q := &recordingQueue{}
	e, _, h := hostile(q)
	req := request("/webhooks/github", bytes.NewReader([]byte(`{"a":1}`)), 1<<20, map[string]string{
		"X-Hub-Signature-256": sign([]byte(`{"a":1}`), secret), "X-GitHub-Event": "pull_request",
		"X-GitHub-Delivery": "short", "Content-Type": "application/json"})
	if rec := serve(e, req); rec.Code != http.StatusBadRequest {
		t.Errorf("status %d, want 400", rec.Code)
	}
	if got := h.Bodies.InUse(); got != 0 {
		t.Errorf("budget in use after the request: %d", got)
	}
}
