#include <ostream>

#include "agent/cli/common.h"

namespace negoheal::cli {
namespace {

int run(const Args& args, Io& io) {
  auto f = time_filter(args);
  if (!f) return fail(io, f.error().message, k_exit_usage);
  const auto db = args.get("--db");
  if (!db) return fail(io, "needs --db FILE", k_exit_usage);
  auto store = open_existing_store(*db);
  if (!store) return fail(io, store.error().message);
  store::EventFilter ef{f->host, f->since, f->until, std::nullopt};
  auto events = (*store)->events(ef);
  if (!events) return fail(io, events.error().message);
  for (const auto& e : *events)
    io.out << e.json << '\n';
  return k_exit_ok;
}

}  // namespace

Command events_command() {
  return {{"events",
           "events --db FILE [--host H] [--since T] [--until T]",
           "Print the stored events, one JSON object a line, as `parse` prints them.\n"
           "--host (unattributed) selects failures without a target.",
           {{"--db", "", "FILE", "SQLite store"},
            {"--host", "", "HOST", "only this target"},
            {"--since", "", "TIME", "ISO 8601 time or date"},
            {"--until", "", "TIME", "ISO 8601 time or date"}}},
          run};
}

}  // namespace negoheal::cli
