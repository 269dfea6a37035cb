#include <filesystem>
#include <fstream>
#include <ostream>

#include "agent/cli/common.h"
#include "agent/cli/demo_logs.h"
#include "agent/correlate/correlator.h"
#include "agent/pipeline/ingest.h"
#include "agent/timeline/timeline.h"
#include "core/timestamp.h"

namespace negoheal::cli {
namespace {

namespace fs = std::filesystem;

int run(const Args& args, Io& io) {
  const std::string date = args.get("--date").value_or("2026-11-24");
  auto day = parse_timestamp(date);
  if (!day || date.size() != 10) return fail(io, "--date: expected YYYY-MM-DD", k_exit_usage);
  const fs::path dir = args.get("--dir").value_or("negoheal-demo");
  std::error_code ec;
  fs::create_directories(dir / "logs", ec);
  if (ec) return fail(io, "cannot create " + (dir / "logs").string() + ": " + ec.message());
  std::vector<fs::path> inputs;
  for (const auto& f : demo_logs(date)) {
    const fs::path p = dir / "logs" / f.name;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << f.content;
    if (!out) return fail(io, "cannot write " + p.string());
    inputs.push_back(p);
  }
  const fs::path db = dir / "negoheal.db";
  fs::remove(db, ec);
  fs::remove(fs::path(db.string() + "-wal"), ec);
  fs::remove(fs::path(db.string() + "-shm"), ec);

  auto s = settings::default_settings();
  if (!s) return fail(io, s.error().message);
  auto store = store::Store::open(db);
  if (!store) return fail(io, store.error().message);
  auto correlator = pipeline::resume_correlator(**store, s->correlation);
  if (!correlator) return fail(io, correlator.error().message);
  SystemClock clock;
  pipeline::Ingest ingest(**store, **correlator, clock);
  pipeline::InputOptions opts;
  // The demo logs were "written" on --date, in UTC.
  opts.reference = *day + std::chrono::hours(23);
  opts.local_offset = std::chrono::seconds(0);
  for (const auto& p : inputs) {
    if (auto st = ingest.file(p, opts); !st) return fail(io, st.error().message);
  }
  const auto& st = ingest.stats();
  io.out << "negoheal demo: mode dry-run (the embedded default configuration), store " << db.string() << "\n"
         << "read " << st.files << " generated proxy logs from " << (dir / "logs").string() << ": " << st.events
         << " failure events, " << st.attempts << " failed attempts (" << st.unattributed << " unattributed), "
         << st.incidents_opened << " incidents\n\nINCIDENTS\n";
  auto t = timeline::build(**store, {});
  if (!t) return fail(io, t.error().message);
  timeline::render_incidents(t->incidents, io.out);
  io.out << "\nTIMELINE\n";
  timeline::render(*t, timeline::Format::table, io.out);
  io.out << "\nNothing was changed (dry-run). Explore further:\n  negoheal timeline --db " << db.string()
         << " --format jsonl\n  negoheal events --db " << db.string() << " --host srv-legacy01.corp.example\n";
  return k_exit_ok;
}

}  // namespace

Command demo_command() {
  return {{"demo",
           "demo [--dir DIR] [--date YYYY-MM-DD]",
           "Write demo proxy logs, replay them into a fresh SQLite store (dry-run), print incidents and\n"
           "the timeline. Uses the embedded default configuration.",
           {{"--dir", "", "DIR", "where logs and the store go (default ./negoheal-demo)"},
            {"--date", "", "YYYY-MM-DD", "date of the demo logs (default 2026-11-24)"}}},
          run};
}

}  // namespace negoheal::cli
