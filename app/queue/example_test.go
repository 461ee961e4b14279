package queue_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
)

// The webhook enqueues; a worker runs jobs until told to stop, checking that
// its head is still the newest before it starts.
func ExampleNewMemory() {
	q, _ := queue.NewMemory(queue.Options{Concurrency: 1})
	defer q.Close()
	job := func(sha string) queue.Job {
		return queue.Job{DeliveryID: "delivery-" + sha, Kind: platform.KindReview, Change: platform.Change{
			Platform: platform.GitHub, Repo: platform.Repo{Owner: "acme", Name: "api"}, Number: 7, HeadSHA: sha}}
	}
	ctx := context.Background()
	first, _ := q.Enqueue(ctx, job("aaa"))
	again, _ := q.Enqueue(ctx, job("aaa")) // the host redelivered the webhook
	newer, _ := q.Enqueue(ctx, job("bbb")) // a push to the pull request
	fmt.Println(first.Duplicate, again.Duplicate, newer.Superseded)

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = q.Run(runCtx, func(ctx context.Context, j queue.Job) error {
			if ok, _ := q.Current(ctx, j); !ok {
				fmt.Println(j.Change.HeadSHA, "superseded")
				return nil
			}
			fmt.Println(j.Change.HeadSHA, "reviewed")
			return nil
		})
	}()
	for d, _ := q.Depth(ctx); d > 0; d, _ = q.Depth(ctx) {
		time.Sleep(time.Millisecond)
	}
	stop()
	<-done
	// Output:
	// false true true
	// aaa superseded
	// bbb reviewed
}
