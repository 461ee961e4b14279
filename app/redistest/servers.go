package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startTimeout bounds how long a test waits for its servers to come up.
const startTimeout = 10 * time.Second

// SentinelMaster is the name the Sentinel of Sentinel monitors.
const SentinelMaster = "mymaster"

// serverBin is redis-server's path; the test is skipped when it is not
// installed (the only reason these tests skip).
func serverBin(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server is not installed: the Sentinel and Cluster tests start their own")
	}
	return bin
}

// freePorts returns n loopback ports free a moment ago. They are held
// together so that no two are the same.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]int, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatalf("finding a free port: %v", err)
		}
		lns = append(lns, ln)
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports
}

// server is one redis-server process of a test.
type server struct {
	log  string
	done chan struct{} // closed when the process has exited
}

// startServer runs redis-server with conf in a directory of its own and
// kills it when the test ends, whatever the outcome.
func startServer(tb testing.TB, bin, name, conf string, args ...string) *server {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	confPath := filepath.Join(dir, "redis.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	logPath := filepath.Join(dir, "out.log")
	out, err := os.Create(logPath)
	if err != nil {
		tb.Fatal(err)
	}
	// shiftward:ignore code/go-command bin is redis-server or redis-sentinel, found on PATH by the test helper
	cmd := exec.Command(bin, append([]string{confPath}, args...)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, out, out
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		out.Close()
		tb.Fatalf("starting %s: %v", name, err)
	}
	s := &server{log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		out.Close()
		close(s.done)
	}()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.done
	})
	return s
}

// tail is the end of a server's output, for a failure message.
func (s *server) tail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(bytes.TrimSpace(b))
}

// await calls ready until it succeeds, the server exits or the start-up
// time runs out.
func (s *server) await(tb testing.TB, what string, ready func(context.Context) error) {
	tb.Helper()
	deadline := time.Now().Add(startTimeout)
	var err error
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = ready(ctx)
		cancel()
		if err == nil {
			return
		}
		select {
		case <-s.done:
			tb.Fatalf("%s exited: %v\n%s", what, err, s.tail())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s not ready after %s: %v\n%s", what, startTimeout, err, s.tail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// baseConf is what every test server shares: loopback only, no
// persistence, no daemon.
func baseConf(port int) string {
	return fmt.Sprintf("port %d\nbind 127.0.0.1\ndaemonize no\nsave \"\"\nappendonly no\nlogfile \"\"\n", port)
}

// userinfo is ":password@" or nothing.
func userinfo(password string) string {
	if password == "" {
		return ""
	}
	return ":" + url.PathEscape(password) + "@"
}

// Cluster starts a Redis Cluster of three masters (no replicas) on free
// loopback ports, each in a temporary directory, and returns its URL:
// redis+cluster://[:password@]host:port?addr=host:port&addr=host:port. With
// a password every node requires it. The servers are killed when the test
// ends. The test is skipped when redis-server is not installed.
func Cluster(tb testing.TB, password string) string {
	tb.Helper()
	bin := serverBin(tb)
	ports := freePorts(tb, 6) // three client ports, three bus ports
	nodes := make([]*redis.Client, 3)
	servers := make([]*server, 3)
	for i := range 3 {
		conf := baseConf(ports[i]) + fmt.Sprintf("cluster-enabled yes\ncluster-port %d\ncluster-config-file nodes.conf\ncluster-node-timeout 2000\n", ports[3+i])
		if password != "" {
			conf += "requirepass " + strconv.Quote(password) + "\nmasterauth " + strconv.Quote(password) + "\n"
		}
		servers[i] = startServer(tb, bin, "cluster-"+strconv.Itoa(i), conf)
		nodes[i] = redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[i])), Password: password, MaxRetries: -1})
		tb.Cleanup(func() { nodes[i].Close() })
	}
	for i, s := range servers {
		s.await(tb, "cluster node "+strconv.Itoa(i), func(ctx context.Context) error { return nodes[i].Ping(ctx).Err() })
	}
	// What `redis-cli --cluster create` does for masters alone: split the
	// slots in three, then introduce the nodes to each other.
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	slots := [][2]int{{0, 5460}, {5461, 10922}, {10923, 16383}}
	for i, n := range nodes {
		if err := n.ClusterAddSlotsRange(ctx, slots[i][0], slots[i][1]).Err(); err != nil {
			tb.Fatalf("cluster node %d: ADDSLOTSRANGE: %v", i, err)
		}
		if err := n.Do(ctx, "CLUSTER", "SET-CONFIG-EPOCH", i+1).Err(); err != nil {
			tb.Fatalf("cluster node %d: SET-CONFIG-EPOCH: %v", i, err)
		}
	}
	for i := 1; i < 3; i++ {
		if err := nodes[0].Do(ctx, "CLUSTER", "MEET", "127.0.0.1", ports[i], ports[3+i]).Err(); err != nil {
			tb.Fatalf("CLUSTER MEET: %v", err)
		}
	}
	for i, s := range servers {
		s.await(tb, "cluster node "+strconv.Itoa(i)+" to see the whole cluster", func(ctx context.Context) error {
			info, err := nodes[i].ClusterInfo(ctx).Result()
			if err != nil {
				return err
			}
			if !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, "cluster_known_nodes:3") {
				return errors.New("cluster not formed yet")
			}
			shards, err := nodes[i].ClusterShards(ctx).Result()
			if err != nil {
				return err
			}
			if len(shards) != 3 {
				return fmt.Errorf("node knows %d shards, want 3", len(shards))
			}
			return nil
		})
	}
	return fmt.Sprintf("redis+cluster://%s127.0.0.1:%d?addr=127.0.0.1:%d&addr=127.0.0.1:%d", userinfo(password), ports[0], ports[1], ports[2])
}

