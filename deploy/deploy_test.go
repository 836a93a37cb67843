package deploy

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// check runs every check on the files of deploy/ in fsys.
func check(fsys fs.FS) []string {
	var problems []string
	problems = append(problems, checkKubernetes(fsys, "kubernetes")...)
	problems = append(problems, checkCompose(fsys, "compose.yaml")...)
	problems = append(problems, checkDockerfile(fsys, "Dockerfile")...)
	problems = append(problems, checkJSON(fsys)...)
	slices.Sort(problems)
	return problems
}

func TestDeployFiles(t *testing.T) {
	t.Parallel()
	for _, p := range check(os.DirFS(".")) {
		t.Error(p)
	}
}

// committed copies the files of deploy/ into memory, without the ones
// an operator creates (secrets/, .env).
func committed(t *testing.T) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("."), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "secrets" || p == ".env" {
			return fs.SkipDir
		}
		if e.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestChecksCatchMistakes breaks the real files one way at a time and
// expects the checks to say so.
func TestChecksCatchMistakes(t *testing.T) {
	t.Parallel()
	const (
		deployment = "kubernetes/base/deployment.yaml"
		overlay    = "kubernetes/overlays/example/kustomization.yaml"
	)
	tests := []struct {
		name, file, old, new, want string
	}{
		{"image latest", deployment, "image: ghcr.io/heder-awards/heder:0.1.0\n          args: [serve]", "image: ghcr.io/heder-awards/heder:latest\n          args: [serve]", "heder:latest is not pinned"},
		{"image without tag", "kubernetes/base/postgres.yaml", "postgresql:17.5", "postgresql", "postgresql is not pinned"},
		{"overlay tag latest", overlay, `newTag: "1.0.0"`, "newTag: latest", "image ghcr.io/heder-awards/heder is not pinned"},
		{"no readiness probe", deployment, "readinessProbe:", "xReadinessProbe:", "no HTTP readiness probe"},
		{"liveness on /readyz", deployment, "livenessProbe:\n            httpGet:\n              path: /healthz", "livenessProbe:\n            httpGet:\n              path: /readyz", "liveness probe on /readyz"},
		{"probe on another port", deployment, "path: /readyz\n              port: http", "path: /readyz\n              port: 9090", `readiness probe on port "9090"`},
		{"listens elsewhere", deployment, `value: ":8080"`, `value: ":9000"`, `HEDER_ADDR ":9000"`},
		{"metrics on the public port", deployment, `value: ":9090"`, `value: ":8080"`, `HEDER_METRICS_ADDR ":8080" is not a containerPort of its own`},
		{"metrics on the public address", deployment, "            - name: HEDER_METRICS_ADDR\n              value: \":9090\"\n", "", "HEDER_METRICS_ADDR is not set"},
		{"ingress to the metrics", "kubernetes/base/ingress.yaml", "name: http", "name: metrics", `routes to port "metrics"`},
		{"no memory limit", deployment, "cpu: \"2\"\n              memory: 512Mi", "cpu: \"2\"", "container heder: no memory limit"},
		{"runs as root", deployment, "runAsUser: 65532\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]\n            seccompProfile:\n              type: RuntimeDefault\n      volumes:", "runAsUser: 0\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]\n            seccompProfile:\n              type: RuntimeDefault\n      volumes:", "container heder: securityContext.runAsUser is not 65532"},
		{"writable root", deployment, "readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]\n            seccompProfile:\n              type: RuntimeDefault\n      volumes:", "readOnlyRootFilesystem: false\n            capabilities:\n              drop: [ALL]\n            seccompProfile:\n              type: RuntimeDefault\n      volumes:", "container heder: securityContext.readOnlyRootFilesystem is not true"},
		{"capabilities kept", deployment, "drop: [ALL]\n            seccompProfile:\n              type: RuntimeDefault\n      containers:", "drop: [NET_RAW]\n            seccompProfile:\n              type: RuntimeDefault\n      containers:", "init container migrate: securityContext.capabilities.drop"},
		{"session key in plain text", deployment, "- name: HEDER_SESSION_KEY_FILE\n              value: /run/secrets/heder/session-key", "- name: HEDER_SESSION_KEY\n              value: 0123456789abcdefghijklmnopqrstuvwxyz", "HEDER_SESSION_KEY has a literal value"},
		{"database URL in plain text", deployment, "- name: DATABASE_URL\n              valueFrom:\n                secretKeyRef:\n                  name: heder-db-app\n                  key: uri\n            - name: HEDER_SESSION", "- name: DATABASE_URL\n              value: postgres://heder@db/heder\n            - name: HEDER_SESSION", "DATABASE_URL has a literal value"},
		{"database URL from elsewhere", deployment, "name: heder-db-app\n                  key: uri\n            - name: HEDER_SESSION", "name: my-db\n                  key: uri\n            - name: HEDER_SESSION", `DATABASE_URL comes from "my-db/uri"`},
		{"password in a URL", overlay, "HEDER_FILES_URL=s3://heder-files", "HEDER_FILES_URL=s3://me:pw@heder-files", "HEDER_FILES_URL has a password"},
		{"client secret committed", "kubernetes/overlays/example/oidc-providers.json", `"client_secret_file": "/run/secrets/heder/oidc-ansattporten"`, `"client_secret": "hunter2"`, "client_secret is committed"},
		{"Secret committed", "kubernetes/base/pdb.yaml", "apiVersion: policy/v1", "apiVersion: v1\nkind: Secret\nmetadata: {name: heder}\nstringData: {session-key: x}\n---\napiVersion: policy/v1", "a Secret with its values is committed"},
		{"missing resource", "kubernetes/base/kustomization.yaml", "  - pdb.yaml", "  - pdb.yaml\n  - networkpolicy.yaml", "networkpolicy.yaml does not exist"},
		{"unlisted manifest", "kubernetes/base/kustomization.yaml", "  - pdb.yaml\n", "", "pdb.yaml is not listed"},
		{"no preStop", deployment, "preStop:", "postStart:", "no preStop sleep"},
		{"short grace period", deployment, "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 10", "terminationGracePeriodSeconds 10"},
		{"replicas on one node", deployment, "topologySpreadConstraints:", "xTopologySpreadConstraints:", "2 replicas that may share a node"},
		{"no migration", deployment, "args: [migrate]", "args: [version]", "runs `heder migrate`"},
		{"two PostgreSQL instances", "kubernetes/base/postgres.yaml", "instances: 3", "instances: 2", "2 instances"},
		{"compose secret in plain text", "compose.yaml", "POSTGRES_PASSWORD_FILE: /run/secrets/postgres-password", "POSTGRES_PASSWORD: hunter2", "POSTGRES_PASSWORD has a literal value"},
		{"compose secret outside secrets/", "compose.yaml", "file: ./secrets/session-key", "file: ./session-key", "secret session-key: session-key is not in a folder that .gitignore ignores"},
		{"compose as root", "compose.yaml", `user: "65532:65532"`, `user: "0:0"`, `user "0:0"`},
		{"compose image latest", "compose.yaml", "postgres:17.5", "postgres:latest", "postgres:latest is not pinned"},
		{"final stage not distroless", "Dockerfile", "FROM gcr.io/distroless/static-debian12:nonroot", "FROM debian:bookworm-slim", "the final stage is debian:bookworm-slim"},
		{"image runs as root", "Dockerfile", "USER 65532:65532", "USER root", `runs as "root"`},
		{"dynamic binary", "Dockerfile", "CGO_ENABLED=0 ", "", "without CGO_ENABLED=0"},
		{"no version", "Dockerfile", "-X 'github.com/heder-awards/heder/internal/app.commit=", "-X 'main.commit=", "does not set internal/app.commit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := committed(t)
			f := files[tt.file]
			if f == nil || strings.Count(string(f.Data), tt.old) != 1 {
				t.Fatalf("%s does not contain %q exactly once: update this test with the file", tt.file, tt.old)
			}
			f.Data = []byte(strings.Replace(string(f.Data), tt.old, tt.new, 1))
			problems := check(files)
			for _, p := range problems {
				if strings.Contains(p, tt.want) {
					return
				}
			}
			t.Errorf("no problem mentions %q; got:\n%s", tt.want, strings.Join(problems, "\n"))
		})
	}
}
