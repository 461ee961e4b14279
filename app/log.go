package app

import (
	"context"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
	gommon "github.com/labstack/gommon/log"
	"github.com/redis/go-redis/v9"
)

// SecondsSuffix ends the key of every duration in a log line: a
// time.Duration attribute "elapsed" is written "elapsed_seconds": 1.25, a
// number of seconds, as the Prometheus metrics count them
// (shiftward_job_duration_seconds), not slog's integer nanoseconds.
const SecondsSuffix = "_seconds"

// maxGlobalLine bounds a line that a library wrote through a process-wide
// logger (a net/http panic with its stack, a go-redis error): the rest is
// cut, so one misbehaving caller cannot write megabytes per line.
const maxGlobalLine = 16 << 10

// NewLogger returns the server's logger: one JSON object per line on w, at
// level ("debug", "info", "warn", "error"; anything else is info), with
// durations as numbers of seconds (SecondsSuffix).
//
// It also becomes the logger of what libraries write through process-wide
// loggers, so that nothing on w is anything but JSON: slog's default; the
// std log package, where net/http's server reports a handler's panic or a
// failed accept, at warn with component=stdlog; and go-redis (a connection
// pool that cannot dial, a failed re-authentication), at warn with
// component=redis. Those loggers are globals of their packages: main calls
// NewLogger once, and the last call wins.
func NewLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	log := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l, ReplaceAttr: seconds}))
	slog.SetDefault(log)
	// After slog.SetDefault, which points the std logger at the handler at
	// info: these lines are the library's complaints, so warn, and marked.
	stdlog.SetOutput(lineWriter{log: log.With("component", "stdlog"), level: slog.LevelWarn})
	stdlog.SetFlags(0)
	stdlog.SetPrefix("")
	redis.SetLogger(redisLogger{log.With("component", "redis")})
	return log
}

// seconds is NewLogger's ReplaceAttr: a duration becomes a float number of
// seconds under its key plus SecondsSuffix.
func seconds(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	key := a.Key
	if !strings.HasSuffix(key, SecondsSuffix) {
		key += SecondsSuffix
	}
	return slog.Float64(key, a.Value.Duration().Seconds())
}

// clip bounds a line written through a process-wide logger.
func clip(s string) string {
	if len(s) <= maxGlobalLine {
		return s
	}
	return strings.ToValidUTF8(s[:maxGlobalLine], "") + " [cut]"
}

// lineWriter logs each Write (the std logger writes one line per call) as a
// message at level.
type lineWriter struct {
	log   *slog.Logger
	level slog.Level
}

func (w lineWriter) Write(p []byte) (int, error) {
	w.log.Log(context.Background(), w.level, clip(strings.TrimSuffix(string(p), "\n")))
	return len(p), nil
}

// redisLogger is go-redis' logger (redis.SetLogger): its lines at warn,
// without the "redis: " prefix the component already says.
type redisLogger struct{ log *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	if ctx == nil {
		ctx = context.Background()
	}
	msg := strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: ")
	r.log.WarnContext(ctx, clip(strings.TrimSuffix(msg, "\n")))
}

// echoLogger is echo's logger (echo.Echo.Logger) on slog. echo writes to it
// when it cannot send an error response (error) or a handler writes a
// response twice (warn); its default writes gommon's own JSON to stdout.
// The level is the slog handler's: SetLevel is kept for Level only.
type echoLogger struct {
	log   *slog.Logger
	level gommon.Lvl
}

var _ echo.Logger = (*echoLogger)(nil)

// newEchoLogger is echo's logger writing to log, with component=echo.
func newEchoLogger(log *slog.Logger) *echoLogger {
	return &echoLogger{log: log.With("component", "echo"), level: gommon.ERROR}
}

func (e *echoLogger) at(level slog.Level, msg string) {
	e.log.Log(context.Background(), level, clip(msg))
}

