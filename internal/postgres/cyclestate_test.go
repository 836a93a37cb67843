package postgres_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// selectFromCycles is a query's select list up to the cycles table as
// the row it reads (FROM, not JOIN: a nomination read with its cycle's
// title is no load of the cycle's state).
var selectFromCycles = regexp.MustCompile(`(?is)\bSELECT\b(.*?)\bFROM\s+cycles\b`)

// cycleStateColumn names what cycles.State holds: the phase, the dates,
// the call's limits and what is open now.
var cycleStateColumn = regexp.MustCompile(`(?i)\b(phase|call_opens_at|nomination_deadline|scoring_deadline|announcement_at|` +
	`publish_all|max_projects|max_nominations_per_org|eligible_kinds|reminder_days)\b|\b(nominations_open|scoring_open)\s*\(`)

var sqlText = regexp.MustCompile(`'[^']*'`)

// TestCycleStateOwner: a cycle's state has one owner. Outside
// internal/cycles, no query selects the state of a cycle from its row:
// packages load it with cycles.StateByID or StateByPublicID, or select
// cycles.StateColumns from cycles.StateFrom in a query of their own. A
// query is a string literal or a chain of them joined with + (other
// operands, such as cycles.StateColumns, are left out); it fails when its
// select list before FROM cycles names a state column. Conditions after
// FROM, such as a write guarded by nominations_open(c), and cycles joined
// to other rows are not loads of the state. internal/demo writes made-up
// data and is left out.
func TestCycleStateOwner(t *testing.T) {
	t.Parallel()
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == filepath.Join("..", "cycles") || path == filepath.Join("..", "demo")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var q string
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op != token.ADD {
					return true
				}
				q = concatenated(n)
			case *ast.BasicLit:
				q = literal(n)
			default:
				return true
			}
			for _, m := range selectFromCycles.FindAllStringSubmatch(q, -1) {
				found++
				if c := cycleStateColumn.FindString(sqlText.ReplaceAllString(m[1], "''")); c != "" {
					t.Errorf("%s selects %q from a cycle's row: load cycles.State (StateByID, StateByPublicID or StateColumns) instead\n%s",
						path, c, strings.Join(strings.Fields(m[0]), " "))
				}
			}
			return false
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 10 {
		t.Errorf("found %d queries reading FROM cycles: is the walk looking in the right place?", found)
	}
}

// concatenated is a chain of + as one text, its literals in place and
// every other operand as a space.
func concatenated(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return concatenated(e.X) + concatenated(e.Y)
		}
	case *ast.BasicLit:
		return literal(e)
	case *ast.ParenExpr:
		return concatenated(e.X)
	}
	return " "
}

func literal(l *ast.BasicLit) string {
	if l.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(l.Value)
	if err != nil {
		return ""
	}
	return s
}
