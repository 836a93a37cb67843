-- A cycle's description and call text in both written forms (språklova)
-- and optionally in English. The existing columns stay the bokmål
-- version; a missing version falls back to it when shown.
ALTER TABLE cycles
    ADD COLUMN description_nn text NOT NULL DEFAULT '',
    ADD COLUMN description_en text NOT NULL DEFAULT '',
    ADD COLUMN call_text_nn text NOT NULL DEFAULT '',
    ADD COLUMN call_text_en text NOT NULL DEFAULT '';
