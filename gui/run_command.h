// Carrying out a parsed command: build a Machine from RunOptions and run it, or run the
// conformance suite. Returns the process exit status (gui/exit_status.h).
#pragma once

#include <iosfwd>

#include "gui/cli.h"

namespace lantern {

int execute_run(RunOptions options, std::ostream& err);
int execute_conformance(const ConformanceRequest& request, std::ostream& out, std::ostream& err);
int execute_cpuinfo(const CpuinfoRequest& request, std::ostream& out);

}  // namespace lantern