// atJSON logs j's fields as attributes, sorted so lines are stable; a
// "message" field is the message.
func (e *echoLogger) atJSON(level slog.Level, j gommon.JSON) {
	keys := make([]string, 0, len(j))
	for k := range j {
		if k != "message" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	attrs := make([]any, 0, len(keys))
	for _, k := range keys {
		attrs = append(attrs, slog.Any(k, j[k]))
	}
	msg, _ := j["message"].(string)
	e.log.Log(context.Background(), level, clip(msg), attrs...)
}

// Output is a writer whose lines are logged at info (echo hands it to
// what prints through its logger's writer, such as a std logger).
func (e *echoLogger) Output() io.Writer { return lineWriter{log: e.log, level: slog.LevelInfo} }

// SetOutput does nothing: lines go to the slog handler.
func (e *echoLogger) SetOutput(io.Writer) {}

// Prefix is the component's name.
func (e *echoLogger) Prefix() string { return "echo" }

// SetPrefix does nothing: the component attribute names echo.
func (e *echoLogger) SetPrefix(string) {}

// Level is what SetLevel set; the slog handler's level decides what is
// written.
func (e *echoLogger) Level() gommon.Lvl { return e.level }

// SetLevel records v for Level.
func (e *echoLogger) SetLevel(v gommon.Lvl) { e.level = v }

// SetHeader does nothing: the line's shape is the slog handler's.
func (e *echoLogger) SetHeader(string) {}

func (e *echoLogger) Print(i ...any) { e.at(slog.LevelInfo, fmt.Sprint(i...)) }
func (e *echoLogger) Printf(format string, args ...any) {
	e.at(slog.LevelInfo, fmt.Sprintf(format, args...))
}
func (e *echoLogger) Printj(j gommon.JSON) { e.atJSON(slog.LevelInfo, j) }
func (e *echoLogger) Debug(i ...any)       { e.at(slog.LevelDebug, fmt.Sprint(i...)) }
func (e *echoLogger) Debugf(format string, args ...any) {
	e.at(slog.LevelDebug, fmt.Sprintf(format, args...))
}
func (e *echoLogger) Debugj(j gommon.JSON) { e.atJSON(slog.LevelDebug, j) }
func (e *echoLogger) Info(i ...any)        { e.at(slog.LevelInfo, fmt.Sprint(i...)) }
func (e *echoLogger) Infof(format string, args ...any) {
	e.at(slog.LevelInfo, fmt.Sprintf(format, args...))
}
func (e *echoLogger) Infoj(j gommon.JSON) { e.atJSON(slog.LevelInfo, j) }
func (e *echoLogger) Warn(i ...any)       { e.at(slog.LevelWarn, fmt.Sprint(i...)) }
func (e *echoLogger) Warnf(format string, args ...any) {
	e.at(slog.LevelWarn, fmt.Sprintf(format, args...))
}
func (e *echoLogger) Warnj(j gommon.JSON) { e.atJSON(slog.LevelWarn, j) }
func (e *echoLogger) Error(i ...any)      { e.at(slog.LevelError, fmt.Sprint(i...)) }
func (e *echoLogger) Errorf(format string, args ...any) {
	e.at(slog.LevelError, fmt.Sprintf(format, args...))
}
func (e *echoLogger) Errorj(j gommon.JSON) { e.atJSON(slog.LevelError, j) }

// Fatal logs at error and exits, as gommon's does; echo itself never calls
// it.
func (e *echoLogger) Fatal(i ...any) { e.Error(i...); os.Exit(1) }

// Fatalf is Fatal with a format.
func (e *echoLogger) Fatalf(format string, args ...any) { e.Errorf(format, args...); os.Exit(1) }

// Fatalj is Fatal with fields.
func (e *echoLogger) Fatalj(j gommon.JSON) { e.Errorj(j); os.Exit(1) }

// Panic logs at error and panics, as gommon's does.
func (e *echoLogger) Panic(i ...any) { e.Error(i...); panic(fmt.Sprint(i...)) }

// Panicf is Panic with a format.
func (e *echoLogger) Panicf(format string, args ...any) {
	e.Errorf(format, args...)
	panic(fmt.Sprintf(format, args...))
}

// Panicj is Panic with fields.
func (e *echoLogger) Panicj(j gommon.JSON) { e.Errorj(j); panic(fmt.Sprint(j)) }
