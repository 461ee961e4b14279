package iac_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// benchDeployment is a typical two-container Deployment (about 60 lines)
// with the usual gaps: no securityContext on the sidecar, no limits.
func benchDeployment(i int) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-%d
  namespace: prod
  labels:
    app: svc-%d
spec:
  replicas: 3
  selector:
    matchLabels:
      app: svc-%d
  template:
    metadata:
      labels:
        app: svc-%d
    spec:
      containers:
      - name: app
        image: registry.example.com/svc-%d:1.%d.0
        ports:
        - containerPort: 8080
        env:
        - name: LOG_LEVEL
          value: info
        - name: DB_HOST
          value: db.prod.svc
        securityContext:
          allowPrivilegeEscalation: false
          runAsNonRoot: true
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: "1"
            memory: 512Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
      - name: proxy
        image: envoyproxy/envoy:v1.31.0
        args: ["--config-path", "/etc/envoy/envoy.yaml"]
        volumeMounts:
        - name: envoy
          mountPath: /etc/envoy
      volumes:
      - name: envoy
        configMap:
          name: envoy-%d
---
apiVersion: v1
kind: Service
metadata:
  name: svc-%d
spec:
  selector:
    app: svc-%d
  ports:
  - port: 80
    targetPort: 8080
`, i, i, i, i, i, i, i, i, i)
}

func benchDockerfile(i int) string {
	return fmt.Sprintf(`# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/svc-%d ./cmd/svc

FROM debian:12
RUN apt-get update && apt-get install -y ca-certificates curl
COPY --from=build /out/svc-%d /usr/local/bin/svc
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/svc"]
`, i, i)
}

func benchTerraform(i int) string {
	return fmt.Sprintf(`resource "aws_s3_bucket" "data_%d" {
  bucket = "data-%d"
  tags = {
    team = "platform"
  }
}

resource "aws_s3_bucket_public_access_block" "data_%d" {
  bucket                  = aws_s3_bucket.data_%d.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data_%d" {
  bucket = aws_s3_bucket.data_%d.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_db_instance" "db_%d" {
  identifier          = "db-%d"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  publicly_accessible = false
}

resource "aws_security_group" "web_%d" {
  name = "web-%d"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_iam_policy" "read_%d" {
  name = "read-%d"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::data-%d", "arn:aws:s3:::data-%d/*"]
    }]
  })
}
`, i, i, i, i, i, i, i, i, i, i, i, i, i, i)
}

// benchChange is a change that adds 200 infrastructure files: 100
// Kubernetes manifests, 50 Dockerfiles, 50 Terraform files.
func benchChange() []*scanners.Input {
	var ins []*scanners.Input
	for i := 0; i < 200; i++ {
		switch {
		case i%4 < 2:
			ins = append(ins, wholeFile(fmt.Sprintf("deploy/svc-%d.yaml", i), []byte(benchDeployment(i))))
		case i%4 == 2:
			ins = append(ins, wholeFile(fmt.Sprintf("svc-%d/Dockerfile", i), []byte(benchDockerfile(i))))
		default:
			ins = append(ins, wholeFile(fmt.Sprintf("infra/svc-%d.tf", i), []byte(benchTerraform(i))))
		}
	}
	return ins
}

// BenchmarkScanChange200 is the IaC scan of a change that touches 200
// manifests, through scanners.Run as the worker runs it; "without-fixes"
// shows what verifying the suggestions costs.
func BenchmarkScanChange200(b *testing.B) {
	ins := benchChange()
	bytes := 0
	for _, in := range ins {
		bytes += len(in.Content)
	}
	files := map[string][]byte{}
	for _, in := range ins {
		files[in.Path] = in.Content
	}
	for _, bc := range []struct {
		name string
		s    *iac.Scanner
		tree bool
	}{{"with-fixes", iac.New(), false}, {"without-fixes", iac.New(iac.WithoutFixes()), false},
		{"with-fixes-in-modules", iac.New(), true}} {
		b.Run(bc.name, func(b *testing.B) {
			list := []scanners.Scanner{bc.s}
			b.SetBytes(int64(bytes))
			b.ReportAllocs()
			findings := 0
			for b.Loop() {
				if bc.tree {
					// A change's tree, new for each review: Terraform
					// files are evaluated in their modules, once each.
					tree := scanners.NewMemTree(files)
					for _, in := range ins {
						in.Tree = tree
					}
				}
				res, err := scanners.Run(context.Background(), list, ins)
				if err != nil || res.Incomplete() {
					b.Fatalf("run: %v %+v", err, res.Statuses)
				}
				findings = len(res.Findings)
			}
			b.ReportMetric(float64(len(ins)*b.N)/b.Elapsed().Seconds(), "files/s")
			b.ReportMetric(float64(findings), "findings")
		})
		for _, in := range ins {
			in.Tree = nil
		}
	}
}

// TestBenchChangeFindings keeps the benchmark honest: its change has real
// findings in every file type.
func TestBenchChangeFindings(t *testing.T) {
	res, err := scanners.Run(context.Background(), []scanners.Scanner{iac.New()}, benchChange())
	if err != nil || res.Incomplete() {
		t.Fatal(err, res.Statuses)
	}
	byType := map[string]int{}
	for _, f := range res.Findings {
		byType[fileType(f.Location.Path)]++
		if strings.Contains(f.Location.Path, ".tf") && f.RuleID == "iac/tf-open-admin-port" {
			t.Errorf("SSH from 10.0.0.0/8 is not open to the internet: %s", f.Message)
		}
	}
	for _, typ := range []string{"dockerfile", "kubernetes", "terraform"} {
		if byType[typ] == 0 {
			t.Errorf("no %s findings in the benchmark change", typ)
		}
	}
}
