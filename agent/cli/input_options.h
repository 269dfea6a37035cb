#pragma once
// The options `parse` and `replay` share: --format, --date, and the settings' line patterns.
#include "agent/cli/args.h"
#include "agent/cli/command.h"
#include "agent/pipeline/ingest.h"
#include "agent/settings/settings.h"

namespace negoheal::cli {

inline const OptionSpec k_format_option{"--format", "", "FORMAT", "auto|freerdp|nps|jsonl (default auto)"};
inline const OptionSpec k_date_option{"--date", "", "YYYY-MM-DD",
                                      "date of logs that print only a time of day (default: from the file's mtime)"};
inline const OptionSpec k_config_option{"--config", "-c", "FILE", "configuration (default: the embedded one)"};

// Builds InputOptions from the command line and the settings' first file source.
Result<pipeline::InputOptions> input_options(const Args& args, const settings::Settings& s, Io& io);

}  // namespace negoheal::cli
