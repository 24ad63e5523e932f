-- Word pairs for phrase search. A phrase of common words ("please help") is found by GIN as
-- every ticket holding both words (most of them), and PostgreSQL must then read each document
-- to check the word positions. `phrase_pairs` holds each ticket's adjacent word pairs as
-- lexemes without positions ('please help'), GIN-indexed, so a phrase's pairs narrow the
-- candidates to the tickets that really contain them; the positional check then runs on those
-- few. (Elasticsearch's `index_phrases` does the same with two-word shingles.)
--
-- Pairs never cross two indexed parts (title, an article's subject, sender or body), and are
-- taken from the agents' document: a customer's document holds a subset of those words, so
-- the agents' pairs are a necessary condition for both audiences.
ALTER TABLE search_tickets ADD COLUMN phrase_pairs tsvector;

-- The adjacent word pairs of one text, as a tsvector of 'first second' lexemes.
CREATE FUNCTION vakt_word_pairs(config regconfig, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH w AS (SELECT t.lexeme, p.pos FROM unnest(to_tsvector(config, body)) t, unnest(t.positions) AS p(pos))
    SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), ''::tsvector)
    FROM w a JOIN w b ON b.pos = a.pos + 1
$$;

-- The pairs of a phrase as a tsquery that all of them must match; NULL when the phrase has no
-- two adjacent words (one word, or words split by stop words).
CREATE FUNCTION vakt_phrase_pairs(config regconfig, phrase text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH w AS (SELECT t.lexeme, p.pos FROM unnest(to_tsvector(config, phrase)) t, unnest(t.positions) AS p(pos))
    SELECT string_agg(DISTINCT '''' || replace(replace(a.lexeme || ' ' || b.lexeme, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
    FROM w a JOIN w b ON b.pos = a.pos + 1
$$;

-- `more` pairs added to a ticket's `old` ones. NULL stays NULL (not computed yet: the backfill
-- computes the whole ticket). A ticket with more than 40,000 pairs (PostgreSQL limits a
-- tsvector to 1 MB) keeps only the marker '(overflow)', which every phrase query accepts:
-- such a ticket is always a candidate, and its word positions decide.
CREATE FUNCTION vakt_add_pairs(old tsvector, more tsvector) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF old IS NULL THEN
        RETURN NULL;
    ELSIF old @@ '''(overflow)'''::tsquery THEN
        RETURN old;
    ELSIF length(old) + length(COALESCE(more, '')) > 40000 THEN
        RETURN array_to_tsvector(ARRAY['(overflow)']);
    END IF;
    RETURN old || COALESCE(more, '');
END
$$;

CREATE INDEX search_tickets_pairs ON search_tickets USING gin (phrase_pairs);

-- Existing documents get their pairs from the `search_phrase_pairs` job, in batches, while
-- the server runs; until it has finished, phrases are searched without them. An empty index
-- has nothing to fill.
INSERT INTO settings (key, value, updated_at)
SELECT 'search_phrase_pairs', 'complete', now() AT TIME ZONE 'UTC'
WHERE NOT EXISTS (SELECT 1 FROM search_tickets)
ON CONFLICT (key) DO NOTHING;
