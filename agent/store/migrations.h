#pragma once
// Schema migrations, oldest first. Migration N takes user_version N-1 to N. Never edit a shipped
// migration: add a new one.
#include <array>
#include <string_view>

namespace negoheal::store {

inline constexpr std::array<std::string_view, 1> k_migrations{
    R"sql(
CREATE TABLE sources(
  id INTEGER PRIMARY KEY,
  identity TEXT NOT NULL UNIQUE,   -- content fingerprint of the input (see agent/sources)
  path TEXT NOT NULL,              -- where it was first seen
  first_seen INTEGER NOT NULL);
CREATE TABLE incidents(
  id INTEGER PRIMARY KEY,
  target TEXT,                     -- normalized host; NULL: unattributed failures
  port INTEGER,
  state TEXT NOT NULL,
  opened_at INTEGER NOT NULL,      -- microseconds since the Unix epoch, UTC
  updated_at INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  failures INTEGER NOT NULL);
CREATE INDEX incidents_target ON incidents(target);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  offset INTEGER NOT NULL,         -- byte offset of the line / record in the source
  ts INTEGER,
  host TEXT,
  code TEXT NOT NULL,
  computer TEXT,
  channel TEXT,
  record_id INTEGER,
  incident_id INTEGER REFERENCES incidents(id),
  attempt INTEGER NOT NULL DEFAULT 1,  -- 0: a further line of an attempt already counted
  json TEXT NOT NULL,
  UNIQUE(source_id, offset));
CREATE INDEX events_host_ts ON events(host, ts);
CREATE INDEX events_incident ON events(incident_id);
CREATE TABLE transitions(
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  at INTEGER NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  cause TEXT NOT NULL,
  event_id INTEGER REFERENCES events(id));
CREATE INDEX transitions_incident ON transitions(incident_id);
)sql",
};

}  // namespace negoheal::store
