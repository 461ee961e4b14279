package iac

import (
	"context"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// Kustomize patches are partial objects: a strategic-merge patch writes
// only what it changes and leaves the rest to its base, so a setting it
// does not write is no finding, while a bad value it writes still is.
// Which files are patches is known from the kustomization beside them
// when the scan has the change's tree (scanners.Input.Tree): every
// setting such a file does not write is left to its base. Without a tree
// it is guessed from the file's shape and path together: a container
// without an image, in a file whose path holds "patch" or "overlay"
// (patchShaped). Shape alone is not enough: test fixtures and examples
// omit images too, and a manifest outside a patch path is judged whole.

// kustomizationNames are the file names kustomize reads in a directory.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// maxKustomizationBytes bounds the kustomization read beside a manifest.
const maxKustomizationBytes = 1 << 20

// kustomizePatches returns the repository paths of the patch files listed
// by the kustomization in dir (patches, patchesStrategicMerge,
// patchesJson6902), once per change and directory.
func kustomizePatches(ctx context.Context, t scanners.Tree, dir string) map[string]bool {
	v := t.Once("iac/kustomize:"+dir, func() any { return readPatches(ctx, t, dir) })
	m, _ := v.(map[string]bool)
	return m
}

func readPatches(ctx context.Context, t scanners.Tree, dir string) map[string]bool {
	out := map[string]bool{}
	for _, name := range kustomizationNames {
		b, err := t.Read(ctx, path.Join(dir, name))
		if err != nil || len(b) > maxKustomizationBytes {
			continue
		}
		var k struct {
			Patches []struct {
				Path string `yaml:"path"`
			} `yaml:"patches"`
			PatchesJSON6902 []struct {
				Path string `yaml:"path"`
			} `yaml:"patchesJson6902"`
			PatchesStrategicMerge []string `yaml:"patchesStrategicMerge"`
		}
		if yaml.Unmarshal(b, &k) != nil {
			continue
		}
		add := func(p string) {
			// An inline patch (a YAML document in the list) is no file.
			if p != "" && !strings.Contains(p, "\n") {
				out[path.Join(dir, p)] = true
			}
		}
		for _, p := range k.Patches {
			add(p.Path)
		}
		for _, p := range k.PatchesJSON6902 {
			add(p.Path)
		}
		for _, p := range k.PatchesStrategicMerge {
			add(p)
		}
		break
	}
	return out
}

// listedPatch reports whether the file at p is a patch its directory's
// kustomization lists.
func listedPatch(ctx context.Context, t scanners.Tree, p string) bool {
	if t == nil {
		return false
	}
	return kustomizePatches(ctx, t, path.Dir(p))[path.Clean(p)]
}

// dropMissing keeps the hits on settings a file writes: a patch's missing
// settings are its base's.
func dropMissing(hits []hit) []hit {
	out := hits[:0]
	for _, h := range hits {
		if !h.missing {
			out = append(out, h)
		}
	}
	return out
}

// patchShaped reports an object with a pod spec whose containers all lack
// an image: the shape of a strategic-merge patch (the API leaves image
// optional only for a controller or config tool to fill in).
func patchShaped(o *yaml.Node) bool {
	p, ok := podSpecPath[scalar(o, "kind")]
	if !ok {
		return false
	}
	ps := o
	for _, k := range p {
		if ps = get2(ps, k); ps == nil {
			return false
		}
	}
	cs := get2(ps, "containers")
	if cs == nil || cs.Kind != yaml.SequenceNode || len(cs.Content) == 0 {
		return false
	}
	for _, c := range cs.Content {
		if _, img := get(c, "image"); img != nil {
			return false
		}
	}
	return true
}
