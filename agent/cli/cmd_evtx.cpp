// `negoheal evtx dump FILE`: every record of an .evtx file, as event XML or normalized events.
#include <fstream>
#include <ostream>

#include "agent/cli/common.h"
#include "parsers/evtx/to_event.h"

namespace negoheal::cli {
namespace {

namespace evtx = parsers::evtx;

const OptionSpec k_evtx_format_option{"--format", "", "FORMAT", "xml|jsonl (default xml)"};
const OptionSpec k_recover_option{"--recover", "", "",
                                  "also read chunks with a zeroed signature and records left in slack space"};

// One read of the whole file: a stringstream would copy it twice while growing.
Result<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return make_error("cannot open " + path);
  const auto size = in.tellg();
  if (size < 0) return make_error("cannot read " + path);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return make_error("cannot read " + path);
  return bytes;
}

int run(const Args& args, Io& io) {
  const auto& pos = args.positional();
  if (pos[0] != "dump") return fail(io, "evtx: unknown action '" + pos[0] + "' (expected: dump)", k_exit_usage);
  const std::string format = args.get("--format").value_or("xml");
  if (format != "xml" && format != "jsonl") {
    return fail(io, "evtx: --format must be xml or jsonl, not '" + format + "'", k_exit_usage);
  }
  const std::string& path = pos[1];
  auto bytes = slurp(path);
  if (!bytes) return fail(io, bytes.error().message);

  evtx::EvtxOptions options;
  options.recover = args.has("--recover");
  options.file_path = path;
  const auto diagnostics = [&](std::uint64_t offset, std::string_view reason) {
    io.err << "negoheal: " << path << "@" << offset << ": " << reason << "\n";
  };
  Result<evtx::EvtxStats> stats = evtx::EvtxStats{};
  if (format == "xml") {
    evtx::EvtxReader reader(*bytes, options);
    stats = reader.read([&](evtx::EvtxRecord&& r) { io.out << r.xml << '\n'; }, diagnostics);
  } else {
    stats = evtx::read_evtx(
        *bytes, options, [&](Event&& e) { io.out << to_json_line(e) << '\n'; }, diagnostics);
  }
  if (!stats) return fail(io, path + ": " + stats.error().message);
  io.out.flush();
  if (stats->records_skipped != 0 || stats->crc_mismatches != 0) {
    io.err << "negoheal: " << path << ": " << stats->records << " records, " << stats->records_skipped << " skipped, "
           << stats->crc_mismatches << " CRC mismatches\n";
  }
  return k_exit_ok;
}

}  // namespace

Command evtx_command() {
  return {{"evtx",
           "evtx dump FILE [--format xml|jsonl] [--recover]",
           "Print every record of an .evtx file, as event XML or as normalized events.\n"
           "xml: the <Event> elements one after another, each followed by a newline (no root\n"
           "element); jsonl: one JSON object a line. Malformed records and checksum mismatches\n"
           "are reported on stderr; the records around them are still read.",
           {k_evtx_format_option, k_recover_option},
           "dump FILE",
           2,
           2},
          run};
}

}  // namespace negoheal::cli
