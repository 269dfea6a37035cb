#include <ostream>

#include "agent/cli/common.h"
#include "agent/timeline/timeline.h"

namespace negoheal::cli {
namespace {

int run(const Args& args, Io& io) {
  auto f = time_filter(args);
  if (!f) return fail(io, f.error().message, k_exit_usage);
  const std::string format_name = args.get("--format").value_or("table");
  auto format = timeline::parse_format(format_name);
  if (!format)
    return fail(io, "--format: unknown format '" + format_name + "' (expected table, jsonl or csv)", k_exit_usage);
  const auto db = args.get("--db");
  if (!db) return fail(io, "needs --db FILE", k_exit_usage);
  auto store = open_existing_store(*db);
  if (!store) return fail(io, store.error().message);
  auto t = timeline::build(**store, {f->host, f->since, f->until});
  if (!t) return fail(io, t.error().message);
  if (*format == timeline::Format::table) {
    timeline::render_incidents(t->incidents, io.out);
    io.out << "\n";
  }
  timeline::render(*t, *format, io.out);
  return k_exit_ok;
}

}  // namespace

Command timeline_command() {
  return {{"timeline",
           "timeline --db FILE [--host H] [--since T] [--until T] [--format table|jsonl|csv]",
           "Print the events, probes and transitions of the selected incidents in time order.",
           {{"--db", "", "FILE", "SQLite store"},
            {"--host", "", "HOST", "only this target ((unattributed) for failures without one)"},
            {"--since", "", "TIME", "ISO 8601 time or date"},
            {"--until", "", "TIME", "ISO 8601 time or date"},
            {"--format", "", "FORMAT", "table (default), jsonl or csv"}}},
          run};
}

}  // namespace negoheal::cli
