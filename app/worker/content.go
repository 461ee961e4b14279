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

// ReadFunc reads a file of the change's new version.
type ReadFunc func(ctx context.Context, path string) ([]byte, error)

// Contents fills Input.Content for the inputs some scanner in list needs
// whole: a new file from its added lines (no read), any other through read,
// at most contentReaders at once (a nil read reads nothing). A file that is gone or too large keeps a
// nil Content (its scanners then say what they could not do); any other
// read error fails the call, so the job is retried rather than half-scanned.
func Contents(ctx context.Context, list []scanners.Scanner, inputs []*scanners.Input, read ReadFunc) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		sem      = make(chan struct{}, contentReaders)
	)
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
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := read(ctx, in.Path)
			switch {
			case err == nil:
				in.Content = b
			case errors.Is(err, platform.ErrNotFound), errors.Is(err, platform.ErrTooLarge):
			default:
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("reading %s at the head: %w", in.Path, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}
