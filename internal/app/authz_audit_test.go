package app_test

func init() {
	authzAreas = append(authzAreas, authzArea{name: "audit",
		rows: func(*fixture) map[string]authzCase {
			// Only site admins read the log: it holds every change with
			// e-mail addresses and other personal data. The page sends
			// anonymous readers to log in.
			return map[string]authzCase{
				"GET /admin/logg": {"/admin/logg?action=update&from=2020-01-01", "",
					[8]int{see, forbid, forbid, forbid, forbid, ok, ok, ok}},
				"GET /api/v1/audit": {"/api/v1/audit?actor=system", "",
					[8]int{unauth, forbid, forbid, forbid, forbid, ok, ok, ok}},
				"GET /api/v1/audit.csv": {"/api/v1/audit.csv?action=create", "",
					[8]int{unauth, forbid, forbid, forbid, forbid, ok, ok, ok}},
			}
		}})
}
