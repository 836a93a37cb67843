package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// URLs
	_ "gocloud.dev/blob/memblob"  // mem:// URLs, for tests
	_ "gocloud.dev/blob/s3blob"   // s3:// URLs
	"gocloud.dev/gcerrors"
)

// Store keeps files by key. Put either stores all of r or nothing: when r
// fails or ctx ends before the end, no object is left behind.
type Store interface {
	Put(ctx context.Context, key string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// ErrNotFound is returned (wrapped) by Open when no object has the key.
var ErrNotFound = errors.New("files: no such object")

// Timeouts for calls to the store: object stores are remote services, and
// a hanging call must not hold a request forever.
const (
	deleteTimeout = 30 * time.Second
	// readTimeout bounds a whole download, which a slow client may drag out.
	readTimeout = 10 * time.Minute
)

// putTimeout bounds a Put whose caller set no deadline of its own (a
// variable for the test of that).
var putTimeout = 2 * time.Minute

// Bucket is a Store over a gocloud.dev blob bucket.
type Bucket struct {
	b *blob.Bucket
}

// Open opens the store at rawURL:
//
//   - file:///var/lib/heder/files (or file://./files, relative to the
//     working folder): a folder on disk, created when missing. Partly
//     written files are kept beside their final place, not in the system's
//     temp folder, so that the final rename never crosses file systems.
//   - s3://bucket?region=eu-north-1&endpoint=https://s3.example.no&use_path_style=true:
//     an S3-compatible object store; credentials come from the usual AWS
//     environment variables or files.
//   - mem://: in memory, for tests only.
func Open(ctx context.Context, rawURL string) (*Bucket, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("files URL: %w", err)
	}
	if u.Scheme == "file" {
		q := u.Query()
		for k, v := range map[string]string{"create_dir": "true", "no_tmp_dir": "true", "metadata": "skip"} {
			if !q.Has(k) {
				q.Set(k, v)
			}
		}
		u.RawQuery = q.Encode()
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("open files store %s://%s: %w", u.Scheme, u.Host, err)
	}
	return &Bucket{b: b}, nil
}

// Close releases the bucket.
func (s *Bucket) Close() error { return s.b.Close() }

// Put stores all of r under key, or nothing. It takes at most putTimeout,
// unless ctx has a deadline of its own: a job that streams what it makes
// (an archive deposit) is bounded by its own timeout instead.
func (s *Bucket) Put(ctx context.Context, key string, r io.Reader) error {
	var cancel context.CancelFunc
	if _, ok := ctx.Deadline(); ok {
		ctx, cancel = context.WithCancel(ctx) // to abort the write
	} else {
		ctx, cancel = context.WithTimeout(ctx, putTimeout)
	}
	defer cancel()
	w, err := s.b.NewWriter(ctx, key, nil)
	if err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	if _, err := io.Copy(w, r); err != nil {
		// Cancelling before Close aborts the write: nothing is stored.
		cancel()
		_ = w.Close()
		return fmt.Errorf("store %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}

// Open returns a reader of the object at key; ErrNotFound when there is
// none. The caller must close it.
func (s *Bucket) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	r, err := s.b.NewReader(ctx, key, nil)
	if err != nil {
		cancel()
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, fmt.Errorf("open %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	return &reader{Reader: r, cancel: cancel}, nil
}

type reader struct {
	*blob.Reader
	cancel context.CancelFunc
}

func (r *reader) Close() error {
	defer r.cancel()
	return r.Reader.Close()
}

// Delete removes the object at key. Deleting a missing object is not an
// error, so that a retried clean-up succeeds.
func (s *Bucket) Delete(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, deleteTimeout)
	defer cancel()
	if err := s.b.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
