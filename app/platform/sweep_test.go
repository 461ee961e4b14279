package platform_test

import (
	"testing"

	"github.com/shiftward/shiftward/app/platform"
)

func TestDeliveryOK(t *testing.T) {
	for code, want := range map[int]bool{200: true, 202: true, 204: true, 0: false, 301: false, 400: false, 401: false, 503: false} {
		if got := (platform.Delivery{StatusCode: code}).OK(); got != want {
			t.Errorf("status %d: OK() = %v, want %v", code, got, want)
		}
	}
}
