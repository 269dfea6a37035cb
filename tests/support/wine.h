#pragma once
// The Windows lane runs the tests under wine, which differs from Windows in places (docs/windows.md).
// Tests that check such a place say why and skip that check under wine.

namespace negoheal::testing {

bool running_under_wine();

}  // namespace negoheal::testing
