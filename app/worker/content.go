package worker

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
)

// contentReaders bounds the file reads one job makes at once.
const contentReaders = 8

// MaxJobContentBytes bounds the whole files one job holds for its scanners:
// with each file already capped (hostapi.MaxContentBytes), it is what keeps
// a change of thousands of large files from taking a worker's memory, and
// its other jobs with it. Files past it are scanned by their added lines
// only and reported as not scanned whole.
const MaxJobContentBytes = 64 << 20

// ReadFunc reads a file of the change's new version.
type ReadFunc func(ctx context.Context, path string) ([]byte, error)

// Contents fills Input.Content for the inputs some scanner in list needs
// whole: a new file from its added lines (no read), any other through read,
// at most contentReaders at once (a nil read reads nothing). A file that is
// gone, too large, or past the job's MaxJobContentBytes keeps a nil Content
// and says why in Input.Unread (scanners.Run reports it as not scanned
// whole); any other read error fails the call, so the job is retried
// rather than half-scanned.
func Contents(ctx context.Context, list []scanners.Scanner, inputs []*scanners.Input, read ReadFunc) error {
	return ContentsWithin(ctx, list, inputs, read, MaxJobContentBytes)
}

// ContentsWithin is Contents with a budget of budget bytes.
func ContentsWithin(ctx context.Context, list []scanners.Scanner, inputs []*scanners.Input, read ReadFunc, budget int) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		used     int
		sem      = make(chan struct{}, contentReaders)
	)
	spent := &scanners.BoundError{What: "bytes of whole files read for one change", Limit: int64(budget)}
	for _, in := range inputs {
		if in.Content != nil || !scanners.NeedsContent(list, in.Path) {
			continue
		}
		if b := in.ContentFromAdded(); b != nil {
			in.Content = b
			continue
		}
		if read == nil {
			continue
		}
		mu.Lock()
		over := used >= budget
		mu.Unlock()
		if over {
			in.Unread = spent
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := read(ctx, in.Path)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && used+len(b) > budget:
				in.Unread = spent
				used = budget // later files need not be tried
			case err == nil:
				in.Content = b
				used += len(b)
			case errors.Is(err, platform.ErrNotFound):
				in.Unread = err
			case errors.Is(err, platform.ErrTooLarge):
				in.Unread = err
			default:
				if firstErr == nil {
					firstErr = fmt.Errorf("reading %s at the head: %w", in.Path, err)
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}
