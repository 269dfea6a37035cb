#pragma once
// Platform seam: push a file's written bytes to the storage device, so a rename that follows
// cannot publish a file whose content is still only in the OS cache. flush_file_posix.cpp (fsync)
// and flush_file_win.cpp (FlushFileBuffers) implement it; CMake compiles the one for the target.
#include <filesystem>

#include "core/result.h"

namespace negoheal::actions {

// The file must exist and be writable by this process. Errors name the path.
Status flush_file(const std::filesystem::path& path);

}  // namespace negoheal::actions
