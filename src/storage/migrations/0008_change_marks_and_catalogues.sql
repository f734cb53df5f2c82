-- Change marks read by index: the matching index's mark for tags reads MAX(created_at) and MAX(revoked_at), both by index.
CREATE INDEX enterprise_tags_revoked ON enterprise_tags(revoked_at);

-- Scores are recomputed for enterprises whose yearly figures changed since a mark (CreditService::RescoreChangedFigures).
CREATE INDEX enterprise_figures_updated ON enterprise_figures(updated_at);

-- Recommendations are stored off the request path (src/matching/recommendation_log.hpp):
-- * blocks of ids are handed out ahead of the insert that uses them; next_id is the first id not yet handed out;
-- * a snapshot names the product catalogue it was answered from (every product's state hash) instead of listing
--   its products; a catalogue is stored once, whole (base NULL) or as its differences from the root `base`.

CREATE TABLE id_reservations (
    name TEXT PRIMARY KEY,
    next_id BIGINT NOT NULL
);

CREATE TABLE match_catalogues (
    hash TEXT PRIMARY KEY,
    base TEXT REFERENCES match_catalogues(hash),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
