-- The public archive's load test data: 20 awards × 10 published years ×
-- 100 public nominations × 3 projects (20,000 nominations, 60,000 projects,
-- 120,000 measured results), on top of `heder dev`'s municipalities and demo
-- data. Each year has a winner with a statement, two finalists and an
-- honourable mention, announced in the past, and publishes every
-- application. Run once on a fresh database (it takes some seconds).
BEGIN;

CREATE TEMP TABLE seed_words (i int PRIMARY KEY, word text, phrase text);
INSERT INTO seed_words VALUES
    (0, 'svømmehall', 'et energieffektivt svømmeanlegg med solceller og energibrønner'),
    (1, 'velferdslab', 'en velferdslab der innbyggeren og tjenestene møtes rundt samme bord'),
    (2, 'medvirkning', 'nye former for medvirkning og samskaping i nærmiljøet'),
    (3, 'digitalisering', 'digitale innbyggertjenester som sparer tid for alle'),
    (4, 'omsorg', 'velferdsteknologi i omsorgstjenestene og hjemmetjenesten'),
    (5, 'skole', 'en skole der elevene lærer gjennom prosjekter i lokalsamfunnet'),
    (6, 'klima', 'klimatiltak i kommunens bygg og transport'),
    (7, 'boliger', 'boligsosialt arbeid som har gitt flere egen bolig'),
    (8, 'næringsliv', 'samarbeid med næringslivet om nye arbeidsplasser'),
    (9, 'frivillighet', 'frivillige lag og foreninger som driver aktiviteter sammen med kommunen');

CREATE TEMP TABLE seed_orgs AS
SELECT id, name, row_number() OVER (ORDER BY number) - 1 AS i, count(*) OVER () AS n
FROM organisations WHERE kind = 'municipality' AND valid_to IS NULL;

INSERT INTO awards (slug, name_nb, name_nn, name_en, description, description_nn, description_en)
SELECT 'lastpris-' || a, 'Lastprisen ' || a, 'Lastprisen ' || a, 'Load award ' || a,
    'Lastprisen ' || a || ' går til kommuner som fornyer tjenestene sine sammen med innbyggerne.',
    'Lastprisen ' || a || ' går til kommunar som fornyar tenestene sine saman med innbyggjarane.',
    'Load award ' || a || ' goes to municipalities that renew their services together with their residents.'
FROM generate_series(1, 20) a;

INSERT INTO cycles (award_id, year, title, phase, publish_all, description, call_text,
    call_opens_at, nomination_deadline, scoring_deadline, announcement_at)
SELECT aw.id, 2010 + y, aw.name_nb || ' ' || (2010 + y), 'published', true,
    aw.name_nb || ' ' || (2010 + y) || ' ble delt ut i juni.',
    'Kommunene sender inn én nominasjon med inntil tre prosjekter. Vis resultatene i tall der dere har dem.',
    make_timestamptz(2010 + y, 1, 10, 9, 0, 0, 'Europe/Oslo'), make_timestamptz(2010 + y, 3, 1, 23, 59, 0, 'Europe/Oslo'),
    make_timestamptz(2010 + y, 4, 20, 16, 0, 0, 'Europe/Oslo'), make_timestamptz(2010 + y, 6, 15, 12, 0, 0, 'Europe/Oslo')
FROM awards aw, generate_series(1, 10) y WHERE aw.slug LIKE 'lastpris-%';

CREATE TEMP TABLE seed_cycles AS
SELECT c.id, c.year FROM cycles c JOIN awards a ON a.id = c.award_id WHERE a.slug LIKE 'lastpris-%';

INSERT INTO criteria (cycle_id, name_nb, name_nn, name_en, help_nb, position)
SELECT c.id, k.nb, k.nn, k.en, 'Juryen spør: ' || lower(k.nb) || '?', k.p
FROM seed_cycles c, (VALUES (1, 'Nytt', 'Nytt', 'New'), (2, 'Tatt i bruk', 'Teke i bruk', 'In use'), (3, 'Skapt verdi', 'Skapt verdi', 'Created value'),
    (4, 'Endret arbeidsmåter', 'Endra arbeidsmåtar', 'Changed ways of working'), (5, 'Overføringsverdi', 'Overføringsverdi', 'Can spread')) k(p, nb, nn, en);

