#pragma once
// Line-level helpers shared by the whole-file reader (replay) and the tailer (live): cutting
// over-long lines and decoding UTF-16LE, each keeping the original byte offsets.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace negoheal::sources {

// Called with complete lines (the final line may lack its newline) and the file offset of data[0].
using ChunkSink = std::function<void(std::string_view data, std::uint64_t base_offset)>;

// Hands `block` (complete lines) to `sink`, in as few calls as possible, with every line longer
// than `max_line` bytes cut to its first `max_line` bytes (the rest of it is dropped). Returns the
// number of lines cut. Costs one backward search per `max_line` bytes, not one call per line.
std::uint64_t emit_cut_lines(std::string_view block, std::uint64_t base_offset, std::size_t max_line,
                             const ChunkSink& sink);

// Appends the UTF-8 form of UTF-16LE `units` (an even number of bytes). Unpaired surrogates
// become U+FFFD.
void append_utf16le_as_utf8(std::string& out, std::string_view units);

void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace negoheal::sources
