package attachments

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heder-awards/heder/internal/audit"
	"github.com/heder-awards/heder/internal/awards"
	"github.com/heder-awards/heder/internal/files"
	"github.com/heder-awards/heder/internal/orgs"
	"github.com/heder-awards/heder/internal/policy"
	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"
)

// Limits on what a project may carry.
const (
	// MaxSize is the largest file accepted, in bytes (20 MB).
	MaxSize = 20 << 20
	// MaxPerProject is how many files one project may have.
	MaxPerProject = 10
	// maxAltText bounds the alternative text, in characters.
	maxAltText = 1000
	// maxFilename is the longest stored file name, in characters.
	maxFilename = 255
)

// extensions lists the accepted content types with their file name
// extensions, the first being the one added to a name that lacks it.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/webp":      {".webp"},
}

// Service manages project attachments.
type Service struct {
	db     bun.IDB
	store  files.Store
	logger *slog.Logger
}

// NewService returns a Service keeping rows in db and bytes in store.
// logger records stored files left behind when a clean-up fails.
func NewService(db bun.IDB, store files.Store, logger *slog.Logger) *Service {
	return &Service{db: db, store: store, logger: logger}
}

// Listing is a project's attachments as the caller may see them.
type Listing struct {
	Project     awards.Project
	Attachments []awards.Attachment
	// CanChange says whether the caller may upload and delete now.
	CanChange bool
	// Frozen says that the files can no longer change: the project is
	// part of a submitted nomination whose deadline has passed.
	Frozen bool
}

// project is what the rules need to know about a project.
type project struct {
	ID             int64   `bun:"id"`
	PublicID       string  `bun:"public_id"`
	Title          string  `bun:"title"`
	OrganisationID int64   `bun:"organisation_id"`
	Organisation   string  `bun:"organisation"`
	NomineeIDs     []int64 `bun:"nominee_ids,array"`
	SuccessorIDs   []int64 `bun:"successor_ids,array"`
	CycleIDs       []int64 `bun:"cycle_ids,array"`
	JurorReads     bool    `bun:"juror_reads"`
	Frozen         bool    `bun:"frozen"`
	Attachments    int     `bun:"attachments"`
}

func (p project) files() policy.ProjectFiles {
	return policy.ProjectFiles{ProjectFacts: policy.ProjectFacts{OwnerID: p.OrganisationID, NomineeIDs: p.NomineeIDs,
		SuccessorIDs: p.SuccessorIDs, CycleIDs: p.CycleIDs, JurorReads: p.JurorReads}, Frozen: p.Frozen}
}

// projectSelect reads a project with the facts policy.ProjectFiles
// holds, for the reader with user ID ?0 (0 for none). A project is frozen
// once a nomination it belongs to was submitted (any status but draft
// and withdrawn) in a cycle that no longer accepts changes: not open, or
// past its deadline — the same rule as the project's own text. now() is
// the database's clock, read in the transaction that writes.
var projectSelect = `
	SELECT p.id, p.public_id, p.title, p.organisation_id, o.name AS organisation,
		ARRAY(SELECT DISTINCT nor.organisation_id FROM nomination_projects np
			JOIN nomination_organisations nor ON nor.nomination_id = np.nomination_id
			WHERE np.project_id = p.id ORDER BY 1) AS nominee_ids,
		` + orgs.SuccessorIDs("p.organisation_id") + ` AS successor_ids,
		ARRAY(SELECT DISTINCT n.cycle_id FROM nomination_projects np JOIN nominations n ON n.id = np.nomination_id
			WHERE np.project_id = p.id ORDER BY 1) AS cycle_ids,
		EXISTS (SELECT 1 FROM juror_visible_nominations v JOIN nomination_projects np ON np.nomination_id = v.nomination_id
			WHERE v.user_id = ?0 AND np.project_id = p.id) AS juror_reads,
		EXISTS (SELECT 1 FROM nomination_projects np
			JOIN nominations n ON n.id = np.nomination_id
			JOIN cycles c ON c.id = n.cycle_id
			WHERE np.project_id = p.id AND n.status NOT IN ('draft', 'withdrawn')
			AND NOT nomination_open(n, c)) AS frozen,
		(SELECT count(*) FROM attachments a WHERE a.project_id = p.id) AS attachments
	FROM projects p JOIN organisations o ON o.id = p.organisation_id`

