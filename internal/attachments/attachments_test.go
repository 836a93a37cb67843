package attachments_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heder-awards/heder/internal/attachments"
	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/pgtest"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun/dialect/pgdialect"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Tiny but valid files of each accepted type.
var (
	pdfFile = []byte("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n" +
		"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
	pngFile  = encode(png.Encode)
	jpegFile = encode(func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })
	// A 1×1 lossless WebP.
	webpFile, _ = base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	// A Windows program's first bytes.
	exeFile = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 200)...)
)

func encode(enc func(io.Writer, image.Image) error) []byte {
	var b bytes.Buffer
	if err := enc(&b, image.NewRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// hookStore wraps the real store to fail, or to do something in between
// storing the bytes and recording them, as a failing or racing world would.
type hookStore struct {
	files.Store
	failPut  error
	afterPut func()
}

func (h *hookStore) Put(ctx context.Context, key string, r io.Reader) error {
	if h.failPut != nil {
		return h.failPut
	}
	err := h.Store.Put(ctx, key, r)
	if err == nil && h.afterPut != nil {
		h.afterPut()
	}
	return err
}

type fixture struct {
	db    *postgres.DB
	dir   string // the disk store's folder
	store *hookStore
	svc   *attachments.Service
	// owner is a member of Asker, which owns the project; coNominee of
	// Oppegård, nominated together with Asker; outsider of Træna.
	owner, coNominee, outsider, admin *awards.Actor
	project                           string
	projectID, cycleID, nominationID  int64
	asker                             int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: pgtest.New(t), dir: t.TempDir()}
	disk, err := files.Open(ctx, "file://"+filepath.ToSlash(f.dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { disk.Close() })
	f.store = &hookStore{Store: disk}
	f.svc = attachments.NewService(f.db, f.store, slog.New(slog.DiscardHandler))

	var asker, oppegard, traena int64
	f.mustScan(t, `INSERT INTO organisations (kind, name, number) VALUES ('municipality', 'Asker', '3203') RETURNING id`, &asker)
	f.mustScan(t, `INSERT INTO organisations (kind, name, number) VALUES ('municipality', 'Oppegård', '0217') RETURNING id`, &oppegard)
	f.mustScan(t, `INSERT INTO organisations (kind, name, number) VALUES ('municipality', 'Træna', '1835') RETURNING id`, &traena)
	f.asker = asker
	user := func(name string, admin bool, org int64) *awards.Actor {
		a := &awards.Actor{}
		f.mustScan(t, `INSERT INTO users (issuer, subject, name, is_admin) VALUES ('test', ?, ?, ?) RETURNING id`, &a.User.ID, name, name, admin)
		a.User.IsAdmin = admin
		if org != 0 {
			a.Memberships = []awards.Membership{{UserID: a.User.ID, OrganisationID: org, Role: awards.RoleSubmitter}}
		}
		return a
	}
	f.owner, f.coNominee, f.outsider, f.admin = user("kari", false, asker), user("ola", false, oppegard), user("tore", false, traena), user("astrid", true, 0)

	f.mustScan(t, `INSERT INTO projects (organisation_id, title) VALUES (?, 'Holmen svømmehall') RETURNING id`, &f.projectID, asker)
	if err := f.db.NewRaw(`SELECT public_id FROM projects WHERE id = ?`, f.projectID).Scan(ctx, &f.project); err != nil {
		t.Fatal(err)
	}
	var award int64
	f.mustScan(t, `INSERT INTO awards (slug, name_nb) VALUES ('kommunal-innovasjonspris', 'Kommunal innovasjonspris') RETURNING id`, &award)
	f.mustScan(t, `INSERT INTO cycles (award_id, year, title, phase) VALUES (?, 2027, 'Innovasjonsprisen 2027', 'open') RETURNING id`, &f.cycleID, award)
	f.mustScan(t, `INSERT INTO nominations (cycle_id, title) VALUES (?, 'Asker og Oppegård') RETURNING id`, &f.nominationID, f.cycleID)
	f.exec(t, `INSERT INTO nomination_organisations (nomination_id, organisation_id) VALUES (?, ?), (?, ?)`, f.nominationID, asker, f.nominationID, oppegard)
	f.exec(t, `INSERT INTO nomination_projects (nomination_id, project_id) VALUES (?, ?)`, f.nominationID, f.projectID)
	return f
}

func (f *fixture) mustScan(t *testing.T, query string, dest any, args ...any) {
	t.Helper()
	if err := f.db.NewRaw(query, args...).Scan(context.Background(), dest); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (f *fixture) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// stored lists the files in the disk store.
func (f *fixture) stored(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(f.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) rows(t *testing.T) int {
	t.Helper()
	var n int
	f.mustScan(t, `SELECT count(*) FROM attachments`, &n)
	return n
}

func (f *fixture) upload(t *testing.T, actor *awards.Actor, name, alt string, b []byte) (awards.Attachment, error) {
	t.Helper()
	return f.svc.Upload(context.Background(), actor, f.project, name, alt, bytes.NewReader(b))
}

func TestUploadAcceptedTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	tests := []struct {
		name, alt, wantType, wantName string
		data                          []byte
	}{
		{"Søknad Asker.pdf", "", "application/pdf", "Søknad Asker.pdf", pdfFile},
		{"svømmehall.PNG", "Barn i det nye bassenget", "image/png", "svømmehall.PNG", pngFile},
		{`C:\fakepath\Velferdslab.jpeg`, "Workshop i velferdslaben", "image/jpeg", "Velferdslab.jpeg", jpegFile},
		{"borgen", "  Løsningsjakten på Borgen  ", "image/webp", "borgen.webp", webpFile},
	}
	for _, tt := range tests {
		a, err := f.upload(t, f.owner, tt.name, tt.alt, tt.data)
		if err != nil {
			t.Fatalf("upload %s: %v", tt.name, err)
		}
		sum := sha256.Sum256(tt.data)
		want := awards.Attachment{ID: a.ID, PublicID: a.PublicID, ProjectID: f.projectID, Filename: tt.wantName,
			ContentType: tt.wantType, Size: int64(len(tt.data)), SHA256: hex.EncodeToString(sum[:]),
			AltText: strings.TrimSpace(tt.alt), StorageKey: a.StorageKey, CreatedAt: a.CreatedAt}
		if diff := cmp.Diff(want, a); diff != "" {
			t.Errorf("upload %s (-want +got):\n%s", tt.name, diff)
		}
		if a.PublicID == "" || !strings.HasPrefix(a.StorageKey, "attachments/") || a.CreatedAt.IsZero() {
			t.Errorf("upload %s: incomplete %+v", tt.name, a)
		}
		got, body, err := f.svc.Get(ctx, f.owner, a.PublicID)
		if err != nil {
			t.Fatalf("get %s: %v", tt.name, err)
		}
		b, _ := io.ReadAll(body)
		body.Close()
		if !bytes.Equal(b, tt.data) || got.SHA256 != want.SHA256 || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Errorf("get %s: %d bytes, %+v", tt.name, len(b), got)
		}
		entries, err := audit.List(ctx, f.db, "attachment", a.ID)
		if err != nil || len(entries) != 1 || entries[0].Action != "create" || entries[0].ActorID != f.owner.User.ID {
			t.Errorf("audit of %s: %+v, %v", tt.name, entries, err)
		}
	}
	l, err := f.svc.List(ctx, f.owner, f.project)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Attachments) != len(tests) || !l.CanChange || l.Frozen || l.Project.Title != "Holmen svømmehall" || l.Project.Organisation != "Asker" {
		t.Errorf("List = %+v", l)
	}
	if n := len(f.stored(t)); n != len(tests) {
		t.Errorf("%d files stored, want %d", n, len(tests))
	}
}

// zeros is an endless source of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func pdfOfSize(n int64) io.Reader {
	head := "%PDF-1.4\n"
	return io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, n-int64(len(head))))
}

func TestUploadRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	tests := []struct {
		name, filename, alt string
		body                io.Reader
		want                map[string]string
	}{
		{"program renamed .pdf", "søknad.pdf", "", bytes.NewReader(exeFile), map[string]string{"file": "attachments.error.type"}},
		{"web page renamed .png", "bilde.png", "Bilde", strings.NewReader("<!DOCTYPE html><script>alert(1)</script>"), map[string]string{"file": "attachments.error.type"}},
		{"SVG", "logo.svg", "Logo", strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), map[string]string{"file": "attachments.error.type"}},
		{"GIF", "anim.gif", "Animasjon", strings.NewReader("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), map[string]string{"file": "attachments.error.type"}},
		{"empty file", "tom.pdf", "", strings.NewReader(""), map[string]string{"file": "attachments.error.empty"}},
		{"no file", "", "", nil, map[string]string{"file": "attachments.error.no_file"}},
		{"image without alt text", "bilde.png", "   ", bytes.NewReader(pngFile), map[string]string{"alt_text": "attachments.error.alt_text"}},
		{"alt text too long", "bilde.png", strings.Repeat("å", 1001), bytes.NewReader(pngFile), map[string]string{"alt_text": "form.error.too_long"}},
		{"both wrong", "x.pdf", strings.Repeat("å", 1001), bytes.NewReader(exeFile), map[string]string{"file": "attachments.error.type", "alt_text": "form.error.too_long"}},
		{"21 MB", "stor.pdf", "", pdfOfSize(21 << 20), map[string]string{"file": "attachments.error.too_large"}},
		{"one byte over 20 MB", "stor.pdf", "", pdfOfSize(attachments.MaxSize + 1), map[string]string{"file": "attachments.error.too_large"}},
	}
	for _, tt := range tests {
		var r io.Reader
		if tt.body != nil {
			r = tt.body
		}
		_, err := f.svc.Upload(ctx, f.owner, f.project, tt.filename, tt.alt, r)
		if awards.ErrorCode(err) != awards.EInvalid {
			t.Errorf("%s: %v, want EInvalid", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, awards.ErrorFields(err)); diff != "" {
			t.Errorf("%s: fields (-want +got):\n%s", tt.name, diff)
		}
	}
	if n := f.rows(t); n != 0 {
		t.Errorf("%d rows after refused uploads", n)
	}
	if left := f.stored(t); len(left) != 0 {
		t.Errorf("refused uploads left files: %v", left)
	}
	// Exactly 20 MB is fine.
	a, err := f.svc.Upload(ctx, f.owner, f.project, "akkurat.pdf", "", pdfOfSize(attachments.MaxSize))
	if err != nil || a.Size != attachments.MaxSize {
		t.Errorf("20 MB upload: %+v, %v", a, err)
	}
}

func TestAtMostTenPerProject(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range attachments.MaxPerProject {
		if _, err := f.upload(t, f.owner, "vedlegg.pdf", "", append(pdfFile, byte(i))); err != nil {
			t.Fatalf("upload %d: %v", i+1, err)
		}
	}
	_, err := f.upload(t, f.owner, "ellevte.pdf", "", pdfFile)
	if got := awards.ErrorFields(err)["file"]; got != "attachments.error.too_many" {
		t.Errorf("11th upload: %v (%q), want the too_many field error", err, got)
	}
	if n, files := f.rows(t), len(f.stored(t)); n != 10 || files != 10 {
		t.Errorf("after the 11th: %d rows, %d files; want 10 and 10", n, files)
	}
}

// TestConcurrentUploadsKeepTheLimit sends more uploads at once than a
// project may hold: the lock on the project row lets exactly ten in.
func TestConcurrentUploadsKeepTheLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 14
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = f.upload(t, f.owner, "samtidig.pdf", "", append(pdfFile, byte(i))) })
	}
	wg.Wait()
	ok, tooMany := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case awards.ErrorFields(err)["file"] == "attachments.error.too_many":
			tooMany++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != attachments.MaxPerProject || tooMany != n-attachments.MaxPerProject {
		t.Errorf("%d stored, %d refused; want %d and %d", ok, tooMany, attachments.MaxPerProject, n-attachments.MaxPerProject)
	}
	if rows, files := f.rows(t), len(f.stored(t)); rows != attachments.MaxPerProject || files != attachments.MaxPerProject {
		t.Errorf("%d rows, %d files; want %d each", rows, files, attachments.MaxPerProject)
	}
}

