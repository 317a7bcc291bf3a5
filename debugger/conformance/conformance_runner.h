// The SingleStepTests conformance runner: executes every test of a MOO test set on the
// interpreter and compares registers and memory with what the real CPU did.
//
// ---- Entry point for `lantern conformance DIR` (gui/) ----------------------------------------
//
//   #include "debugger/conformance/conformance_runner.h"   (link lantern_conformance, or
//                                                            lantern_debugger which brings it)
//   namespace lantern::conformance {
//   int run_conformance(const ConformanceOptions& options, std::ostream& out);
//   }
//
//   options.directory  DIR: one test set (a folder of XX.MOO.gz / XX.R.MOO.gz files plus
//                      metadata.json), or a folder of sets (e.g. shared/conformance holding
//                      8086/ and 80286/), which are run one after the other.
//   options.filter     optional, e.g. "F7.6" or "00,F7": comma-separated file names without
//                      ".MOO.gz"; a name without ".reg" also selects its group files (F7.0-F7.7).
//   options.verbose    print, under each failing file, the first failing test(s) as a diff.
//   options.unmasked   also count tests that match with undefined flags compared too.
//   options.threads    worker threads, files run in parallel (default 2).
//
//   Writes a per-file table (file, mnemonic, passed, failed, cycle agreement), a summary per
//   set, and finally the line `N passed, N failed` on its own. The output is deterministic
//   except for the elapsed time in the summary. Returns 0 if every selected test passed, 1 if
//   any failed (an unreadable file counts as one failure), 2 if DIR holds no test files or no
//   file matches the filter.
//
// The CPU model of each file comes from its header's CPU id (8086/8088 -> I8086, C286 -> I80286).
// The pieces below (run_conformance_set, print_set_report) are for callers that want the numbers
// rather than text, like the ctest driver.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/cpu_model.h"
#include "debugger/conformance/moo_reader.h"
#include "debugger/conformance/suite_metadata.h"

namespace lantern::conformance {

struct ConformanceOptions {
    std::filesystem::path directory;
    std::string filter;
    bool verbose = false;
    unsigned failure_details = 1;  // failing tests described per file when verbose
    bool unmasked = false;
    unsigned threads = 2;
    bool block_cache = true;       // run with the decoded-block cache (cpu/block_cache.h)
};

// Agreement between the interpreter's cycle count and the suite's. See the comment on
// `suite_cycles` in conformance_runner.cpp for what the suite's number includes.
struct CycleStats {
    std::uint64_t compared = 0;
    std::uint64_t exact = 0;
    std::uint64_t abs_diff_sum = 0;

    void add(const CycleStats& o) {
        compared += o.compared;
        exact += o.exact;
        abs_diff_sum += o.abs_diff_sum;
    }
    double exact_percent() const { return compared ? 100.0 * double(exact) / double(compared) : 0; }
    double mean_abs_diff() const { return compared ? double(abs_diff_sum) / double(compared) : 0; }
};

struct FileResult {
    std::string stem;      // file name without ".MOO.gz", e.g. "F7.6"
    std::string mnemonic;  // from META, else the most common mnemonic in the test names
    std::string cpu_id;    // header CPU id
    std::uint64_t passed = 0;
    std::uint64_t failed = 0;
    std::uint64_t revoked = 0;        // skipped: listed in revocation_list.txt
    std::uint64_t known = 0;          // failed, but listed in known_discrepancies.h
    std::vector<std::string> known_notes;
    std::uint64_t exact_passed = 0;   // with `unmasked`: passed with undefined flags compared
    CycleStats cycles;
    std::string error;                // the file could not be read (then failed == 1)
    std::vector<std::string> failure_details;  // formatted diffs, when verbose
};

struct SetResult {
    std::filesystem::path directory;
    std::string cpu;                  // model name of the set ("8086", "80286"), "?" if unknown
    std::vector<FileResult> files;    // sorted by file name
    std::vector<std::string> notes;   // set-level problems, e.g. a missing metadata.json
    double seconds = 0;

    std::uint64_t passed() const;
    std::uint64_t failed() const;
    std::uint64_t revoked() const;
    std::uint64_t known() const;
    CycleStats cycles() const;
};

// Directories under (or equal to) `dir` that hold MOO files, oldest CPU first (8086, 80286).
std::vector<std::filesystem::path> find_test_sets(const std::filesystem::path& dir);

// The MOO files of one set that `filter` selects, sorted by name.
std::vector<std::filesystem::path> select_test_files(const std::filesystem::path& set_dir,
                                                     const std::string& filter);

// Model for a MOO header CPU id, or nullopt for CPUs Lantern does not emulate (V20, 386...).
std::optional<CpuModel> model_for_cpu_id(std::string_view cpu_id);

// Runs one parsed file. `stem` names the file (it carries the opcode and ModR/M reg).
FileResult run_moo_tests(const MooFile& file, const std::string& stem,
                         const SuiteMetadata& metadata, const ConformanceOptions& options);

// Runs every selected file of one set, `options.threads` files at a time. Prints nothing.
SetResult run_conformance_set(const std::filesystem::path& set_dir,
                              const ConformanceOptions& options);

// The per-file table and the set's summary (not the final `N passed, N failed` line).
void print_set_report(const SetResult& set, const ConformanceOptions& options, std::ostream& out);

// The `lantern conformance DIR` entry point; see the top of this header.
int run_conformance(const ConformanceOptions& options, std::ostream& out);

}  // namespace lantern::conformance
