package config_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
)

func TestReconcileInterval(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", config.DefaultReconcileInterval},
		{"0", 0},
		{"0s", 0},
		{" 10m ", 10 * time.Minute},
		{"30s", 30 * time.Second},
	}
	for _, tt := range tests {
		c, err := config.FromEnv(env(map[string]string{config.EnvReconcileInterval: tt.value}))
		if err != nil {
			t.Fatalf("%s=%q: %v", config.EnvReconcileInterval, tt.value, err)
		}
		if c.ReconcileInterval != tt.want {
			t.Errorf("%s=%q: interval %s, want %s", config.EnvReconcileInterval, tt.value, c.ReconcileInterval, tt.want)
		}
	}
	for _, bad := range []string{"5", "-1m", "soon", "10s"} {
		_, err := config.FromEnv(env(map[string]string{config.EnvReconcileInterval: bad}))
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Var != config.EnvReconcileInterval {
			t.Errorf("%s=%q: %v, want an error naming the variable", config.EnvReconcileInterval, bad, err)
		}
	}
}