func TestWhoMay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	a, err := f.upload(t, f.owner, "plan.pdf", "", pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	anon := &awards.Actor{}
	type result struct{ list, get, upload, del string }
	check := func(state string, actor *awards.Actor, name string, want result) {
		t.Helper()
		_, lerr := f.svc.List(ctx, actor, f.project)
		_, body, gerr := f.svc.Get(ctx, actor, a.PublicID)
		if body != nil {
			body.Close()
		}
		_, uerr := f.upload(t, actor, "ny.pdf", "", pdfFile)
		_, derr := f.svc.Delete(ctx, actor, a.PublicID)
		got := result{awards.ErrorCode(lerr), awards.ErrorCode(gerr), awards.ErrorCode(uerr), awards.ErrorCode(derr)}
		if got != want {
			t.Errorf("%s, %s: list/get/upload/delete = %+v, want %+v", state, name, got, want)
		}
	}
	const nf, forb, unauth = awards.ENotFound, awards.EForbidden, awards.EUnauthenticated
	check("open", anon, "anonymous", result{unauth, unauth, unauth, unauth})
	check("open", f.outsider, "outsider", result{nf, nf, nf, nf})
	check("open", f.coNominee, "co-nominee", result{"", "", forb, forb})
	check("open", f.admin, "admin", result{"", "", forb, forb})
	// The owner admins of the award the project is nominated to read its
	// files as the site admin does; another owner's learn nothing.
	ownerAdmin := &awards.Actor{User: awards.User{ID: 9001}, Owners: []awards.OwnerGrant{{OwnerID: 1, Cycles: []int64{f.cycleID}}}}
	otherOwner := &awards.Actor{User: awards.User{ID: 9002}, Owners: []awards.OwnerGrant{{OwnerID: 2, Cycles: []int64{f.cycleID + 1}}}}
	check("open", ownerAdmin, "the award's owner admin", result{"", "", forb, forb})
	check("open", otherOwner, "another owner's admin", result{nf, nf, nf, nf})

	// A submitted nomination may still change until the deadline.
	f.exec(t, `UPDATE nominations SET status = 'submitted' WHERE id = ?`, f.nominationID)
	f.exec(t, `UPDATE cycles SET nomination_deadline = now() + interval '1 day' WHERE id = ?`, f.cycleID)
	if _, err := f.upload(t, f.owner, "før fristen.pdf", "", pdfFile); err != nil {
		t.Errorf("submitted before the deadline: owner upload: %v", err)
	}
	// After the deadline the project, files included, stays as judged.
	f.exec(t, `UPDATE cycles SET nomination_deadline = now() - interval '1 minute' WHERE id = ?`, f.cycleID)
	check("deadline passed", f.owner, "owner", result{"", "", forb, forb})
	check("deadline passed", f.outsider, "outsider", result{nf, nf, nf, nf})
	l, err := f.svc.List(ctx, f.owner, f.project)
	if err != nil || !l.Frozen || l.CanChange {
		t.Errorf("deadline passed: List = %+v, %v; want frozen", l, err)
	}
	for _, phase := range []string{"closed", "judging", "decided", "published"} {
		f.exec(t, `UPDATE cycles SET phase = ? WHERE id = ?`, phase, f.cycleID)
		check(phase, f.owner, "owner", result{"", "", forb, forb})
	}
	// A withdrawn or draft nomination freezes nothing.
	for _, status := range []string{"withdrawn", "draft"} {
		f.exec(t, `UPDATE nominations SET status = ? WHERE id = ?`, status, f.nominationID)
		if _, err := f.upload(t, f.owner, status+".pdf", "", pdfFile); err != nil {
			t.Errorf("%s nomination in a published cycle: owner upload: %v", status, err)
		}
	}
	check("unfrozen", f.owner, "owner", result{"", "", "", ""})
}

func TestDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	a, err := f.upload(t, f.owner, "plan.pdf", "", pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	project, err := f.svc.Delete(ctx, f.owner, a.PublicID)
	if err != nil || project != f.project {
		t.Fatalf("Delete = %q, %v; want %q", project, err, f.project)
	}
	if n, left := f.rows(t), f.stored(t); n != 0 || len(left) != 0 {
		t.Errorf("after delete: %d rows, files %v", n, left)
	}
	entries, err := audit.List(ctx, f.db, "attachment", a.ID)
	if err != nil || len(entries) != 2 || entries[1].Action != "delete" {
		t.Errorf("audit: %+v, %v", entries, err)
	}
	if _, err := f.svc.Delete(ctx, f.owner, a.PublicID); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("second delete: %v, want ENotFound", err)
	}
	for _, id := range []string{a.PublicID, "", "not-an-id", "'; DROP TABLE attachments; --"} {
		if _, _, err := f.svc.Get(ctx, f.owner, id); awards.ErrorCode(err) != awards.ENotFound {
			t.Errorf("Get(%q): %v, want ENotFound", id, err)
		}
	}
	if _, err := f.svc.List(ctx, f.owner, "no-such-project"); awards.ErrorCode(err) != awards.ENotFound {
		t.Errorf("List of a missing project: %v, want ENotFound", err)
	}
}