// loadProject returns the project matching where (with arg as ?1) if
// actor may see its files, else ENotFound: who cannot see them must not
// learn that the project exists.
func loadProject(ctx context.Context, db bun.IDB, actor *awards.Actor, where string, arg any) (project, error) {
	var userID int64
	if !actor.Anonymous() {
		userID = actor.User.ID
	}
	var p project
	if err := db.NewRaw(projectSelect+` WHERE `+where, userID, arg).Scan(ctx, &p); err != nil {
		return project{}, postgres.Map("load project", err)
	}
	if !policy.CanSeeAttachments(actor, p.files()) {
		return project{}, awards.Errorf(awards.ENotFound, "no such project")
	}
	return p, nil
}

func mayChange(actor *awards.Actor, p project) error {
	if policy.CanChangeAttachments(actor, p.files()) {
		return nil
	}
	if p.Frozen && actor.MemberOf(p.OrganisationID) {
		return awards.Errorf(awards.EForbidden, "the project is part of a submitted nomination whose deadline has passed: its files can no longer change")
	}
	return awards.Errorf(awards.EForbidden, "only the organisation that owns the project can change its files")
}

const attachmentSelect = `
	SELECT a.id, a.public_id, a.project_id, a.filename, a.content_type, a.size, a.sha256, a.alt_text,
		a.storage_key, a.created_at
	FROM attachments a`

// List returns a project's attachments, oldest first. Those who may see
// the files (policy.CanSeeAttachments) only; ENotFound for everyone else.
func (s *Service) List(ctx context.Context, actor *awards.Actor, projectPublicID string) (Listing, error) {
	if actor.Anonymous() {
		return Listing{}, awards.Errorf(awards.EUnauthenticated, "log in to see the files")
	}
	p, err := loadProject(ctx, s.db, actor, "p.public_id = ?1", projectPublicID)
	if err != nil {
		return Listing{}, err
	}
	l := Listing{
		Project:     awards.Project{ID: p.ID, PublicID: p.PublicID, OrganisationID: p.OrganisationID, Organisation: p.Organisation, Title: p.Title},
		Attachments: []awards.Attachment{},
		CanChange:   policy.CanChangeAttachments(actor, p.files()),
		Frozen:      p.Frozen,
	}
	if err := s.db.NewRaw(attachmentSelect+` WHERE a.project_id = ? ORDER BY a.created_at, a.id`, p.ID).Scan(ctx, &l.Attachments); err != nil {
		return Listing{}, postgres.Map("list attachments", err)
	}
	return l, nil
}

