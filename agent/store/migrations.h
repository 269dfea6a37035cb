#pragma once
// Schema migrations, oldest first. Migration N takes user_version N-1 to N. Never edit a shipped
// migration: add a new one.
#include <array>
#include <string_view>

namespace negoheal::store {

inline constexpr std::array<std::string_view, 3> k_migrations{
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
    // 2: where each tailed file was read up to. A row commits in the same transaction as the events
    // read up to its offset, so a crash never loses or doubles a line.
    R"sql(
CREATE TABLE checkpoints(
  source_id INTEGER PRIMARY KEY REFERENCES sources(id),
  path TEXT NOT NULL,              -- where the file was last seen
  device INTEGER NOT NULL,         -- st_dev / volume serial number (bit pattern of a uint64)
  file_index INTEGER NOT NULL,     -- st_ino / file index
  offset INTEGER NOT NULL,         -- next byte to read: the start of the first line not yet read
  head_len INTEGER NOT NULL,       -- the file's first head_len bytes hash to head_hash
  head_hash TEXT NOT NULL,
  marker_len INTEGER NOT NULL,     -- the marker_len bytes just before offset hash to marker_hash
  marker_hash TEXT NOT NULL,
  encoding TEXT NOT NULL,          -- utf-8 | utf-16le
  skipping INTEGER NOT NULL DEFAULT 0,  -- 1: inside the cut remainder of an over-long line
  state TEXT NOT NULL,             -- active | rotated (drained, let go)
  updated_at INTEGER NOT NULL);
CREATE INDEX checkpoints_file ON checkpoints(device, file_index);
)sql",
    // 3: every negotiation probe the agent ran or reused, with the raw answers (each probe is
    // logged on the target, so the record is how spacing is enforced across restarts).
    R"sql(
CREATE TABLE probes(
  id INTEGER PRIMARY KEY,
  incident_id INTEGER REFERENCES incidents(id),  -- NULL: a probe not run for an incident
  target TEXT NOT NULL,            -- normalized host
  port INTEGER NOT NULL,
  at INTEGER NOT NULL,             -- microseconds since the Unix epoch, UTC: when it started
  elapsed_ms INTEGER NOT NULL,
  posture TEXT NOT NULL,           -- rdp-only | negotiate | ... (ARCHITECTURE 4.3)
  explains INTEGER NOT NULL,       -- 1: the posture explains ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED
  note TEXT NOT NULL DEFAULT '',   -- why the posture is a best guess, or the probe's error
  result_json TEXT NOT NULL,       -- the ARCHITECTURE 4.3 JSON, raw answers included
  cause TEXT NOT NULL,             -- why it ran: incident opened, reused probe #N, ...
  reused_from INTEGER REFERENCES probes(id));  -- set: no packet was sent, probe #reused_from was recent
CREATE INDEX probes_target_at ON probes(target, at);
CREATE INDEX probes_incident ON probes(incident_id);
)sql",
};

}  // namespace negoheal::store
