#pragma once
// EVTX records as normalized events (ARCHITECTURE §4.2): provider "winevent", event.code the
// EventID, event.original the rendered <Event> XML, winlog.* from <System>. Nothing is
// guessed: destination.address stays unset until a known data field names the target.
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "parsers/event_sink.h"
#include "parsers/evtx/evtx_file.h"

namespace negoheal::parsers::evtx {

Event to_event(const EvtxRecord& record, std::string_view file_path = {});

// The whole file: every readable record becomes an event; malformed ones are reported through
// `diagnostics` and skipped. Fails only when the file is not EVTX (and recover is off).
Result<EvtxStats> read_evtx(std::string_view file_bytes, const EvtxOptions& options, const EventSink& events,
                            const DiagnosticSink& diagnostics);

}  // namespace negoheal::parsers::evtx