// Upload attaches the file read from r to the project with public ID
// projectPublicID. The type is read from the content, never from the
// name: PDF, PNG, JPEG or WebP, at most MaxSize bytes; images need an
// alternative text; a project holds at most MaxPerProject files. Either
// the file is stored and recorded (with its audit entry) or nothing is.
// Members of the owning organisation only, until the project is frozen
// (policy.CanChangeAttachments). Returns EUnauthenticated, ENotFound,
// EForbidden, EInvalid (fields "file" and "alt_text"), EUnavailable.
func (s *Service) Upload(ctx context.Context, actor *awards.Actor, projectPublicID, filename, altText string, r io.Reader) (awards.Attachment, error) {
	if actor.Anonymous() {
		return awards.Attachment{}, awards.Errorf(awards.EUnauthenticated, "log in to upload files")
	}
	p, err := loadProject(ctx, s.db, actor, "p.public_id = ?1", projectPublicID)
	if err != nil {
		return awards.Attachment{}, err
	}
	if err := mayChange(actor, p); err != nil {
		return awards.Attachment{}, err
	}
	if p.Attachments >= MaxPerProject {
		return awards.Attachment{}, tooMany()
	}

	fields := map[string]string{}
	altText = strings.TrimSpace(altText)
	if utf8.RuneCountInString(altText) > maxAltText {
		fields["alt_text"] = "form.error.too_long"
	}
	var contentType string
	var br *bufio.Reader
	if r == nil {
		fields["file"] = "attachments.error.no_file"
	} else {
		br = bufio.NewReaderSize(r, 512)
		head, err := br.Peek(512)
		if err != nil && !errors.Is(err, io.EOF) {
			return awards.Attachment{}, fmt.Errorf("read upload: %w", err)
		}
		switch contentType = sniff(head); {
		case len(head) == 0:
			fields["file"] = "attachments.error.empty"
		case contentType == "":
			fields["file"] = "attachments.error.type"
		case strings.HasPrefix(contentType, "image/") && altText == "":
			fields["alt_text"] = "attachments.error.alt_text"
		}
	}
	if len(fields) > 0 {
		return awards.Attachment{}, awards.Invalid(fields)
	}

	a := awards.Attachment{ProjectID: p.ID, Filename: cleanFilename(filename, contentType), ContentType: contentType,
		AltText: altText, StorageKey: newKey()}
	m := &meter{r: io.LimitReader(br, MaxSize+1), h: sha256.New()}
	if err := s.store.Put(ctx, a.StorageKey, m); err != nil {
		if errors.Is(err, errTooLarge) {
			return awards.Attachment{}, awards.Invalid(map[string]string{"file": "attachments.error.too_large"})
		}
		return awards.Attachment{}, &awards.Error{Code: awards.EUnavailable, Op: "upload attachment",
			Message: "the file could not be stored; try again later", Err: err}
	}
	a.Size, a.SHA256 = m.n, hex.EncodeToString(m.h.Sum(nil))

	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The project row's lock makes the count and the rules exact when
		// several uploads race.
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM projects WHERE id = ? FOR UPDATE`, p.ID); err != nil {
			return postgres.Map("lock project", err)
		}
		p, err := loadProject(ctx, tx, actor, "p.id = ?1", p.ID)
		if err != nil {
			return err
		}
		if err := mayChange(actor, p); err != nil {
			return err
		}
		if p.Attachments >= MaxPerProject {
			return tooMany()
		}
		err = tx.NewRaw(`
			INSERT INTO attachments (project_id, filename, content_type, size, sha256, alt_text, storage_key, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id, created_at`,
			a.ProjectID, a.Filename, a.ContentType, a.Size, a.SHA256, a.AltText, a.StorageKey, actor.User.ID,
		).Scan(ctx, &a.ID, &a.PublicID, &a.CreatedAt)
		if err != nil {
			return postgres.Map("insert attachment", err)
		}
		return audit.Record(ctx, tx, actor.User.ID, "create", "attachment", a.ID, nil, auditView(a))
	})
	if err != nil {
		s.discardUnrecorded(ctx, p.ID, a.StorageKey)
		return awards.Attachment{}, err
	}
	return a, nil
}

// recordCheckTimeout bounds discardUnrecorded's look at the database,
// which may first wait for the failed upload's transaction to end.
const recordCheckTimeout = 10 * time.Second

// discardUnrecorded removes the stored bytes of an upload whose
// transaction failed, unless a row points to them after all: when the
// answer to COMMIT is lost (the request was cancelled, the connection
// dropped), the commit may still have gone through. The upload's
// transaction held the project's lock until it ended, so taking that lock
// first waits for its outcome. When the database cannot tell, the file
// stays: wasted space is better than an attachment whose bytes are gone.
func (s *Service) discardUnrecorded(ctx context.Context, projectID int64, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordCheckTimeout)
	defer cancel()
	var recorded bool
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM projects WHERE id = ? FOR UPDATE`, projectID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM attachments WHERE storage_key = ?)`, key).Scan(&recorded)
	})
	switch {
	case err != nil:
		s.logger.WarnContext(ctx, "stored file left behind", "storage_key", key, "error", fmt.Errorf("check for its row: %w", err))
	case recorded:
		s.logger.WarnContext(ctx, "upload recorded although its transaction reported an error", "storage_key", key)
	default:
		s.discard(ctx, key)
	}
}

func tooMany() error {
	return &awards.Error{Code: awards.EInvalid, Reason: awards.ReasonQuotaReached, Message: fmt.Sprintf("a project can have at most %d files", MaxPerProject),
		Fields: map[string]string{"file": "attachments.error.too_many"}}
}

// Get returns the attachment with public ID id and a reader of its bytes,
// which the caller must close. Those who may see the project's files
// only; ENotFound for everyone else.
func (s *Service) Get(ctx context.Context, actor *awards.Actor, id string) (awards.Attachment, io.ReadCloser, error) {
	if actor.Anonymous() {
		return awards.Attachment{}, nil, awards.Errorf(awards.EUnauthenticated, "log in to see the file")
	}
	a, err := getAttachment(ctx, s.db, id)
	if err != nil {
		return awards.Attachment{}, nil, err
	}
	if _, err := loadProject(ctx, s.db, actor, "p.id = ?1", a.ProjectID); err != nil {
		return awards.Attachment{}, nil, err
	}
	body, err := s.store.Open(ctx, a.StorageKey)
	if err != nil {
		return awards.Attachment{}, nil, fmt.Errorf("open attachment %s: %w", a.PublicID, err)
	}
	return a, body, nil
}

func getAttachment(ctx context.Context, db bun.IDB, id string) (awards.Attachment, error) {
	var a awards.Attachment
	if err := db.NewRaw(attachmentSelect+` WHERE a.public_id = ?`, id).Scan(ctx, &a); err != nil {
		return awards.Attachment{}, postgres.Map("get attachment", err)
	}
	return a, nil
}

// Delete removes the attachment with public ID id and returns the public
// ID of the project it belonged to. The row and its audit entry go in one
// transaction; the stored bytes are removed after it commits. Members of
// the owning organisation, until the project is frozen. Returns
// EUnauthenticated, ENotFound, EForbidden.
func (s *Service) Delete(ctx context.Context, actor *awards.Actor, id string) (string, error) {
	if actor.Anonymous() {
		return "", awards.Errorf(awards.EUnauthenticated, "log in to delete files")
	}
	var a awards.Attachment
	var projectID string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = getAttachment(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM projects WHERE id = ? FOR UPDATE`, a.ProjectID); err != nil {
			return postgres.Map("lock project", err)
		}
		p, err := loadProject(ctx, tx, actor, "p.id = ?1", a.ProjectID)
		if err != nil {
			return err
		}
		if err := mayChange(actor, p); err != nil {
			return err
		}
		projectID = p.PublicID
		res, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = ?`, a.ID)
		if err != nil {
			return postgres.Map("delete attachment", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return awards.Errorf(awards.ENotFound, "no such file")
		}
		return audit.Record(ctx, tx, actor.User.ID, "delete", "attachment", a.ID, auditView(a), nil)
	})
	if err != nil {
		return "", err
	}
	s.discard(ctx, a.StorageKey)
	return projectID, nil
}

// discard removes stored bytes no row points to. Failing that, the file
// is only wasted space: it is logged for clean-up, not reported.
func (s *Service) discard(ctx context.Context, key string) {
	if err := s.store.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.logger.WarnContext(ctx, "stored file left behind", "storage_key", key, "error", err)
	}
}

func auditView(a awards.Attachment) map[string]any {
	return map[string]any{"project_id": a.ProjectID, "public_id": a.PublicID, "filename": a.Filename,
		"content_type": a.ContentType, "size": a.Size, "sha256": a.SHA256, "alt_text": a.AltText, "storage_key": a.StorageKey}
}

// sniff returns the accepted content type of a file starting with head,
// or "" when it is none of them.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "image/webp"
	}
	switch ct := http.DetectContentType(head); ct {
	case "image/png", "image/jpeg":
		return ct
	}
	return ""
}

// cleanFilename makes the name a client sent safe to store and show: no
// folders (browsers on Windows may send the whole path), no control
// characters, NFC, at most maxFilename characters, and an extension that
// matches the content.
func cleanFilename(name, contentType string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, norm.NFC.String(strings.ToValidUTF8(name, "")))
	name = strings.TrimSpace(name)
	exts := extensions[contentType]
	ext := path.Ext(name)
	if !slices.Contains(exts, strings.ToLower(ext)) {
		ext = exts[0]
		name += ext
	}
	base := []rune(strings.TrimSuffix(name, ext))
	if len(base) == 0 {
		base = []rune("vedlegg")
	}
	if max := maxFilename - utf8.RuneCountInString(ext); len(base) > max {
		base = base[:max]
	}
	return string(base) + ext
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "attachments/" + hex.EncodeToString(b)
}

var errTooLarge = errors.New("file is larger than the limit")

// meter counts and hashes what is read through it, failing as soon as
// more than MaxSize bytes have passed so that the store aborts the write.
type meter struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (m *meter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.n += int64(n)
	m.h.Write(p[:n])
	if m.n > MaxSize {
		return n, errTooLarge
	}
	return n, err
}
