package awards

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heder-awards/heder/internal/i18n"
)

// TestFieldCodes: every error message of the catalog, and "form.required",
// may stand in Error.Fields, so each needs a machine code in fieldCodes;
// and no code stays behind for a message that is gone.
func TestFieldCodes(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := b.IDs(i18n.Default)
	inCatalog := map[string]bool{}
	for _, id := range ids {
		inCatalog[id] = true
		// error.* are the error pages' own texts, not field messages.
		if id == "form.required" || strings.Contains(id, ".error.") && !strings.HasPrefix(id, "error.") {
			if _, ok := fieldCodes[id]; !ok {
				t.Errorf("message %s has no machine code: add it to fieldCodes in internal/awards/codes.go", id)
			}
		}
	}
	code := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	for key, c := range fieldCodes {
		if !inCatalog[key] {
			t.Errorf("fieldCodes has %s, which is no message of the catalog", key)
		}
		if !code.MatchString(c) {
			t.Errorf("%s: code %q is not lower_snake_case", key, c)
		}
	}
}

func TestCodes(t *testing.T) {
	codes := Codes()
	for _, want := range []string{"required", "too_long", ReasonDeadlinePassed, ReasonStaleVersion, ReasonQuotaReached, ENotFound, EForbidden} {
		if !slices.Contains(codes, want) {
			t.Errorf("Codes() lacks %s: %v", want, codes)
		}
	}
	if !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != len(codes) {
		t.Errorf("Codes() is not sorted and unique: %v", codes)
	}
	if got := FieldCode("no.such.key"); got != EInvalid {
		t.Errorf("FieldCode of an unknown key = %q, want %q", got, EInvalid)
	}
}

func TestErrorReason(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&Error{Code: EConflict, Reason: ReasonDeadlinePassed}, ReasonDeadlinePassed},
		{fmt.Errorf("save: %w", &Error{Code: EConflict, Reason: ReasonStaleVersion}), ReasonStaleVersion},
		{Errorf(ENotFound, "not found"), ENotFound},
		{Invalid(map[string]string{"title": "form.required"}), EInvalid},
		{errors.New("boom"), EInternal},
	} {
		if got := ErrorReason(tc.err); got != tc.want {
			t.Errorf("ErrorReason(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// TestErrorTime: times in error messages are Oslo's, with the offset of
// the day (winter and summer time), never UTC's Z.
func TestErrorTime(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2027, 3, 1, 22, 59, 0, 0, time.UTC):  "2027-03-01T23:59:00+01:00",
		time.Date(2027, 6, 15, 10, 0, 0, 0, time.UTC):  "2027-06-15T12:00:00+02:00",
		time.Date(2027, 12, 31, 23, 0, 0, 0, time.UTC): "2028-01-01T00:00:00+01:00",
	} {
		if got := ErrorTime(in); got != want {
			t.Errorf("ErrorTime(%v) = %s, want %s", in, got, want)
		}
	}
}
