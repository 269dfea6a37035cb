#pragma once
// Building blocks shared by the EVTX tests: value encodings, a standard event template, and a
// reader that collects records and diagnostics.
#include <string>
#include <vector>

#include "parsers/evtx/evtx_file.h"
#include "tests/unit/parsers/evtx/evtx_writer.h"

namespace negoheal::testing::evtx {

inline std::string le(std::uint64_t v, std::size_t n) {
  std::string s;
  add_le(s, v, n);
  return s;
}

inline constexpr std::uint64_t k_filetime = 132497393470840538ULL;  // 2020-11-13T11:09:07.0840538Z
inline constexpr const char* k_activity_guid = "{F4207C37-D7A8-4A5E-9A35-4E79CAA60000}";

inline std::string guid_bytes() {
  return std::string("\x37\x7c\x20\xf4\xa8\xd7\x5e\x4a\x9a\x35\x4e\x79\xca\xa6\x00\x00", 16);
}
inline std::string sid_bytes() {  // S-1-5-21-1-2-3
  return std::string("\x01\x04\x00\x00\x00\x00\x00\x05", 8) + le(21, 4) + le(1, 4) + le(2, 4) + le(3, 4);
}

// The System part of an event template, values 0..8:
// 0 Provider@Name, 1 EventID, 2 Level, 3 TimeCreated@SystemTime, 4 EventRecordID,
// 5 Correlation@ActivityID, 6 Channel, 7 Computer, 8 Security@UserID.
inline void system_template(ChunkWriter& w) {
  w.open("System", false);
  w.close_start();
  w.open("Provider", true);
  w.attribute("Name");
  w.subst(0, 0x01);
  w.close_empty();
  w.open("EventID", false);
  w.close_start();
  w.subst(1, 0x06);
  w.end();
  w.open("Level", false);
  w.close_start();
  w.subst(2, 0x04);
  w.end();
  w.open("TimeCreated", true);
  w.attribute("SystemTime");
  w.subst(3, 0x11, true);
  w.close_empty();
  w.open("EventRecordID", false);
  w.close_start();
  w.subst(4, 0x0a, true);
  w.end();
  w.open("Correlation", true);
  w.attribute("ActivityID");
  w.subst(5, 0x0f, true);
  w.close_empty();
  w.open("Channel", false);
  w.close_start();
  w.subst(6, 0x01);
  w.end();
  w.open("Computer", false);
  w.close_start();
  w.subst(7, 0x01);
  w.end();
  w.open("Security", true);
  w.attribute("UserID");
  w.subst(8, 0x13, true);
  w.close_empty();
  w.end();
}

inline std::vector<ChunkWriter::Val> system_values(std::uint16_t event_id, std::uint64_t record_id,
                                                   bool with_activity = true) {
  return {{0x01, utf16("Microsoft-Windows-RemoteDesktopServices-RdpCoreTS")},
          {0x06, le(event_id, 2)},
          {0x04, le(4, 1)},
          {0x11, le(k_filetime, 8)},
          {0x0a, le(record_id, 8)},
          {with_activity ? std::uint8_t{0x0f} : std::uint8_t{0x00}, with_activity ? guid_bytes() : std::string()},
          {0x01, utf16("Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational")},
          {0x01, utf16("srv01.corp.example")},
          {0x13, sid_bytes()}};
}

inline const std::string k_system_xml_head =
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Microsoft-Windows-RemoteDesktopServices-RdpCoreTS'/>";

inline std::string system_xml(std::uint16_t event_id, std::uint64_t record_id, bool with_activity = true) {
  return k_system_xml_head + "<EventID>" + std::to_string(event_id) +
         "</EventID><Level>4</Level><TimeCreated SystemTime='2020-11-13T11:09:07.084053800Z'/>"
         "<EventRecordID>" +
         std::to_string(record_id) + "</EventRecordID>" +
         (with_activity ? std::string("<Correlation ActivityID='") + k_activity_guid + "'/>" : "<Correlation/>") +
         "<Channel>Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational</Channel>"
         "<Computer>srv01.corp.example</Computer><Security UserID='S-1-5-21-1-2-3'/></System>";
}

// A record with the standard template: inline the first time, by reference afterwards.
inline std::uint32_t simple_record(ChunkWriter& w, std::uint64_t id, std::uint32_t def = 0) {
  std::uint32_t out = def;
  w.record(id, k_filetime, [&] {
    w.fragment_header();
    out = w.instance(
        [&] {
          w.fragment_header();
          w.open("Event", true);
          w.attribute("xmlns");
          w.text("http://schemas.microsoft.com/win/2004/08/events/event");
          w.close_start();
          system_template(w);
          w.end();
          w.eof();
        },
        def);
    w.values(system_values(131, id));
  });
  return out;
}

struct Collected {
  std::vector<parsers::evtx::EvtxRecord> records;
  std::vector<std::string> diagnostics;
  parsers::evtx::EvtxStats stats;
  bool ok = false;
  std::string error;

  [[nodiscard]] bool diagnosed(std::string_view needle) const {
    for (const auto& d : diagnostics) {
      if (d.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

inline Collected read_all(std::string_view file, bool recover = false) {
  Collected c;
  parsers::evtx::EvtxOptions o;
  o.recover = recover;
  parsers::evtx::EvtxReader reader(file, o);
  auto r = reader.read([&](parsers::evtx::EvtxRecord&& rec) { c.records.push_back(std::move(rec)); },
                       [&](std::uint64_t off, std::string_view why) {
                         c.diagnostics.push_back(std::to_string(off) + ": " + std::string(why));
                       });
  c.ok = r.ok();
  if (r.ok())
    c.stats = *r;
  else
    c.error = r.error().message;
  return c;
}

}  // namespace negoheal::testing::evtx
