-- Up Migration
-- An official's decisions since a moment (the web page's "done today"), found without reading
-- every decision of the province.
CREATE INDEX decisions_actor ON decisions (actor, decided_at);

-- Down Migration
DROP INDEX decisions_actor;
