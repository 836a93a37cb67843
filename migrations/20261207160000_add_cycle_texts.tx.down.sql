ALTER TABLE cycles
    DROP COLUMN description_nn,
    DROP COLUMN description_en,
    DROP COLUMN call_text_nn,
    DROP COLUMN call_text_en;
