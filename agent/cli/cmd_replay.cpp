#include <ostream>

#include "agent/cli/common.h"
#include "agent/cli/input_options.h"
#include "agent/correlate/correlator.h"
#include "agent/pipeline/ingest.h"
#include "agent/timeline/timeline.h"

namespace negoheal::cli {
namespace {

int run(const Args& args, Io& io) {
  auto s = load_settings_arg(args);
  if (!s) return fail(io, s.error().message);
  auto opts = input_options(args, *s, io);
  if (!opts) return fail(io, opts.error().message, k_exit_usage);
  const auto db_path = args.get("--db");
  if (!db_path) return fail(io, "replay needs --db FILE", k_exit_usage);
  if (args.has("--act")) {
    io.err << "negoheal: --act: this version has no remediation actions yet; nothing will be executed\n";
  }
  auto store = store::Store::open(*db_path);
  if (!store) return fail(io, store.error().message);
  auto correlator = pipeline::resume_correlator(**store, s->correlation);
  if (!correlator) return fail(io, correlator.error().message);
  SystemClock clock;
  pipeline::Ingest ingest(**store, **correlator, clock);
  int rc = k_exit_ok;
  for (const auto& input : args.positional()) {
    if (auto st = ingest.file(input, *opts); !st) {
      io.err << "negoheal: " << st.error().message << "\n";
      rc = k_exit_failure;
    }
  }
  const auto& st = ingest.stats();
  io.out << "replayed " << st.files << " file(s), " << st.bytes << " bytes: " << st.events << " events ("
         << st.new_events << " new, " << st.known_events << " already stored), " << st.attempts << " failed attempts ("
         << st.unattributed << " unattributed, " << st.duplicates << " duplicate lines), " << st.incidents_opened
         << " incident(s) opened\n";
  if (!args.has("--quiet")) {
    auto incidents = (*store)->incidents({});
    if (!incidents) return fail(io, incidents.error().message);
    io.out << "\n";
    timeline::render_incidents(*incidents, io.out);
  }
  return rc;
}

}  // namespace

Command replay_command() {
  return {{"replay",
           "replay [-c FILE] --db FILE [--act] [--format FORMAT] [--date YYYY-MM-DD] INPUT...",
           "Run log files through the whole pipeline offline: store events, open incidents.\n"
           "Replaying a file again stores nothing twice. No action is executed unless --act.",
           {k_config_option,
            {"--db", "", "FILE", "SQLite store (created if missing)"},
            {"--act", "", "", "execute remediation actions (per the configured mode)"},
            {"--quiet", "-q", "", "print only the summary line"},
            k_format_option,
            k_date_option},
           "INPUT...",
           1,
           0},
          run};
}

}  // namespace negoheal::cli
