package secretverify

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSignV4Vectors signs requests of AWS's published SigV4 test suite
// (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html,
// credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// 2015-08-30T12:36:00Z, region us-east-1, service "service") and compares
// the Authorization header with the suite's.
func TestSignV4Vectors(t *testing.T) {
	const (
		keyID  = "AKIDEXAMPLE"
		secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" // shiftward:ignore secrets/aws-secret-access-key AWS's published example key
	)
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	tests := []struct {
		name, method, body string
		headers            map[string]string
		want               string
	}{
		{
			name: "get-vanilla", method: http.MethodGet,
			want: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
				"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		},
		{
			name: "post-x-www-form-urlencoded", method: http.MethodPost, body: "Param1=value1",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			want: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
				"Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "https://example.amazonaws.com/", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			signV4(req, []byte(tt.body), keyID, secret, "us-east-1", "service", at)
			if got := req.Header.Get("Authorization"); got != tt.want {
				t.Errorf("Authorization\n got %s\nwant %s", got, tt.want)
			}
			if got := req.Header.Get("X-Amz-Date"); got != "20150830T123600Z" {
				t.Errorf("X-Amz-Date %q", got)
			}
		})
	}
}
