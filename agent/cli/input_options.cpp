#include "agent/cli/input_options.h"

#include <ostream>

#include "core/timestamp.h"

namespace negoheal::cli {

Result<pipeline::InputOptions> input_options(const Args& args, const settings::Settings& s, Io& io) {
  pipeline::InputOptions o;
  const settings::FileSource* src = s.file_sources.empty() ? nullptr : &s.file_sources.front();
  if (auto f = args.get("--format")) {
    auto fmt = parsers::parse_input_format(*f);
    if (!fmt)
      return make_error("--format: unknown format '" + *f + "' (expected " +
                        std::string(parsers::k_input_format_names) + ")");
    o.format = *fmt;
  } else if (src) {
    o.format = src->format;
  }
  auto patterns = parsers::LinePatterns::compile(src ? src->line_formats : std::vector<std::string>{},
                                                 src ? src->context_patterns : std::vector<std::string>{});
  if (!patterns) return patterns.error();
  o.patterns = *patterns;
  if (src && src->local_time_offset) o.local_offset = *src->local_time_offset;
  if (auto d = args.get("--date")) {
    auto day = parse_timestamp(*d);
    if (!day || d->size() != 10) return make_error("--date: expected YYYY-MM-DD, found '" + *d + "'");
    // The end of that day, local time: every time of day falls on that date.
    const auto offset = o.local_offset.value_or(std::chrono::seconds(0));
    o.reference = *day + std::chrono::hours(24) - std::chrono::minutes(6) - offset;
    if (!o.local_offset) o.local_offset = std::chrono::seconds(0);
  }
  o.diagnostics = [&io](std::uint64_t offset, std::string_view reason) {
    io.err << "negoheal: skipped a record at offset " << offset << ": " << reason << "\n";
  };
  return o;
}

}  // namespace negoheal::cli
