// Every real file in ../shared/corpus/evtx: never crash, read at least as many records as the
// best of libevtx and python-evtx (INVENTORY.json), render well-formed XML, and agree with the
// renderings in xml_examples/ on the fields that identify an event.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "parsers/evtx/to_event.h"
#include "tests/test_support.h"
#include "tests/unit/parsers/evtx/evtx_test_util.h"

namespace negoheal::testing::evtx {
namespace {

std::filesystem::path corpus() {
  return shared_dir() / "corpus" / "evtx";
}

// "126 rendered / 126 iterated" -> 126; "10" -> 10; "FATAL ..." -> 0.
std::uint64_t leading_number(const std::string& s) {
  std::uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') break;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

std::map<std::string, std::uint64_t> best_known_counts() {
  std::map<std::string, std::uint64_t> out;
  const auto inv = nlohmann::json::parse(read_file(corpus() / "INVENTORY.json"), nullptr, false);
  if (!inv.is_array()) return out;
  for (const auto& f : inv) {
    std::uint64_t best = 0;
    for (const auto& [tool, result] : f["records"].items()) {
      if (!result.is_string()) continue;
      // binxml_direct is the inventory's own renderer for forwarded-event files, the only ones it reads.
      const bool reference = tool.rfind("python-evtx", 0) == 0 || tool.find("evtxexport") != std::string::npos ||
                             tool.rfind("binxml_direct", 0) == 0;
      if (reference) best = std::max(best, leading_number(result.get<std::string>()));
    }
    out[f["file"].get<std::string>()] = best;
  }
  return out;
}

struct Fields {
  std::string event_id, record_id, computer, channel, time_created;
};

Fields fields_of(const pugi::xml_node& event) {
  const auto sys = event.child("System");
  return {sys.child_value("EventID"), sys.child_value("EventRecordID"), sys.child_value("Computer"),
          sys.child_value("Channel"), sys.child("TimeCreated").attribute("SystemTime").value()};
}

TEST(EvtxCorpus, EveryFileReadsAtLeastWhatTheBestKnownParserReads) {
  if (!std::filesystem::exists(corpus())) GTEST_SKIP() << "no corpus at " << corpus();
  const auto best = best_known_counts();
  ASSERT_FALSE(best.empty());
  for (const auto& entry : std::filesystem::directory_iterator(corpus())) {
    if (entry.path().extension() != ".evtx") continue;
    const auto name = entry.path().filename().string();
    const auto bytes = read_file(entry.path());
    const auto c = read_all(bytes);
    ASSERT_TRUE(c.ok) << name << ": " << c.error;
    const auto it = best.find(name);
    ASSERT_NE(it, best.end()) << name << " is not in INVENTORY.json";
    EXPECT_GE(c.records.size(), it->second) << name;
    std::printf("[ corpus   ] %-100s %6zu records (best known %llu), %zu diagnostics\n", name.c_str(), c.records.size(),
                static_cast<unsigned long long>(it->second), c.diagnostics.size());
    for (const auto& r : c.records) {
      pugi::xml_document doc;
      const auto parsed = doc.load_buffer(r.xml.data(), r.xml.size());
      ASSERT_TRUE(parsed) << name << " record " << r.record_id << ": " << parsed.description();
      const auto f = fields_of(doc.child("Event"));
      ASSERT_FALSE(f.event_id.empty()) << name << " record " << r.record_id;
      EXPECT_EQ(r.system.event_id.value_or(""), f.event_id);
      const auto e = parsers::evtx::to_event(r);
      EXPECT_TRUE(e.timestamp.has_value()) << name << " record " << r.record_id;
    }
    (void)read_all(bytes, true);  // recover mode must be just as safe
  }
}

TEST(EvtxCorpus, FieldsMatchTheReferenceRenderings) {
  const auto examples = corpus() / "xml_examples";
  if (!std::filesystem::exists(examples)) GTEST_SKIP() << "no examples at " << examples;
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(examples)) {
    const auto text = read_file(entry.path());
    const auto src = text.find("source file: samples/");
    ASSERT_NE(src, std::string::npos) << entry.path();
    const auto start = src + std::string_view("source file: samples/").size();
    const auto source = text.substr(start, text.find(' ', start) - start);
    const auto c = read_all(read_file(corpus() / source));
    ASSERT_TRUE(c.ok) << source;
    std::map<std::string, Fields> ours;
    for (const auto& r : c.records) {
      pugi::xml_document doc;
      ASSERT_TRUE(doc.load_buffer(r.xml.data(), r.xml.size()));
      const auto f = fields_of(doc.child("Event"));
      ours.emplace(f.record_id + "|" + f.computer, f);
    }
    // The first rendering of each record in the file is the reference (libevtx or binxml_direct;
    // python-evtx prints TimeCreated in another format).
    std::map<std::string, bool> seen;
    for (auto pos = text.find("<Event "); pos != std::string::npos; pos = text.find("<Event ", pos + 1)) {
      const auto end = text.find("</Event>", pos);
      ASSERT_NE(end, std::string::npos);
      pugi::xml_document doc;
      ASSERT_TRUE(doc.load_string(text.substr(pos, end + 8 - pos).c_str()));
      const auto want = fields_of(doc.child("Event"));
      const auto key = want.record_id + "|" + want.computer;
      if (seen[key]) continue;
      seen[key] = true;
      const auto it = ours.find(key);
      ASSERT_NE(it, ours.end()) << entry.path().filename() << ": EventRecordID " << want.record_id;
      EXPECT_EQ(it->second.event_id, want.event_id) << key;
      EXPECT_EQ(it->second.channel, want.channel) << key;
      EXPECT_EQ(it->second.time_created, want.time_created) << key;
      ++compared;
    }
  }
  EXPECT_GE(compared, 9);
}

}  // namespace
}  // namespace negoheal::testing::evtx
