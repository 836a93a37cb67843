package auth

import (
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/google/go-cmp/cmp"
)

// TestSessionCodec: every type Heder puts in a session reads back as that
// type; a session stored with gob, scs's default, before is still read;
// a type the codec does not know is refused when stored, not lost.
func TestSessionCodec(t *testing.T) {
	t.Parallel()
	deadline := time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC)
	values := map[string]any{
		keyUserID: int64(42), keySeen: int64(1796731200), keyProvider: "idporten", keyIDToken: "eyJ.x.y", "flash": "saved",
		keyPending: pending{State: "s", Nonce: "n", Verifier: "v", Provider: "dev", Next: "/jury", Started: deadline.Add(-time.Minute)},
	}
	var c sessionCodec
	b, err := c.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := c.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) {
		t.Errorf("deadline %v, want %v", gotDeadline, deadline)
	}
	if diff := cmp.Diff(values, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}

	old, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	_, got, err = c.Decode(old)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(values, got); diff != "" {
		t.Errorf("a gob session's values (-want +got):\n%s", diff)
	}

	if _, err := c.Encode(deadline, map[string]any{"count": 3}); err == nil {
		t.Error("an int (not int64) was stored")
	}
}
