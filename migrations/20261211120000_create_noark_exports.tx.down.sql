DROP TABLE noark_exports;
