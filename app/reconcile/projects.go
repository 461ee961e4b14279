package reconcile

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/platform"
)

// Projects remembers the GitLab projects shiftward recently queued work
// for: GitLab lists a token's merge requests per project, and a webhook
// secret valid for every project (or for a path glob) names none, so the
// projects a sweep visits are those configured by id and those seen here.
// A sorted set scored by the time last seen, trimmed to the newest
// defaultProjectsKept and to defaultProjectRetention.
type Projects struct {
	rdb redis.UniversalClient
	key string
	now func() time.Time
}

// NewProjects keeps the set under the queue's prefix.
func NewProjects(rdb redis.UniversalClient, prefix string) *Projects {
	return &Projects{rdb: rdb, key: prefix + KeyPart + "gitlab:projects", now: time.Now}
}

// member is a project as stored: its id and path (an id alone is enough
// to list its merge requests; the path spares a lookup).
type member struct {
	ID    int64  `json:"id,omitempty"`
	Owner string `json:"owner"`
	Name  string `json:"name"`
}

// Record notes that work was queued for repo now. One round trip.
func (p *Projects) Record(ctx context.Context, repo platform.Repo) error {
	if repo.ID <= 0 && (repo.Owner == "" || repo.Name == "") {
		return nil
	}
	// The id alone names a project that has one: a renamed project is
	// one member, its path updated.
	m := member{ID: repo.ID, Owner: repo.Owner, Name: repo.Name}
	b, _ := json.Marshal(m)
	now := p.now()
	_, err := p.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		if repo.ID > 0 {
			pipe.HSet(ctx, p.key+":path", strconv.FormatInt(repo.ID, 10), string(b))
			pipe.ZAdd(ctx, p.key, redis.Z{Score: float64(now.Unix()), Member: strconv.FormatInt(repo.ID, 10)})
		} else {
			pipe.ZAdd(ctx, p.key, redis.Z{Score: float64(now.Unix()), Member: string(b)})
		}
		pipe.ZRemRangeByRank(ctx, p.key, 0, -defaultProjectsKept-1)
		pipe.ZRemRangeByScore(ctx, p.key, "-inf", strconv.FormatInt(now.Add(-defaultProjectRetention).Unix(), 10))
		pipe.Expire(ctx, p.key, defaultProjectRetention)
		pipe.Expire(ctx, p.key+":path", defaultProjectRetention)
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording gitlab project: %w", err)
	}
	return nil
}

// Recent returns at most n projects, most recently seen first.
func (p *Projects) Recent(ctx context.Context, n int) ([]platform.Repo, error) {
	ms, err := p.rdb.ZRevRange(ctx, p.key, 0, int64(n)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("reading recent gitlab projects: %w", err)
	}
	var ids []string
	for _, m := range ms {
		if _, err := strconv.ParseInt(m, 10, 64); err == nil {
			ids = append(ids, m)
		}
	}
	paths := map[string]string{}
	if len(ids) > 0 {
		vals, err := p.rdb.HMGet(ctx, p.key+":path", ids...).Result()
		if err != nil {
			return nil, fmt.Errorf("reading recent gitlab projects: %w", err)
		}
		for i, v := range vals {
			if s, ok := v.(string); ok {
				paths[ids[i]] = s
			}
		}
	}
	var out []platform.Repo
	for _, m := range ms {
		raw := m
		id, err := strconv.ParseInt(m, 10, 64)
		if err == nil {
			raw = paths[m]
		}
		var mm member
		if raw != "" {
			_ = json.Unmarshal([]byte(raw), &mm)
		}
		if err == nil {
			mm.ID = id
		}
		if mm.ID <= 0 && (mm.Owner == "" || mm.Name == "") {
			continue
		}
		out = append(out, platform.Repo{ID: mm.ID, Owner: mm.Owner, Name: mm.Name})
	}
	return out, nil
}