// TestUploadIsAllOrNothing: when storing fails nothing is recorded, and
// when recording fails the stored bytes are removed.
func TestUploadIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("store fails", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.store.failPut = errors.New("object store down")
		_, err := f.upload(t, f.owner, "plan.pdf", "", pdfFile)
		if awards.ErrorCode(err) != awards.EUnavailable {
			t.Errorf("upload: %v, want EUnavailable", err)
		}
		var entries int
		f.mustScan(t, `SELECT count(*) FROM audit_log WHERE entity = 'attachment'`, &entries)
		if n := f.rows(t); n != 0 || entries != 0 {
			t.Errorf("%d rows, %d audit entries after a failed store", n, entries)
		}
	})

	t.Run("insert fails", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.store.afterPut = func() {
			f.exec(t, `ALTER TABLE attachments ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`)
		}
		if _, err := f.upload(t, f.owner, "plan.pdf", "", pdfFile); err == nil {
			t.Fatal("upload succeeded")
		}
		if n, left := f.rows(t), f.stored(t); n != 0 || len(left) != 0 {
			t.Errorf("after a failed insert: %d rows, files %v", n, left)
		}
	})

	t.Run("limit reached while storing", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.store.afterPut = func() {
			for i := range attachments.MaxPerProject {
				f.exec(t, `INSERT INTO attachments (project_id, filename, content_type, size, sha256, storage_key)
					VALUES (?, 'annen.pdf', 'application/pdf', 1, 'x', ?)`, f.projectID, "other/"+string(rune('a'+i)))
			}
		}
		_, err := f.upload(t, f.owner, "plan.pdf", "", pdfFile)
		if got := awards.ErrorFields(err)["file"]; got != "attachments.error.too_many" {
			t.Errorf("upload: %v, want too_many", err)
		}
		if left := f.stored(t); len(left) != 0 {
			t.Errorf("files left: %v", left)
		}
	})
	_ = ctx
}

