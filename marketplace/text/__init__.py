"""Text analysis shared by indexing, search and matching: one way to turn bilingual text
into terms. Chinese is segmented with jieba; English is left to PostgreSQL's ``english``
configuration (stemming) or, outside PostgreSQL, lower-cased. No models live here."""
