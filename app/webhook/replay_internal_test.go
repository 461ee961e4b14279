package webhook

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/queue"
)

// A delivery's jobs share what was signed, so each needs a key of its own:
// otherwise the queue would take the second job of a check suite re-run
// for a replay of the first.
func TestSetReplayKeys(t *testing.T) {
	tests := []struct {
		name string
		jobs int
		want []string
	}{
		{"one job: the body's key", 1, []string{"k"}},
		{"several: numbered", 3, []string{"k/0", "k/1", "k/2"}},
		{"none", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := make([]queue.Job, tt.jobs)
			setReplayKeys(jobs, "k")
			var got []string
			for _, j := range jobs {
				got = append(got, j.ReplayKey)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("replay keys (-want +got):\n%s", diff)
			}
		})
	}
}
