package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/platform/hostapi"
)

// budgetPart names a client's budget keys after the store's prefix
// ("{shiftward}:ratelimit:budget:github:installation:42:quota").
const budgetPart = "budget:"

var _ hostapi.BudgetStore = (*Store)(nil)

// Budget keys, per client: a hash with the shared quota (rem, reset in
// Redis' epoch ms, limit) that expires at the reset; the primary pacer's
// theoretical arrival time; one arrival time per content limit (a GCRA:
// a limit of N per P lets N through at once, then one every P/N). Every
// time is Redis' own clock (TIME), so hosts with skewed clocks share one
// schedule.
func (s *Store) budgetKeys(key string, limits int) []string {
	base := s.prefix + budgetPart + key
	keys := []string{base + ":quota", base + ":primary"}
	for i := range limits {
		keys = append(keys, fmt.Sprintf("%s:content:%d", base, i))
	}
	return keys
}

// luaNow is Redis' clock in ms; luaInt writes a whole number without
// exponent.
const luaPrelude = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function int(x) return string.format('%d', x) end
local rem = tonumber(redis.call('HGET', KEYS[1], 'rem') or '-1')
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset') or '0')
if reset <= now then rem = -1 end
`

// recordScript keeps the quota a response reported; within one window
// (resets less than 5 s apart, the hosts' reset being a whole second read
// on different clocks) the lower count wins, as requests of other
// processes are in flight. ARGV: remaining, ms until reset, limit.
var recordScript = redis.NewScript(luaPrelude + `
local nrem = tonumber(ARGV[1])
local nreset = now + tonumber(ARGV[2])
if tonumber(ARGV[2]) <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
if rem >= 0 and math.abs(reset - nreset) <= 5000 and rem < nrem then
  nrem = rem
  nreset = reset
end
redis.call('HSET', KEYS[1], 'rem', int(nrem), 'reset', int(nreset), 'limit', ARGV[3])
redis.call('PEXPIRE', KEYS[1], int(math.max(nreset - now, 1)))
return nrem
`)

// reserveScript books one request. ARGV: reserve (negative: no
// spreading), content (1/0), max wait ms, then per content key its
// interval ms and burst tolerance ms. It returns {wait ms, booked 1/0, why,
// remaining}: with no quota left the turn is the reset; below the reserve
// the remaining requests are spread evenly until the reset; a content
// request waits for every content limit. A wait past the maximum books
// nothing. A booked request takes one off the shared count.
var reserveScript = redis.NewScript(luaPrelude + `
local reserve = tonumber(ARGV[1])
local content = ARGV[2] == '1'
local maxwait = tonumber(ARGV[3])
local s = now
local why = ''
local ptat = nil
local pT = 0
if rem == 0 then
  s = reset
  why = 'primary'
elseif rem > 0 and reserve >= 0 and rem < reserve then
  pT = math.floor((reset - now) / rem)
  ptat = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now)
  if ptat > s then
    s = ptat
    why = 'primary'
  end
end
local tats = {}
if content then
  for i = 3, #KEYS do
    local tau = tonumber(ARGV[5 + (i - 3) * 2])
    local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
    tats[i] = tat
    if tat - tau > s then
      s = tat - tau
      why = 'content'
    end
  end
end
local wait = s - now
if wait > maxwait then
  return {wait, 0, why, rem}
end
if ptat then
  redis.call('SET', KEYS[2], int(math.max(ptat, s) + pT), 'PX', int(math.max(reset - now, 1)))
end
if content then
  for i = 3, #KEYS do
    local T = tonumber(ARGV[4 + (i - 3) * 2])
    local tau = tonumber(ARGV[5 + (i - 3) * 2])
    local nt = math.max(tats[i], s) + T
    redis.call('SET', KEYS[i], int(nt), 'PX', int(nt - now + 1000))
  end
end
if rem > 0 then
  rem = redis.call('HINCRBY', KEYS[1], 'rem', -1)
end
return {wait, 1, why, rem}
`)

// affordableScript counts the content requests that could go now without
// a wait: each content limit's free burst, and the primary quota above the
// reserve (one while spreading, none when spent). -1: nothing bounds it.
// ARGV as reserveScript's.
var affordableScript = redis.NewScript(luaPrelude + `
local reserve = tonumber(ARGV[1])
local n = -1
local function bound(x)
  x = math.max(x, 0)
  if n < 0 or x < n then n = x end
end
if rem == 0 then
  bound(0)
elseif rem > 0 and reserve >= 0 then
  if rem < reserve then
    local ptat = tonumber(redis.call('GET', KEYS[2]) or '0')
    if ptat <= now then bound(1) else bound(0) end
  else
    bound(rem - reserve + 1)
  end
elseif rem > 0 then
  bound(rem)
end
if ARGV[2] == '1' then
  for i = 3, #KEYS do
    local T = tonumber(ARGV[4 + (i - 3) * 2])
    local tau = tonumber(ARGV[5 + (i - 3) * 2])
    local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
    bound(math.floor((now + tau - tat) / T) + 1)
  end
end
return n
`)

// Record stores the quota a response reported under key.
func (s *Store) Record(ctx context.Context, key string, q hostapi.Quota) error {
	_, err := s.do(ctx, "recording a quota", func(ctx context.Context) (time.Duration, error) {
		return 0, recordScript.Run(ctx, s.rdb, s.budgetKeys(key, 0), q.Remaining, q.ResetIn.Milliseconds(), q.Limit).Err()
	})
	return err
}

// Reserve books the next request of key under p.
func (s *Store) Reserve(ctx context.Context, key string, p hostapi.Pacing) (hostapi.Booking, error) {
	var bk hostapi.Booking
	_, err := s.do(ctx, "booking a request", func(ctx context.Context) (time.Duration, error) {
		keys, args := s.pacingArgs(key, p)
		res, err := reserveScript.Run(ctx, s.rdb, keys, args...).Slice()
		if err != nil {
			return 0, err
		}
		if len(res) != 4 {
			return 0, fmt.Errorf("reserve script answered %d values", len(res))
		}
		wait, _ := res[0].(int64)
		booked, _ := res[1].(int64)
		why, _ := res[2].(string)
		rem, _ := res[3].(int64)
		bk = hostapi.Booking{Wait: time.Duration(wait) * time.Millisecond, Booked: booked == 1, Why: why, Remaining: int(rem)}
		return 0, nil
	})
	return bk, err
}

// Affordable counts the content requests key could send now without a wait.
func (s *Store) Affordable(ctx context.Context, key string, p hostapi.Pacing) (int, error) {
	n := -1
	_, err := s.do(ctx, "reading a budget", func(ctx context.Context) (time.Duration, error) {
		keys, args := s.pacingArgs(key, p)
		v, err := affordableScript.Run(ctx, s.rdb, keys, args...).Int64()
		n = int(v)
		return 0, err
	})
	return n, err
}

func (s *Store) pacingArgs(key string, p hostapi.Pacing) ([]string, []any) {
	limits := p.ContentLimits
	if !p.Content {
		limits = nil
	}
	content := 0
	if p.Content {
		content = 1
	}
	args := []any{p.Reserve, content, p.MaxWait.Milliseconds()}
	for _, r := range limits {
		n := max(r.N, 1)
		interval := max(r.Per.Milliseconds()/int64(n), 1)
		args = append(args, interval, max(r.Per.Milliseconds()-interval, 0))
	}
	return s.budgetKeys(key, len(limits)), args
}
