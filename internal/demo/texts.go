package demo

// The current year's call text in nynorsk and English, translated from
// callText (bokmål), so that the demo shows readers of both written forms
// their own. The published years keep their call text in bokmål only:
// their pages show it marked as bokmål.
const (
	callTextNN = "Kommunen sender inn éin nominasjon som viser innovasjonsarbeidet i kommunen, med inntil tre prosjekt. " +
		"Fortel kva utfordring arbeidet svarte på – ei brennande plattform, ein kjend floke med ukjend løysing eller behovet for å fornye seg – " +
		"og vis resultata i tal der de har dei. Juryen nominerer tre finalistar i april, og vinnaren vert kåra under Arendalskonferansen i juni. " +
		"Når vinnaren vert kunngjord, blir alle innsende nominasjonar publiserte, slik at andre kan lære av dei."
	callTextEN = "The municipality sends in one nomination that shows its innovation work, with up to three projects. " +
		"Tell us which challenge the work answered – a burning platform, a known tangle with an unknown solution, or the need to renew itself – " +
		"and show the results in figures where you have them. The jury nominates three finalists in April, and the winner is named at the Arendal conference in June. " +
		"When the winner is announced, all submitted nominations are published, so that others can learn from them."
)
