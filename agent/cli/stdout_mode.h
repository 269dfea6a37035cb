#pragma once
// Platform seam: stdout carries data (JSON lines, CSV, HTML), so it is written byte for byte as on
// Linux, "\n" line ends included. stdout_mode_posix.cpp does nothing; stdout_mode_win.cpp switches
// the C runtime's stdout from text mode ("\n" -> "\r\n") to binary. Call before any output.

namespace negoheal::cli {

void use_binary_stdout();

}  // namespace negoheal::cli
