// Golden tests over EVTX files the test writes itself: every value type, templates (inline and
// by reference), substitutions, forwarded-event records without templates, nested BinXML.
#include <gtest/gtest.h>

#include "parsers/evtx/to_event.h"
#include "tests/unit/parsers/evtx/evtx_test_util.h"

namespace negoheal::testing::evtx {
namespace {

struct DataField {
  const char* name;
  std::uint8_t type;
  std::string bytes;
  const char* rendered;  // the <Data> element(s) expected
};

std::vector<DataField> all_types() {
  return {
      {"Null", 0x00, "", "<Data Name='Null'></Data>"},
      {"Str", 0x01, utf16("<a&b> 'q'") + std::string(2, '\0'), "<Data Name='Str'>&lt;a&amp;b&gt; 'q'</Data>"},
      {"Ansi", 0x02, std::string("abc\0", 4), "<Data Name='Ansi'>abc</Data>"},
      {"I8", 0x03, le(0xFB, 1), "<Data Name='I8'>-5</Data>"},
      {"U8", 0x04, le(200, 1), "<Data Name='U8'>200</Data>"},
      {"I16", 0x05, le(static_cast<std::uint16_t>(-300), 2), "<Data Name='I16'>-300</Data>"},
      {"U16", 0x06, le(65000, 2), "<Data Name='U16'>65000</Data>"},
      {"I32", 0x07, le(static_cast<std::uint32_t>(-70000), 4), "<Data Name='I32'>-70000</Data>"},
      {"U32", 0x08, le(4000000000U, 4), "<Data Name='U32'>4000000000</Data>"},
      {"I64", 0x09, le(static_cast<std::uint64_t>(-5000000000LL), 8), "<Data Name='I64'>-5000000000</Data>"},
      {"U64", 0x0a, le(18000000000000000000ULL, 8), "<Data Name='U64'>18000000000000000000</Data>"},
      {"R32", 0x0b, le(0x3fc00000, 4), "<Data Name='R32'>1.5</Data>"},
      {"R64", 0x0c, le(0x3fd0000000000000ULL, 8), "<Data Name='R64'>0.25</Data>"},
      {"Bool", 0x0d, le(1, 4), "<Data Name='Bool'>true</Data>"},
      {"Bin", 0x0e, std::string("\x01\xab\x00", 3), "<Data Name='Bin'>01AB00</Data>"},
      {"Guid", 0x0f, guid_bytes(), "<Data Name='Guid'>{F4207C37-D7A8-4A5E-9A35-4E79CAA60000}</Data>"},
      {"Size", 0x10, le(0x10, 8), "<Data Name='Size'>0x10</Data>"},
      {"FileTime", 0x11, le(k_filetime, 8), "<Data Name='FileTime'>2020-11-13T11:09:07.084053800Z</Data>"},
      {"SysTime", 0x12, le(2020, 2) + le(11, 2) + le(5, 2) + le(13, 2) + le(11, 2) + le(9, 2) + le(7, 2) + le(84, 2),
       "<Data Name='SysTime'>2020-11-13T11:09:07.084000000Z</Data>"},
      {"Sid", 0x13, sid_bytes(), "<Data Name='Sid'>S-1-5-21-1-2-3</Data>"},
      {"Hex32", 0x14, le(0x3e7, 4), "<Data Name='Hex32'>0x3e7</Data>"},
      {"Hex64", 0x15, le(0x8020000000000000ULL, 8), "<Data Name='Hex64'>0x8020000000000000</Data>"},
      {"StrArr", 0x81, utf16(u"x") + le(0, 2) + utf16(u"y\u00e9") + le(0, 2),
       "<Data Name='StrArr'>x</Data><Data Name='StrArr'>y\xc3\xa9</Data>"},
      {"U16Arr", 0x86, le(1, 2) + le(2, 2), "<Data Name='U16Arr'>1</Data><Data Name='U16Arr'>2</Data>"},
      {"EmptyArr", 0x88, "", "<Data Name='EmptyArr'></Data>"},
      {"BadUtf16", 0x01, le(0xD800, 2) + le('x', 2), "<Data Name='BadUtf16'>\xef\xbf\xbdx</Data>"},
  };
}

// One record: System, then one <Data Name=...> per field, then text with references and a
// nested BinXML value, all from a single inline template.
std::string full_file(std::string& expected_xml) {
  const auto fields = all_types();
  ChunkWriter w;
  std::vector<ChunkWriter::Val> vals = system_values(131, 7);
  w.record(7, k_filetime, [&] {
    w.fragment_header();
    w.instance([&] {
      w.fragment_header();
      w.open("Event", true);
      w.attribute("xmlns");
      w.text("http://schemas.microsoft.com/win/2004/08/events/event");
      w.close_start();
      system_template(w);
      w.open("EventData", false);
      w.close_start();
      for (std::size_t i = 0; i < fields.size(); ++i) {
        w.open("Data", true);
        w.attribute("Name");
        w.text(fields[i].name);
        w.close_start();
        w.subst(static_cast<std::uint16_t>(9 + i), fields[i].type, true);
        w.end();
      }
      // <Data Name='A&amp;B'>x &#9786; &lt;![CDATA[c]]&gt;</Data>: an entity in an attribute.
      w.open("Data", true);
      w.attribute("Name");
      w.text("A");
      w.entity_ref("amp");
      w.text("B");
      w.close_start();
      w.text("x ");
      w.char_ref(0x263A);
      w.cdata("c");
      w.end();
      w.open("Nested", false);
      w.close_start();
      w.subst(static_cast<std::uint16_t>(9 + fields.size()), 0x21);
      w.end();
      w.end();
      w.end();
      w.eof();
    });
    for (const auto& f : fields)
      vals.push_back({f.type, f.bytes});
    // Nested BinXML: an element without a dependency id, as MS-EVEN6 describes it.
    ChunkWriter::Val nested{0x21, {}};
    vals.push_back(nested);
    // The nested value's bytes must be chunk-relative, so write them through the writer.
    w.u32(static_cast<std::uint32_t>(vals.size()));
    std::size_t nested_size_at = 0;
    for (const auto& v : vals) {
      if (v.type == 0x21) nested_size_at = w.pos();
      w.u16(static_cast<std::uint16_t>(v.bytes.size()));
      w.byte(v.type);
      w.byte(0);
    }
    for (const auto& v : vals)
      w.raw(v.bytes);
    const auto start = w.pos();
    w.fragment_header();
    w.open("Inner", true, false);
    w.attribute("K");
    w.text("v");
    w.close_start();
    w.text("deep");
    w.end();
    w.eof();
    put_le(w.bytes(), nested_size_at, w.pos() - start, 2);
  });
  expected_xml = system_xml(131, 7) + "<EventData>";
  for (const auto& f : fields)
    expected_xml += f.rendered;
  expected_xml +=
      "<Data Name='A&amp;B'>x \xe2\x98\xba<![CDATA[c]]></Data><Nested><Inner K='v'>deep</Inner></Nested>"
      "</EventData></Event>";
  return file_header(1) + w.finish();
}

TEST(EvtxGolden, EveryValueTypeRendersAsWindowsPrintsIt) {
  std::string expected;
  const auto file = full_file(expected);
  const auto c = read_all(file);
  ASSERT_TRUE(c.ok) << c.error;
  EXPECT_TRUE(c.diagnostics.empty()) << c.diagnostics.front();
  ASSERT_EQ(c.records.size(), 1U);
  EXPECT_EQ(c.records[0].xml, expected);
  EXPECT_EQ(c.records[0].record_id, 7U);
  EXPECT_EQ(c.records[0].event_record_id, 7U);
  EXPECT_EQ(c.records[0].header_offset, 4096U + 512U);
}

TEST(EvtxGolden, TemplateReusedByReferenceAndFieldsMapToEvent) {
  ChunkWriter w;
  const auto def = simple_record(w, 1);
  simple_record(w, 2, def);
  const auto file = file_header(1) + w.finish();
  const auto c = read_all(file);
  ASSERT_TRUE(c.ok) << c.error;
  ASSERT_EQ(c.records.size(), 2U);
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_EQ(c.records[1].xml, system_xml(131, 2) + "</Event>");

  const Event e = parsers::evtx::to_event(c.records[1], "/logs/x.evtx");
  EXPECT_EQ(e.provider, "winevent");
  EXPECT_EQ(e.code, "131");
  EXPECT_EQ(e.event_id, 131U);
  EXPECT_EQ(e.record_id, 2U);
  EXPECT_EQ(e.channel, "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational");
  EXPECT_EQ(e.computer_name, "srv01.corp.example");
  EXPECT_EQ(e.original, c.records[1].xml);
  EXPECT_EQ(e.file_path, "/logs/x.evtx");
  EXPECT_FALSE(e.host.has_value());  // never invented
  ASSERT_TRUE(e.timestamp.has_value());
  EXPECT_EQ(e.timestamp->time_since_epoch().count(), 1605265747084053LL);
  EXPECT_NE(to_json_line(e).find("\"event_id\":131"), std::string::npos);
}

TEST(EvtxGolden, NullOptionalAttributeIsLeftOut) {
  ChunkWriter w;
  w.record(3, k_filetime, [&] {
    w.fragment_header();
    w.instance([&] {
      w.fragment_header();
      w.open("Event", true);
      w.attribute("xmlns");
      w.text("http://schemas.microsoft.com/win/2004/08/events/event");
      w.close_start();
      system_template(w);
      w.end();
      w.eof();
    });
    w.values(system_values(4624, 3, false));
  });
  const auto c = read_all(file_header(1) + w.finish());
  ASSERT_EQ(c.records.size(), 1U);
  EXPECT_EQ(c.records[0].xml, system_xml(4624, 3, false) + "</Event>");
}

// Forwarded-event (WEC) records: the whole event is plain BinXML, no template, and elements
// have no dependency id. libevtx and python-evtx fail on every such record.
TEST(EvtxGolden, ForwardedRecordWithoutTemplate) {
  ChunkWriter w;
  for (std::uint64_t id : {1ULL, 2ULL}) {  // the second record refers back to the first's names
    w.record(id, k_filetime, [&] {
      w.fragment_header();
      w.open("Event", true, false);
      w.attribute("xmlns");
      w.text("http://schemas.microsoft.com/win/2004/08/events/event");
      w.close_start();
      w.open("System", false, false);
      w.close_start();
      w.open("EventID", false, false);
      w.close_start();
      w.text("1149");
      w.end();
      w.open("Computer", false, false);
      w.close_start();
      w.text("host" + std::to_string(id));
      w.end();
      w.end();
      w.end();
      w.eof();
    });
  }
  const auto c = read_all(file_header(1) + w.finish());
  ASSERT_EQ(c.records.size(), 2U) << (c.diagnostics.empty() ? "" : c.diagnostics.front());
  EXPECT_EQ(c.records[1].xml,
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1149</EventID>"
            "<Computer>host2</Computer></System></Event>");
  EXPECT_EQ(c.records[1].system.computer, "host2");
  EXPECT_FALSE(c.records[1].event_record_id.has_value());
  EXPECT_EQ(parsers::evtx::to_event(c.records[1]).record_id, 2U);  // falls back to the header id
}

TEST(EvtxGolden, ChunkByChunkReadingGivesTheSameRecords) {
  ChunkWriter w;
  simple_record(w, 1);
  const auto chunk = w.finish();
  parsers::evtx::EvtxStats stats;
  std::vector<parsers::evtx::EvtxRecord> got;
  parsers::evtx::read_chunk(
      {chunk, 4096, 0, true, false}, {}, [&](auto&& r) { got.push_back(std::move(r)); }, {}, stats);
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].xml, system_xml(131, 1) + "</Event>");
}

TEST(EvtxGolden, ReadEvtxProducesNormalizedEvents) {
  ChunkWriter w;
  simple_record(w, 5);
  std::vector<Event> events;
  parsers::evtx::EvtxOptions o;
  o.file_path = "a.evtx";
  auto r = parsers::evtx::read_evtx(file_header(1) + w.finish(), o, [&](Event&& e) { events.push_back(e); }, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].offset, 4096U + 512U);
  EXPECT_EQ(events[0].file_path, "a.evtx");
}

}  // namespace
}  // namespace negoheal::testing::evtx