// Sentinel starts a Redis master and one Sentinel monitoring it as
// SentinelMaster (quorum 1), each in a temporary directory on a free
// loopback port, and returns the URL that reaches the master through the
// Sentinel: redis+sentinel://[:sentinelPassword@]host:port/0?master_name=mymaster[&password=masterPassword].
// The servers are killed when the test ends. The test is skipped when
// redis-server is not installed.
func Sentinel(tb testing.TB, masterPassword, sentinelPassword string) string {
	tb.Helper()
	bin := serverBin(tb)
	ports := freePorts(tb, 2)
	conf := baseConf(ports[0])
	if masterPassword != "" {
		conf += "requirepass " + strconv.Quote(masterPassword) + "\n"
	}
	master := startServer(tb, bin, "sentinel-master", conf)
	mc := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0])), Password: masterPassword, MaxRetries: -1})
	tb.Cleanup(func() { mc.Close() })
	master.await(tb, "sentinel's master", func(ctx context.Context) error { return mc.Ping(ctx).Err() })

	conf = baseConf(ports[1]) + fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d 1\nsentinel down-after-milliseconds %s 5000\n", SentinelMaster, ports[0], SentinelMaster)
	if masterPassword != "" {
		conf += fmt.Sprintf("sentinel auth-pass %s %s\n", SentinelMaster, strconv.Quote(masterPassword))
	}
	if sentinelPassword != "" {
		conf += "requirepass " + strconv.Quote(sentinelPassword) + "\n"
	}
	sent := startServer(tb, bin, "sentinel", conf, "--sentinel")
	sc := redis.NewSentinelClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[1])), Password: sentinelPassword, MaxRetries: -1})
	tb.Cleanup(func() { sc.Close() })
	sent.await(tb, "sentinel", func(ctx context.Context) error {
		addr, err := sc.GetMasterAddrByName(ctx, SentinelMaster).Result()
		if err != nil {
			return err
		}
		if len(addr) != 2 || addr[1] != strconv.Itoa(ports[0]) {
			return fmt.Errorf("sentinel names master %v, want port %d", addr, ports[0])
		}
		return nil
	})
	u := fmt.Sprintf("redis+sentinel://%s127.0.0.1:%d/0?master_name=%s", userinfo(sentinelPassword), ports[1], SentinelMaster)
	if masterPassword != "" {
		u += "&password=" + url.QueryEscape(masterPassword)
	}
	return u
}

// FreePort is a loopback port free a moment ago.
func FreePort(tb testing.TB) int {
	tb.Helper()
	return freePorts(tb, 1)[0]
}

// Start runs a plain redis-server on the loopback port (FreePort), in a
// temporary directory, killed when the test ends, and returns its URL
// (database 0) once it answers. The test is skipped when redis-server is
// not installed.
func Start(tb testing.TB, port int) string {
	tb.Helper()
	s := startServer(tb, serverBin(tb), "redis-"+strconv.Itoa(port), baseConf(port))
	c := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), MaxRetries: -1})
	defer c.Close()
	s.await(tb, "redis-server", func(ctx context.Context) error { return c.Ping(ctx).Err() })
	return fmt.Sprintf("redis://127.0.0.1:%d/0", port)
}
