// Package nominations owns nominations and the projects linked to them:
// drafting a nomination for one or more organisations in an open cycle,
// linking new or earlier projects, the checklist and submission, withdrawal,
// and the admin's eligibility decision. Every rule about who may see or
// change a nomination is checked here (through internal/policy), and every
// deadline against the database's clock in the statement that writes, so
// the browser and the JSON API obey the same rules.
package nominations
