package deploy

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kubernetes objects, as far as the checks read them.

type securityContext struct {
	RunAsNonRoot             *bool  `yaml:"runAsNonRoot"`
	RunAsUser                *int64 `yaml:"runAsUser"`
	ReadOnlyRootFilesystem   *bool  `yaml:"readOnlyRootFilesystem"`
	AllowPrivilegeEscalation *bool  `yaml:"allowPrivilegeEscalation"`
	Capabilities             *struct {
		Drop []string `yaml:"drop"`
	} `yaml:"capabilities"`
	SeccompProfile *struct {
		Type string `yaml:"type"`
	} `yaml:"seccompProfile"`
}

type probe struct {
	HTTPGet *struct {
		Path string    `yaml:"path"`
		Port yaml.Node `yaml:"port"` // a name or a number
	} `yaml:"httpGet"`
}

type containerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
}

type container struct {
	Name  string          `yaml:"name"`
	Image string          `yaml:"image"`
	Args  []string        `yaml:"args"`
	Ports []containerPort `yaml:"ports"`
	Env   []struct {
		Name      string    `yaml:"name"`
		Value     yaml.Node `yaml:"value"`
		ValueFrom struct {
			SecretKeyRef struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	Resources      struct {
		Requests map[string]any `yaml:"requests"`
		Limits   map[string]any `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext *securityContext `yaml:"securityContext"`
	Lifecycle       struct {
		PreStop *struct {
			Sleep *struct {
				Seconds int `yaml:"seconds"`
			} `yaml:"sleep"`
		} `yaml:"preStop"`
	} `yaml:"lifecycle"`
}

type podSpec struct {
	SecurityContext               *securityContext `yaml:"securityContext"`
	InitContainers                []container      `yaml:"initContainers"`
	Containers                    []container      `yaml:"containers"`
	TerminationGracePeriodSeconds *int             `yaml:"terminationGracePeriodSeconds"`
	TopologySpreadConstraints     []any            `yaml:"topologySpreadConstraints"`
	Affinity                      struct {
		PodAntiAffinity any `yaml:"podAntiAffinity"`
	} `yaml:"affinity"`
}

type workload struct {
	Spec struct {
		Replicas *int `yaml:"replicas"`
		Template struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// workloads are the kinds whose spec.template.spec is a pod.
var workloads = []string{"Deployment", "StatefulSet", "DaemonSet", "Job"}

// checkKubernetes checks every manifest under dir and what they add up to.
func checkKubernetes(fsys fs.FS, dir string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	var docs []document
	err := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if _, err := fs.Stat(fsys, path.Join(p, "kustomization.yaml")); err == nil {
				problems = append(problems, checkKustomization(fsys, p)...)
			}
			return nil
		}
		if ext := path.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		ds, err := readYAML(fsys, p)
		if err != nil {
			add("%v", err)
			return nil
		}
		docs = append(docs, ds...)
		return nil
	})
	if err != nil {
		add("read %s: %v", dir, err)
	}
	if len(docs) == 0 {
		return append(problems, dir+": no manifests")
	}

	kinds := map[string][]document{}
	migrates := false
	var appDatabaseURLs []string // secret/key of each app container's DATABASE_URL
	for _, d := range docs {
		kinds[d.kind] = append(kinds[d.kind], d)
		walk(d.raw, func(key string, v any) {
			if s, ok := v.(string); ok && (key == "image" || key == "imageName") {
				if why := unpinned(s); why != "" {
					add("%s: %s", d, why)
				}
			}
			if key == "env" {
				problems = append(problems, checkEnvList(d, v)...)
			}
		})
		if d.kind == "Secret" && (d.raw["data"] != nil || d.raw["stringData"] != nil) {
			add("%s: a Secret with its values is committed: create it with kubectl instead (deploy/README.md)", d)
		}
		if !slices.Contains(workloads, d.kind) {
			continue
		}
		var w workload
		if err := d.node.Decode(&w); err != nil {
			add("%s: %v", d, err)
			continue
		}
		spec := w.Spec.Template.Spec
		problems = append(problems, checkPod(d, w)...)
		for _, c := range spec.InitContainers {
			if isHeder(c.Image) && slices.Contains(c.Args, "migrate") {
				migrates = true
			}
		}
		for _, c := range spec.Containers {
			if d.kind == "Job" && isHeder(c.Image) && slices.Contains(c.Args, "migrate") {
				migrates = true
			}
			if isHeder(c.Image) && !slices.Contains(c.Args, "migrate") {
				appDatabaseURLs = append(appDatabaseURLs, databaseURLSource(c))
			}
		}
	}

	for _, kind := range []string{"Deployment", "Service", "Ingress", "PodDisruptionBudget"} {
		if len(kinds[kind]) == 0 {
			add("%s: no %s", dir, kind)
		}
	}
	for _, d := range kinds["Ingress"] {
		problems = append(problems, checkIngress(d)...)
	}
	for _, d := range kinds["PodDisruptionBudget"] {
		spec, _ := d.raw["spec"].(map[string]any)
		if spec["minAvailable"] == nil && spec["maxUnavailable"] == nil {
			add("%s: neither minAvailable nor maxUnavailable", d)
		}
	}
	if !migrates {
		add("%s: no Job or init container runs `heder migrate`", dir)
	}
	if len(appDatabaseURLs) == 0 {
		add("%s: no container runs Heder", dir)
	}
	var cluster string
	for _, d := range kinds["Cluster"] {
		var c struct {
			APIVersion string `yaml:"apiVersion"`
			Spec       struct {
				Instances int `yaml:"instances"`
				Storage   struct {
					Size string `yaml:"size"`
				} `yaml:"storage"`
			} `yaml:"spec"`
		}
		if err := d.node.Decode(&c); err != nil {
			add("%s: %v", d, err)
			continue
		}
		if c.APIVersion != "postgresql.cnpg.io/v1" {
			continue
		}
		cluster = d.name
		if c.Spec.Instances < 3 {
			add("%s: %d instances; highly available PostgreSQL needs 3", d, c.Spec.Instances)
		}
		if c.Spec.Storage.Size == "" {
			add("%s: no storage size", d)
		}
	}
	if cluster == "" {
		add("%s: no CloudNativePG Cluster (postgresql.cnpg.io/v1)", dir)
	}
	for _, src := range appDatabaseURLs {
		if want := cluster + "-app/uri"; src != want {
			add("%s: DATABASE_URL comes from %q; want the Secret CloudNativePG makes, %s", dir, src, want)
		}
	}
	return problems
}

// checkEnvList checks a container's env list: secret-looking variables
// must come from a Secret or name a file.
func checkEnvList(d document, v any) []string {
	var problems []string
	list, _ := v.([]any)
	for _, item := range list {
		e, _ := item.(map[string]any)
		name, _ := e["name"].(string)
		if value, ok := e["value"]; ok {
			if why := literalSecret(name, fmt.Sprint(value)); why != "" {
				problems = append(problems, fmt.Sprintf("%s: %s", d, why))
			}
			continue
		}
		from, _ := e["valueFrom"].(map[string]any)
		if from != nil && from["secretKeyRef"] == nil && literalSecret(name, "") != "" {
			problems = append(problems, fmt.Sprintf("%s: %s must come from a Secret (secretKeyRef), not a ConfigMap or field", d, name))
		}
	}
	return problems
}

// databaseURLSource is "secret/key" of c's DATABASE_URL.
func databaseURLSource(c container) string {
	for _, e := range c.Env {
		if e.Name == "DATABASE_URL" {
			ref := e.ValueFrom.SecretKeyRef
			return ref.Name + "/" + ref.Key
		}
	}
	return "nowhere"
}

// checkPod checks the pod template of a workload.
func checkPod(d document, w workload) []string {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: ", d)+fmt.Sprintf(format, args...))
	}
	spec := w.Spec.Template.Spec
	if len(spec.Containers) == 0 {
		add("no containers")
	}
	pod := spec.SecurityContext
	if pod == nil {
		pod = &securityContext{}
	}
	runsHeder := false
	all := append(slices.Clip(spec.InitContainers), spec.Containers...)
	for i, c := range all {
		isInit := i < len(spec.InitContainers)
		where := "container " + c.Name
		if isInit {
			where = "init container " + c.Name
		}
		for _, res := range []string{"cpu", "memory"} {
			if c.Resources.Requests[res] == nil {
				add("%s: no %s request", where, res)
			}
			if c.Resources.Limits[res] == nil {
				add("%s: no %s limit", where, res)
			}
		}
		for _, why := range checkSecurity(pod, c.SecurityContext) {
			add("%s: %s", where, why)
		}
		if isInit || !isHeder(c.Image) || d.kind == "Job" {
			continue
		}
		runsHeder = true
		port := checkPorts(c)
		if port != "" {
			add("%s: %s", where, port)
		}
		for _, p := range []struct {
			name, path string
			probe      *probe
		}{{"readiness", "/readyz", c.ReadinessProbe}, {"liveness", "/healthz", c.LivenessProbe}} {
			switch {
			case p.probe == nil || p.probe.HTTPGet == nil:
				add("%s: no HTTP %s probe", where, p.name)
			case p.probe.HTTPGet.Path != p.path:
				add("%s: %s probe on %s; want %s", where, p.name, p.probe.HTTPGet.Path, p.path)
			case !servesOn(c.Ports[:1], p.probe.HTTPGet.Port.Value):
				add("%s: %s probe on port %q, which is not the container's HTTP port", where, p.name, p.probe.HTTPGet.Port.Value)
			}
		}
		// After SIGTERM, requests and running jobs get up to 10 s each.
		stop := 0
		if ps := c.Lifecycle.PreStop; ps == nil || ps.Sleep == nil || ps.Sleep.Seconds <= 0 {
			add("%s: no preStop sleep: requests would reach it after it stopped listening", where)
		} else {
			stop = ps.Sleep.Seconds
		}
		if g := spec.TerminationGracePeriodSeconds; g != nil && *g < stop+20 {
			add("terminationGracePeriodSeconds %d is shorter than preStop (%d s) + requests and jobs (20 s)", *g, stop)
		}
	}
	if runsHeder && w.Spec.Replicas != nil && *w.Spec.Replicas >= 2 &&
		len(spec.TopologySpreadConstraints) == 0 && spec.Affinity.PodAntiAffinity == nil {
		add("%d replicas that may share a node: add topologySpreadConstraints or podAntiAffinity", *w.Spec.Replicas)
	}
	return problems
}

// checkSecurity checks a container's security context, with the pod's as
// the default, against the restricted Pod Security Standard.
func checkSecurity(pod, c *securityContext) []string {
	if c == nil {
		c = &securityContext{}
	}
	var problems []string
	boolean := func(name string, pod, c *bool, want bool) {
		v := c
		if v == nil {
			v = pod
		}
		if v == nil || *v != want {
			problems = append(problems, fmt.Sprintf("securityContext.%s is not %t", name, want))
		}
	}
	boolean("runAsNonRoot", pod.RunAsNonRoot, c.RunAsNonRoot, true)
	boolean("readOnlyRootFilesystem", nil, c.ReadOnlyRootFilesystem, true)
	boolean("allowPrivilegeEscalation", nil, c.AllowPrivilegeEscalation, false)
	uid := c.RunAsUser
	if uid == nil {
		uid = pod.RunAsUser
	}
	if uid == nil || *uid != appUID {
		problems = append(problems, fmt.Sprintf("securityContext.runAsUser is not %d (distroless nonroot)", appUID))
	}
	if c.Capabilities == nil || !slices.Contains(c.Capabilities.Drop, "ALL") {
		problems = append(problems, "securityContext.capabilities.drop is not [ALL]")
	}
	seccomp := c.SeccompProfile
	if seccomp == nil {
		seccomp = pod.SeccompProfile
	}
	if seccomp == nil || seccomp.Type != "RuntimeDefault" {
		problems = append(problems, "securityContext.seccompProfile.type is not RuntimeDefault")
	}
	return problems
}

// checkPorts checks that HEDER_ADDR, if set, listens on the container's
// first port, and that /metrics is served on another of its ports
// (HEDER_METRICS_ADDR), not on the public one.
func checkPorts(c container) string {
	if len(c.Ports) == 0 {
		return "no containerPort"
	}
	public := strconv.Itoa(c.Ports[0].ContainerPort)
	metrics := ""
	for _, e := range c.Env {
		if e.Value.Kind != yaml.ScalarNode {
			continue
		}
		_, port, _ := strings.Cut(e.Value.Value, ":")
		switch e.Name {
		case "HEDER_ADDR":
			if port != public {
				return fmt.Sprintf("HEDER_ADDR %q is not the containerPort %d", e.Value.Value, c.Ports[0].ContainerPort)
			}
		case "HEDER_METRICS_ADDR":
			metrics = port
			if port == public || !servesOn(c.Ports, port) {
				return fmt.Sprintf("HEDER_METRICS_ADDR %q is not a containerPort of its own", e.Value.Value)
			}
		}
	}
	if metrics == "" {
		return "HEDER_METRICS_ADDR is not set: /metrics would be public"
	}
	return ""
}

// checkIngress checks that an Ingress leads only to the port named http.
func checkIngress(d document) []string {
	var ing struct {
		Spec struct {
			Rules []struct {
				HTTP struct {
					Paths []struct {
						Backend struct {
							Service struct {
								Port struct {
									Name   string `yaml:"name"`
									Number int    `yaml:"number"`
								} `yaml:"port"`
							} `yaml:"service"`
						} `yaml:"backend"`
					} `yaml:"paths"`
				} `yaml:"http"`
			} `yaml:"rules"`
		} `yaml:"spec"`
	}
	if err := d.node.Decode(&ing); err != nil {
		return []string{fmt.Sprintf("%s: %v", d, err)}
	}
	var problems []string
	for _, r := range ing.Spec.Rules {
		for _, p := range r.HTTP.Paths {
			if port := p.Backend.Service.Port; port.Name != "http" {
				problems = append(problems, fmt.Sprintf("%s routes to port %q; want http (the public one)", d, cmp.Or(port.Name, strconv.Itoa(port.Number))))
			}
		}
	}
	return problems
}

// servesOn tells whether port (a name or number) is one of ports.
func servesOn(ports []containerPort, port string) bool {
	for _, p := range ports {
		if port == p.Name || port == strconv.Itoa(p.ContainerPort) {
			return true
		}
	}
	return false
}

// checkKustomization checks dir/kustomization.yaml: every file it names
// exists, every manifest beside it is named, images are pinned, and no
// secret is generated from committed values.
func checkKustomization(fsys fs.FS, dir string) []string {
	var problems []string
	file := path.Join(dir, "kustomization.yaml")
	add := func(format string, args ...any) {
		problems = append(problems, file+": "+fmt.Sprintf(format, args...))
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return []string{err.Error()}
	}
	type generator struct {
		Name     string   `yaml:"name"`
		Files    []string `yaml:"files"`
		Envs     []string `yaml:"envs"`
		Literals []string `yaml:"literals"`
	}
	var k struct {
		Resources             []string `yaml:"resources"`
		Components            []string `yaml:"components"`
		PatchesStrategicMerge []string `yaml:"patchesStrategicMerge"`
		Patches               []struct {
			Path string `yaml:"path"`
		} `yaml:"patches"`
		ConfigMapGenerator []generator `yaml:"configMapGenerator"`
		SecretGenerator    []generator `yaml:"secretGenerator"`
		Images             []struct {
			Name   string `yaml:"name"`
			NewTag string `yaml:"newTag"`
			Digest string `yaml:"digest"`
		} `yaml:"images"`
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		return []string{fmt.Sprintf("%s: %v", file, err)}
	}
	named := map[string]bool{}
	exists := func(p string, dirOK bool) {
		named[path.Clean(p)] = true
		full := path.Join(dir, p)
		info, err := fs.Stat(fsys, full)
		switch {
		case err != nil:
			add("%s does not exist", p)
		case info.IsDir() && !dirOK:
			add("%s is a folder", p)
		case info.IsDir():
			if _, err := fs.Stat(fsys, path.Join(full, "kustomization.yaml")); err != nil {
				add("%s has no kustomization.yaml", p)
			}
		}
	}
	for _, r := range append(slices.Clip(k.Resources), k.Components...) {
		exists(r, true)
	}
	for _, p := range k.PatchesStrategicMerge {
		exists(p, false)
	}
	for _, p := range k.Patches {
		if p.Path != "" {
			exists(p.Path, false)
		}
	}
	for _, g := range k.ConfigMapGenerator {
		for _, f := range append(slices.Clip(g.Files), g.Envs...) {
			if _, p, ok := strings.Cut(f, "="); ok { // key=path
				f = p
			}
			exists(f, false)
		}
		for _, l := range g.Literals {
			name, value, _ := strings.Cut(l, "=")
			if why := literalSecret(name, value); why != "" {
				add("configMap %s: %s", g.Name, why)
			}
		}
	}
	for _, g := range k.SecretGenerator {
		if len(g.Literals) > 0 {
			add("secretGenerator %s has literal values: create the Secret with kubectl instead", g.Name)
		}
	}
	for _, img := range k.Images {
		if img.Digest == "" && (img.NewTag == "" || img.NewTag == "latest") {
			add("image %s is not pinned: set newTag (not latest) or digest", img.Name)
		}
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return append(problems, err.Error())
	}
	for _, e := range entries {
		n := e.Name()
		if ext := path.Ext(n); !e.IsDir() && n != "kustomization.yaml" && (ext == ".yaml" || ext == ".yml") && !named[n] {
			add("%s is not listed, so it is never applied", n)
		}
	}
	return problems
}
