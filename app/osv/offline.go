package osv

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/shiftward/shiftward/scanners/deps"
)

// maxRecordBytes bounds one record read from an export.
const maxRecordBytes = 16 << 20

// Index is an in-memory copy of OSV records, indexed by ecosystem and
// package, that answers queries without the network: the offline mode
// (SHIFTWARD_OSV_DIR) for air-gapped installations. It is immutable after
// loading and safe for concurrent use.
type Index struct {
	byID  map[string]*deps.Vuln
	byPkg map[string][]*deps.Vuln
	// ecosystems holds every ecosystem some record names: a package of any
	// other has no answer here, which is not the same as "no advisories".
	ecosystems map[string]bool
}

var _ deps.Advisories = (*Index)(nil)

// Offline loads every OSV record below dir: the per-ecosystem exports as
// OSV publishes them (<Ecosystem>/all.zip from
// https://osv-vulnerabilities.storage.googleapis.com/), and plain <ID>.json
// files. JSON files that are not OSV records (no "id") are skipped; a file
// that is not valid JSON, or a corrupt zip, is an error, and so is a
// directory with no record at all: an empty or mistyped directory must not
// read as "no vulnerabilities".
func Offline(dir string) (*Index, error) {
	x := newIndex()
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("osv offline: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("osv offline: %s is not a directory", dir)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".zip":
			return x.loadZip(p)
		case ".json":
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return x.loadRecord(p, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("osv offline: %w", err)
	}
	if len(x.byID) == 0 {
		return nil, fmt.Errorf("osv offline: no OSV records under %s (want <Ecosystem>/all.zip exports or <ID>.json files)", dir)
	}
	for _, l := range x.byPkg {
		sort.Slice(l, func(i, j int) bool { return l[i].ID < l[j].ID })
	}
	return x, nil
}

func newIndex() *Index {
	return &Index{byID: map[string]*deps.Vuln{}, byPkg: map[string][]*deps.Vuln{}, ecosystems: map[string]bool{}}
}

func (x *Index) loadZip(p string) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%s: %s: %w", p, f.Name, err)
		}
		err = x.loadRecord(p+":"+f.Name, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (x *Index) loadRecord(name string, r io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(r, maxRecordBytes+1))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(b) > maxRecordBytes {
		return fmt.Errorf("%s: record over %d bytes", name, maxRecordBytes)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, ok := probe["id"]; !ok {
		return nil // an index or other metadata, not a record
	}
	var v deps.Vuln
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	x.add(&v)
	return nil
}

// add indexes v under each package it affects. A later copy of an id
// replaces an earlier one when it is more recent.
func (x *Index) add(v *deps.Vuln) {
	if v.ID == "" {
		return
	}
	if old, ok := x.byID[v.ID]; ok {
		if old.Modified >= v.Modified {
			return
		}
		for k, l := range x.byPkg {
			x.byPkg[k] = removeVuln(l, old)
		}
	}
	x.byID[v.ID] = v
	seen := map[string]bool{}
	for _, a := range v.Affected {
		k := indexKey(a.Package.Ecosystem, a.Package.Name)
		x.ecosystems[baseEcosystem(a.Package.Ecosystem)] = true
		if !seen[k] {
			seen[k] = true
			x.byPkg[k] = append(x.byPkg[k], v)
		}
	}
}

func removeVuln(l []*deps.Vuln, v *deps.Vuln) []*deps.Vuln {
	out := l[:0]
	for _, w := range l {
		if w != v {
			out = append(out, w)
		}
	}
	return out
}

func indexKey(eco, name string) string {
	eco = baseEcosystem(eco)
	return eco + "\x00" + deps.NormalizeName(eco, name)
}

// baseEcosystem drops an ecosystem's release suffix ("Debian:12" → "Debian").
func baseEcosystem(eco string) string {
	if i := strings.IndexByte(eco, ':'); i >= 0 {
		return eco[:i]
	}
	return eco
}

// Len is the number of records loaded.
func (x *Index) Len() int { return len(x.byID) }

// Vuln returns the record with id.
func (x *Index) Vuln(id string) (deps.Vuln, bool) {
	v, ok := x.byID[id]
	if !ok {
		return deps.Vuln{}, false
	}
	return *v, true
}

// Match returns the records that affect p by their ECOSYSTEM and SEMVER
// ranges and version lists (records with only GIT ranges cannot be judged
// for a released version and are left out), withdrawn records excluded,
// sorted by id.
func (x *Index) Match(p deps.Package) []deps.Vuln {
	var out []deps.Vuln
	for _, v := range x.byPkg[indexKey(p.Ecosystem, p.Name)] {
		if v.Withdrawn != "" {
			continue
		}
		if ok, known := deps.Affects(v, p); ok && known {
			out = append(out, *v)
		}
	}
	return out
}

// Query answers from the loaded records. A package of an ecosystem no
// loaded record names has no answer (its export is missing): that is an
// error, never "not vulnerable".
func (x *Index) Query(ctx context.Context, pkgs []deps.Package) ([][]deps.Vuln, error) {
	var missing []string
	for _, p := range pkgs {
		if eco := baseEcosystem(p.Ecosystem); !x.ecosystems[eco] && !slices.Contains(missing, eco) {
			missing = append(missing, eco)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%w: the offline advisories hold no record for %s (add its export to the OSV directory)",
			deps.ErrUnavailable, strings.Join(missing, ", "))
	}
	out := make([][]deps.Vuln, len(pkgs))
	for i, p := range pkgs {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = x.Match(p)
	}
	return out, nil
}

// Merge returns an index holding the records of x and y (the more recently
// modified copy of an id wins).
func (x *Index) Merge(y *Index) *Index {
	z := newIndex()
	for _, src := range []*Index{x, y} {
		ids := make([]string, 0, len(src.byID))
		for id := range src.byID {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			v := *src.byID[id]
			z.add(&v)
		}
	}
	for _, l := range z.byPkg {
		sort.Slice(l, func(i, j int) bool { return l[i].ID < l[j].ID })
	}
	return z
}

// IDs lists the ids of the loaded records, sorted.
func (x *Index) IDs() []string {
	out := make([]string, 0, len(x.byID))
	for id := range x.byID {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