-- 100 nominations a year, each by another municipality; ids follow k.
INSERT INTO nominations (cycle_id, title, summary, challenge, contact_name, contact_email, status, submitted_at)
SELECT c.id, o.name || ' kommune – ' || w.word || ' ' || c.year,
    o.name || ' kommune har arbeidet systematisk med ' || w.phrase || '. Arbeidet er tatt i bruk, har skapt verdi for innbyggerne ' ||
        'og endret måten kommunen jobber på. Andre kommuner kan lære av erfaringene, og kommunen deler dem gjerne.',
    (ARRAY['burning_platform', 'known_tangle', 'renewal', 'other'])[1 + (k % 4)],
    'Kontakt ' || k, 'kontakt' || k || '@example.org', 'submitted', make_timestamptz(c.year, 2, 20, 12, 0, 0, 'Europe/Oslo')
FROM seed_cycles c CROSS JOIN generate_series(0, 99) k
JOIN seed_orgs o ON o.i = (k + c.id * 7) % o.n
JOIN seed_words w ON w.i = (k + c.id) % 10
ORDER BY c.id, k;

CREATE TEMP TABLE seed_noms AS
SELECT n.id, n.cycle_id, row_number() OVER (PARTITION BY n.cycle_id ORDER BY n.id) - 1 AS k
FROM nominations n JOIN seed_cycles c ON c.id = n.cycle_id;

INSERT INTO nomination_organisations (nomination_id, organisation_id)
SELECT s.id, o.id FROM seed_noms s JOIN seed_orgs o ON o.i = (s.k + s.cycle_id * 7) % o.n;

-- Three projects per nomination; links[1] says which nomination and place.
INSERT INTO projects (organisation_id, title, description, results, partners, period_start, links)
SELECT x.organisation_id, initcap(w.word) || ' i ' || o.name || ', del ' || p,
    'Prosjektet handler om ' || w.phrase || '. Ansatte, innbyggere og samarbeidspartnere har sammen prøvd ut nye løsninger, ' ||
        'målt effekten og tatt det som virket i bruk i hele kommunen.',
    'Etter to år deltar ' || (100 + s.k * 3 + p) || ' innbyggere, og ventetiden er redusert med ' || (10 + p * 5) || ' prosent.',
    'Frivillige, næringslivet og nabokommunene', make_date((2008 + s.k % 5)::int, 1 + p, 1),
    ARRAY['https://lasttest.example.org/nominasjon/' || s.id || '/' || p]
FROM seed_noms s JOIN nomination_organisations x ON x.nomination_id = s.id JOIN seed_orgs o ON o.id = x.organisation_id
CROSS JOIN generate_series(1, 3) p JOIN seed_words w ON w.i = (s.k + p) % 10
ORDER BY s.id, p;

INSERT INTO nomination_projects (nomination_id, project_id, position)
SELECT split_part(links[1], '/', 5)::bigint, id, split_part(links[1], '/', 6)::int
FROM projects WHERE links[1] LIKE 'https://lasttest.example.org/nominasjon/%';

INSERT INTO project_results (project_id, label, value, unit, position)
SELECT np.project_id, m.label, m.value, m.unit, m.pos
FROM nomination_projects np JOIN seed_noms s ON s.id = np.nomination_id,
    LATERAL (VALUES ('deltakere', 100 + s.k * 3 + np.position, '', 0), ('kortere ventetid', 10 + np.position * 5, 'prosent', 1)) m(label, value, unit, pos);

INSERT INTO decisions (nomination_id, cycle_id, outcome, statement_nb, statement_nn, statement_en, decided_at)
SELECT s.id, s.cycle_id, (ARRAY['winner', 'finalist', 'finalist', 'honourable_mention'])[s.k + 1],
    CASE WHEN s.k IN (0, 3) THEN 'Juryen trekker fram et helhetlig og systematisk arbeid som andre kommuner kan lære av.' ELSE '' END,
    CASE WHEN s.k IN (0, 3) THEN 'Juryen trekkjer fram eit heilskapleg og systematisk arbeid som andre kommunar kan lære av.' ELSE '' END,
    CASE WHEN s.k IN (0, 3) THEN 'The jury highlights holistic, systematic work that other municipalities can learn from.' ELSE '' END,
    make_timestamptz(c.year, 4, 20, 16, 0, 0, 'Europe/Oslo')
FROM seed_noms s JOIN seed_cycles c ON c.id = s.cycle_id WHERE s.k < 4;

INSERT INTO announcements (cycle_id, kind, publish_at)
SELECT c.id, k.kind, make_timestamptz(c.year, k.month, k.day, 12, 0, 0, 'Europe/Oslo')
FROM seed_cycles c, (VALUES ('finalists', 4, 26), ('winners', 6, 15)) k(kind, month, day);

COMMIT;
ANALYZE;