// TestUploadWhoseCommitAnswerIsLost cancels an upload's request while
// its COMMIT runs: the client gives up and reports an error, but the
// server completes the commit, as it does when the cancellation comes a
// moment too late or the connection drops after COMMIT reached it. The
// row is then recorded, so its file must stay: removing it would leave
// an attachment whose bytes are gone.
func TestUploadWhoseCommitAnswerIsLost(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Commits of new attachments take two seconds, long enough to cancel
	// the request in the middle of one, and ignore the cancel request
	// that the driver sends when it gives up.
	f.exec(t, `CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_sleep(2); RETURN NULL; EXCEPTION WHEN query_canceled THEN RETURN NULL; END $$`)
	f.exec(t, `CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON attachments DEFERRABLE INITIALLY DEFERRED
		FOR EACH ROW EXECUTE FUNCTION slow_commit()`)
	committing := func() bool {
		var n int
		f.mustScan(t, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`, &n)
		return n > 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for !committing() {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	if _, err := f.svc.Upload(ctx, f.owner, f.project, "plan.pdf", "", bytes.NewReader(pdfFile)); err == nil {
		t.Fatal("the upload reported success although its request was cancelled during the commit")
	}
	deadline := time.Now().Add(10 * time.Second)
	for committing() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	var keys []string
	f.mustScan(t, `SELECT coalesce(array_agg(storage_key), '{}') FROM attachments`, pgdialect.Array(&keys))
	if len(keys) != 1 {
		t.Fatalf("%d rows after the commit went through, want 1", len(keys))
	}
	if left := f.stored(t); len(left) != 1 || filepath.ToSlash(left[0]) != filepath.ToSlash(filepath.Join(f.dir, keys[0])) {
		t.Errorf("the recorded attachment's file %s is gone; files on disk: %v", keys[0], left)
	}
}

// TestJurorsReadFiles: a juror reads the files of a nomination they
// assess — the fact juror_visible_nominations gives, read with the
// project — once they have declared about every nominee, and changes
// nothing.
func TestJurorsReadFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	a, err := f.upload(t, f.owner, "plan.pdf", "", pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	juror := &awards.Actor{}
	f.mustScan(t, `INSERT INTO users (issuer, subject, name) VALUES ('test', 'juror', 'Juror') RETURNING id`, &juror.User.ID)
	juror.Seats = []awards.JurySeat{{CycleID: f.cycleID}}
	var seat int64
	f.mustScan(t, `INSERT INTO jurors (cycle_id, user_id, declared_at) VALUES (?, ?, now()) RETURNING id`, &seat, f.cycleID, juror.User.ID)
	f.exec(t, `UPDATE nominations SET status = 'submitted' WHERE id = ?`, f.nominationID)
	f.exec(t, `INSERT INTO conflict_reviews (juror_id, organisation_id) VALUES (?, ?)`, seat, f.asker)

	codes := func() [4]string {
		_, lerr := f.svc.List(ctx, juror, f.project)
		_, body, gerr := f.svc.Get(ctx, juror, a.PublicID)
		if body != nil {
			body.Close()
		}
		_, uerr := f.upload(t, juror, "ny.pdf", "", pdfFile)
		_, derr := f.svc.Delete(ctx, juror, a.PublicID)
		return [4]string{awards.ErrorCode(lerr), awards.ErrorCode(gerr), awards.ErrorCode(uerr), awards.ErrorCode(derr)}
	}
	const nf, forb = awards.ENotFound, awards.EForbidden
	if got := codes(); got != [4]string{nf, nf, nf, nf} {
		t.Errorf("not yet declared about Oppegård: list/get/upload/delete = %v, want not found", got)
	}
	f.exec(t, `INSERT INTO conflict_reviews (juror_id, organisation_id) SELECT ?, organisation_id FROM nomination_organisations
		WHERE nomination_id = ? ON CONFLICT DO NOTHING`, seat, f.nominationID)
	if got := codes(); got != [4]string{"", "", forb, forb} {
		t.Errorf("declared about every nominee: list/get/upload/delete = %v, want read only", got)
	}
}
