package jury

import (
	"context"
	"fmt"

	"github.com/heder-awards/heder/internal/postgres"
	"github.com/uptrace/bun"
)

// CanReadNomination reports whether user userID may read nomination
// nominationID (its text, projects and attachments) as a juror: they hold
// a seat on its cycle's jury that is not removed, they have declared
// their conflicts, including about every nominee organisation of this
// nomination, and the view juror_nominations gives them the nomination —
// which it never does for a juror who is conflicted, by declaration or by
// membership of a nominee organisation. Jurors only read; what else
// anyone may do is policy's rule.
//
// The nominations and attachments services ask it when the ordinary rule
// (policy.CanSeeNomination) says no, so the browser and the API agree.
func CanReadNomination(ctx context.Context, db bun.IDB, userID, nominationID int64) (bool, error) {
	if userID == 0 || nominationID == 0 {
		return false, nil
	}
	var ok bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM juror_visible_nominations WHERE user_id = ? AND nomination_id = ?)`,
		userID, nominationID).Scan(ctx, &ok)
	if err != nil {
		return false, postgres.Map(fmt.Sprintf("juror access to nomination %d", nominationID), err)
	}
	return ok, nil
}

// CanReadProject reports whether user userID may read project projectID
// and its attachments as a juror: the project is linked to a nomination
// they may read (CanReadNomination).
func CanReadProject(ctx context.Context, db bun.IDB, userID, projectID int64) (bool, error) {
	if userID == 0 || projectID == 0 {
		return false, nil
	}
	var ok bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM juror_visible_nominations v
		JOIN nomination_projects np ON np.nomination_id = v.nomination_id
		WHERE v.user_id = ? AND np.project_id = ?)`, userID, projectID).Scan(ctx, &ok)
	if err != nil {
		return false, postgres.Map(fmt.Sprintf("juror access to project %d", projectID), err)
	}
	return ok, nil
}
