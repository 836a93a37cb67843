package policy

import (
	"testing"

	"github.com/heder-awards/heder/internal/awards"
)

func TestScoringRules(t *testing.T) {
	t.Parallel()
	anon := &awards.Actor{}
	person := &awards.Actor{User: awards.User{ID: 2}}
	admin := &awards.Actor{User: awards.User{ID: 1, IsAdmin: true}}
	juror := JuryFacts{InJury: true, Seated: true, Declared: true, Assigned: true}
	submitted := juror
	submitted.Submitted = true
	undeclared := juror
	undeclared.Declared = false
	conflicted := JuryFacts{InJury: true, Seated: true, Declared: true, Conflicted: true}
	unassigned := JuryFacts{InJury: true, Seated: true, Declared: true}
	chairUnassigned := unassigned
	chairUnassigned.Chair = true
	chairScoring := juror
	chairScoring.Chair = true
	chairConflicted := conflicted
	chairConflicted.Chair = true
	chairUndeclared := JuryFacts{InJury: true, Seated: true, Chair: true}
	draftNomination := JuryFacts{Seated: true, Declared: true, Chair: true}
	outsider := JuryFacts{InJury: true}

	tests := []struct {
		name                     string
		actor                    *awards.Actor
		f                        JuryFacts
		score, see, post, reopen bool
	}{
		{"anonymous", anon, outsider, false, false, false, false},
		{"not seated", person, outsider, false, false, false, false},
		{"juror before submitting", person, juror, true, false, false, false},
		{"juror after submitting", person, submitted, true, true, true, false},
		{"undeclared juror", person, undeclared, false, false, false, false},
		{"conflicted juror", person, conflicted, false, false, false, false},
		{"unassigned juror", person, unassigned, false, false, false, false},
		{"chair, unassigned", person, chairUnassigned, false, true, true, true},
		{"chair scoring, not submitted", person, chairScoring, true, false, false, true},
		{"chair conflicted", person, chairConflicted, false, false, false, false},
		{"chair undeclared", person, chairUndeclared, false, false, false, false},
		{"chair, nomination not in the jury's hands", person, draftNomination, false, false, false, false},
		{"admin, not seated", admin, outsider, false, true, false, true},
		{"admin seated and conflicted", admin, conflicted, false, false, false, false},
		{"admin seated, scoring, not submitted", admin, juror, true, false, false, true},
	}
	for _, tt := range tests {
		if got := CanScore(tt.f); got != tt.score {
			t.Errorf("%s: CanScore = %v, want %v", tt.name, got, tt.score)
		}
		if got := CanSeeJuryWork(tt.actor, tt.f); got != tt.see {
			t.Errorf("%s: CanSeeJuryWork = %v, want %v", tt.name, got, tt.see)
		}
		if got := CanPostJuryComment(tt.actor, tt.f); got != tt.post {
			t.Errorf("%s: CanPostJuryComment = %v, want %v", tt.name, got, tt.post)
		}
		if got := CanReopenScores(tt.actor, tt.f); got != tt.reopen {
			t.Errorf("%s: CanReopenScores = %v, want %v", tt.name, got, tt.reopen)
		}
		wantProgress := tt.actor.User.IsAdmin || tt.f.Chair && tt.f.Declared
		if tt.actor.Anonymous() {
			wantProgress = false
		}
		if got := CanSeeProgress(tt.actor, 0, tt.f.Chair, tt.f.Declared); got != wantProgress {
			t.Errorf("%s: CanSeeProgress = %v, want %v", tt.name, got, wantProgress)
		}
	}
}
